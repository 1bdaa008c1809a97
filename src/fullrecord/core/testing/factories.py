"""factory_boy factories shared by every app's tests."""

from __future__ import annotations

import factory
from django.utils import timezone

from fullrecord.accounts.choices import OrgUnitKind
from fullrecord.accounts.models import OrgUnit, RoleGrant, User
from fullrecord.cases.models import Case, CaseAssignment, Cause, Party
from fullrecord.cases.validators import compute_resident_id_check


class OrgUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnit

    name = factory.Sequence(lambda n: f"单位{n}")
    kind = OrgUnitKind.SECTION
    code = factory.Sequence(lambda n: f"U{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    org_unit = factory.SubFactory(OrgUnitFactory)
    password = factory.django.Password("pw")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or []:
            RoleGrant.objects.create(user=self, role=role)
        self.__dict__.pop("roles", None)


def resident_id(n: int) -> str:
    """A valid 居民身份证号: region 130524, born 1990-01-01, sequence ``n``."""
    first17 = f"13052419900101{n % 1000:03d}"
    return first17 + compute_resident_id_check(first17)


class CauseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cause
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"cause-{n}")
    name = factory.Sequence(lambda n: f"案由{n}")


class CaseFactory(factory.django.DjangoModelFactory):
    """A bare case row; use ``services.create_case`` when the test is about opening one."""

    class Meta:
        model = Case

    number = factory.Sequence(lambda n: f"T-2026-{n:05d}")
    cause = factory.SubFactory(CauseFactory)
    source = "patrol"
    org_unit = factory.SubFactory(OrgUnitFactory)
    address = "清河县城关镇"
    discovered_on = factory.LazyFunction(timezone.localdate)
    created_by = factory.SubFactory(UserFactory)


class PartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Party

    case = factory.SubFactory(CaseFactory)
    kind = "person"
    name = factory.Sequence(lambda n: f"当事人{n}")
    id_type = "resident_id"
    id_number = factory.Sequence(resident_id)


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseAssignment

    case = factory.SubFactory(CaseFactory)
    officer = factory.SubFactory(UserFactory)
