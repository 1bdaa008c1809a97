"""System checks (``fullrecord check``, and at every start): where the audit key lives,
whether signed heads leave the machine."""

from __future__ import annotations

import os

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured


@checks.register(checks.Tags.security)
def audit_key_and_heads(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    from . import signing, sinks

    messages: list[checks.CheckMessage] = []
    for spec in settings.FULLRECORD_AUDIT_HEAD_SINKS:
        try:
            sinks.parse(spec)
        except ImproperlyConfigured as exc:
            messages.append(checks.Error(str(exc), id="fullrecord.audit.E001"))
    configured = settings.FULLRECORD_AUDIT_SIGNING_KEY_FILE
    if configured and not os.access(configured, os.R_OK):
        messages.append(
            checks.Error(
                f"FULLRECORD_AUDIT_SIGNING_KEY_FILE={configured!r} does not exist or cannot be "
                "read by this user: no tree head can be signed.",
                hint="Create it (docs/operations.md, 'Key layout in production') or give the "
                "service's group read access (root:fullrecord, mode 0640).",
                id="fullrecord.audit.E002",
            )
        )
    if not settings.FULLRECORD_PRODUCTION:
        return messages
    if signing.key_in_data_dir():
        messages.append(
            checks.Warning(
                f"The audit signing key ({signing.key_path()}) is in the data directory, "
                "beside the database and in its backups: whoever has both can rewrite the "
                "log and sign it again.",
                hint="Move it to /etc/fullrecord/audit-signing-key.pem (owner root, group "
                "fullrecord, mode 0640) and set FULLRECORD_AUDIT_SIGNING_KEY_FILE to that path "
                "(docs/operations.md, 'The audit signing key').",
                id="fullrecord.audit.W001",
            )
        )
    if not settings.FULLRECORD_AUDIT_HEAD_SINKS:
        messages.append(
            checks.Warning(
                "Signed tree heads of the audit log never leave this machine: a rewrite by "
                "someone holding the host and the key would not show.",
                hint="Name at least one destination in FULLRECORD_AUDIT_HEAD_SINKS "
                "(dir:/mnt/other-host/fullrecord, syslog:HOST:514, mail:ADDRESS).",
                id="fullrecord.audit.W002",
            )
        )
    return messages
