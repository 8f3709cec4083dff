"""The roadmap world (schools A1, A2, B1, C1 with roadmaps for 2024–2025), built once per module."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest

from mentorship.tests.factories import World
from mentorship.tests.worlds import world_for_module
from roadmaps.tests.factories import build_roadmap_world


@pytest.fixture(scope="module")
def _module_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    yield from world_for_module(django_db_blocker, build_roadmap_world)


@pytest.fixture
def world(_module_world: World, db: None) -> World:
    return copy.deepcopy(_module_world)


@pytest.fixture(autouse=True)
def _site_url(settings: Any) -> None:
    settings.SITE_URL = "http://testserver.example"


@pytest.fixture
def client_as(client: Any) -> Any:
    def sign_in(user: Any) -> Any:
        client.force_login(user)
        return client

    return sign_in
