"""Checks for Chinese identity numbers, so a typo is caught at the desk, not in court."""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_ID_CHECK = "10X98765432"
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def validate_resident_id(value: str) -> None:
    """GB 11643-1999: 17 digits and a check character."""
    value = value.upper()
    if not re.fullmatch(r"\d{17}[\dX]", value):
        raise ValidationError(
            _("A resident ID number has 18 characters: 17 digits and a digit or X.")
        )
    try:
        date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise ValidationError(
            _("The birth date inside this ID number is not a real date.")
        ) from None
    total = sum(int(d) * w for d, w in zip(value[:17], _ID_WEIGHTS, strict=True))
    if _ID_CHECK[total % 11] != value[17]:
        raise ValidationError(
            _("The check digit of this ID number is wrong; please re-read the card.")
        )


def validate_credit_code(value: str) -> None:
    """GB 32100-2015: 18 characters from a 31-letter alphabet, the last a check character."""
    value = value.upper()
    if len(value) != 18 or any(ch not in _USCC_CHARS for ch in value):
        raise ValidationError(
            _(
                "A unified social credit code has 18 characters (digits and capitals, no I, O, S, V, Z)."
            )
        )
    total = sum(_USCC_CHARS.index(ch) * w for ch, w in zip(value[:17], _USCC_WEIGHTS, strict=True))
    if _USCC_CHARS[(31 - total % 31) % 31] != value[17]:
        raise ValidationError(
            _("The check character of this credit code is wrong; please re-check it.")
        )


def compute_resident_id_check(first17: str) -> str:
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def compute_credit_code_check(first17: str) -> str:
    total = sum(_USCC_CHARS.index(ch) * w for ch, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_CHARS[(31 - total % 31) % 31]
