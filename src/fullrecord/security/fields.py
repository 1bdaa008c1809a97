"""A text field sealed with SM4 at rest (``sm4.py``): Python sees the plain value, the
database only ``sm4$…``. Lookups other than ``isnull`` cannot work on sealed text, so
search goes through a blind-index column beside it (``sm4.blind_index``)."""

from __future__ import annotations

from django.db import models

from . import sm4


class SealedTextField(models.TextField):
    description = "Text sealed with SM4-GCM"

    def from_db_value(self, value, expression, connection):
        if value is None or not sm4.is_sealed(value):
            # A row written before encryption: the compliance self-check counts these
            # (``fullrecord compliance``), the upgrade migration leaves none.
            return value
        return sm4.open_sealed(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "" or sm4.is_sealed(value):
            return value
        return sm4.seal(value)

    def formfield(self, **kwargs):
        # One line in forms, as the CharField it replaced (TextField would give a textarea).
        from django import forms

        return super().formfield(**{"widget": forms.TextInput, **kwargs})
