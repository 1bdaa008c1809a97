"""Passwords are stored as argon2 (the test suite's fast hasher is put aside here)."""

from __future__ import annotations

from django.contrib.auth.hashers import check_password, identify_hasher

from fullrecord.accounts.models import User


def test_the_configured_first_hasher_is_argon2():
    from fullrecord import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_a_new_password_is_stored_as_argon2(db, settings):
    from fullrecord import settings as project_settings

    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    user = User.objects.create_user("hashed", password="a long passphrase 2026")

    stored = User.objects.get(pk=user.pk).password
    assert stored.startswith("argon2$argon2id$")
    assert identify_hasher(stored).algorithm == "argon2"
    assert check_password("a long passphrase 2026", stored)
    assert "a long passphrase" not in stored
