"""Signing secrets: made here, shown once, kept encrypted.

A webhook secret must be usable to sign (HMAC-SHA256), so unlike an API key it
cannot be kept as a hash. It is kept encrypted with AES-GCM under a key derived
from ``DJANGO_SECRET_KEY``: a copy of the database alone does not reveal it. When
the secret key is rotated, the old one goes in ``DJANGO_SECRET_KEY_FALLBACKS``
until every endpoint's secret has been rotated (decryption tries each).
"""

import base64
import hashlib
import os
import secrets as random

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

PREFIX = "whsec_"
SECRET_BYTES = 32  # Standard Webhooks: between 24 and 64 bytes
NONCE_BYTES = 12


def new_secret() -> str:
    """A fresh secret in the Standard Webhooks form, ``whsec_<base64>``."""
    return PREFIX + base64.b64encode(random.token_bytes(SECRET_BYTES)).decode()


def _keys() -> list[bytes]:
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [hashlib.sha256(f"webhook-secrets:{key}".encode()).digest() for key in keys]


def encrypt(secret: str) -> str:
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(_keys()[0]).encrypt(nonce, secret.encode(), b"webhook-secret")
    return base64.b64encode(nonce + sealed).decode()


def decrypt(stored: str) -> str:
    raw = base64.b64decode(stored)
    nonce, sealed = raw[:NONCE_BYTES], raw[NONCE_BYTES:]
    for key in _keys():
        try:
            return AESGCM(key).decrypt(nonce, sealed, b"webhook-secret").decode()
        except InvalidTag:
            continue
    raise ValueError("This webhook secret was encrypted under an unknown key.")
