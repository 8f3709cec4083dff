"""«На согласовании» and «Мои задачи» cost the same queries for a few rows and for many (issue 18, point 16)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from mentorship.tests.pins import assert_queries_do_not_grow
from roadmaps import services
from roadmaps.choices import RoadmapStatus

from .factories import RoadmapFactory


def submit(world: Any, n: int, start: int) -> None:
    for i in range(start, start + n):
        RoadmapFactory(
            organisation=world.organisation_a1 if i % 2 else world.organisation_a2,
            title=f"Карта на согласовании {i}",
            status=RoadmapStatus.SUBMITTED,
        )


def add_tasks(world: Any, n: int, start: int) -> None:
    for i in range(start, start + n):
        services.roadmap_item_create(
            actor=world.curator_a1,
            roadmap=world.roadmap_a1,
            data={
                "number": f"{i + 90}.",
                "title": f"Задача куратора {i}",
                "deadline_text": f"до {i % 27 + 1} мая 2024 г.",
                "responsible_text": "Кураторы внедрения ЦМН в ОО",
            },
        )


def unfiltered(world: Any) -> dict[str, Any]:
    return {}


def approval_filters(world: Any) -> dict[str, Any]:
    return {"q": "карта", "municipality": world.municipality_a.pk, "level": "organisation"}


def task_filters(world: Any) -> dict[str, Any]:
    return {
        "status": "not_started",
        "due_from": "2024-01-01",
        "due_to": "2025-12-31",
        "roadmap": world.roadmap_a1.pk,
        "overdue": "on",
    }


@pytest.mark.parametrize("query", [unfiltered, approval_filters])
def test_awaiting_approval_costs_the_same_queries_for_2_and_14_roadmaps(
    world, client, django_assert_num_queries, query
):
    """Filtered or not: a filter applied adds no query per row."""
    client.force_login(world.officer_a)
    address = f"{reverse('roadmaps:awaiting')}?{urlencode(query(world))}"
    submit(world, 2, 0)

    def more() -> None:
        submit(world, 12, 2)

    response = assert_queries_do_not_grow(client, address, more, django_assert_num_queries)
    assert response.content.decode().count("Карта на согласовании") >= 14


@pytest.mark.parametrize("query", [unfiltered, task_filters])
def test_my_tasks_costs_the_same_queries_for_2_and_14_tasks(world, client, django_assert_num_queries, query):
    client.force_login(world.curator_a1)
    address = f"{reverse('roadmaps:my_tasks')}?{urlencode(query(world))}"
    add_tasks(world, 2, 0)

    def more() -> None:
        add_tasks(world, 12, 2)

    response = assert_queries_do_not_grow(client, address, more, django_assert_num_queries)
    assert response.content.decode().count("Задача куратора") >= 14
