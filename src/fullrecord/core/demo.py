"""A small believable bureau for demonstrations and browser tests.

Everything is made through the same services users go through, so the demo's
cases carry real transitions, deadlines and audit entries.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from fullrecord.accounts.choices import OrgUnitKind, Role
from fullrecord.accounts.models import OrgUnit, RoleGrant, User
from fullrecord.cases import services
from fullrecord.cases.models import Cause
from fullrecord.cases.validators import compute_credit_code_check, compute_resident_id_check

DEMO_PASSWORD = "fullrecord-demo"  # noqa: S105 - documented demo credential

PEOPLE = [
    # username, name, unit key, roles, certificate
    ("admin", "系统管理员", "county", [Role.ADMIN], ""),
    ("leader", "王建国", "county", [Role.LEADER], ""),
    ("head1", "李明", "sec1", [Role.SECTION_HEAD, Role.OFFICER], "13010001"),
    ("officer1", "张伟", "sec1", [Role.OFFICER], "13010011"),
    ("officer2", "刘洋", "sec1", [Role.OFFICER], "13010012"),
    ("head2", "孙丽", "sec2", [Role.SECTION_HEAD, Role.OFFICER], "13010002"),
    ("officer3", "陈静", "sec2", [Role.OFFICER], "13010021"),
    ("officer4", "赵磊", "sec2", [Role.OFFICER], "13010022"),
    ("legal", "周正", "legal", [Role.LEGAL], ""),
    ("inspector", "吴敏", "supervision", [Role.INSPECTOR], ""),
    ("archivist", "郑红", "archive", [Role.ARCHIVIST], ""),
]

# How far along each demo case goes: the transitions made, in order.
PATH = [
    "stop",
    "file",
    "investigate",
    "submit_review",
    "notify",
    "decide",
    "serve",
    "enforce",
    "close",
    "archive",
]


def person_id(seed: int) -> str:
    first17 = (
        f"13052419{80 + seed % 20:02d}0{1 + seed % 9}1{seed % 10}{seed % 7}{seed % 10}{seed % 3}"
    )
    first17 = first17[:17]
    return first17 + compute_resident_id_check(first17)


def credit_code(seed: int) -> str:
    first17 = f"91130524MA0{seed:02d}K7X{seed % 10}"[:17]
    return first17 + compute_credit_code_check(first17)


# Apps above ``core`` add their part of the demo bureau from a ``demo`` module of
# their own (found by autodiscovery, as the admin finds ``admin`` modules):
# ``before_move`` prepares what a case move needs (documents, approvals) just
# before the walk makes it; ``populate`` adds the rest once every case exists.
_BEFORE_MOVE: list[Callable[..., None]] = []
_POPULATE: list[Callable[[dict[str, User], list], None]] = []
# Accounts an app's ``populate`` adds (the security and audit administrators): listed by
# ``fullrecord demo --accounts`` beside ``PEOPLE``.
MORE_ACCOUNTS: list[str] = []


def before_move(func: Callable[..., None]) -> Callable[..., None]:
    """``func(case, move_name, *, users, day, actor)`` runs before each move of the walk."""
    _BEFORE_MOVE.append(func)
    return func


def populate(
    func: Callable[[dict[str, User], list], None],
) -> Callable[[dict[str, User], list], None]:
    """``func(users, cases)`` runs once the cases and their footage exist."""
    _POPULATE.append(func)
    return func


@transaction.atomic
def build() -> dict[str, User]:
    city = OrgUnit.objects.create(name="清河市国土资源局", kind=OrgUnitKind.CITY_BUREAU, code="QHS")
    county = OrgUnit.objects.create(
        name="清河县国土资源局",
        kind=OrgUnitKind.COUNTY_BUREAU,
        code="QHX",
        parent=city,
        number_prefix="清",
    )
    detachment = OrgUnit.objects.create(
        name="执法监察大队", kind=OrgUnitKind.DETACHMENT, code="QHX-ZD", parent=county
    )
    units = {
        "city": city,
        "county": county,
        "detachment": detachment,
        "sec1": OrgUnit.objects.create(
            name="执法一中队", kind=OrgUnitKind.SECTION, code="QHX-1", parent=detachment
        ),
        "sec2": OrgUnit.objects.create(
            name="执法二中队", kind=OrgUnitKind.SECTION, code="QHX-2", parent=detachment
        ),
        "legal": OrgUnit.objects.create(
            name="政策法规股", kind=OrgUnitKind.SECTION, code="QHX-FG", parent=county
        ),
        "supervision": OrgUnit.objects.create(
            name="监察室", kind=OrgUnitKind.SECTION, code="QHX-JC", parent=county
        ),
        "archive": OrgUnit.objects.create(
            name="档案室", kind=OrgUnitKind.SECTION, code="QHX-DA", parent=county
        ),
    }
    users: dict[str, User] = {}
    for username, name, unit, roles, cert in PEOPLE:
        user = User.objects.create_user(
            username=username,
            password=DEMO_PASSWORD,
            full_name=name,
            org_unit=units[unit],
            certificate_number=cert,
            is_staff=Role.ADMIN in roles,
            is_superuser=Role.ADMIN in roles,
        )
        RoleGrant.objects.bulk_create([RoleGrant(user=user, role=r) for r in roles])
        users[username] = user

    autodiscover_modules("demo")
    causes = list(Cause.objects.filter(active=True))
    places = [
        "清河县城关镇东关村北侧",
        "清河县王官庄镇南李庄村",
        "清河县连庄镇西杨庄砂场",
        "清河县葛仙庄镇工业园区东",
        "清河县坝营镇大营村耕地",
        "清河县谢炉镇小屯村",
        "清河县油坊镇油坊村西",
    ]
    today = timezone.localdate()
    cases = []
    for index in range(len(PATH) + 4):
        team = (
            ("officer1", "officer2", "head1")
            if index % 2 == 0
            else ("officer3", "officer4", "head2")
        )
        section = units["sec1"] if index % 2 == 0 else units["sec2"]
        as_org = index % 3 == 0
        party = {
            "kind": "organisation" if as_org else "person",
            "name": f"清河县{['鑫源', '宏达', '恒通', '金石'][index % 4]}建材有限公司"
            if as_org
            else ["王某某", "李某某", "赵某某", "刘某某", "张某某"][index % 5],
            "id_type": "credit_code" if as_org else "resident_id",
            "id_number": credit_code(index) if as_org else person_id(index),
            "address": places[(index + 3) % len(places)],
            "contact": f"1380319{index:04d}",
        }
        start = today - timedelta(days=120 - index * 6)
        case = services.create_case(
            actor=users[team[2]],
            cause=causes[index % len(causes)],
            source=["patrol", "report", "satellite", "assigned"][index % 4],
            org_unit=section,
            address=places[index % len(places)],
            discovered_on=start,
            summary="巡查发现当事人未经批准擅自占用土地建设厂房，现场已开挖地基。",
            parties=[party],
            officers=[users[team[0]], users[team[1]]],
        )
        cases.append(case)
        steps = PATH[: index % (len(PATH) + 1)] if index < len(PATH) + 1 else ["stop"]
        day = start
        for name in steps:
            day = min(day + timedelta(days=16 if name == "decide" else 3), today)
            actor = _actor_for(name, users, team)
            for prepare in _BEFORE_MOVE:
                prepare(case, name, users=users, day=day, actor=actor)
            services.do_transition(
                case,
                name,
                actor=actor,
                today=day,
                reason="演示数据" if name != "stop" else "已责令停止违法行为",
            )
        if index == len(PATH) + 1:
            services.do_transition(
                case, "not_file", actor=users[team[2]], today=day, reason="经核实不构成违法"
            )
        if index == len(PATH) + 2:
            services.do_transition(
                case, "transfer", actor=users["leader"], today=day, reason="涉嫌犯罪，移送公安机关"
            )
    from fullrecord.core import demo_media

    demo_media.build(users, cases)
    for add in _POPULATE:
        add(users, cases)
    return users


def _actor_for(name: str, users: dict[str, User], team: tuple[str, str, str]) -> User:
    if name in ("stop", "investigate", "submit_review", "serve", "enforce"):
        return users[team[0]]
    if name in ("file", "close"):
        return users[team[2]]
    if name == "notify":
        return users["legal"]
    if name == "decide":
        return users["leader"]
    if name == "archive":
        return users["archivist"]
    return users[team[2]]
