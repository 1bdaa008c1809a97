import pytest

from . import world as world_module


@pytest.fixture
def world(bureau):
    return world_module.build(bureau)
