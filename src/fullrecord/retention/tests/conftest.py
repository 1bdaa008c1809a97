import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    """Messages are matched in English; which language an earlier test left active on this
    worker must not matter."""
    with translation.override("en"):
        yield
