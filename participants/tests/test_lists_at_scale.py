"""What keeps the participants' lists fast at a region's scale, and still right.

The trigram search on PostgreSQL, the pair filter's programmes by organisation, the select
written without a template per option, and the web process's frozen start-up objects.
"""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from django.db import connection
from django.urls import reverse

from mentorship.search import search, search_q
from participants.models import Person

from .factories import enrolled

pytestmark = pytest.mark.django_db

PERSON_SEARCH = ("surname", "name", "patronymic", "external_id", "email")


@pytest.fixture
def client_as(client: Any) -> Any:
    def sign_in(user: Any) -> Any:
        client.force_login(user)
        return client

    return sign_in


# --- search ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("needle", ["Ива", "иванова", "  ИВАНОВА ", "ов", "nobody"])
def test_search_finds_what_the_plain_condition_finds(world, needle: str) -> None:
    for surname in ("Иванова", "Петрова", "Сидоров"):
        enrolled(organisation=world.organisation_a1, surname=surname)
    enrolled(organisation=world.organisation_b1, surname="Иванова")
    scoped = Person.objects.restrict(world.curator_a1, "view")
    expected = set(scoped.filter(search_q(PERSON_SEARCH, needle)))
    assert set(search(scoped, PERSON_SEARCH, needle)) == expected
    assert all(p.organisation_id == world.organisation_a1.pk for p in expected)


def test_on_postgresql_a_search_of_three_letters_goes_through_the_trigram_index(world) -> None:
    scoped = Person.objects.restrict(world.curator_a1, "view")
    long_sql = str(search(scoped, PERSON_SEARCH, "Ива").query)
    short_sql = str(search(scoped, PERSON_SEARCH, "Ив").query)
    if connection.vendor == "postgresql":
        assert '"participants_person"."id" IN (SELECT' in long_sql
    else:
        assert '"participants_person"."id" IN (SELECT' not in long_sql
    # Two letters make no trigram: the condition stays inline, as it does for fields without the index.
    assert '"participants_person"."id" IN (SELECT' not in short_sql
    other_fields = str(search(scoped, ("surname", "competences"), "Ива").query)
    assert '"participants_person"."id" IN (SELECT' not in other_fields


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the trigram index exists on PostgreSQL only")
def test_the_trigram_index_covers_the_searched_fields() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'person_search_trgm'")
        [(definition,)] = cursor.fetchall()
    for field in Person.trigram_search_fields:
        assert f"lower(({field})::text) gin_trgm_ops" in definition


def test_the_people_list_and_its_export_search_alike(world, client_as) -> None:
    enrolled(organisation=world.organisation_a1, surname="Иванова")
    enrolled(organisation=world.organisation_a1, surname="Петрова")
    enrolled(organisation=world.organisation_b1, surname="Иванова")
    client = client_as(world.officer_a)
    page = client.get(reverse("participants:people"), {"q": "иванов"}).content.decode()
    assert page.count("Иванова") == 1
    assert "Петрова" not in page
    export = client.get(reverse("imports:export", args=["people"]), {"q": "иванов"})
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    surnames = [cell.value for row in sheet.iter_rows(min_row=2) for cell in row if cell.value == "Иванова"]
    assert surnames == ["Иванова"]
