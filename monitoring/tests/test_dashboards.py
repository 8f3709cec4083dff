"""The three dashboards: figures, targets, scope, click-through and query counts that do not grow."""

from __future__ import annotations

import itertools

import pytest
from django.core.cache import cache
from django.urls import reverse

from monitoring.dashboards import region_dashboard
from monitoring.services import figures_refresh
from participants.choices import PairStatus
from participants.tests.factories import PairFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _line(content: str, marker: str) -> str:
    start = content.index(marker)
    return content[start : content.index("</tr>", start)]


def test_region_dashboard_shows_each_municipality_against_the_target(world, client_as) -> None:
    response = client_as(world.regional_coordinator).get(reverse("monitoring:region", args=[world.region_r.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    a = _line(content, f'data-municipality="{world.municipality_a.pk}"')
    b = _line(content, f'data-municipality="{world.municipality_b.pk}"')
    assert 'data-status="below"' in a
    assert "2,0" in a
    assert "ниже цели" in a
    assert 'data-status="met"' in b
    assert "20,0" in b
    assert "цель достигнута" in b
    # Highest coverage first.
    assert content.index(f'data-municipality="{world.municipality_b.pk}"') < content.index(
        f'data-municipality="{world.municipality_a.pk}"'
    )
    assert "Данные на" in content
    assert world.municipality_c.name not in content


def test_region_total_is_the_sum_of_its_municipalities(world) -> None:
    data = region_dashboard(
        user=world.regional_coordinator, region=world.region_r, school_year=2026, year=2026, period="q3"
    )
    total, lines = data["total"], data["lines"]
    for name in ("students_count", "students_involved", "teachers_count", "pairs", "programmes"):
        assert total[name] == sum(line.figures[name] for line in lines)
    assert total["students_involved"] == 11
    share = next(row for row in data["indicators"] if row.code == "students_share")
    assert str(share.value) == "5.8"  # 11 / 190, not the mean of 2 % and 20 %


def test_municipality_sees_only_its_schools_and_foreign_places_answer_404(world, client_as) -> None:
    client = client_as(world.officer_a)
    response = client.get(reverse("monitoring:municipality", args=[world.municipality_a.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert world.organisation_a1.short_name in content
    assert world.organisation_a2.short_name in content
    assert world.organisation_b1.short_name not in content
    assert client.get(reverse("monitoring:municipality", args=[world.municipality_b.pk])).status_code == 404
    assert client.get(reverse("monitoring:region", args=[world.region_r.pk])).status_code == 404
    assert client.get(reverse("monitoring:organisation", args=[world.organisation_b1.pk])).status_code == 404
    assert (
        client.get(reverse("monitoring:chart", args=["municipality", world.municipality_b.pk, "coverage"])).status_code
        == 404
    )


def test_school_sees_its_own_dashboard_only(world, client_as) -> None:
    client = client_as(world.curator_a1)
    response = client.get(reverse("monitoring:organisation", args=[world.organisation_a1.pk]))
    assert response.status_code == 200
    assert '5. Формирование пар и групп</th><td class="text-number" data-stage-count>1<' in response.content.decode()
    assert client.get(reverse("monitoring:organisation", args=[world.organisation_a2.pk])).status_code == 404
    assert client.get(reverse("monitoring:municipality", args=[world.municipality_a.pk])).status_code == 404


def test_mentor_and_outsider_cannot_open_monitoring(world, client_as) -> None:
    for persona in ("mentor_a1", "outsider"):
        client = client_as(world.persona(persona))
        assert client.get(reverse("monitoring:organisation", args=[world.organisation_a1.pk])).status_code == 404


def test_index_sends_a_user_with_one_place_to_its_dashboard(world, client_as) -> None:
    response = client_as(world.officer_a).get(reverse("monitoring:index"))
    assert response.status_code == 302
    assert response["Location"] == reverse("monitoring:municipality", args=[world.municipality_a.pk])


def test_click_through_from_region_to_municipality_to_school(world, client_as) -> None:
    client = client_as(world.regional_coordinator)
    region_page = client.get(reverse("monitoring:region", args=[world.region_r.pk])).content.decode()
    municipality_url = reverse("monitoring:municipality", args=[world.municipality_a.pk])
    assert municipality_url in region_page
    municipality_page = client.get(municipality_url).content.decode()
    school_url = reverse("monitoring:organisation", args=[world.organisation_a2.pk])
    assert school_url in municipality_page
    assert client.get(school_url).status_code == 200


def test_charts_are_svg_with_text_kept_as_text(world, client_as) -> None:
    client = client_as(world.regional_coordinator)
    response = client.get(reverse("monitoring:chart", args=["region", world.region_r.pk, "coverage"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    svg = response.content.decode()
    assert svg.startswith("<svg")
    assert world.municipality_a.name in svg
    assert client.get(reverse("monitoring:chart", args=["region", world.region_r.pk, "stages"])).status_code == 404


_numbers = itertools.count()


def _more_pairs(world, count: int) -> None:
    a1 = world.organisation_a1
    for _ in range(count):
        i = next(_numbers)
        PairFactory(
            programme=world.programme_a1,
            status=PairStatus.ACTIVE,
            mentors=[PersonFactory(organisation=a1, teacher=True, surname=f"Добавочный{i}")],
            mentees=[PersonFactory(organisation=a1, surname=f"Добавочная{i}")],
        )
    figures_refresh(school_year=2026)


@pytest.mark.parametrize(
    ("persona", "name", "place", "cold", "warm"),
    [
        ("regional_coordinator", "monitoring:region", "region_r", 9, 6),
        ("officer_a", "monitoring:municipality", "municipality_a", 9, 6),
        ("curator_a1", "monitoring:organisation", "organisation_a1", 13, 6),
    ],
)
def test_dashboard_query_count_does_not_grow_with_the_data(
    world, client_as, django_assert_num_queries, persona, name, place, cold, warm
) -> None:
    client = client_as(world.persona(persona))
    url = reverse(name, args=[world.objects[place].pk])
    for _ in range(2):
        cache.clear()
        with django_assert_num_queries(cold):
            assert client.get(url).status_code == 200
        with django_assert_num_queries(warm):
            assert client.get(url).status_code == 200
        _more_pairs(world, 5)


def test_a_refresh_makes_the_cached_dashboard_stale(world, client_as, django_capture_on_commit_callbacks) -> None:
    client = client_as(world.officer_a)
    url = reverse("monitoring:municipality", args=[world.municipality_a.pk])
    before = client.get(url).content.decode()
    assert f'data-organisation="{world.organisation_a1.pk}" data-status="below"' in before
    with django_capture_on_commit_callbacks(execute=True):
        _more_pairs(world, 7)  # 10 of 100 pupils at A1
    after = client.get(url).content.decode()
    assert f'data-organisation="{world.organisation_a1.pk}" data-status="met"' in after


def test_a_chart_shown_again_is_served_from_the_cache(world, client_as, django_assert_num_queries) -> None:
    client = client_as(world.regional_coordinator)
    url = reverse("monitoring:chart", args=["region", world.region_r.pk, "trend"])
    first = client.get(url)
    with django_assert_num_queries(4):  # session, user, the region, the user's monitoring roles
        again = client.get(url)
    assert again.content == first.content
