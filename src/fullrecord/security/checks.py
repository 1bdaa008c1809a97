"""System checks (``fullrecord check``; run before every server start): production serves
HTTPS only and keeps its commercial-cryptography keys outside the data directory."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register

from . import keys


@register(Tags.security)
def production_transport_and_keys(app_configs=None, **kwargs) -> list:
    if not settings.FULLRECORD_PRODUCTION:
        return []
    errors = []
    if not (
        settings.SECURE_SSL_REDIRECT
        and settings.SESSION_COOKIE_SECURE
        and settings.CSRF_COOKIE_SECURE
        and settings.SECURE_HSTS_SECONDS
    ):
        errors.append(
            Error(
                "Production serves HTTPS only (等保 8.1.4.8, 密评 transport): set "
                "FULLRECORD_HTTPS=true behind the TLS proxy (HSTS, Secure cookies, redirect).",
                id="security.E001",
            )
        )
    for setting, default in (
        ("FULLRECORD_DATA_KEY_FILE", keys.DATA_KEY_DEFAULT),
        ("FULLRECORD_SM2_KEY_FILE", keys.SM2_KEY_DEFAULT),
    ):
        if not getattr(settings, setting, None):
            errors.append(
                Error(
                    f"{setting} is not set: production keeps this key in a file outside the "
                    "data directory (docs/security.md).",
                    id="security.E002",
                )
            )
        elif keys.in_data_dir(setting, default):
            errors.append(
                Error(
                    f"{setting} lies inside the data directory, which backups copy beside "
                    "the database it opens.",
                    id="security.E003",
                )
            )
        elif not keys.key_file(setting, default).exists():
            errors.append(Error(f"{setting}: the file does not exist.", id="security.E004"))
    return errors
