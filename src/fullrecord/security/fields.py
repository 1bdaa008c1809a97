"""A text field sealed with SM4 at rest (``sm4.py``): Python sees the plain value, the
database only ``sm4$…``. Lookups other than ``isnull`` cannot work on sealed text, so
search goes through a blind-index column beside it (``sm4.blind_index``)."""

from __future__ import annotations

import json

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


class SealedJSONField(models.JSONField):
    """A JSON value sealed whole with SM4: the column holds the JSON string ``"sm4$…"``.

    For documents whose parts quote a party's address or ID number (a draft's content, an
    issued document's frozen content): the parts are free text, so no one field can be
    picked out to seal. Key lookups (``content__party``) cannot work on it; nothing
    queries inside these values.
    """

    description = "JSON sealed with SM4-GCM"

    def from_db_value(self, value, expression, connection):
        value = super().from_db_value(value, expression, connection)
        if isinstance(value, str) and sm4.is_sealed(value):
            return json.loads(sm4.open_sealed(value), cls=self.decoder)
        # A row written before encryption reads as it was (the self-check counts these).
        return value

    def get_prep_value(self, value):
        if value is None or (isinstance(value, str) and sm4.is_sealed(value)):
            return super().get_prep_value(value)
        plain = json.dumps(value, cls=self.encoder, ensure_ascii=False)
        return super().get_prep_value(sm4.seal(plain))
