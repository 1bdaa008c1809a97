"""Who may keep the accounts, the organisation tree and the catalogues (default deny).

三员分立 (GB/T 22239-2019 8.1.4.2 d): the system administrator (系统管理员) keeps accounts,
units and catalogues; roles are the security administrator's (``security/access.py``) and
the log is the audit administrator's, who reads these changes there and nothing here.
Everyone else gets the same 404 as for a page that does not exist. The one helper for the
pages and the API of accounts, units, causes (cases) and document types (documents).
"""

from __future__ import annotations

from fullrecord.core.refusals import Unreachable

from .choices import Role


def can_administer(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False) and user.is_active and user.has_role(Role.ADMIN)
    )


def require_administer(user) -> None:
    if not can_administer(user):
        raise Unreachable
