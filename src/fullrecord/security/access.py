"""Who may do what under /administration/ (default deny; the one helper for pages and API).

- The security administrator (安全管理员): roles, the sign-in and password policy, password
  and one-time-code resets, locks; reads the compliance report.
- The audit administrator (审计管理员): reads the policy, the role list and the compliance
  report, and the whole audit log (``audit/access.py``); changes nothing.
- Everyone else: 404, so the pages cannot be found by probing.
"""

from __future__ import annotations

from fullrecord.accounts.choices import Role
from fullrecord.core.refusals import Unreachable


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def can_manage(user) -> bool:
    return _active(user) and user.has_role(Role.SECURITY_ADMIN)


def can_read(user) -> bool:
    return _active(user) and user.has_role(Role.SECURITY_ADMIN, Role.AUDIT_ADMIN)


def require_read(user) -> None:
    if not can_read(user):
        raise Unreachable


def can_reveal(user, case) -> bool:
    """Showing a party's ID number, address or phone in full: whoever reaches the case by
    their own role (not an access request, which opens footage, not personal data)."""
    from fullrecord.cases.access import visible_cases

    return _active(user) and visible_cases(user, include_grants=False).filter(pk=case.pk).exists()
