"""Personas and the small two-region world (``factories.build_world``) the mentorship tests stand on.

``world`` gives every test the places, directory records and one user per role
(``world.curator_a1``, ``world.organisation_b1`` …); the persona fixtures below
are shortcuts to the same users. ``client_as(user)`` signs the test client in.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from mentorship.models import User

from .factories import World, build_world
from .worlds import world_for_module


@pytest.fixture(scope="module")
def _module_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """The world is built once per test module, inside a transaction rolled back at the module's end.

    Each test runs in a savepoint nested in that transaction (the way Django's
    ``TestCase.setUpTestData`` works), so what one test writes is gone before
    the next one starts.
    """
    yield from world_for_module(django_db_blocker, build_world)


@pytest.fixture
def world(_module_world: World, db: None) -> World:
    """A fresh copy of the module's world: a test may change its objects in memory freely."""
    return copy.deepcopy(_module_world)


@pytest.fixture
def regional_coordinator(world: World) -> User:
    return world.regional_coordinator


@pytest.fixture
def regional_observer(world: World) -> User:
    return world.regional_observer


@pytest.fixture
def officer_a(world: World) -> User:
    return world.officer_a


@pytest.fixture
def officer_b(world: World) -> User:
    return world.officer_b


@pytest.fixture
def observer_a(world: World) -> User:
    return world.observer_a


@pytest.fixture
def director_a1(world: World) -> User:
    return world.director_a1


@pytest.fixture
def curator_a1(world: World) -> User:
    return world.curator_a1


@pytest.fixture
def curator_b1(world: World) -> User:
    return world.curator_b1


@pytest.fixture
def coordinator_a1(world: World) -> User:
    return world.coordinator_a1


@pytest.fixture
def mentor_a1(world: World) -> User:
    return world.mentor_a1


@pytest.fixture
def outsider(world: World) -> User:
    return world.outsider


@pytest.fixture
def superuser(world: World) -> User:
    return world.superuser


@pytest.fixture
def client_as(client: Any) -> Any:
    """``client_as(user)``: the test client signed in as ``user`` (left anonymous for an ``AnonymousUser``)."""

    def sign_in(user: User | AnonymousUser) -> Any:
        if user.is_authenticated:
            client.force_login(user)
        return client

    return sign_in
