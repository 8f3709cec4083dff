"""What keeps the participants' lists fast at a region's scale, and still right.

The trigram search on PostgreSQL, the pair filter's programmes by organisation, the select
written without a template per option, and the web process's frozen start-up objects.
"""

from __future__ import annotations

import gc
import io
from typing import Any

import openpyxl
import pytest
from django import forms
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse

from mentorship.filters import PlainSelect
from mentorship.search import search, search_q
from mentorship.serving import ready_for_requests
from participants.filters import PairFilter
from participants.models import Person, Programme

from .factories import ProgrammeFactory, enrolled

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


# --- the pair filter's programmes ------------------------------------------------------------------


def programme_choices(user: Any, **query: str) -> list[str]:
    request = RequestFactory().get("/participants/pairs/", query)
    request.user = user
    field = PairFilter(request.GET or None, queryset=None, request=request).form.fields["programme"]
    return [str(label) for _, label in field.choices]


def test_a_curator_chooses_among_the_schools_programmes_at_once(world) -> None:
    own = ProgrammeFactory(organisation=world.organisation_a1, title="Своя программа")
    ProgrammeFactory(organisation=world.organisation_b1, title="Чужая программа", is_published=True)
    choices = programme_choices(world.curator_a1)
    assert choices[0] == "Все программы"
    assert str(own) in choices
    assert "Чужая программа" not in " ".join(choices)


def test_an_officer_chooses_the_organisation_first(world) -> None:
    a1 = ProgrammeFactory(organisation=world.organisation_a1, title="Программа А1")
    ProgrammeFactory(organisation=world.organisation_a2, title="Программа А2")
    assert programme_choices(world.officer_a) == ["Сначала выберите организацию"]
    chosen = programme_choices(world.officer_a, organisation=str(world.organisation_a1.pk))
    assert str(a1) in chosen
    assert "Программа А2" not in " ".join(chosen)


@pytest.mark.parametrize("organisation", ["abc", "-1", "99999999999999999999", "٣"])
def test_a_bad_organisation_offers_no_programmes_and_the_page_still_answers(world, client_as, organisation) -> None:
    assert programme_choices(world.officer_a, organisation=organisation) == ["Сначала выберите организацию"]
    response = client_as(world.officer_a).get(reverse("participants:pairs"), {"organisation": organisation})
    assert response.status_code == 200


def test_a_foreign_organisation_offers_none_of_its_programmes(world) -> None:
    ProgrammeFactory(organisation=world.organisation_b1, title="Программа Б1")
    choices = programme_choices(world.officer_a, organisation=str(world.organisation_b1.pk))
    assert choices == ["Все программы"]


# --- the select ------------------------------------------------------------------------------------


def test_the_plain_select_of_model_choices_renders_as_djangos(world) -> None:
    ProgrammeFactory(organisation=world.organisation_a1, title="Программа «А» & <b>Б</b>")
    field = forms.ModelChoiceField(queryset=Programme.objects.order_by("pk"), empty_label="Все")
    chosen = str(Programme.objects.order_by("pk").last().pk)
    plain = PlainSelect(choices=field.choices).render("programme", chosen, attrs={"id": "id_programme"})
    django = forms.Select(choices=field.choices).render("programme", chosen, attrs={"id": "id_programme"})
    assert " ".join(plain.split()) == " ".join(django.replace("\n", " ").split()).replace("> <", "><")


def test_the_plain_select_marks_only_the_first_option_of_a_repeated_value() -> None:
    html = PlainSelect(choices=[("1", "Первый"), ("1", "Повтор")]).render("kind", "1")
    assert html.count(" selected") == 1
    assert '<option value="1" selected>Первый</option>' in html


def test_grouped_choices_are_left_to_django() -> None:
    choices = [("Группа", [("1", "Один"), ("2", "Два")])]
    html = PlainSelect(choices=choices).render("kind", "2")
    assert '<optgroup label="Группа">' in html


# --- the web process ---------------------------------------------------------------------------------


def test_a_web_process_freezes_its_start_up_objects() -> None:
    try:
        ready_for_requests()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
