import pytest

from fullrecord.core.testing.personas import build_bureau


@pytest.fixture
def bureau(db):
    return build_bureau()
