"""The bank and the matching page cost the same queries for a few rows and for many (issue 18, point 16)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from mentorship.tests.pins import assert_queries_do_not_grow
from participants import matching
from participants.choices import BaseRole

from .factories import TODAY, ProgrammeFactory, enrolled


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

    def more() -> None:
        publish(world, 12, 2)

    response = assert_queries_do_not_grow(client, address, more, django_assert_num_queries)
    assert response.content.decode().count("Опубликованная программа") >= 14


def test_the_matching_page_costs_the_same_queries_for_2_and_30_suggestions(world, client_as, django_assert_num_queries):
    curator = world.persona("curator_a1")
    client = client_as(curator)
    address = reverse("participants:matching", args=[world.programme_a1.pk])
    matching.match_run_create(actor=curator, programme=world.programme_a1, on=TODAY)

    def more() -> None:
        for n in range(28):
            enrolled(organisation=world.organisation_a1, surname=f"Наставляемый{n}")
        for n in range(14):
            enrolled(BaseRole.MENTOR, organisation=world.organisation_a1, surname=f"Наставник{n}")
        run = matching.match_run_create(actor=curator, programme=world.programme_a1, on=TODAY)
        assert run.suggestions.count() >= 28

    response = assert_queries_do_not_grow(client, address, more, django_assert_num_queries)
    assert "Наставляемый27" in response.content.decode()
