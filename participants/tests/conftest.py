"""The participants' world (``factories.build_participants_world``): built once per module, copied per test.

Same pattern as ``mentorship/tests/conftest.py``: the module's world lives in a transaction rolled
back at the module's end; each test runs in a savepoint inside it and gets a deep copy.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from mentorship.tests.clock import pinned_clock
from mentorship.tests.factories import World
from mentorship.tests.worlds import world_for_module

from .factories import TODAY, build_participants_world


@pytest.fixture(scope="module", autouse=True)
def _pinned_clock() -> Iterator[None]:
    """Every test here runs on ``TEST_NOW`` (23.11.2026 at noon in Moscow; why: ``mentorship/tests/clock.py``)."""
    with pinned_clock():
        yield


@pytest.fixture(scope="module")
def _module_world(_pinned_clock: None, django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    yield from world_for_module(django_db_blocker, build_participants_world)


@pytest.fixture
def world(_module_world: World, db: None) -> World:
    return copy.deepcopy(_module_world)


@pytest.fixture
def today() -> date:
    """«Today» for every date rule in these tests: 23 November 2026, in the school year 2026/2027."""
    return TODAY


@pytest.fixture
def client_as(client: Any) -> Any:
    """``client_as(user)``: the test client signed in as ``user``."""

    def sign_in(user: Any) -> Any:
        client.force_login(user)
        return client

    return sign_in
