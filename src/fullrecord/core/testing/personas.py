"""The named people every test can rely on (STYLE.md: personas set up once).

One county bureau with two sections; each persona holds one role, except the
section head, who is also an officer of section one, as in real bureaus.
"""

from __future__ import annotations

from dataclasses import dataclass

from fullrecord.accounts.choices import OrgUnitKind, Role
from fullrecord.accounts.models import OrgUnit, User

from .factories import UserFactory


@dataclass
class Bureau:
    city: OrgUnit
    county: OrgUnit
    other_county: OrgUnit
    section1: OrgUnit
    section2: OrgUnit
    officer: User  # section one
    officer2: User  # section one, the officer's partner
    other_officer: User  # section two
    head: User  # head of section one
    other_head: User  # head of section two
    leader: User
    legal: User
    inspector: User
    archivist: User
    admin: User
    security_admin: User  # 安全管理员 (三员)
    audit_admin: User  # 审计管理员 (三员)
    outsider_leader: User  # leader of another county: must see nothing here
    nobody: User  # signed in, no role at all

    def all(self) -> dict[str, User]:
        return {name: getattr(self, name) for name in PERSONAS}


PERSONAS = [
    "officer",
    "officer2",
    "other_officer",
    "head",
    "other_head",
    "leader",
    "legal",
    "inspector",
    "archivist",
    "admin",
    "security_admin",
    "audit_admin",
    "outsider_leader",
    "nobody",
]


def build_bureau() -> Bureau:
    city = OrgUnit.objects.create(name="市局", kind=OrgUnitKind.CITY_BUREAU, code="CITY")
    county = OrgUnit.objects.create(
        name="清河县局",
        kind=OrgUnitKind.COUNTY_BUREAU,
        code="QH",
        parent=city,
        number_prefix="清",
    )
    other_county = OrgUnit.objects.create(
        name="临县局", kind=OrgUnitKind.COUNTY_BUREAU, code="LX", parent=city
    )
    s1 = OrgUnit.objects.create(
        name="执法一科", kind=OrgUnitKind.SECTION, code="QH1", parent=county
    )
    s2 = OrgUnit.objects.create(
        name="执法二科", kind=OrgUnitKind.SECTION, code="QH2", parent=county
    )

    def person(username, unit, roles, cert=""):
        return UserFactory(
            username=username,
            full_name=username,
            org_unit=unit,
            roles=roles,
            certificate_number=cert,
        )

    return Bureau(
        city=city,
        county=county,
        other_county=other_county,
        section1=s1,
        section2=s2,
        officer=person("officer", s1, [Role.OFFICER], "C0001"),
        officer2=person("officer2", s1, [Role.OFFICER], "C0002"),
        other_officer=person("other_officer", s2, [Role.OFFICER], "C0003"),
        head=person("head", s1, [Role.SECTION_HEAD, Role.OFFICER], "C0004"),
        other_head=person("other_head", s2, [Role.SECTION_HEAD], ""),
        leader=person("leader", county, [Role.LEADER]),
        legal=person("legal", county, [Role.LEGAL]),
        inspector=person("inspector", county, [Role.INSPECTOR]),
        archivist=person("archivist", county, [Role.ARCHIVIST]),
        admin=person("admin", county, [Role.ADMIN]),
        security_admin=person("security_admin", county, [Role.SECURITY_ADMIN]),
        audit_admin=person("audit_admin", county, [Role.AUDIT_ADMIN]),
        outsider_leader=person("outsider_leader", other_county, [Role.LEADER]),
        nobody=person("nobody", county, []),
    )
