"""``fullrecord createadmins``: the three administrators (三员), each with one role and a
temporary password to be changed at the first sign-in, printed once."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q

from fullrecord.accounts.choices import Role
from fullrecord.accounts.models import OrgUnit, RoleGrant, User
from fullrecord.audit.services import record
from fullrecord.security.services import note_password_set, temporary_password

ROLES = (
    ("system", Role.ADMIN, "系统管理员"),
    ("security", Role.SECURITY_ADMIN, "安全管理员"),
    ("audit", Role.AUDIT_ADMIN, "审计管理员"),
)


# What the system administrator keeps in the admin: the units and the catalogues (causes,
# time limits, calendar, document types, case-file terms, device models). Accounts and
# roles are the security administrator's (/administration/), the log the auditor's.
SYSTEM_APPS = ("cases", "calendars", "documents", "retention", "devices", "supervision")
NEVER = {("cases", "case"), ("cases", "casetransition")}


def system_administrators() -> Group:
    """The 系统管理员 group: add, change and view of the catalogues; never a delete."""
    group, _created = Group.objects.get_or_create(name="系统管理员")
    perms = Permission.objects.filter(
        Q(content_type__app_label__in=SYSTEM_APPS)
        | Q(content_type__app_label="accounts", content_type__model="orgunit")
    ).exclude(codename__startswith="delete_")
    group.permissions.set(
        [
            p
            for p in perms.select_related("content_type")
            if (p.content_type.app_label, p.content_type.model) not in NEVER
        ]
    )
    return group


class Command(BaseCommand):
    help = "Create the system, security and audit administrators (three separate accounts)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--system", default="sysadmin", help="username of the system admin")
        parser.add_argument("--security", default="secadmin", help="username of the security admin")
        parser.add_argument("--audit", default="auditadmin", help="username of the audit admin")
        parser.add_argument("--unit", help="code of the organisation unit they belong to")

    def handle(self, *args, unit: str | None, **options) -> None:
        names = [options[key] for key, _role, _label in ROLES]
        if len(set(names)) != 3:
            raise CommandError("The three administrators need three different usernames.")
        taken = list(User.objects.filter(username__in=names).values_list("username", flat=True))
        if taken:
            raise CommandError(f"These usernames exist already: {', '.join(taken)}")
        org_unit = None
        if unit:
            org_unit = OrgUnit.objects.filter(code=unit).first()
            if org_unit is None:
                raise CommandError(f"No organisation unit with code {unit!r}.")
        made = []
        with transaction.atomic():
            for key, role, label in ROLES:
                password = temporary_password()
                user = User(
                    username=options[key],
                    full_name=label,
                    org_unit=org_unit,
                    is_staff=role == Role.ADMIN,  # the system administrator's admin pages
                )
                user.set_password(password)
                user.save()
                if role == Role.ADMIN:
                    user.groups.add(system_administrators())
                RoleGrant.objects.create(user=user, role=role)
                note_password_set(user, must_change=True)
                made.append((user, label, password))
            record(
                "security.admins_created",
                summary="三员: " + "、".join(f"{label} {user.username}" for user, label, _ in made),
                data={"usernames": names},
            )
        for user, label, password in made:
            self.stdout.write(f"{label}\t{user.username}\t{password}")
        self.stdout.write(
            "Each changes this temporary password and enrols a one-time-code device at the "
            "first sign-in."
        )
