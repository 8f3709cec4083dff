"""The roadmap world (``factories.build_roadmap_world``): built once per module, copied per test.

Same pattern as ``mentorship/tests/conftest.py``: the module's world lives in a transaction rolled
back at the module's end; each test runs in a savepoint inside it and gets a deep copy, so it may
change objects in memory freely.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from mentorship.tests.factories import World
from mentorship.tests.worlds import world_for_module

from .factories import build_roadmap_world

TODAY = date(2024, 6, 1)


@pytest.fixture(scope="module")
def _module_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    yield from world_for_module(django_db_blocker, build_roadmap_world)


@pytest.fixture
def world(_module_world: World, db: None) -> World:
    return copy.deepcopy(_module_world)


@pytest.fixture
def today() -> date:
    """«Today» for every date rule in these tests: 1 June 2024, inside the roadmaps' 2024–2025 period."""
    return TODAY
