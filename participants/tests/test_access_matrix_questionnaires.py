"""The questionnaires' access matrix: every persona, the questionnaire pages and the follow-up of a sending.

Written out by hand from ``participants/roles.py`` and ``Questionnaire.scope_filter``, never computed
with the scoping code under test:

* the portal's templates are read by every signed-in user and changed by administrators only;
* a region's questionnaire is read across the region and changed by the regional coordinator;
* a school's own questionnaire is kept by the school's staff and read by those above it;
* copying needs the right to add questionnaires (school staff, the regional coordinator);
  sending and following up need the school's programme (school staff keep it, those above read it);
* a mentor and an outsider hold nothing here.

See ``mentorship/tests/matrix.py`` for what «hidden», «read» and «change» answer.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from guardian.shortcuts import assign_perm

from mentorship.tests.factories import PERSONAS, World
from mentorship.tests.matrix import CHANGE_POST, DONE, LOGIN, VIEW_PAGE, answer, posted, sign_in, token
from mentorship.tests.worlds import world_for_module
from participants import services
from participants.choices import BaseRole, QuestionKind
from participants.models import Person, Questionnaire, QuestionnaireLink, Response
from participants.services.questionnaires import curator_response_submit

from .factories import TODAY, PairFactory, build_participants_world, enrolled

pytestmark = pytest.mark.django_db

H, R, C = "hidden", "read", "change"


def _curator_answers(questionnaire: Questionnaire) -> dict[int, Any]:
    return {
        q.pk: 7 if q.kind == QuestionKind.SCALE else (q.option_list[0] if q.option_list else "Встречи")
        for q in questionnaire.questions.all()
    }


def build_matrix_world() -> World:
    """The participants' world, a pair at A1 led by the mentor persona and one at B1; the exit questionnaire
    copied into A1, into B1 and into region R, and sent to each school's programme; the curator's questionnaire
    filled in by A1's curator about A1's second programme."""
    world = build_participants_world()
    services.questionnaire_templates_load()
    o, p = world.objects, world.personas
    mentor = o["mentor_a1_person"]
    mentor.user = p["mentor_a1"]
    mentor.save()
    o["pair_a1"] = PairFactory(programme=o["programme_a1"], mentors=[mentor], mentees=[o["mentee_a1_person"]])
    assign_perm("participants.view_pair", p["mentor_a1"], o["pair_a1"])
    b1_mentor = enrolled(BaseRole.MENTOR, organisation=o["organisation_b1"], surname="Орлов", name="Денис")
    o["pair_b1"] = PairFactory(programme=o["programme_b1"], mentors=[b1_mentor], mentees=[o["student_b1_person"]])
    template = Questionnaire.objects.get(template_key="teacher_student:mentee:exit")
    o["template"] = template
    o["q_a1"] = services.questionnaire_copy(
        actor=p["curator_a1"], questionnaire=template, organisation=o["organisation_a1"]
    )
    o["q_b1"] = services.questionnaire_copy(
        actor=p["curator_b1"], questionnaire=template, organisation=o["organisation_b1"]
    )
    o["q_r"] = services.questionnaire_copy(
        actor=p["regional_coordinator"], questionnaire=template, region=o["region_r"]
    )
    for school, curator in (("a1", "curator_a1"), ("b1", "curator_b1")):
        services.questionnaire_send(
            actor=p[curator],
            questionnaire=o[f"q_{school}"],
            programme=o[f"programme_{school}"],
            deadline=TODAY + timedelta(days=14),
        )
    o["q_curator"] = Questionnaire.objects.get(template_key="curator:exit")
    o["curator_response"] = curator_response_submit(
        actor=p["curator_a1"],
        questionnaire=o["q_curator"],
        programme=o["programme_a1_peer"],
        answers=_curator_answers(o["q_curator"]),
    )
    return world


@pytest.fixture(scope="module")
def _module_world(_pinned_clock: None, django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    yield from world_for_module(django_db_blocker, build_matrix_world)


QUESTIONNAIRES = ["template", "q_a1", "q_b1", "q_r"]
SENDINGS = ["a1", "b1"]

# fmt: off
# Per persona: the questionnaire, edit, copy and send pages (template, A1's, B1's, the region's).
A1_STAFF = {
    "view": [R, C, H, R], "edit": [403, 200, 404, 403], "copy": [200, 200, 404, 200], "send": [200, 200, 404, 200],
    "follow_up": [200, 404], "remind": [C, H],
}
EXPECTED: dict[str, dict[str, list[Any]]] = {
    "regional_coordinator": {
        "view": [R, R, R, C], "edit": [403, 403, 403, 200], "copy": [200, 200, 200, 200], "send": [403, 403, 403, 403],
        "follow_up": [200, 200], "remind": [R, R],
    },
    "regional_observer": {
        "view": [R, R, R, R], "edit": [403, 403, 403, 403], "copy": [403, 403, 403, 403], "send": [403, 403, 403, 403],
        "follow_up": [200, 200], "remind": [R, R],
    },
    "officer_a": {
        "view": [R, R, H, R], "edit": [403, 403, 404, 403], "copy": [403, 403, 404, 403], "send": [403, 403, 404, 403],
        "follow_up": [200, 404], "remind": [R, H],
    },
    "officer_b": {
        "view": [R, H, R, R], "edit": [403, 404, 403, 403], "copy": [403, 404, 403, 403], "send": [403, 404, 403, 403],
        "follow_up": [404, 200], "remind": [H, R],
    },
    "observer_a": {
        "view": [R, R, H, R], "edit": [403, 403, 404, 403], "copy": [403, 403, 404, 403], "send": [403, 403, 404, 403],
        "follow_up": [200, 404], "remind": [R, H],
    },
    "director_a1": A1_STAFF,
    "curator_a1": A1_STAFF,
    "coordinator_a1": A1_STAFF,
    "curator_b1": {
        "view": [R, H, C, R], "edit": [403, 404, 200, 403], "copy": [200, 404, 200, 200], "send": [200, 404, 200, 200],
        "follow_up": [404, 200], "remind": [H, C],
    },
    "mentor_a1": {
        "view": [R, H, H, H], "edit": [403, 404, 404, 404], "copy": [403, 404, 404, 404], "send": [403, 404, 404, 404],
        "follow_up": [404, 404], "remind": [H, H],
    },
    "outsider": {
        "view": [R, H, H, H], "edit": [403, 404, 404, 404], "copy": [403, 404, 404, 404], "send": [403, 404, 404, 404],
        "follow_up": [404, 404], "remind": [H, H],
    },
    "superuser": {
        "view": [C, C, C, C], "edit": [200, 200, 200, 200], "copy": [200, 200, 200, 200], "send": [200, 200, 200, 200],
        "follow_up": [200, 200], "remind": [C, C],
    },
    "anonymous": {
        "view": [LOGIN] * 4, "edit": [LOGIN] * 4, "copy": [LOGIN] * 4, "send": [LOGIN] * 4,
        "follow_up": [LOGIN, LOGIN], "remind": [LOGIN, LOGIN],
    },
}
# fmt: on

PAGES = {"edit": "questionnaire_edit", "copy": "questionnaire_copy", "send": "questionnaire_send"}


def _url(name: str, *args: Any) -> str:
    return reverse(f"participants:{name}", args=[getattr(a, "pk", a) for a in args])


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_questionnaire_page_answers_by_scope(world: Any, client: Any, persona: str) -> None:
    client = sign_in(client, world.persona(persona))
    found = [answer(client.get(_url("questionnaire", world.objects[key]))) for key in QUESTIONNAIRES]
    assert found == [VIEW_PAGE[level] for level in EXPECTED[persona]["view"]]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", PAGES)
def test_edit_copy_and_send_pages_answer_by_scope_and_permission(
    world: Any, client: Any, persona: str, page: str
) -> None:
    client = sign_in(client, world.persona(persona))
    found = [answer(client.get(_url(PAGES[page], world.objects[key]))) for key in QUESTIONNAIRES]
    assert found == EXPECTED[persona][page]


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_follow_up_page_answers_by_the_programmes_scope(world: Any, client: Any, persona: str) -> None:
    client = sign_in(client, world.persona(persona))
    o = world.objects
    found = [
        answer(client.get(_url("questionnaire_follow_up", o[f"q_{school}"], o[f"programme_{school}"])))
        for school in SENDINGS
    ]
    assert found == EXPECTED[persona]["follow_up"]


def _remind(client: Any, world: Any, school: str) -> Any:
    o = world.objects
    response = client.post(
        _url("questionnaire_remind", o[f"q_{school}"], o[f"programme_{school}"]), {"_submission": token()}
    )
    return posted(
        response, QuestionnaireLink.objects.filter(programme=o[f"programme_{school}"], reminded_on=TODAY).exists()
    )


MENTEE = {"a1": "mentee_a1_person", "b1": "student_b1_person"}


def _sheets(client: Any, world: Any, school: str) -> Any:
    """The sheets of a programme whose mentee has no e-mail: «change» when the page printed one."""
    o = world.objects
    Person.objects.filter(pk=o[MENTEE[school]].pk).update(email="")
    response = client.post(_url("questionnaire_sheets", o[f"q_{school}"], o[f"programme_{school}"]))
    printed = QuestionnaireLink.objects.filter(programme=o[f"programme_{school}"], printed_at__isnull=False).exists()
    result = answer(response)
    if result == 200:
        return C if printed else "200 without printing"
    return f"{result} but it printed" if printed else result


SHEETS = {H: 404, R: 403, C: "change", LOGIN: LOGIN}


@pytest.mark.parametrize("persona", PERSONAS)
def test_remind_writes_only_for_the_programmes_keepers(world: Any, client: Any, persona: str) -> None:
    client = sign_in(client, world.persona(persona))
    found = [_remind(client, world, school) for school in SENDINGS]
    assert found == [CHANGE_POST[level] for level in EXPECTED[persona]["remind"]]


@pytest.mark.parametrize("persona", PERSONAS)
def test_sheets_print_only_for_the_programmes_keepers(world: Any, client: Any, persona: str) -> None:
    client = sign_in(client, world.persona(persona))
    found = [_sheets(client, world, school) for school in SENDINGS]
    assert found == [SHEETS[level] for level in EXPECTED[persona]["remind"]]


def _new_version(client: Any, questionnaire: Questionnaire) -> Any:
    response = client.post(_url("questionnaire_version", questionnaire), {"_submission": token()})
    return posted(response, Questionnaire.objects.filter(source=questionnaire, version__gte=2).exists())


# «Создать новую версию» is a change of the questionnaire: it writes exactly where the edit page opens.
VERSION = {200: "done", 403: 403, 404: 404, LOGIN: LOGIN}


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_new_version_is_made_only_by_those_who_keep_the_questionnaire(world: Any, client: Any, persona: str) -> None:
    client = sign_in(client, world.persona(persona))
    found = [_new_version(client, world.objects[key]) for key in QUESTIONNAIRES]
    assert found == [VERSION[status] for status in EXPECTED[persona]["edit"]]


# --- the curator's questionnaire, filled in by the school's staff themselves -----------------------------
#
# Written out by hand: the page of the curator's questionnaire (the portal's template) is read by every
# signed-in user; answering it about a programme needs the programme in view (404 outside, so another
# school's programme answers 404), the right to change it and to add responses (school staff; 403 for
# those above who only read it); a filled-in response is read where the school's records are read.
# Per persona: the answer page for A1's programme and for B1's, and A1's curator's response.

A1_STAFF_CURATOR = {"fill": [200, 404], "response": 200}
CURATOR_EXPECTED: dict[str, dict[str, Any]] = {
    "regional_coordinator": {"fill": [403, 403], "response": 200},
    "regional_observer": {"fill": [403, 403], "response": 200},
    "officer_a": {"fill": [403, 404], "response": 200},
    "officer_b": {"fill": [404, 403], "response": 404},
    "observer_a": {"fill": [403, 404], "response": 200},
    "director_a1": A1_STAFF_CURATOR,
    "curator_a1": A1_STAFF_CURATOR,
    "coordinator_a1": A1_STAFF_CURATOR,
    "curator_b1": {"fill": [404, 200], "response": 404},
    "mentor_a1": {"fill": [404, 404], "response": 404},
    "outsider": {"fill": [404, 404], "response": 404},
    "superuser": {"fill": [200, 200], "response": 200},
    "anonymous": {"fill": [LOGIN, LOGIN], "response": LOGIN},
}
FILL_POST = {200: DONE, 403: 403, 404: 404, LOGIN: LOGIN}


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_curators_questionnaire_page_is_read_by_everyone_signed_in(world: Any, client: Any, persona: str) -> None:
    client = sign_in(client, world.persona(persona))
    found = answer(client.get(_url("curator_questionnaire", world.objects["q_curator"])))
    assert found == (LOGIN if persona == "anonymous" else 200)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_curators_answer_page_opens_for_the_programmes_keepers(world: Any, client: Any, persona: str) -> None:
    client = sign_in(client, world.persona(persona))
    o = world.objects
    found = [
        answer(client.get(_url("curator_answer", o["q_curator"], o[f"programme_{school}"]))) for school in SENDINGS
    ]
    assert found == CURATOR_EXPECTED[persona]["fill"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_curators_answers_are_written_only_by_the_programmes_keepers(world: Any, client: Any, persona: str) -> None:
    client = sign_in(client, world.persona(persona))
    o = world.objects
    data = {f"q{pk}": value for pk, value in _curator_answers(o["q_curator"]).items()}
    found = []
    for school in SENDINGS:
        programme = o[f"programme_{school}"]
        response = client.post(_url("curator_answer", o["q_curator"], programme), data | {"_submission": token()})
        found.append(posted(response, Response.objects.filter(programme=programme).exists()))
    assert found == [FILL_POST[status] for status in CURATOR_EXPECTED[persona]["fill"]]


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_curators_response_is_read_where_the_schools_records_are(world: Any, client: Any, persona: str) -> None:
    client = sign_in(client, world.persona(persona))
    found = answer(client.get(_url("curator_response", world.objects["curator_response"])))
    assert found == CURATOR_EXPECTED[persona]["response"]
