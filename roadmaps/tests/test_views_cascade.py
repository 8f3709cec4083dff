"""Passing a municipal activity down to schools in the browser, and following it there."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from roadmaps import services
from roadmaps.models import RoadmapItem


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def municipal_item(world) -> RoadmapItem:
    data = {
        "number": "1.9",
        "title": "Разработка распорядительных актов ОО о внедрении ЦМН",
        "deadline_text": "до 12.04.2025",
    }
    return services.roadmap_item_create(actor=world.officer_a, roadmap=world.roadmap_a, data=data)


def cascade_url(item: RoadmapItem) -> str:
    return reverse("roadmaps:item_cascade", args=[item.pk])


def post_form(client: Client, url: str, data: dict) -> object:
    page = client.get(url)
    token = re.search(r'name="_submission" value="([^"]+)"', page.content.decode()).group(1)
    return client.post(url, {**data, "_submission": token}), token


def test_officer_passes_an_activity_to_every_school_of_the_municipality(world, municipal_item):
    client = signed_in(world.officer_a)
    response, _ = post_form(client, cascade_url(municipal_item), {"everyone": "on"})
    assert response.status_code == 302
    schools = set(
        RoadmapItem.objects.filter(cascaded_from=municipal_item).values_list("roadmap__organisation", flat=True)
    )
    assert schools == {world.organisation_a1.pk, world.organisation_a2.pk}
    page = client.get(cascade_url(municipal_item)).content.decode()
    assert "Выполнено: <strong>0 из 2</strong>" in page
    assert world.organisation_a1.short_name in page


def test_officer_may_pass_an_activity_to_chosen_schools_only(world, municipal_item):
    client = signed_in(world.officer_a)
    post_form(client, cascade_url(municipal_item), {"organisations": [world.organisation_a2.pk]})
    roadmaps = RoadmapItem.objects.filter(cascaded_from=municipal_item).values_list("roadmap__organisation", flat=True)
    assert list(roadmaps) == [world.organisation_a2.pk]


def test_a_school_of_another_municipality_is_not_offered(world, municipal_item):
    client = signed_in(world.officer_a)
    response, _ = post_form(client, cascade_url(municipal_item), {"organisations": [world.organisation_b1.pk]})
    assert response.status_code == 200
    assert "organisations" in response.context["form"].errors
    assert not RoadmapItem.objects.filter(cascaded_from=municipal_item).exists()


def test_posting_the_cascade_twice_passes_it_once(world, municipal_item):
    client = signed_in(world.officer_a)
    url = cascade_url(municipal_item)
    _, token = post_form(client, url, {"everyone": "on"})
    client.post(url, {"everyone": "on", "_submission": token})
    assert RoadmapItem.objects.filter(cascaded_from=municipal_item).count() == 2


def test_choosing_nobody_is_a_russian_form_error(world, municipal_item):
    response, _ = post_form(signed_in(world.officer_a), cascade_url(municipal_item), {})
    assert "Отметьте «Всем организациям»" in response.content.decode()


def test_the_table_links_a_municipal_activity_to_its_cascade_page(world, municipal_item):
    page = signed_in(world.officer_a).get(reverse("roadmaps:detail", args=[world.roadmap_a.pk])).content.decode()
    assert cascade_url(municipal_item) in page


def test_a_curator_who_sees_the_municipal_roadmap_cannot_pass_its_items(world, municipal_item):
    assert signed_in(world.curator_a1).get(cascade_url(municipal_item)).status_code == 403


def test_an_officer_of_another_municipality_gets_404(world, municipal_item):
    assert signed_in(world.officer_b).get(cascade_url(municipal_item)).status_code == 404


def test_a_school_item_has_nobody_to_pass_to(world):
    assert signed_in(world.curator_a1).get(cascade_url(world.roadmap_a1_item)).status_code == 403
