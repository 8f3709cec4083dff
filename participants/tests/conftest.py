"""The participants' world (``factories.build_participants_world``): built once per module, copied per test.

Same pattern as ``mentorship/tests/conftest.py``: the module's world lives in a transaction rolled
back at the module's end; each test runs in a savepoint inside it and gets a deep copy.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from mentorship.tests.factories import World
from mentorship.tests.worlds import world_for_module

from .factories import TODAY, build_participants_world


@pytest.fixture(scope="module", autouse=True)
def _pinned_clock() -> Iterator[None]:
    """Every test here runs on 23.11.2026 at noon in Moscow, whatever the machine's clock says.

    The rules compare dates with today (a consent signed tomorrow, a meeting held in the future,
    the current school year); without the pin these tests would start failing as the real date
    moves (or at midnight in Moscow while the machine's UTC day is still the 23rd). The clock
    ticks on from there, so timeouts still work.
    """
    with time_machine.travel(datetime(2026, 11, 23, 12, 0, tzinfo=ZoneInfo("Europe/Moscow")), tick=True):
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
