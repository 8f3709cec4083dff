"""Target indicators of a roadmap entered in the browser, year by year of its period."""

from __future__ import annotations

import re
from decimal import Decimal

from django.test import Client
from django.urls import reverse

from roadmaps.models import TargetIndicator


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post_form(client: Client, url: str, data: dict):
    token = re.search(r'name="_submission" value="([^"]+)"', client.get(url).content.decode()).group(1)
    return client.post(url, {**data, "_submission": token})


def test_officer_sets_a_yearly_target_on_the_municipal_roadmap(world):
    roadmap = world.roadmap_a
    url = reverse("roadmaps:indicator_add", args=[roadmap.pk])
    years = range(roadmap.period_start.year, roadmap.period_end.year + 1)
    values = {f"year_{year}": str(25 + 10 * n) for n, year in enumerate(years)}
    response = post_form(
        signed_in(world.officer_a), url, {"code": "programmes", "name": "Число программ", "unit": "count", **values}
    )
    assert response.status_code == 302
    indicator = TargetIndicator.objects.get(roadmap=roadmap, code="programmes")
    assert {v.year: v.value for v in indicator.values.all()} == {
        year: Decimal(25 + 10 * n) for n, year in enumerate(years)
    }
    page = signed_in(world.officer_a).get(reverse("roadmaps:detail", args=[roadmap.pk])).content.decode()
    assert "Число программ" in page


def test_a_negative_target_is_a_russian_form_error_and_nothing_is_saved(world):
    roadmap = world.roadmap_a
    year = roadmap.period_start.year
    url = reverse("roadmaps:indicator_add", args=[roadmap.pk])
    response = post_form(
        signed_in(world.officer_a), url, {"code": "pairs", "name": "Пары", "unit": "count", f"year_{year}": "-5"}
    )
    assert response.status_code == 200
    assert f"year_{year}" in response.context["form"].errors
    assert not TargetIndicator.objects.filter(roadmap=roadmap, code="pairs").exists()


def test_an_approver_from_above_cannot_set_a_schools_targets(world):
    url = reverse("roadmaps:indicator_add", args=[world.roadmap_a1.pk])
    assert signed_in(world.officer_a).get(url).status_code == 403


def test_an_outsider_gets_404(world):
    url = reverse("roadmaps:indicator_add", args=[world.roadmap_a.pk])
    assert signed_in(world.officer_b).get(url).status_code == 404
