"""The demo bureau's security and audit administrators (三员 beside the demo ``admin``).

The demo keeps ``admin`` a Django superuser so the demo's admin pages open; the compliance
self-check names that as a failure, as it names the keys kept in the demo's data dir."""

from __future__ import annotations

from fullrecord.accounts.choices import Role
from fullrecord.accounts.models import RoleGrant, User
from fullrecord.core.demo import DEMO_PASSWORD, MORE_ACCOUNTS, populate

MORE_ACCOUNTS.extend(["secadmin", "auditadmin"])


@populate
def three_administrators(users: dict[str, User], cases: list) -> None:
    county = users["admin"].org_unit
    for username, name, role in (
        ("secadmin", "安全管理员", Role.SECURITY_ADMIN),
        ("auditadmin", "审计管理员", Role.AUDIT_ADMIN),
    ):
        user = User.objects.create_user(
            username=username, password=DEMO_PASSWORD, full_name=name, org_unit=county
        )
        RoleGrant.objects.create(user=user, role=role)
        users[username] = user
