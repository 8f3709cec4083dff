"""The roadmaps' access matrix: every persona, the roadmaps of schools A1, A2, B1, C1, municipalities A, B and region R.

Written out by hand from ``roadmaps/roles.py``, never computed with the scoping code under test:
everyone sees the roadmaps of their place, the places below it and the places above it; only the
level a roadmap belongs to keeps it (edits it and its items, submits it); the level directly
above approves or returns it. «read» is a roadmap one sees but does not keep; «change» one keeps.
"""

from __future__ import annotations

import posixpath
from typing import Any
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from mentorship.tests.factories import PERSONAS
from mentorship.tests.matrix import (
    CHANGE,
    CHANGE_PAGE,
    CHANGE_POST,
    DONE,
    HIDDEN,
    LOGIN,
    READ,
    SIGNED_IN,
    VIEW_PAGE,
    answer,
    posted,
    sign_in,
    token,
    xlsx_text,
)
from roadmaps.choices import ItemKind, RoadmapStatus
from roadmaps.models import ItemEvidence, Roadmap, RoadmapItem

from .factories import RoadmapItemFactory

pytestmark = pytest.mark.django_db

ROADMAPS = ["roadmap_a1", "roadmap_a2", "roadmap_b1", "roadmap_c1", "roadmap_a", "roadmap_b", "roadmap_r"]
ITEMS = ["roadmap_a1_item", "roadmap_a2_item", "roadmap_b1_item", "roadmap_c1_item"]


def row(a1: str, a2: str, b1: str, c1: str, a: str, b: str, r: str) -> dict[str, str]:
    """One persona's row, in the order of ``ROADMAPS``."""
    return dict(zip(ROADMAPS, (a1, a2, b1, c1, a, b, r), strict=True))


H, R, C = HIDDEN, READ, CHANGE
# fmt: off
EXPECTED: dict[str, dict[str, str]] = {
    #                                  a1 a2 b1 c1 a  b  r
    "regional_coordinator": row(R, R, R, H, R, R, C),
    "regional_observer":    row(R, R, R, H, R, R, R),
    "officer_a":            row(R, R, H, H, C, H, R),
    "officer_b":            row(H, H, R, H, H, C, R),
    "observer_a":           row(R, R, H, H, R, H, R),
    "director_a1":          row(C, H, H, H, R, H, R),
    "curator_a1":           row(C, H, H, H, R, H, R),
    "curator_b1":           row(H, H, C, H, H, R, R),
    "coordinator_a1":       row(C, H, H, H, R, H, R),
    "mentor_a1":            row(R, H, H, H, R, H, R),
    "outsider":             row(H, H, H, H, H, H, H),
    "superuser":            row(C, C, C, C, C, C, C),
    "anonymous":            row(LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN),
}
# Who approves (согласует) which roadmap: the level directly above it. The region's own roadmap is
# approved by the ministry, outside the portal (only the administrator marks it).
APPROVES: dict[str, set[str]] = {
    "regional_coordinator": {"roadmap_a", "roadmap_b"},
    "officer_a": {"roadmap_a1", "roadmap_a2"},
    "officer_b": {"roadmap_b1"},
    "superuser": set(ROADMAPS),
}
# fmt: on


def approval(persona: str, key: str) -> Any:
    """What the approve and return pages answer: 404 hidden, 403 seen but not theirs to approve, else 200."""
    level = EXPECTED[persona][key]
    if level in (HIDDEN, LOGIN):
        return VIEW_PAGE[level]
    return 200 if key in APPROVES.get(persona, set()) else 403


def url(name: str, obj: Any = None) -> str:
    return reverse(f"roadmaps:{name}", args=[] if obj is None else [obj.pk])


ROADMAP_PAGES = {
    "detail": VIEW_PAGE,
    "timeline": VIEW_PAGE,
    "edit": CHANGE_PAGE,
    "item_add": CHANGE_PAGE,
    "submit": CHANGE_PAGE,
    "revise": CHANGE_PAGE,
    "indicator_add": CHANGE_PAGE,
}
ITEM_PAGES = {
    "item_edit": CHANGE_PAGE,
    "item_delete": CHANGE_PAGE,
    "item_complete": CHANGE_PAGE,
    "item_progress": CHANGE_PAGE,
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", ROADMAP_PAGES)
def test_roadmap_pages_answer_by_scope_and_level(world, client, persona, page):
    client = sign_in(client, world.persona(persona))
    found = {key: answer(client.get(url(page, world.objects[key]))) for key in ROADMAPS}
    assert found == {key: ROADMAP_PAGES[page][EXPECTED[persona][key]] for key in ROADMAPS}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", ITEM_PAGES)
def test_item_pages_open_only_for_the_roadmaps_keepers(world, client, persona, page):
    client = sign_in(client, world.persona(persona))
    found = {key: answer(client.get(url(page, world.objects[key]))) for key in ITEMS}
    assert found == {key: ITEM_PAGES[page][EXPECTED[persona][key.removesuffix("_item")]] for key in ITEMS}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", ["approve", "return"])
def test_approve_and_return_pages_open_only_for_the_level_directly_above(world, client, persona, page):
    Roadmap.objects.filter(pk__in=[world.objects[key].pk for key in ROADMAPS]).update(status=RoadmapStatus.SUBMITTED)
    client = sign_in(client, world.persona(persona))
    found = {key: answer(client.get(url(page, world.objects[key]))) for key in ROADMAPS}
    assert found == {key: approval(persona, key) for key in ROADMAPS}


# --- posting: a refused POST changes nothing -------------------------------------------------------------


def status_of(roadmap: Roadmap) -> str:
    return Roadmap.objects.get(pk=roadmap.pk).status


def post_edit(client: Any, roadmap: Roadmap) -> Any:
    data = {
        "title": "Новое название",
        "period_start": roadmap.period_start.isoformat(),
        "period_end": roadmap.period_end.isoformat(),
        "goal": "",
        "tasks": "",
        "_submission": token(),
    }
    response = client.post(url("edit", roadmap), data)
    return posted(response, Roadmap.objects.get(pk=roadmap.pk).title == "Новое название")


def post_submit(client: Any, roadmap: Roadmap) -> Any:
    # An empty roadmap cannot be submitted: give the municipal and regional ones an activity.
    if not RoadmapItem.objects.filter(roadmap=roadmap).exists():
        RoadmapItemFactory(roadmap=roadmap, number="1.", title="Совещание с руководителями ОО")
    response = client.post(url("submit", roadmap), {"comment": "", "_submission": token()})
    return posted(response, status_of(roadmap) == RoadmapStatus.SUBMITTED)


def post_item_add(client: Any, roadmap: Roadmap) -> Any:
    before = RoadmapItem.objects.filter(roadmap=roadmap).count()
    data = {
        "number": "2.",
        "kind": ItemKind.ACTIVITY,
        "title": "Новое мероприятие",
        "content": "",
        "deadline_text": "до 1 сентября 2024 г.",
        "responsible_text": "",
        "expected_result": "",
        "document_type": "",
        "inform_whom": "",
        "inform_when_text": "",
        "plan_start": "",
        "plan_end": "",
        "_submission": token(),
    }
    response = client.post(url("item_add", roadmap), data)
    return posted(response, RoadmapItem.objects.filter(roadmap=roadmap).count() != before)


ROADMAP_POSTS = {"edit": post_edit, "submit": post_submit, "item_add": post_item_add}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("action", ROADMAP_POSTS)
def test_roadmap_posts_write_only_for_its_keepers(world, client, persona, action):
    client = sign_in(client, world.persona(persona))
    found = {key: ROADMAP_POSTS[action](client, world.objects[key]) for key in ROADMAPS}
    assert found == {key: CHANGE_POST[EXPECTED[persona][key]] for key in ROADMAPS}


@pytest.mark.parametrize("persona", PERSONAS)
def test_item_delete_removes_only_for_the_roadmaps_keepers(world, client, persona):
    client = sign_in(client, world.persona(persona))
    found = {}
    for key in ITEMS:
        item = world.objects[key]
        response = client.post(url("item_delete", item), {"_submission": token()})
        found[key] = posted(response, not RoadmapItem.objects.filter(pk=item.pk).exists())
    assert found == {key: CHANGE_POST[EXPECTED[persona][key.removesuffix("_item")]] for key in ITEMS}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    ("action", "outcome"), [("approve", RoadmapStatus.APPROVED), ("return", RoadmapStatus.RETURNED)]
)
def test_approve_and_return_write_only_for_the_level_directly_above(world, client, persona, action, outcome):
    Roadmap.objects.filter(pk__in=[world.objects[key].pk for key in ROADMAPS]).update(status=RoadmapStatus.SUBMITTED)
    client = sign_in(client, world.persona(persona))
    found = {}
    for key in ROADMAPS:
        roadmap = world.objects[key]
        response = client.post(url(action, roadmap), {"comment": "Уточните сроки.", "_submission": token()})
        found[key] = posted(response, status_of(roadmap) == outcome)
    expected = {key: approval(persona, key) for key in ROADMAPS}
    assert found == {key: DONE if value == 200 else value for key, value in expected.items()}


# --- lists: the roadmaps, «На согласовании», «Мои задачи» --------------------------------------------------


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_roadmap_list_shows_exactly_the_roadmaps_in_scope(world, client, persona):
    response = sign_in(client, world.persona(persona)).get(url("list"))
    assert response.status_code == 200
    shown = {row.pk for row in response.context["object_list"]}
    assert {key for key in ROADMAPS if world.objects[key].pk in shown} == {
        key for key in ROADMAPS if EXPECTED[persona][key] != HIDDEN
    }


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_awaiting_approval_lists_only_what_the_persona_approves(world, client, persona):
    Roadmap.objects.filter(pk__in=[world.objects[key].pk for key in ROADMAPS]).update(status=RoadmapStatus.SUBMITTED)
    response = sign_in(client, world.persona(persona)).get(url("awaiting"))
    assert response.status_code == 200
    shown = {row.pk for row in response.context["object_list"]}
    assert {key for key in ROADMAPS if world.objects[key].pk in shown} == APPROVES.get(persona, set())


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_my_tasks_lists_only_items_of_roadmaps_in_scope(world, client, persona):
    response = sign_in(client, world.persona(persona)).get(url("my_tasks"))
    assert response.status_code == 200
    visible = {world.objects[key].pk for key in ROADMAPS if EXPECTED[persona][key] != HIDDEN}
    assert {item.roadmap_id for item in response.context["object_list"]} <= visible


@pytest.mark.parametrize("page", ["list", "awaiting", "my_tasks", "add", "import"])
def test_anonymous_visitor_is_sent_to_log_in_from_every_roadmap_list(world, client, page):
    assert answer(client.get(url(page))) == LOGIN


# --- adding and importing: for those who keep a roadmap at their own level --------------------------------

# fmt: off
MAY_ADD = {
    "regional_coordinator": 200, "regional_observer": 403, "officer_a": 200, "officer_b": 200, "observer_a": 403,
    "director_a1": 200, "curator_a1": 200, "curator_b1": 200, "coordinator_a1": 200,
    "mentor_a1": 403, "outsider": 403, "superuser": 200, "anonymous": LOGIN,
}
# fmt: on


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", ["add", "import"])
def test_add_and_import_pages_open_only_for_keepers(world, client, persona, page):
    assert answer(sign_in(client, world.persona(persona)).get(url(page))) == MAY_ADD[persona]


@pytest.mark.parametrize("persona", PERSONAS)
def test_import_confirmation_without_a_preview_writes_nothing(world, client, persona):
    before = Roadmap.objects.count()
    response = sign_in(client, world.persona(persona)).post(
        url("import_confirm"), {"pending": "0b7f2f5e-4f55-4d5c-9b8e-2d1d1f0b8a11", "_submission": token()}
    )
    assert Roadmap.objects.count() == before
    refused = MAY_ADD[persona]
    assert answer(response) in ((refused,) if refused != 200 else (200, 302))


# --- evidence files: served through the item's roadmap scope, never from /media/ --------------------------


def evidence_for(item: RoadmapItem, key: str) -> ItemEvidence:
    """A file attached to the item ``key`` when it was marked done, under a Cyrillic name."""
    evidence = ItemEvidence(item=item, description="Приказ и протокол")
    evidence.file.save(f"Приказ_{key}.pdf", ContentFile(f"%PDF-1.4 {key}".encode()), save=True)
    return evidence


def downloaded(response: Any, key: str, stored: str) -> Any:
    """A file page's answer; for a 200, the bytes and the name (as stored) must be the evidence's own."""
    result = answer(response)
    if result != 200:
        return result
    if b"".join(response.streaming_content) != f"%PDF-1.4 {key}".encode():
        return "200 with other bytes"
    disposition = f"attachment; filename*=utf-8''{quote(posixpath.basename(stored))}"
    if response["Content-Disposition"] != disposition or response["X-Content-Type-Options"] != "nosniff":
        return f"200 without its name or nosniff: {response['Content-Disposition']}"
    return 200


@pytest.fixture
def evidence(world: Any) -> dict[str, ItemEvidence]:
    return {key: evidence_for(world.objects[key], key) for key in ITEMS}


@pytest.mark.parametrize("persona", PERSONAS)
def test_evidence_files_are_served_only_to_those_who_see_the_roadmap(world, client, evidence, persona):
    client = sign_in(client, world.persona(persona))
    found = {
        key: downloaded(client.get(url("evidence_file", evidence[key])), key, evidence[key].file.name) for key in ITEMS
    }
    assert found == {key: VIEW_PAGE[EXPECTED[persona][key.removesuffix("_item")]] for key in ITEMS}


@pytest.mark.parametrize("page", ["item_progress", "detail"])
def test_item_pages_link_each_evidence_file_by_its_own_name_through_the_scoped_view(world, client, evidence, page):
    target = world.roadmap_a1_item if page == "item_progress" else world.roadmap_a1
    content = sign_in(client, world.persona("curator_a1")).get(url(page, target)).content.decode()
    assert f'href="{url("evidence_file", evidence["roadmap_a1_item"])}"' in content
    assert f">{posixpath.basename(evidence['roadmap_a1_item'].file.name)}</a>" in content
    assert posixpath.basename(evidence["roadmap_a1_item"].file.name).startswith("Приказ_roadmap_a1_item")
    assert "/media/" not in content


def test_evidence_media_address_is_not_served(world, client, evidence):
    assert answer(sign_in(client, world.persona("superuser")).get(evidence["roadmap_a1_item"].file.url)) == 404


# --- the .xlsx export of the roadmaps list ---------------------------------------------------------------


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_the_roadmaps_export_holds_exactly_the_roadmaps_in_scope(world, client, persona):
    response = sign_in(client, world.persona(persona)).get(reverse("imports:export", args=["roadmaps"]))
    assert response.status_code == 200
    content = xlsx_text(b"".join(response.streaming_content) if response.streaming else response.content)
    found = {key: f"Дорожная карта ({key})" in content for key in ROADMAPS}
    assert found == {key: EXPECTED[persona][key] != HIDDEN for key in ROADMAPS}


def test_anonymous_visitor_gets_no_roadmaps_export(world, client):
    assert answer(client.get(reverse("imports:export", args=["roadmaps"]))) == LOGIN
