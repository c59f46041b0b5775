"""Writes for the partner API's own records: partner keys."""

from datetime import datetime

from django.db import transaction

from .models import PartnerKey, PartnerOrganisation


def partner_key_create(
    *,
    organisation: PartnerOrganisation,
    name: str,
    expiry_date: datetime | None = None,
) -> tuple[PartnerKey, str]:
    """A new key for the organisation. Returns the record and the key itself,
    which is never stored and cannot be shown again."""
    key = PartnerKey(organisation=organisation, name=name, expiry_date=expiry_date)
    raw = PartnerKey.objects.assign_key(key)
    key.full_clean()
    with transaction.atomic():
        key.save()
    return key, raw


def partner_key_revoke(*, key: PartnerKey) -> PartnerKey:
    """Stop a key working, for good."""
    if not key.revoked:
        key.revoked = True
        key.save(update_fields=["revoked"])
    return key
