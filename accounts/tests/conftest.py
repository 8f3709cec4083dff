"""The accounts tests stand on the core's two-region world (``mentorship.tests.factories.build_world``).

Same pattern as ``mentorship/tests/conftest.py``: built once per module in a transaction rolled
back at the module's end; each test gets a deep copy and runs in a savepoint.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest

from mentorship.tests.factories import World, build_world
from mentorship.tests.worlds import world_for_module


@pytest.fixture(scope="module")
def _module_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    yield from world_for_module(django_db_blocker, build_world)


@pytest.fixture
def world(_module_world: World, db: None) -> World:
    return copy.deepcopy(_module_world)
