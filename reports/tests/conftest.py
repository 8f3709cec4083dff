"""The documents' world (``factories.build_documents_world``): built once per module, copied per test.

Same pattern as ``participants/tests/conftest.py``: the clock is pinned to 23.11.2026 noon in
Moscow, the module's world lives in a transaction rolled back at the module's end.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest

from mentorship.tests.clock import pinned_clock
from mentorship.tests.factories import World
from mentorship.tests.worlds import world_for_module

from .factories import build_documents_world


@pytest.fixture(scope="module", autouse=True)
def _pinned_clock() -> Iterator[None]:
    """Every test here runs on 23.11.2026 at noon in Moscow, whatever the machine's clock says."""
    with pinned_clock():
        yield


@pytest.fixture(scope="module")
def _module_world(_pinned_clock: None, django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    yield from world_for_module(django_db_blocker, build_documents_world)


@pytest.fixture
def world(_module_world: World, db: None) -> World:
    return copy.deepcopy(_module_world)
