"""«На согласовании» and «Мои задачи» cost the same queries for a few rows and for many (issue 18, point 16)."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from roadmaps import services
from roadmaps.choices import RoadmapStatus

from .factories import RoadmapFactory


def count_queries(client: Any, address: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200
    return len(queries)


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


def test_awaiting_approval_costs_the_same_queries_for_2_and_14_roadmaps(world, client, django_assert_num_queries):
    client.force_login(world.officer_a)
    address = reverse("roadmaps:awaiting")
    submit(world, 2, 0)
    client.get(address)  # warm up the session and the content types
    few = count_queries(client, address)
    submit(world, 12, 2)
    with django_assert_num_queries(few):
        response = client.get(address)
    assert response.content.decode().count("Карта на согласовании") >= 14


def test_my_tasks_costs_the_same_queries_for_2_and_14_tasks(world, client, django_assert_num_queries):
    client.force_login(world.curator_a1)
    address = reverse("roadmaps:my_tasks")
    add_tasks(world, 2, 0)
    client.get(address)
    few = count_queries(client, address)
    add_tasks(world, 12, 2)
    with django_assert_num_queries(few):
        response = client.get(address)
    assert response.content.decode().count("Задача куратора") >= 14
