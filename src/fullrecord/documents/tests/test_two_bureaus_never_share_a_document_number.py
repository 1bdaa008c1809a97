"""Two bureaus whose names begin alike (清河市局, 清河县局) issue numbers of their own: the
文号 opens with each bureau's 机关代字, which no two bureaus share."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import override

from fullrecord.cases.choices import CaseState

from .helpers import issued, ready_case

pytestmark = pytest.mark.django_db


def test_a_bureau_without_an_abbreviation_numbers_with_its_name(bureau):
    bureau.county.number_prefix = ""
    bureau.county.save()
    here = ready_case(bureau, CaseState.INVESTIGATING)
    year = timezone.localdate().year

    document = issued(here, "interview_record", bureau)

    assert document.number == f"清河县国土资询〔{year}〕1号"


def test_two_bureaus_may_not_take_one_abbreviation(bureau):
    bureau.other_county.number_prefix = "清"

    with override("zh-hans"), pytest.raises(ValidationError) as refused:
        bureau.other_county.full_clean()

    assert refused.value.messages == ["该机关代字已被其他机关使用：两局的文号会重复。"]
