"""Monitoring's tests stand on the participants' world (schools A1, A2, B1 of region R; C1 of region R2).

Same pattern as ``participants/tests/conftest.py``: the world is built once per module inside a
transaction rolled back at the module's end, each test gets a deep copy, and the clock is pinned
to 23.11.2026 12:00 in Moscow (school year 2026/2027; the latest period begun is September's).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest

from mentorship.tests.clock import pinned_clock
from mentorship.tests.factories import World
from mentorship.tests.worlds import world_for_module
from participants.tests.factories import build_participants_world

from .worlds import build_monitoring_world


@pytest.fixture(scope="module", autouse=True)
def _pinned_clock() -> Iterator[None]:
    with pinned_clock():
        yield


@pytest.fixture(scope="module")
def _module_world(_pinned_clock: None, django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    yield from world_for_module(django_db_blocker, lambda: build_monitoring_world(build_participants_world()))


@pytest.fixture
def world(_module_world: World, db: None) -> World:
    return copy.deepcopy(_module_world)


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client_as(client: Any) -> Any:
    def sign_in(user: Any) -> Any:
        if user.is_authenticated:
            client.force_login(user)
        return client

    return sign_in
