"""Monitoring's access matrix: every persona, the dashboards of regions R and R2, municipalities A, B and C,
schools A1, A2, B1 and C1, their quality, targets, charts and federal form, refresh, and the period reports.

Written out by hand from ``monitoring/roles.py``, never computed with the scoping code under test: a
dashboard opens at a place where the user holds a monitoring role, and at the places below it; the
places above are named only (their dashboards with other municipalities' figures answer 404); a
mentor and an outsider hold no monitoring role. See ``mentorship/tests/matrix.py`` for the levels.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse

from mentorship.tests.factories import PERSONAS, World
from mentorship.tests.matrix import DONE, LOGIN, SIGNED_IN, answer, posted, sign_in, token, xlsx_text
from mentorship.tests.worlds import world_for_module
from monitoring.choices import PeriodKind, ReportStatus
from monitoring.models import PeriodReport
from participants.tests.factories import build_participants_world

from .worlds import YEAR, build_monitoring_world

pytestmark = pytest.mark.django_db


def build_matrix_world() -> World:
    """The monitoring world plus a submitted September report of schools A1 and B1."""
    world = build_monitoring_world(build_participants_world())
    o = world.objects
    for key in ("a1", "b1"):
        o[f"report_{key}"] = PeriodReport.objects.create(
            organisation=o[f"organisation_{key}"],
            year=YEAR,
            period=PeriodKind.Q3,
            school_year=YEAR,
            status=ReportStatus.SUBMITTED,
        )
    return world


@pytest.fixture(scope="module")
def _module_world(_pinned_clock: None, django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    yield from world_for_module(django_db_blocker, build_matrix_world)


PLACES = {
    "region_r": "region",
    "region_r2": "region",
    "municipality_a": "municipality",
    "municipality_b": "municipality",
    "municipality_c": "municipality",
    "organisation_a1": "organisation",
    "organisation_a2": "organisation",
    "organisation_b1": "organisation",
    "organisation_c1": "organisation",
}


def row(r: Any, r2: Any, a: Any, b: Any, c: Any, a1: Any, a2: Any, b1: Any, c1: Any) -> dict[str, Any]:
    """One persona's row, in the order of ``PLACES``."""
    return dict(zip(PLACES, (r, r2, a, b, c, a1, a2, b1, c1), strict=True))


Y, N = 200, 404
# What a dashboard (and its quality, targets and federal form pages) answers, place by place.
# fmt: off
OPENS: dict[str, dict[str, Any]] = {
    #                                 r  r2 a  b  c  a1 a2 b1 c1
    "regional_coordinator": row(Y, N, Y, Y, N, Y, Y, Y, N),
    "regional_observer":    row(Y, N, Y, Y, N, Y, Y, Y, N),
    "officer_a":            row(N, N, Y, N, N, Y, Y, N, N),
    "officer_b":            row(N, N, N, Y, N, N, N, Y, N),
    "observer_a":           row(N, N, Y, N, N, Y, Y, N, N),
    "director_a1":          row(N, N, N, N, N, Y, N, N, N),
    "curator_a1":           row(N, N, N, N, N, Y, N, N, N),
    "curator_b1":           row(N, N, N, N, N, N, N, Y, N),
    "coordinator_a1":       row(N, N, N, N, N, Y, N, N, N),
    "mentor_a1":            row(N, N, N, N, N, N, N, N, N),
    "outsider":             row(N, N, N, N, N, N, N, N, N),
    "superuser":            row(Y, Y, Y, Y, Y, Y, Y, Y, Y),
    "anonymous":            row(*[LOGIN] * 9),
}
# «Обновить» (a POST): the regional coordinator and the municipal officer refresh what they open; the
# others who open the dashboard are refused (403).
F = 403
REFRESHES: dict[str, dict[str, Any]] = {
    "regional_coordinator": row(DONE, N, DONE, DONE, N, DONE, DONE, DONE, N),
    "regional_observer":    row(F, N, F, F, N, F, F, F, N),
    "officer_a":            row(N, N, DONE, N, N, DONE, DONE, N, N),
    "officer_b":            row(N, N, N, DONE, N, N, N, DONE, N),
    "observer_a":           row(N, N, F, N, N, F, F, N, N),
    "director_a1":          row(N, N, N, N, N, F, N, N, N),
    "curator_a1":           row(N, N, N, N, N, F, N, N, N),
    "curator_b1":           row(N, N, N, N, N, N, N, F, N),
    "coordinator_a1":       row(N, N, N, N, N, F, N, N, N),
    "mentor_a1":            row(N, N, N, N, N, N, N, N, N),
    "outsider":             row(N, N, N, N, N, N, N, N, N),
    "superuser":            row(*[DONE] * 9),
    "anonymous":            row(*[LOGIN] * 9),
}
# fmt: on


def place_url(page: str, key: str, world: World) -> str:
    level, pk = PLACES[key], world.objects[key].pk
    if page == "dashboard":
        return reverse(f"monitoring:{level}", args=[pk])
    if page == "chart":
        return reverse("monitoring:chart", args=[level, pk, "trend"])
    return reverse(f"monitoring:{page}", args=[level, pk])


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", ["dashboard", "quality", "targets", "chart", "federal"])
def test_place_pages_open_only_at_and_below_the_personas_places(world, client, persona, page):
    client = sign_in(client, world.persona(persona))
    found = {key: answer(client.get(place_url(page, key, world))) for key in PLACES}
    assert found == OPENS[persona]


@pytest.mark.parametrize("persona", PERSONAS)
def test_refresh_is_for_the_regional_coordinator_and_the_municipal_officer_where_they_reach(
    world, client, persona, django_capture_on_commit_callbacks
):
    client = sign_in(client, world.persona(persona))
    found = {}
    for key in PLACES:
        with django_capture_on_commit_callbacks() as queued:
            response = client.post(place_url("refresh", key, world), {"_submission": token()})
        found[key] = posted(response, bool(queued))
    assert found == REFRESHES[persona]


def test_a_refresh_page_answers_no_get(world, client):
    assert answer(sign_in(client, world.persona("superuser")).get(place_url("refresh", "region_r", world))) == 405


def test_the_federal_form_of_a_municipality_names_only_its_own_schools(world, client):
    response = sign_in(client, world.persona("officer_a")).get(place_url("federal", "municipality_a", world))
    content = xlsx_text(response.content)
    assert world.organisation_b1.short_name not in content


# --- the school pages: hand-entered values and the period report ----------------------------------------

SCHOOLS = ["organisation_a1", "organisation_b1"]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", ["values", "report_submit"])
def test_school_pages_open_only_where_the_dashboard_opens(world, client, persona, page):
    client = sign_in(client, world.persona(persona))
    found = {key: answer(client.get(reverse(f"monitoring:{page}", args=[world.objects[key].pk]))) for key in SCHOOLS}
    assert found == {key: OPENS[persona][key] for key in SCHOOLS}


# --- period reports: seen by the school and above, accepted by the municipality or the region -----------

REPORTS = ["report_a1", "report_b1"]
# fmt: off
SEES_REPORT: dict[str, dict[str, Any]] = {
    "regional_coordinator": {"report_a1": 200, "report_b1": 200},
    "regional_observer": {"report_a1": 200, "report_b1": 200},
    "officer_a": {"report_a1": 200, "report_b1": 404},
    "officer_b": {"report_a1": 404, "report_b1": 200},
    "observer_a": {"report_a1": 200, "report_b1": 404},
    "director_a1": {"report_a1": 200, "report_b1": 404},
    "curator_a1": {"report_a1": 200, "report_b1": 404},
    "curator_b1": {"report_a1": 404, "report_b1": 200},
    "coordinator_a1": {"report_a1": 200, "report_b1": 404},
    "mentor_a1": {"report_a1": 404, "report_b1": 404},
    "outsider": {"report_a1": 404, "report_b1": 404},
    "superuser": {"report_a1": 200, "report_b1": 200},
    "anonymous": {"report_a1": LOGIN, "report_b1": LOGIN},
}
ACCEPTS: dict[str, dict[str, Any]] = {
    "regional_coordinator": {"report_a1": 200, "report_b1": 200},
    "regional_observer": {"report_a1": 403, "report_b1": 403},
    "officer_a": {"report_a1": 200, "report_b1": 404},
    "officer_b": {"report_a1": 404, "report_b1": 200},
    "observer_a": {"report_a1": 403, "report_b1": 404},
    "director_a1": {"report_a1": 403, "report_b1": 404},
    "curator_a1": {"report_a1": 403, "report_b1": 404},
    "curator_b1": {"report_a1": 404, "report_b1": 403},
    "coordinator_a1": {"report_a1": 403, "report_b1": 404},
    "mentor_a1": {"report_a1": 404, "report_b1": 404},
    "outsider": {"report_a1": 404, "report_b1": 404},
    "superuser": {"report_a1": 200, "report_b1": 200},
    "anonymous": {"report_a1": LOGIN, "report_b1": LOGIN},
}
# fmt: on


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_period_report_is_seen_by_its_school_and_the_places_above(world, client, persona):
    client = sign_in(client, world.persona(persona))
    found = {key: answer(client.get(reverse("monitoring:report", args=[world.objects[key].pk]))) for key in REPORTS}
    assert found == SEES_REPORT[persona]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("action", ["report_accept", "report_return"])
def test_accept_and_return_pages_open_for_the_municipal_officer_and_the_regional_coordinator(
    world, client, persona, action
):
    client = sign_in(client, world.persona(persona))
    found = {key: answer(client.get(reverse(f"monitoring:{action}", args=[world.objects[key].pk]))) for key in REPORTS}
    assert found == ACCEPTS[persona]


@pytest.mark.parametrize("persona", PERSONAS)
def test_accepting_writes_only_for_those_who_accept(world, client, persona):
    client = sign_in(client, world.persona(persona))
    found = {}
    for key in REPORTS:
        report = world.objects[key]
        response = client.post(
            reverse("monitoring:report_accept", args=[report.pk]), {"comment": "", "_submission": token()}
        )
        found[key] = posted(response, PeriodReport.objects.get(pk=report.pk).status == ReportStatus.ACCEPTED)
    assert found == {key: DONE if value == 200 else value for key, value in ACCEPTS[persona].items()}


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_report_list_shows_exactly_the_reports_in_scope(world, client, persona):
    response = sign_in(client, world.persona(persona)).get(reverse("monitoring:reports"))
    assert response.status_code == 200
    shown = {report.pk for report in response.context["object_list"]}
    assert {key for key in REPORTS if world.objects[key].pk in shown} == {
        key for key in REPORTS if SEES_REPORT[persona][key] == 200
    }


@pytest.mark.parametrize("page", ["index", "reports"])
def test_anonymous_visitor_is_sent_to_log_in_from_the_monitoring_lists(world, client, page):
    assert answer(client.get(reverse(f"monitoring:{page}"))) == LOGIN
