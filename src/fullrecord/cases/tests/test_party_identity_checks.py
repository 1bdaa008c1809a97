"""Party identity numbers are checked at the desk, so a typo does not reach a decision."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from fullrecord.cases.models import Party
from fullrecord.cases.validators import validate_credit_code, validate_resident_id
from fullrecord.core.testing.factories import CaseFactory

VALID_ID = "11010519491231002X"
VALID_CODE = "91350100M000100Y43"


def message_of(validator, value) -> str:
    with pytest.raises(ValidationError) as caught:
        validator(value)
    (message,) = caught.value.messages
    return message


@pytest.mark.parametrize("value", [VALID_ID, VALID_ID.lower(), "130524199001010015"])
def test_it_accepts_a_resident_id_with_the_right_check_digit(value):
    validate_resident_id(value)


@pytest.mark.parametrize(
    ("value", "says"),
    [
        (
            "110105194912310021",
            "The check digit of this ID number is wrong; please re-read the card.",
        ),
        (
            "11010519491231002",
            "A resident ID number has 18 characters: 17 digits and a digit or X.",
        ),
        (
            "1101051949123100X2",
            "A resident ID number has 18 characters: 17 digits and a digit or X.",
        ),
        ("110105194913310029", "The birth date inside this ID number is not a real date."),
        ("110105190002290023", "The birth date inside this ID number is not a real date."),
    ],
)
def test_it_refuses_a_resident_id_and_says_what_is_wrong(value, says):
    assert message_of(validate_resident_id, value) == _(says)


@pytest.mark.parametrize("value", [VALID_CODE, "91110000600037341L", VALID_CODE.lower()])
def test_it_accepts_a_credit_code_with_the_right_check_character(value):
    validate_credit_code(value)


@pytest.mark.parametrize(
    ("value", "says"),
    [
        (
            "91350100M000100Y44",
            "The check character of this credit code is wrong; please re-check it.",
        ),
        (
            "91350100M000100Y4",
            "A unified social credit code has 18 characters (digits and capitals, no I, O, S, V, Z).",
        ),
        (
            "91350100M000I00Y43",
            "A unified social credit code has 18 characters (digits and capitals, no I, O, S, V, Z).",
        ),
    ],
)
def test_it_refuses_a_credit_code_and_says_what_is_wrong(value, says):
    assert message_of(validate_credit_code, value) == _(says)


def party(**fields) -> Party:
    defaults = {"kind": "person", "name": "王某", "id_type": "resident_id", "id_number": VALID_ID}
    return Party(case=CaseFactory(), **{**defaults, **fields})


@pytest.mark.django_db
def test_a_person_with_a_credit_code_is_refused_on_the_document_type():
    with pytest.raises(ValidationError) as caught:
        party(id_type="credit_code", id_number=VALID_CODE).full_clean()

    assert caught.value.message_dict["id_type"] == [
        _("A person is identified by an ID card or passport, not a credit code.")
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("id_type", ["resident_id", "passport"])
def test_an_organisation_with_a_personal_document_is_refused(id_type):
    with pytest.raises(ValidationError) as caught:
        party(kind="organisation", id_type=id_type).full_clean()

    assert "id_type" in caught.value.message_dict


@pytest.mark.django_db
def test_an_organisation_with_a_valid_credit_code_is_accepted():
    party(kind="organisation", id_type="credit_code", id_number=VALID_CODE).full_clean()


@pytest.mark.django_db
def test_a_passport_number_is_not_held_to_the_id_card_checksum():
    party(id_type="passport", id_number="E12345678").full_clean()


@pytest.mark.django_db
def test_the_number_is_stored_trimmed_and_in_capitals():
    p = party(id_number=f"  {VALID_ID.lower()} ")

    p.full_clean()

    assert p.id_number == VALID_ID
