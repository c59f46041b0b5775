"""Production settings: secure by default, and each option switched by environment."""

import importlib
import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured

PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "a-throwaway-key-for-tests-only-" + "x" * 40,
    "DJANGO_ALLOWED_HOSTS": "nocease.example.org",
    "SITE_URL": "https://nocease.example.org",
}


def load_production(monkeypatch, **environ):
    for name in ("REDIS_URL", "AWS_STORAGE_BUCKET_NAME", "LOG_FORMAT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in {**PRODUCTION_ENV, **environ}.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    for module in ("config.settings.base", "config.settings.production"):
        sys.modules.pop(module, None)
    try:
        return importlib.import_module("config.settings.production")
    finally:
        # Leave the modules as the test run first imported them.
        for module in ("config.settings.base", "config.settings.production"):
            sys.modules.pop(module, None)


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    with pytest.raises(ImproperlyConfigured):
        load_production(monkeypatch, DJANGO_SECRET_KEY=None)


@pytest.mark.parametrize("site_url", [None, "", "http://nocease.example.org"])
def test_production_refuses_to_start_without_an_https_site_url(monkeypatch, site_url):
    with pytest.raises(ImproperlyConfigured, match="SITE_URL"):
        load_production(monkeypatch, SITE_URL=site_url)


def test_the_site_url_is_the_source_of_the_other_addresses(monkeypatch):
    prod = load_production(
        monkeypatch, SITE_URL="https://nocease.example.org/", DEFAULT_FROM_EMAIL=None
    )
    assert prod.SITE_URL == "https://nocease.example.org"
    assert prod.WAGTAILADMIN_BASE_URL == "https://nocease.example.org"
    assert prod.SITE_DOMAIN == "nocease.example.org"
    assert prod.DEFAULT_FROM_EMAIL.endswith("<updates@nocease.example.org>")
    assert prod.ACCOUNT_DEFAULT_HTTP_PROTOCOL == "https"


def test_production_is_secure_by_default(monkeypatch):
    prod = load_production(monkeypatch)
    assert prod.DEBUG is False
    assert prod.SECURE_SSL_REDIRECT is True
    assert prod.SECURE_HSTS_SECONDS >= 31_536_000
    assert prod.SESSION_COOKIE_SECURE and prod.CSRF_COOKIE_SECURE
    assert prod.SESSION_COOKIE_HTTPONLY and prod.CSRF_COOKIE_HTTPONLY
    assert prod.SESSION_COOKIE_SAMESITE == "Lax"
    assert prod.X_FRAME_OPTIONS == "DENY"
    assert prod.WAGTAILDOCS_SERVE_METHOD == "serve_view"
    assert prod.LOGGING["handlers"]["console"]["formatter"] == "json"
    assert prod.LOGGING["handlers"]["console"]["stream"] == "ext://sys.stdout"
    assert prod.CACHES["default"]["BACKEND"].endswith("LocMemCache")
    assert prod.STORAGES["default"]["BACKEND"] == "ops.storage.FileSystemMediaStorage"
    assert prod.STORAGES["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )


def test_redis_url_makes_redis_the_cache(monkeypatch):
    prod = load_production(monkeypatch, REDIS_URL="redis://cache.internal:6379/2")
    assert prod.CACHES["default"]["BACKEND"] == "ops.cache.TolerantRedisCache"
    assert prod.CACHES["default"]["LOCATION"] == "redis://cache.internal:6379/2"


def test_a_bucket_name_puts_media_on_object_storage(monkeypatch):
    prod = load_production(
        monkeypatch,
        AWS_STORAGE_BUCKET_NAME="ncnv-media",
        AWS_S3_ENDPOINT_URL="https://objects.example.net",
    )
    default = prod.STORAGES["default"]
    assert default["BACKEND"] == "ops.storage.S3MediaStorage"
    assert default["OPTIONS"]["bucket_name"] == "ncnv-media"
    assert default["OPTIONS"]["endpoint_url"] == "https://objects.example.net"
    # Images come from the bucket; the site no longer serves media itself.
    assert prod.SERVE_MEDIA_IMAGES is False


def test_the_s3_storage_builds_from_these_options(monkeypatch):
    pytest.importorskip("boto3", reason="boto3 comes with the [s3] extra")
    from django.utils.module_loading import import_string

    prod = load_production(monkeypatch, AWS_STORAGE_BUCKET_NAME="ncnv-media")
    default = prod.STORAGES["default"]
    storage = import_string(default["BACKEND"])(**default["OPTIONS"])
    assert storage.url("images/rally.png").startswith(
        "https://ncnv-media.s3.amazonaws.com/images/rally.png"
    )
    # Profile photos are not in the bucket's public prefixes: the site serves them.
    assert storage.url("profile_photos/profile-photo-x.jpg").startswith(
        "/network/photos/"
    )


def test_check_deploy_passes_with_a_throwaway_secret():
    environ = {
        **os.environ,
        **PRODUCTION_ENV,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=django_settings.BASE_DIR,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
