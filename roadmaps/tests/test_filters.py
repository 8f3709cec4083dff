"""The roadmap pages' filters: a roadmap's table, «На согласовании» and «Мои задачи».

Valid values narrow the list; a value that is no choice or no date is a Russian error beside its
field and filters nothing; neither is ever a 500.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from mentorship.tests.lists import exported_rows, filter_error, page_objects
from roadmaps.choices import ItemStatus, RoadmapStatus
from roadmaps.models import Roadmap, RoadmapItem

from .factories import add_item

pytestmark = pytest.mark.django_db

INVALID_CHOICE = "Выберите корректный вариант. Вашего варианта нет среди допустимых значений."
NOT_A_CHOICE = "Выберите корректный вариант. nonsense нет среди допустимых значений."


@pytest.fixture(autouse=True)
def _first_of_june_2024() -> Any:
    """«Today» is 1 June 2024, inside the roadmaps' 2024–2025 period: March is late, September is not."""
    with time_machine.travel(datetime(2024, 6, 1, 12, 0, tzinfo=ZoneInfo("Europe/Moscow")), tick=False):
        yield


def submitted(*roadmaps: Roadmap) -> None:
    Roadmap.objects.filter(pk__in=[r.pk for r in roadmaps]).update(status=RoadmapStatus.SUBMITTED)


# --- a roadmap's table ----------------------------------------------------------------------------


def test_the_table_keeps_its_addresses_and_an_invalid_status_leaves_the_other_filters_working(world, client):
    roadmap = world.roadmap_a1
    late = add_item(world.curator_a1, roadmap, "2.", "до 1 марта 2024 г.", "ГАУ ДПО ИРО РБ")
    add_item(world.curator_a1, roadmap, "3.", "до 1 сентября 2024 г.", "ГАУ ДПО ИРО РБ")
    client.force_login(world.curator_a1)
    url = reverse("roadmaps:detail", args=[roadmap.pk])
    response = client.get(url, {"status": "nonsense", "responsible": "иро", "overdue": "on"})
    assert response.status_code == 200
    assert response.context["filterset"].form.errors["status"] == [NOT_A_CHOICE]
    assert list(response.context["items"]) == [late]
    page = response.content.decode()
    assert NOT_A_CHOICE in page
    assert 'type="checkbox" name="overdue" class="form-check-input" id="id_overdue" checked' in page
    assert 'value="иро"' in page


def test_the_table_without_filters_lists_sections_and_with_one_activities_only(world, client):
    client.force_login(world.curator_a1)
    url = reverse("roadmaps:detail", args=[world.roadmap_a1.pk])
    assert [item.number for item in client.get(url).context["items"]] == ["1.", "1.1"]
    narrowed = client.get(url, {"status": ItemStatus.NOT_STARTED})
    assert [item.number for item in narrowed.context["items"]] == ["1.1"]
    assert narrowed.context["filtered"] is True


# --- «На согласовании» --------------------------------------------------------------------------------


def test_the_approval_queue_searches_titles_and_school_names(world, client):
    submitted(world.roadmap_a1, world.roadmap_a2)
    client.force_login(world.officer_a)
    url = reverse("roadmaps:awaiting")
    assert set(page_objects(client, url, {})) == {world.roadmap_a1, world.roadmap_a2}
    assert page_objects(client, url, {"q": "дмитриевка"}) == [world.roadmap_a2]
    assert page_objects(client, url, {"q": "roadmap_a1"}) == [world.roadmap_a1]
    assert "Под отбор не подошла ни одна дорожная карта" in client.get(url, {"q": "Москва"}).content.decode()


def test_the_approval_queue_filters_by_municipality_and_whose(world, client):
    submitted(world.roadmap_a, world.roadmap_b)
    client.force_login(world.regional_coordinator)
    url = reverse("roadmaps:awaiting")
    assert page_objects(client, url, {"municipality": world.municipality_b.pk}) == [world.roadmap_b]
    assert set(page_objects(client, url, {"level": "municipality"})) == {world.roadmap_a, world.roadmap_b}
    assert page_objects(client, url, {"level": "organisation"}) == []


def test_the_approval_queue_ignores_a_municipality_outside_the_scope_with_a_russian_error(world, client):
    submitted(world.roadmap_a1, world.roadmap_a2)
    client.force_login(world.officer_a)
    url = reverse("roadmaps:awaiting")
    foreign = {"municipality": world.municipality_c.pk}
    assert filter_error(client, url, foreign, "municipality") == INVALID_CHOICE
    assert set(page_objects(client, url, foreign)) == {world.roadmap_a1, world.roadmap_a2}
    markup = client.get(url, {"level": "region<script>"})
    assert markup.context["filterset"].form.errors["level"][0].startswith("Выберите корректный вариант")
    assert "region&lt;script&gt;" in markup.content.decode()
    assert "region<script>" not in markup.content.decode()


# --- «Мои задачи» ---------------------------------------------------------------------------------------


def test_my_tasks_filter_by_status_overdue_and_the_due_dates(world, client):
    roadmap = world.roadmap_a1
    march = add_item(world.curator_a1, roadmap, "2.", "до 1 марта 2024 г.", "Кураторы внедрения ЦМН в ОО")
    september = add_item(world.curator_a1, roadmap, "3.", "до 1 сентября 2024 г.", "Кураторы внедрения ЦМН в ОО")
    on_request = add_item(world.curator_a1, roadmap, "4.", "по запросу", "Кураторы внедрения ЦМН в ОО")
    RoadmapItem.objects.filter(pk=september.pk).update(status=ItemStatus.IN_PROGRESS)
    client.force_login(world.curator_a1)
    url = reverse("roadmaps:my_tasks")
    assert page_objects(client, url, {}) == [march, september, on_request]
    assert page_objects(client, url, {"status": ItemStatus.IN_PROGRESS}) == [september]
    assert page_objects(client, url, {"overdue": "on"}) == [march]
    assert page_objects(client, url, {"due_from": "2024-04-01"}) == [september]
    assert page_objects(client, url, {"due_to": "2024-04-01"}) == [march]
    assert page_objects(client, url, {"due_from": "01.02.2024", "due_to": "01.10.2024"}) == [march, september]
    assert "Под отбор не подошла ни одна задача" in client.get(url, {"due_from": "2025-01-01"}).content.decode()


def test_my_tasks_filter_by_roadmap_offering_only_the_roadmaps_of_the_users_tasks(world, client):
    school = add_item(world.curator_a1, world.roadmap_a1, "2.", "до 1 сентября 2024 г.", "Руководители ОО")
    municipal = add_item(world.officer_a, world.roadmap_a, "1.5", "до 1 сентября 2024 г.", "Руководители ОО")
    client.force_login(world.director_a1)
    url = reverse("roadmaps:my_tasks")
    response = client.get(url)
    offered = list(response.context["filterset"].form.fields["roadmap"].queryset)
    assert set(offered) == {world.roadmap_a1, world.roadmap_a}
    assert "Уфимский район" in response.content.decode()  # whose roadmap, beside its title
    assert page_objects(client, url, {"roadmap": world.roadmap_a.pk}) == [municipal]
    assert page_objects(client, url, {"roadmap": world.roadmap_a1.pk}) == [school]


def test_my_tasks_ignore_a_foreign_roadmap_and_a_date_that_is_no_date_with_russian_errors(world, client):
    task = add_item(world.curator_a1, world.roadmap_a1, "2.", "до 1 сентября 2024 г.", "Кураторы внедрения ЦМН в ОО")
    client.force_login(world.curator_a1)
    url = reverse("roadmaps:my_tasks")
    foreign = {"roadmap": world.roadmap_b1.pk}
    assert filter_error(client, url, foreign, "roadmap") == INVALID_CHOICE
    assert page_objects(client, url, foreign) == [task]
    assert filter_error(client, url, {"due_from": "31.02.2024"}, "due_from") == "Введите правильную дату."
    assert page_objects(client, url, {"due_from": "31.02.2024", "status": ItemStatus.NOT_STARTED}) == [task]
    assert filter_error(client, url, {"roadmap": "первая"}, "roadmap") == INVALID_CHOICE
    assert filter_error(client, url, {"status": ItemStatus.DONE}, "status").startswith("Выберите корректный вариант")


# --- the list and its export --------------------------------------------------------------------------


@pytest.mark.parametrize("query", [{"status": RoadmapStatus.APPROVED}, {"q": "roadmap_a"}])
def test_the_export_of_the_filtered_roadmap_list_holds_exactly_the_pages_rows(world, client, query):
    Roadmap.objects.filter(pk__in=[world.roadmap_a2.pk, world.roadmap_a.pk]).update(status=RoadmapStatus.APPROVED)
    client.force_login(world.officer_a)
    url = reverse("roadmaps:list")
    listed = [roadmap.title for roadmap in page_objects(client, url, query)]
    assert 0 < len(listed) < len(page_objects(client, url, {}))
    assert [row[2] for row in exported_rows(client, "roadmaps", query)] == listed
