"""The participants' access matrix: every persona, the people, consents, programmes and pairs of schools A1 and B1.

Written out by hand from ``participants/roles.py``, never computed with the scoping code under
test: a school's director, curator and coordinator keep their own school's records; the region
and the municipality above only look; a mentor sees only the pair they lead (granted one by one
when the pair is made); a published programme is seen across its region (the bank). See
``mentorship/tests/matrix.py`` for what «hidden», «read» and «change» answer.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from guardian.shortcuts import assign_perm

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
    xlsx_text,
)
from mentorship.tests.worlds import world_for_module
from participants.choices import BaseRole, PersonKind, Stage
from participants.models import Consent, MatchRun, Pair, Person, Programme

from .factories import (
    TODAY,
    CooperationAgreementFactory,
    PairFactory,
    PersonFactory,
    ProgrammeFactory,
    build_participants_world,
    enrolled,
)

pytestmark = pytest.mark.django_db


# The file each record of the matrix carries: the field and the name it was uploaded under.
ATTACHMENTS: dict[str, tuple[str, str]] = {
    "consent_a1": ("document", "Согласие_Сидорова.pdf"),
    "consent_b1": ("document", "Согласие_Белова.pdf"),
    "agreement_a1": ("document", "Соглашение_Гарипова.pdf"),
    "agreement_b1": ("document", "Соглашение_Рябова.pdf"),
    "programme_a1": ("document", "Программа_Шаг_к_успеху.pdf"),
    "programme_b1": ("document", "Программа_Белорецка.pdf"),
    "programme_b1_published": ("document", "Опубликованная_программа.pdf"),
}


def build_matrix_world() -> World:
    """The participants' world plus a pair at A1 led by the mentor persona, a pair at B1, a published B1 programme."""
    world = build_participants_world()
    o = world.objects
    mentor = o["mentor_a1_person"]
    mentor.user = world.personas["mentor_a1"]
    mentor.save()
    o["pair_a1"] = PairFactory(programme=o["programme_a1"], mentors=[mentor], mentees=[o["mentee_a1_person"]])
    # What pair_create grants the mentor's account (services._members_insert).
    assign_perm("participants.view_pair", world.personas["mentor_a1"], o["pair_a1"])
    b1_mentor = enrolled(BaseRole.MENTOR, organisation=o["organisation_b1"], surname="Орлов", name="Денис")
    o["pair_b1"] = PairFactory(programme=o["programme_b1"], mentors=[b1_mentor], mentees=[o["student_b1_person"]])
    o["programme_b1_published"] = ProgrammeFactory(
        organisation=o["organisation_b1"], title="Опубликованная программа Белорецка", is_published=True
    )
    o["person_a1"], o["person_b1"] = o["mentee_a1_person"], o["student_b1_person"]
    o["consent_a1"] = Consent.objects.get(person=o["person_a1"])
    o["consent_b1"] = Consent.objects.get(person=o["person_b1"])
    o["agreement_a1"] = CooperationAgreementFactory(
        person=PersonFactory(organisation=o["organisation_a1"], external=True, surname="Гарипов")
    )
    o["agreement_b1"] = CooperationAgreementFactory(
        person=PersonFactory(organisation=o["organisation_b1"], external=True, surname="Рябов")
    )
    # Each record's scan or text, under a Cyrillic name (the download must keep it, RFC 5987); the names
    # hold no spaces, which the storage would turn into underscores.
    for key, (field, name) in ATTACHMENTS.items():
        getattr(o[key], field).save(name, ContentFile(f"%PDF-1.4 {key}".encode()), save=True)
    return world


@pytest.fixture(scope="module")
def _module_world(_pinned_clock: None, django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    yield from world_for_module(django_db_blocker, build_matrix_world)


KINDS: dict[str, list[str]] = {
    "person": ["person_a1", "person_b1"],
    "consent": ["consent_a1", "consent_b1"],
    "agreement": ["agreement_a1", "agreement_b1"],
    "programme": ["programme_a1", "programme_b1", "programme_b1_published"],
    "pair": ["pair_a1", "pair_b1"],
}

# fmt: off
KEEPS_A1 = {
    "person_a1": CHANGE, "person_b1": HIDDEN, "consent_a1": CHANGE, "consent_b1": HIDDEN,
    "agreement_a1": CHANGE, "agreement_b1": HIDDEN,
    "programme_a1": CHANGE, "programme_b1": HIDDEN, "programme_b1_published": READ,
    "pair_a1": CHANGE, "pair_b1": HIDDEN,
}
EXPECTED: dict[str, dict[str, str]] = {
    "regional_coordinator": {
        "person_a1": READ, "person_b1": READ, "consent_a1": READ, "consent_b1": READ,
        "agreement_a1": READ, "agreement_b1": READ,
        "programme_a1": READ, "programme_b1": READ, "programme_b1_published": READ,
        "pair_a1": READ, "pair_b1": READ,
    },
    "regional_observer": {
        "person_a1": READ, "person_b1": READ, "consent_a1": READ, "consent_b1": READ,
        "agreement_a1": READ, "agreement_b1": READ,
        "programme_a1": READ, "programme_b1": READ, "programme_b1_published": READ,
        "pair_a1": READ, "pair_b1": READ,
    },
    "officer_a": {
        "person_a1": READ, "person_b1": HIDDEN, "consent_a1": READ, "consent_b1": HIDDEN,
        "agreement_a1": READ, "agreement_b1": HIDDEN,
        "programme_a1": READ, "programme_b1": HIDDEN, "programme_b1_published": READ,
        "pair_a1": READ, "pair_b1": HIDDEN,
    },
    "officer_b": {
        "person_a1": HIDDEN, "person_b1": READ, "consent_a1": HIDDEN, "consent_b1": READ,
        "agreement_a1": HIDDEN, "agreement_b1": READ,
        "programme_a1": HIDDEN, "programme_b1": READ, "programme_b1_published": READ,
        "pair_a1": HIDDEN, "pair_b1": READ,
    },
    "observer_a": {
        "person_a1": READ, "person_b1": HIDDEN, "consent_a1": READ, "consent_b1": HIDDEN,
        "agreement_a1": READ, "agreement_b1": HIDDEN,
        "programme_a1": READ, "programme_b1": HIDDEN, "programme_b1_published": READ,
        "pair_a1": READ, "pair_b1": HIDDEN,
    },
    "director_a1": KEEPS_A1,
    "curator_a1": KEEPS_A1,
    "curator_b1": {
        "person_a1": HIDDEN, "person_b1": CHANGE, "consent_a1": HIDDEN, "consent_b1": CHANGE,
        "agreement_a1": HIDDEN, "agreement_b1": CHANGE,
        "programme_a1": HIDDEN, "programme_b1": CHANGE, "programme_b1_published": CHANGE,
        "pair_a1": HIDDEN, "pair_b1": CHANGE,
    },
    "coordinator_a1": KEEPS_A1,
    "mentor_a1": {
        "person_a1": HIDDEN, "person_b1": HIDDEN, "consent_a1": HIDDEN, "consent_b1": HIDDEN,
        "agreement_a1": HIDDEN, "agreement_b1": HIDDEN,
        "programme_a1": HIDDEN, "programme_b1": HIDDEN, "programme_b1_published": HIDDEN,
        "pair_a1": READ, "pair_b1": HIDDEN,
    },
    "outsider": {
        "person_a1": HIDDEN, "person_b1": HIDDEN, "consent_a1": HIDDEN, "consent_b1": HIDDEN,
        "agreement_a1": HIDDEN, "agreement_b1": HIDDEN,
        "programme_a1": HIDDEN, "programme_b1": HIDDEN, "programme_b1_published": HIDDEN,
        "pair_a1": HIDDEN, "pair_b1": HIDDEN,
    },
    "superuser": {
        "person_a1": CHANGE, "person_b1": CHANGE, "consent_a1": CHANGE, "consent_b1": CHANGE,
        "agreement_a1": CHANGE, "agreement_b1": CHANGE,
        "programme_a1": CHANGE, "programme_b1": CHANGE, "programme_b1_published": CHANGE,
        "pair_a1": CHANGE, "pair_b1": CHANGE,
    },
    "anonymous": {
        "person_a1": LOGIN, "person_b1": LOGIN, "consent_a1": LOGIN, "consent_b1": LOGIN,
        "agreement_a1": LOGIN, "agreement_b1": LOGIN,
        "programme_a1": LOGIN, "programme_b1": LOGIN, "programme_b1_published": LOGIN,
        "pair_a1": LOGIN, "pair_b1": LOGIN,
    },
}
# fmt: on

# The pages about one object, what they answer for each level, and the object kind they take.
PAGES: dict[str, tuple[str, str, dict[str, Any]]] = {
    "person": ("person", "person", VIEW_PAGE),
    "person_edit": ("person_edit", "person", CHANGE_PAGE),
    "consent_add": ("consent_add", "person", CHANGE_PAGE),
    "agreement_add": ("agreement_add", "person", CHANGE_PAGE),
    "consent_withdraw": ("consent_withdraw", "consent", CHANGE_PAGE),
    "pair": ("pair", "pair", VIEW_PAGE),
    "pair_history": ("pair_history", "pair", VIEW_PAGE),
    "pair_stage": ("pair_stage", "pair", CHANGE_PAGE),
    "pair_complete": ("pair_complete", "pair", CHANGE_PAGE),
    "pair_terminate": ("pair_terminate", "pair", CHANGE_PAGE),
    "meeting_add": ("meeting_add", "pair", CHANGE_PAGE),
    "plan_add": ("plan_add", "pair", CHANGE_PAGE),
    "programme": ("programme", "programme", VIEW_PAGE),
    "programme_edit": ("programme_edit", "programme", CHANGE_PAGE),
    "matching": ("matching", "programme", VIEW_PAGE),
}

PERSONA_PAGE = [(persona, page) for persona in PERSONAS for page in PAGES]


def url(name: str, obj: Any = None) -> str:
    return reverse(f"participants:{name}", args=[] if obj is None else [obj.pk])


@pytest.mark.parametrize(("persona", "page"), PERSONA_PAGE)
def test_pages_about_one_record_answer_by_scope(world, client, persona, page):
    name, kind, answers = PAGES[page]
    client = sign_in(client, world.persona(persona))
    found = {key: answer(client.get(url(name, world.objects[key]))) for key in KINDS[kind]}
    assert found == {key: answers[EXPECTED[persona][key]] for key in KINDS[kind]}


# --- uploaded files: served only through the record's scope, never from /media/ ---------------------------

FILES: dict[str, str] = {"consent_file": "consent", "agreement_file": "agreement", "programme_file": "programme"}


def downloaded(response: Any, key: str) -> Any:
    """A file page's answer; for a 200, the bytes and the name must be the record's own file."""
    result = answer(response)
    if result != 200:
        return result
    if b"".join(response.streaming_content) != f"%PDF-1.4 {key}".encode():
        return "200 with other bytes"
    disposition = f"attachment; filename*=utf-8''{quote(ATTACHMENTS[key][1])}"
    if response["Content-Disposition"] != disposition or response["X-Content-Type-Options"] != "nosniff":
        return f"200 without its name or nosniff: {response['Content-Disposition']}"
    return 200


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", FILES)
def test_uploaded_files_are_served_only_to_those_who_see_the_record(world, client, persona, page):
    client = sign_in(client, world.persona(persona))
    found = {key: downloaded(client.get(url(page, world.objects[key])), key) for key in KINDS[FILES[page]]}
    assert found == {key: VIEW_PAGE[EXPECTED[persona][key]] for key in KINDS[FILES[page]]}


def test_a_download_keeps_the_cyrillic_file_name(world, client):
    response = sign_in(client, world.persona("curator_a1")).get(url("consent_file", world.consent_a1))
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%D0%A1%D0%BE%D0%B3%D0%BB%D0%B0%D1%81%D0%B8%D0%B5_"
        "%D0%A1%D0%B8%D0%B4%D0%BE%D1%80%D0%BE%D0%B2%D0%B0.pdf"
    )


def test_a_record_without_a_file_answers_not_found(world, client):
    Consent.objects.filter(pk=world.consent_a1.pk).update(document="")
    assert answer(sign_in(client, world.persona("curator_a1")).get(url("consent_file", world.consent_a1))) == 404


def test_media_addresses_of_the_uploads_are_not_served(world, client):
    document = Consent.objects.get(pk=world.consent_a1.pk).document
    assert answer(sign_in(client, world.persona("superuser")).get(document.url)) == 404


# The page that lists each record's file: a consent and an agreement on their person's page.
LISTED_ON: dict[str, tuple[str, Any]] = {
    "consent_file": ("person", lambda world: world.person_a1),
    "agreement_file": ("person", lambda world: world.agreement_a1.person),
    "programme_file": ("programme", lambda world: world.programme_a1),
}


@pytest.mark.parametrize("link", LISTED_ON)
def test_detail_pages_link_the_files_through_the_scoped_view_by_their_own_names(world, client, link):
    page, owner = LISTED_ON[link]
    key = KINDS[FILES[link]][0]
    content = sign_in(client, world.persona("curator_a1")).get(url(page, owner(world))).content.decode()
    assert f'<a href="{url(link, world.objects[key])}">{ATTACHMENTS[key][1]}</a>' in content
    assert "/media/" not in content


# Enrolling a known person looks the person up in the view scope first (404 for one the user cannot see),
# then asks whether the user may change them (403 for a person seen but not kept).
# fmt: off
ENROL: dict[str, dict[str, Any]] = {
    "regional_coordinator": {"person_a1": 403, "person_b1": 403},
    "regional_observer": {"person_a1": 403, "person_b1": 403},
    "officer_a": {"person_a1": 403, "person_b1": 404},
    "officer_b": {"person_a1": 404, "person_b1": 403},
    "observer_a": {"person_a1": 403, "person_b1": 404},
    "director_a1": {"person_a1": 200, "person_b1": 404},
    "curator_a1": {"person_a1": 200, "person_b1": 404},
    "curator_b1": {"person_a1": 404, "person_b1": 200},
    "coordinator_a1": {"person_a1": 200, "person_b1": 404},
    "mentor_a1": {"person_a1": 404, "person_b1": 404},
    "outsider": {"person_a1": 404, "person_b1": 404},
    "superuser": {"person_a1": 200, "person_b1": 200},
    "anonymous": {"person_a1": LOGIN, "person_b1": LOGIN},
}
# fmt: on


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("role", ["mentor", "mentee"])
def test_enrol_pages_open_only_for_the_persons_keepers(world, client, persona, role):
    client = sign_in(client, world.persona(persona))
    found = {key: answer(client.get(url(f"person_enrol_{role}", world.objects[key]))) for key in KINDS["person"]}
    assert found == ENROL[persona]


# --- posting: a refused POST changes nothing --------------------------------------------------------------


def person_data(person: Person, **changes: Any) -> dict[str, Any]:
    return {
        "surname": person.surname,
        "name": person.name,
        "patronymic": person.patronymic,
        "kind": PersonKind.STUDENT,
        "birth_date": person.birth_date.isoformat(),
        "class_name": person.class_name,
        "_submission": token(),
    } | changes


def programme_data(programme: Programme, **changes: Any) -> dict[str, Any]:
    return {
        "title": programme.title,
        "form": programme.form,
        "school_year": str(programme.school_year),
        "goals": programme.goals,
        "expected_results": "",
        "duration_months": "9",
        "materials": "",
        "_submission": token(),
    } | changes


def post_person_edit(client: Any, person: Person) -> Any:
    response = client.post(url("person_edit", person), person_data(person, class_name="9Б"))
    return posted(response, Person.objects.get(pk=person.pk).class_name == "9Б")


def post_consent_withdraw(client: Any, consent: Consent) -> Any:
    response = client.post(
        url("consent_withdraw", consent), {"on": TODAY.isoformat(), "confirm": "on", "_submission": token()}
    )
    return posted(response, Consent.objects.get(pk=consent.pk).withdrawn_on is not None)


def post_pair_stage(client: Any, pair: Pair) -> Any:
    response = client.post(url("pair_stage", pair), {"stage": str(Stage.MENTOR_TRAINING), "_submission": token()})
    return posted(response, Pair.objects.get(pk=pair.pk).stage == Stage.MENTOR_TRAINING)


def post_programme_edit(client: Any, programme: Programme) -> Any:
    response = client.post(url("programme_edit", programme), programme_data(programme, title="Новое название"))
    return posted(response, Programme.objects.get(pk=programme.pk).title == "Новое название")


def post_matching_run(client: Any, programme: Programme) -> Any:
    before = MatchRun.objects.filter(programme=programme).count()
    response = client.post(url("matching_run", programme), {"_submission": token()})
    return posted(response, MatchRun.objects.filter(programme=programme).count() != before)


POSTS: dict[str, tuple[Any, str]] = {
    "person_edit": (post_person_edit, "person"),
    "consent_withdraw": (post_consent_withdraw, "consent"),
    "pair_stage": (post_pair_stage, "pair"),
    "programme_edit": (post_programme_edit, "programme"),
    "matching_run": (post_matching_run, "programme"),
}


@pytest.mark.parametrize(("persona", "action"), [(p, a) for p in PERSONAS for a in POSTS])
def test_posts_write_only_for_those_who_keep_the_record(world, client, persona, action):
    perform, kind = POSTS[action]
    client = sign_in(client, world.persona(persona))
    found = {key: perform(client, world.objects[key]) for key in KINDS[kind]}
    assert found == {key: CHANGE_POST[EXPECTED[persona][key]] for key in KINDS[kind]}


# --- lists and their .xlsx exports show exactly what is in scope ---------------------------------------------

# Which of the matrix's records each list shows (``KINDS`` key), and the model its rows are.
LISTS: dict[str, str] = {"people": "person", "pairs": "pair", "programmes": "programme"}


@pytest.mark.parametrize("persona", SIGNED_IN)
@pytest.mark.parametrize("page", LISTS)
def test_list_pages_show_exactly_the_records_in_scope(world, client, persona, page):
    client = sign_in(client, world.persona(persona))
    response = client.get(url(page))
    assert response.status_code == 200
    kind = LISTS[page]
    shown = {row.pk for row in response.context["object_list"]}
    visible = {key for key in KINDS[kind] if EXPECTED[persona][key] != HIDDEN}
    assert {key for key in KINDS[kind] if world.objects[key].pk in shown} == visible
    schools = {world.objects[key].organisation_id for key in visible}
    assert {row.organisation_id for row in response.context["object_list"]} <= schools


@pytest.mark.parametrize("persona", SIGNED_IN)
@pytest.mark.parametrize("page", ["mentors", "mentees", "unpaired"])
def test_base_lists_show_only_the_schools_in_scope(world, client, persona, page):
    client = sign_in(client, world.persona(persona))
    response = client.get(url(page))
    assert response.status_code == 200
    schools = {world.objects[key].organisation_id for key in KINDS["person"] if EXPECTED[persona][key] != HIDDEN}
    assert {row.organisation_id for row in response.context["object_list"]} <= schools


@pytest.mark.parametrize("persona", SIGNED_IN)
@pytest.mark.parametrize("page", ["index", "bank"])
def test_overview_and_bank_open_for_everyone_signed_in(world, client, persona, page):
    assert answer(sign_in(client, world.persona(persona)).get(url(page))) == 200


def test_bank_shows_the_published_programme_to_its_region_only(world, client):
    title = "Опубликованная программа Белорецка"
    for persona in ("officer_a", "curator_a1", "regional_observer"):
        assert title in sign_in(client, world.persona(persona)).get(url("bank")).content.decode(), persona
    for persona in ("outsider", "mentor_a1"):
        assert title not in sign_in(client, world.persona(persona)).get(url("bank")).content.decode(), persona


@pytest.mark.parametrize("page", [*LISTS, "mentors", "mentees", "unpaired", "index", "bank", "people_lookup"])
def test_anonymous_visitor_is_sent_to_log_in_from_every_list(world, client, page):
    assert answer(client.get(url(page))) == LOGIN


# What each export names of the matrix's records.
EXPORTS: dict[str, dict[str, str]] = {
    "people": {"person_a1": "Сидоров", "person_b1": "Белов"},
    "mentees": {"person_a1": "Сидоров", "person_b1": "Белов"},
    "mentors": {"person_a1": "Петрова", "person_b1": "Орлов"},
    "pairs": {"pair_a1": "Сидоров", "pair_b1": "Белов"},
    "programmes": {"programme_a1": "«Шаг к успеху»", "programme_b1": "«Белорецк»"},
}


@pytest.mark.parametrize("persona", SIGNED_IN)
@pytest.mark.parametrize("key", EXPORTS)
def test_xlsx_exports_hold_exactly_the_records_in_scope(world, client, persona, key):
    response = sign_in(client, world.persona(persona)).get(reverse("imports:export", args=[key]))
    assert response.status_code == 200
    content = xlsx_text(b"".join(response.streaming_content) if response.streaming else response.content)
    found = {record: name in content for record, name in EXPORTS[key].items()}
    assert found == {record: EXPECTED[persona][record] != HIDDEN for record in EXPORTS[key]}


@pytest.mark.parametrize("key", EXPORTS)
def test_anonymous_visitor_gets_no_export(world, client, key):
    assert answer(client.get(reverse("imports:export", args=[key]))) == LOGIN


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_people_lookup_offers_only_the_people_one_may_change(world, client, persona):
    response = sign_in(client, world.persona(persona)).get(url("people_lookup"), {"q": "Си"})
    offered = {row["id"] for row in response.json()["results"]}
    assert (world.person_a1.pk in offered) == (EXPECTED[persona]["person_a1"] == CHANGE)
    response = sign_in(client, world.persona(persona)).get(url("people_lookup"), {"q": "Бел"})
    offered = {row["id"] for row in response.json()["results"]}
    assert (world.person_b1.pk in offered) == (EXPECTED[persona]["person_b1"] == CHANGE)


# --- adding: the add pages open for school staff only ------------------------------------------------------------

ADDS = ["mentor_add", "mentee_add", "pair_add", "programme_add", "pairs_confirm", "school_year_close"]
# fmt: off
MAY_ADD = {
    "regional_coordinator": 403, "regional_observer": 403, "officer_a": 403, "officer_b": 403, "observer_a": 403,
    "director_a1": 200, "curator_a1": 200, "curator_b1": 200, "coordinator_a1": 200,
    "mentor_a1": 403, "outsider": 403, "superuser": 200, "anonymous": LOGIN,
}
# fmt: on


@pytest.mark.parametrize("persona", PERSONAS)
def test_add_pages_open_only_for_those_who_keep_a_school(world, client, persona):
    client = sign_in(client, world.persona(persona))
    assert {page: answer(client.get(url(page))) for page in ADDS} == dict.fromkeys(ADDS, MAY_ADD[persona])
