"""三员分立 (GB/T 22239-2019 8.1.4.2 d): the three administrator roles no account combines.

The rule is checked where a role is granted (``services.grant_role``), in the admin's
role inline, and below both by a ``pre_save`` guard on ``RoleGrant`` (``guards.py``), so
no path — a form, the API, a factory, the shell — can give one account two of them.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from fullrecord.accounts.choices import Role

ADMIN_ROLES = (Role.ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN)


def conflict(roles: Iterable[str]) -> str | None:
    """A message when ``roles`` holds two administrator roles, else None."""
    held = [Role(role).label for role in ADMIN_ROLES if role in set(roles)]
    if len(held) > 1:
        return _(
            "One account cannot hold two administrator roles (%(roles)s): the system, security "
            "and audit administrators must be three different people."
        ) % {"roles": "、".join(str(label) for label in held)}
    return None
