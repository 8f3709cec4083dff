"""The bank and the matching page cost the same queries for a few rows and for many (issue 18, point 16)."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from participants import matching
from participants.choices import BaseRole

from .factories import TODAY, ProgrammeFactory, enrolled


def count_queries(client: Any, address: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200
    return len(queries)


def publish(world: Any, n: int, start: int) -> None:
    for i in range(start, start + n):
        ProgrammeFactory(
            organisation=world.organisation_a1 if i % 2 else world.organisation_a2,
            title=f"Опубликованная программа {i}",
            is_published=True,
            is_good_practice=bool(i % 3),
        )


def test_the_bank_costs_the_same_queries_for_2_and_14_programmes(world, client_as, django_assert_num_queries):
    client = client_as(world.curator_a1)
    address = reverse("participants:bank")
    publish(world, 2, 0)
    client.get(address)  # warm up the session and the content types
    few = count_queries(client, address)
    publish(world, 12, 2)
    with django_assert_num_queries(few):
        response = client.get(address)
    assert response.content.decode().count("Опубликованная программа") >= 14


def test_the_matching_page_costs_the_same_queries_for_2_and_30_suggestions(world, client_as, django_assert_num_queries):
    curator = world.persona("curator_a1")
    client = client_as(curator)
    address = reverse("participants:matching", args=[world.programme_a1.pk])
    matching.match_run_create(actor=curator, programme=world.programme_a1, on=TODAY)
    client.get(address)
    few = count_queries(client, address)
    for n in range(28):
        enrolled(organisation=world.organisation_a1, surname=f"Наставляемый{n}")
    for n in range(14):
        enrolled(BaseRole.MENTOR, organisation=world.organisation_a1, surname=f"Наставник{n}")
    run = matching.match_run_create(actor=curator, programme=world.programme_a1, on=TODAY)
    assert run.suggestions.count() >= 28
    with django_assert_num_queries(few):
        response = client.get(address)
    assert "Наставляемый27" in response.content.decode()
