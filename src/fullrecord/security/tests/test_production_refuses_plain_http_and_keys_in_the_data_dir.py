"""Production refuses to start over plain HTTP or without its 密评 keys in files outside
the data directory (``fullrecord check``, run before every server start)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from fullrecord.security import checks, keys, sm4


def ids(settings) -> set[str]:
    return {error.id for error in checks.production_transport_and_keys()}


@pytest.fixture
def production(settings, tmp_path):
    settings.FULLRECORD_PRODUCTION = True
    settings.SECURE_SSL_REDIRECT = settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_HSTS_SECONDS = 31536000
    for setting, name in (("FULLRECORD_DATA_KEY_FILE", "data"), ("FULLRECORD_SM2_KEY_FILE", "sm2")):
        path = tmp_path / name
        path.write_text("ef" * 32)
        setattr(settings, setting, str(path))
    keys.forget()
    yield settings
    keys.forget()


def test_a_production_configured_as_documented_passes(production):
    assert ids(production) == set()


def test_plain_http_in_production_is_an_error(production):
    production.SECURE_SSL_REDIRECT = False
    assert ids(production) == {"security.E001"}


def test_a_missing_key_setting_is_an_error_and_its_use_stops_the_process(production):
    production.FULLRECORD_DATA_KEY_FILE = None
    keys.forget()

    assert ids(production) == {"security.E002"}
    with pytest.raises(ImproperlyConfigured, match="FULLRECORD_DATA_KEY_FILE"):
        sm4.seal("110101199003074258")


def test_a_key_inside_the_data_dir_or_missing_is_an_error(production):
    production.FULLRECORD_SM2_KEY_FILE = str(production.DATA_DIR / "sm2-key")
    assert ids(production) == {"security.E003"}
    production.FULLRECORD_SM2_KEY_FILE = "/nonexistent/sm2-key"
    assert ids(production) == {"security.E004"}


def test_outside_production_nothing_is_required(settings):
    settings.FULLRECORD_PRODUCTION = False
    assert ids(settings) == set()
