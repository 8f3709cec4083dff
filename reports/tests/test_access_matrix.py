"""The documents' access matrix: every persona, the orders of schools A1 and B1, their PDFs and scans,
the roadmap and monitoring PDFs, the certificates and «Мои документы».

Written out by hand from ``reports/roles.py`` (and, for the roadmap and monitoring PDFs, from
``roadmaps/roles.py`` and ``monitoring/roles.py``), never computed with the scoping code under test:
a school's director, curator and coordinator keep their school's orders, the director and the curator
sign them; the municipality and the region above only look; a mentor and an outsider see no order.
A background document belongs to whoever asked for it: anyone else gets 404.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from datetime import date
from typing import Any
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from mentorship.tests.factories import PERSONAS, World
from mentorship.tests.matrix import (
    CHANGE,
    CHANGE_PAGE,
    CHANGE_POST,
    HIDDEN,
    LOGIN,
    READ,
    SIGNED_IN,
    VIEW_PAGE,
    answer,
    posted,
    sign_in,
    token,
)
from mentorship.tests.worlds import world_for_module
from reports import services
from reports.choices import DocumentKind, OrderKind, OrderStatus, RenderStatus
from reports.models import DocumentJob, Order

from .factories import build_documents_world

pytestmark = pytest.mark.django_db


def build_matrix_world() -> World:
    """The documents' world plus a draft order of A1 and of B1, a signed A1 order with its scan, and a
    ready background document of the A1 curator and of the B1 curator."""
    world = build_documents_world()
    o, p = world.objects, world.personas
    for key, curator in (("a1", "curator_a1"), ("b1", "curator_b1")):
        o[f"order_{key}"] = services.order_create(
            actor=p[curator], organisation=o[f"organisation_{key}"], kind=OrderKind.CURATOR, date=date(2026, 11, 20)
        )
        job = DocumentJob.objects.create(
            kind=DocumentKind.ROADMAP, object_id=o["roadmap_a1"].pk, title="Дорожная карта", requested_by=p[curator]
        )
        job.file.save(f"Документ_{key}.pdf", ContentFile(f"%PDF-1.4 job {key}".encode()), save=False)
        job.status = RenderStatus.READY
        job.save()
        o[f"job_{key}"] = job
    signed = services.order_create(
        actor=p["curator_a1"], organisation=o["organisation_a1"], kind=OrderKind.CURATOR, date=date(2026, 11, 20)
    )
    Order.objects.filter(pk=signed.pk).update(status=OrderStatus.SIGNED, number="1", pdf_status=RenderStatus.READY)
    signed.refresh_from_db()
    signed.scan.save("Скан_приказа.pdf", ContentFile(b"%PDF-1.4 scan"), save=True)
    o["order_a1_signed"] = signed
    return world


@pytest.fixture(scope="module")
def _module_world(_pinned_clock: None, django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    yield from world_for_module(django_db_blocker, build_matrix_world)


ORDERS = ["order_a1", "order_b1"]
H, R, C = HIDDEN, READ, CHANGE
# fmt: off
EXPECTED: dict[str, dict[str, str]] = {
    #                          order_a1          order_b1
    "regional_coordinator": {"order_a1": R, "order_b1": R},
    "regional_observer":    {"order_a1": R, "order_b1": R},
    "officer_a":            {"order_a1": R, "order_b1": H},
    "officer_b":            {"order_a1": H, "order_b1": R},
    "observer_a":           {"order_a1": R, "order_b1": H},
    "director_a1":          {"order_a1": C, "order_b1": H},
    "curator_a1":           {"order_a1": C, "order_b1": H},
    "curator_b1":           {"order_a1": H, "order_b1": C},
    "coordinator_a1":       {"order_a1": C, "order_b1": H},
    "mentor_a1":            {"order_a1": H, "order_b1": H},
    "outsider":             {"order_a1": H, "order_b1": H},
    "superuser":            {"order_a1": C, "order_b1": C},
    "anonymous":            {"order_a1": LOGIN, "order_b1": LOGIN},
}
# Who signs (the director and the curator, not the coordinator).
SIGNS: dict[str, set[str]] = {
    "director_a1": {"order_a1"}, "curator_a1": {"order_a1"}, "curator_b1": {"order_b1"},
    "superuser": {"order_a1", "order_b1"},
}
# fmt: on


def signing(persona: str, key: str) -> Any:
    level = EXPECTED[persona][key]
    if level in (HIDDEN, LOGIN):
        return VIEW_PAGE[level]
    return 200 if key in SIGNS.get(persona, set()) else 403


def url(name: str, obj: Any = None) -> str:
    return reverse(f"reports:{name}", args=[] if obj is None else [obj.pk])


ORDER_PAGES = {"order": VIEW_PAGE, "order_edit": CHANGE_PAGE, "order_delete": CHANGE_PAGE, "order_link": CHANGE_PAGE}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", ORDER_PAGES)
def test_order_pages_answer_by_scope_and_level(world, client, persona, page):
    client = sign_in(client, world.persona(persona))
    found = {key: answer(client.get(url(page, world.objects[key]))) for key in ORDERS}
    assert found == {key: ORDER_PAGES[page][EXPECTED[persona][key]] for key in ORDERS}


@pytest.mark.parametrize("persona", PERSONAS)
def test_sign_page_opens_only_for_the_director_and_the_curator(world, client, persona):
    client = sign_in(client, world.persona(persona))
    found = {key: answer(client.get(url("order_sign", world.objects[key]))) for key in ORDERS}
    assert found == {key: signing(persona, key) for key in ORDERS}


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_draft_order_is_deleted_only_by_its_keepers(world, client, persona):
    client = sign_in(client, world.persona(persona))
    found = {}
    for key in ORDERS:
        order = world.objects[key]
        response = client.post(url("order_delete", order), {"_submission": token()})
        found[key] = posted(response, not Order.objects.filter(pk=order.pk).exists())
    assert found == {key: CHANGE_POST[EXPECTED[persona][key]] for key in ORDERS}


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_draft_order_pdf_is_given_to_those_who_see_the_order(world, client, persona):
    client = sign_in(client, world.persona(persona))
    found = {}
    for key in ORDERS:
        response = client.get(url("order_pdf", world.objects[key]))
        found[key] = answer(response)
        if found[key] == 200 and not response.content.startswith(b"%PDF"):
            found[key] = "200 but not a PDF"
    assert found == {key: VIEW_PAGE[EXPECTED[persona][key]] for key in ORDERS}


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_signed_orders_scan_is_served_only_to_those_who_see_the_order(world, client, persona):
    response = sign_in(client, world.persona(persona)).get(url("order_scan_file", world.order_a1_signed))
    result = answer(response)
    if result == 200:
        assert b"".join(response.streaming_content) == b"%PDF-1.4 scan"
        name = posixpath.basename(world.order_a1_signed.scan.name)
        assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote(name)}"
        assert response["X-Content-Type-Options"] == "nosniff"
    assert result == VIEW_PAGE[EXPECTED[persona]["order_a1"]]


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_scan_upload_page_opens_only_for_the_orders_keepers(world, client, persona):
    response = sign_in(client, world.persona(persona)).get(url("order_scan", world.order_a1_signed))
    assert answer(response) == CHANGE_PAGE[EXPECTED[persona]["order_a1"]]


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_order_register_shows_exactly_the_orders_in_scope(world, client, persona):
    response = sign_in(client, world.persona(persona)).get(url("orders"))
    assert response.status_code == 200
    shown = {order.pk for order in response.context["object_list"]}
    assert {key for key in ORDERS if world.objects[key].pk in shown} == {
        key for key in ORDERS if EXPECTED[persona][key] != HIDDEN
    }


# fmt: off
MAY_ADD = {
    "regional_coordinator": 403, "regional_observer": 403, "officer_a": 403, "officer_b": 403, "observer_a": 403,
    "director_a1": 200, "curator_a1": 200, "curator_b1": 200, "coordinator_a1": 200,
    "mentor_a1": 403, "outsider": 403, "superuser": 200, "anonymous": LOGIN,
}
# fmt: on


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_new_order_is_for_school_staff_only(world, client, persona):
    assert answer(sign_in(client, world.persona(persona)).get(url("order_add"))) == MAY_ADD[persona]


# --- the roadmap's and the monitoring's PDFs ---------------------------------------------------------------

# Who sees school A1's roadmap (``roadmaps/tests/test_access_matrix.py``: everyone at A1, above it, the mentor).
# fmt: off
SEES_ROADMAP_A1 = {
    "regional_coordinator": 200, "regional_observer": 200, "officer_a": 200, "officer_b": 404, "observer_a": 200,
    "director_a1": 200, "curator_a1": 200, "curator_b1": 404, "coordinator_a1": 200,
    "mentor_a1": 200, "outsider": 404, "superuser": 200, "anonymous": LOGIN,
}
# The справка opens where the dashboard does (``monitoring/tests/test_access_matrix.py``).
OPENS_DASHBOARD: dict[str, dict[str, Any]] = {
    "regional_coordinator": {"municipality_a": 200, "organisation_a1": 200, "organisation_b1": 200},
    "regional_observer": {"municipality_a": 200, "organisation_a1": 200, "organisation_b1": 200},
    "officer_a": {"municipality_a": 200, "organisation_a1": 200, "organisation_b1": 404},
    "officer_b": {"municipality_a": 404, "organisation_a1": 404, "organisation_b1": 200},
    "observer_a": {"municipality_a": 200, "organisation_a1": 200, "organisation_b1": 404},
    "director_a1": {"municipality_a": 404, "organisation_a1": 200, "organisation_b1": 404},
    "curator_a1": {"municipality_a": 404, "organisation_a1": 200, "organisation_b1": 404},
    "curator_b1": {"municipality_a": 404, "organisation_a1": 404, "organisation_b1": 200},
    "coordinator_a1": {"municipality_a": 404, "organisation_a1": 200, "organisation_b1": 404},
    "mentor_a1": {"municipality_a": 404, "organisation_a1": 404, "organisation_b1": 404},
    "outsider": {"municipality_a": 404, "organisation_a1": 404, "organisation_b1": 404},
    "superuser": {"municipality_a": 200, "organisation_a1": 200, "organisation_b1": 200},
    "anonymous": {"municipality_a": LOGIN, "organisation_a1": LOGIN, "organisation_b1": LOGIN},
}
# fmt: on


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_roadmap_pdf_is_given_to_those_who_see_the_roadmap(world, client, persona):
    response = sign_in(client, world.persona(persona)).get(url("roadmap_pdf", world.roadmap_a1))
    assert answer(response) == SEES_ROADMAP_A1[persona]


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_monitoring_report_pdf_opens_where_the_dashboard_does(world, client, persona):
    client = sign_in(client, world.persona(persona))
    found = {}
    for key in OPENS_DASHBOARD[persona]:
        level = key.split("_")[0]
        found[key] = answer(client.get(reverse("reports:monitoring_report", args=[level, world.objects[key].pk])))
    assert found == OPENS_DASHBOARD[persona]


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_certificate_form_opens_for_everyone_signed_in(world, client, persona):
    expected = LOGIN if persona == "anonymous" else 200
    assert answer(sign_in(client, world.persona(persona)).get(url("certificate"))) == expected


# --- «Мои документы»: a background document belongs to whoever asked for it -----------------------------

JOBS = ["job_a1", "job_b1"]
# fmt: off
OWNS_JOB: dict[str, dict[str, Any]] = {
    persona: {"job_a1": 404, "job_b1": 404}
    for persona in PERSONAS if persona not in ("curator_a1", "curator_b1", "anonymous")
} | {
    "curator_a1": {"job_a1": 200, "job_b1": 404},
    "curator_b1": {"job_a1": 404, "job_b1": 200},
    "anonymous": {"job_a1": LOGIN, "job_b1": LOGIN},
}
# fmt: on


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", ["job", "job_file"])
def test_a_background_document_opens_only_for_whoever_asked_for_it(world, client, persona, page):
    client = sign_in(client, world.persona(persona))
    found = {}
    for key in JOBS:
        response = client.get(url(page, world.objects[key]))
        found[key] = answer(response)
        if page == "job_file" and found[key] == 200:
            assert b"".join(response.streaming_content) == f"%PDF-1.4 job {key.removeprefix('job_')}".encode()
    assert found == OWNS_JOB[persona]


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_my_documents_lists_only_ones_own_jobs(world, client, persona):
    response = sign_in(client, world.persona(persona)).get(url("jobs"))
    assert response.status_code == 200
    shown = {job.pk for job in response.context["object_list"]}
    assert {key for key in JOBS if world.objects[key].pk in shown} == {
        key for key in JOBS if OWNS_JOB[persona][key] == 200
    }


@pytest.mark.parametrize("page", ["orders", "jobs", "certificate", "order_add"])
def test_anonymous_visitor_is_sent_to_log_in_from_every_document_list(world, client, page):
    assert answer(client.get(url(page))) == LOGIN
