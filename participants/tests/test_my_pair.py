"""«Моя пара»: what a mentor, a mentee and a parent see of their own pair, and the access matrix of the new pages.

The matrix is written out by hand, persona by persona: a participant holds no role, so what they
may open follows from who they are in a pair (``participant_filter`` of the models); the school's
staff lead their school's pairs, the municipality and the region above only look.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from mentorship.errors import DomainError
from mentorship.tests.factories import UserFactory
from mentorship.tests.matrix import DONE, LOGIN, answer, posted, sign_in, token
from mentorship.tests.pins import assert_queries_do_not_grow
from mentorship.tests.worlds import world_for_module
from participants.choices import MeetingKind
from participants.models import Consent, Meeting, PlanTask

from .factories import MeetingFactory, PairFactory, PlanTaskFactory
from .my_world import MY_PERSONAS, build_my_world

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _module_world(_pinned_clock: None, django_db_setup: None, django_db_blocker: Any) -> Iterator[Any]:
    yield from world_for_module(django_db_blocker, build_my_world)


# The pages: (url name, the record in the URL or None, GET or POST).
PAGES: dict[str, tuple[str, str | None, str]] = {
    "my": ("my", None, "get"),
    "my_pair": ("my_pair", "pair", "get"),
    "my_other_pair": ("my_pair", "other_pair", "get"),
    "my_meeting_log": ("my_meeting_log", "pair", "get"),
    "my_meeting_held": ("my_meeting_held", "regular", "get"),
    "my_meeting_rate": ("my_meeting_rate", "intro", "get"),
    "my_task_done": ("my_task_done", "task", "post"),
    "meeting_ics": ("meeting_ics", "regular", "get"),
    "my_calendar": ("my_calendar", None, "get"),
}

# fmt: off
OVERSEER = {
    "my": 200, "my_pair": 404, "my_other_pair": 404, "my_meeting_log": 403, "my_meeting_held": 403,
    "my_meeting_rate": 403, "my_task_done": 403, "meeting_ics": 200, "my_calendar": 200,
}
STAFF_A1 = {
    "my": 200, "my_pair": 404, "my_other_pair": 404, "my_meeting_log": 200, "my_meeting_held": 200,
    "my_meeting_rate": 200, "my_task_done": DONE, "meeting_ics": 200, "my_calendar": 200,
}
STRANGER = {
    "my": 200, "my_pair": 404, "my_other_pair": 404, "my_meeting_log": 404, "my_meeting_held": 404,
    "my_meeting_rate": 404, "my_task_done": 404, "meeting_ics": 404, "my_calendar": 200,
}
EXPECTED: dict[str, dict[str, Any]] = {
    "regional_coordinator": OVERSEER,
    "regional_observer": OVERSEER,
    "officer_a": OVERSEER,
    "officer_b": STRANGER,
    "observer_a": OVERSEER,
    "director_a1": STAFF_A1,
    "curator_a1": STAFF_A1,
    "curator_b1": STRANGER,
    "coordinator_a1": STAFF_A1,
    # The pair's mentor: straight to their one pair; logs, marks held, ticks; rates nothing.
    "mentor_a1": {
        "my": 302, "my_pair": 200, "my_other_pair": 404, "my_meeting_log": 200, "my_meeting_held": 200,
        "my_meeting_rate": 403, "my_task_done": DONE, "meeting_ics": 200, "my_calendar": 200,
    },
    "outsider": STRANGER,
    "superuser": {
        "my": 200, "my_pair": 200, "my_other_pair": 200, "my_meeting_log": 200, "my_meeting_held": 200,
        "my_meeting_rate": 200, "my_task_done": DONE, "meeting_ics": 200, "my_calendar": 200,
    },
    "anonymous": dict.fromkeys(PAGES, LOGIN),
    # The mentee: sees the pair, rates a held meeting, logs and ticks nothing.
    "mentee": {
        "my": 302, "my_pair": 200, "my_other_pair": 404, "my_meeting_log": 403, "my_meeting_held": 403,
        "my_meeting_rate": 200, "my_task_done": 403, "meeting_ics": 200, "my_calendar": 200,
    },
    # The parent under a consent in force: reads their child's pair, changes nothing.
    "parent": {
        "my": 302, "my_pair": 200, "my_other_pair": 404, "my_meeting_log": 403, "my_meeting_held": 403,
        "my_meeting_rate": 403, "my_task_done": 403, "meeting_ics": 200, "my_calendar": 200,
    },
    # A parent whose consent was withdrawn: nothing of the pair, as if it did not exist.
    "parent_withdrawn": STRANGER,
    # Another pair's mentor: their own pair only.
    "mentor_other": {
        "my": 302, "my_pair": 404, "my_other_pair": 200, "my_meeting_log": 404, "my_meeting_held": 404,
        "my_meeting_rate": 404, "my_task_done": 404, "meeting_ics": 404, "my_calendar": 200,
    },
}
# fmt: on


def url(name: str, obj: Any = None) -> str:
    return reverse(f"participants:{name}", args=[] if obj is None else [obj.pk])


@pytest.mark.parametrize("persona", MY_PERSONAS)
def test_the_pages_of_my_pair_answer_each_persona_as_written_by_hand(world, client, persona):
    client = sign_in(client, world.persona(persona))
    found = {}
    for page, (name, key, method) in PAGES.items():
        address = url(name, world.objects[key] if key else None)
        if method == "post":
            task = world.task
            response = client.post(address, {"_submission": token()})
            found[page] = posted(response, PlanTask.objects.get(pk=task.pk).done_on != task.done_on)
        else:
            found[page] = answer(client.get(address))
    assert found == EXPECTED[persona]


def test_a_mentor_sees_the_members_names_the_programme_the_plan_and_the_meetings(world, client_as):
    page = client_as(world.mentor_a1).get(url("my_pair", world.pair)).content.decode()
    for text in (
        "Моя пара",
        "Петрова Анна",
        "Сидоров Илья",
        world.programme_a1.title,
        "Решить 20 задач из сборника",
        "Встреча-знакомство",
        "Регулярная встреча",
        "Записать встречу",
    ):
        assert text in page


def test_no_contact_of_the_minor_mentee_shows_on_the_pair_page(world, client_as):
    mentee = world.mentee_a1_person
    assert mentee.email
    assert mentee.is_minor_on(date(2026, 11, 23))
    for persona in ("mentor_a1", "mentee", "parent"):
        page = client_as(world.persona(persona)).get(url("my_pair", world.pair)).content.decode()
        assert mentee.email not in page
        assert world.mentor_a1_person.email not in page
        assert "15.03.2011" not in page


def test_a_mentee_sees_the_mentor_and_can_rate_a_held_meeting_but_not_log_one(world, client_as):
    page = client_as(world.mentee).get(url("my_pair", world.pair)).content.decode()
    assert "Петрова Анна" in page
    assert "Оценить" in page
    assert "Записать встречу" not in page
    assert "Встреча прошла" not in page


def test_a_parent_reads_the_childs_pair_without_the_meeting_notes(world, client_as):
    page = client_as(world.parent).get(url("my_pair", world.pair)).content.decode()
    assert "Пара моего ребёнка" in page
    assert "Петрова Анна" in page
    assert "Встреча-знакомство" in page
    assert "Познакомились, обсудили цели." not in page
    assert "Оценить" not in page
    assert "Записать встречу" not in page


def test_in_a_group_a_parent_sees_their_own_child_and_not_the_other_minors(world, client_as):
    from participants.choices import BaseRole

    from .factories import add_members, enrolled

    other = enrolled(organisation=world.pair.organisation, surname="Соседова", name="Вера")
    add_members(world.pair, BaseRole.MENTEE, [other])
    page = client_as(world.parent).get(url("my_pair", world.pair)).content.decode()
    assert world.guardianship.person.full_name in page
    assert "Соседова" not in page
    # The mentee, a member of the group, sees the co-mentee's name.
    assert "Соседова" in client_as(world.mentee).get(url("my_pair", world.pair)).content.decode()


def test_a_parent_loses_the_page_when_the_consent_is_withdrawn(world, client_as):
    client = client_as(world.parent)
    assert client.get(url("my_pair", world.pair)).status_code == 200
    Consent.objects.filter(pk=world.guardianship.consent_id).update(withdrawn_on=date(2026, 11, 20))
    assert client.get(url("my_pair", world.pair)).status_code == 404


def test_a_parent_loses_the_page_when_the_consent_expires(world, client_as):
    Consent.objects.filter(pk=world.guardianship.consent_id).update(valid_until=date(2026, 11, 22))
    assert client_as(world.parent).get(url("my_pair", world.pair)).status_code == 404


def test_a_mentee_who_left_the_pair_no_longer_sees_it(world, client_as):
    world.pair.members.filter(person=world.mentee_a1_person).update(left_on=date(2026, 11, 20))
    assert client_as(world.mentee).get(url("my_pair", world.pair)).status_code == 404


def test_the_menu_offers_my_pair_to_the_mentor_the_mentee_and_the_parent_only(world, client_as):
    link = f'href="{reverse("participants:my")}"'
    for persona, shown in (
        ("mentor_a1", True),
        ("mentee", True),
        ("parent", True),
        ("parent_withdrawn", False),
        ("outsider", False),
        ("curator_a1", False),
    ):
        page = client_as(world.persona(persona)).get(reverse("home")).content.decode()
        assert (link in page) is shown, persona


def test_the_menu_of_a_mentee_costs_one_query_more_than_a_staff_members(world, client_as, django_assert_num_queries):
    from mentorship import menu

    with django_assert_num_queries(2):
        menu.build(world.mentee)
    with django_assert_num_queries(1):
        menu.build(world.curator_a1)
    with django_assert_num_queries(1):
        menu.build(world.mentor_a1)


def test_my_pairs_lists_both_pairs_of_a_mentor_who_leads_two(world, client_as):
    PairFactory(
        programme=world.programme_a1_peer,
        mentors=[world.mentor_a1_person],
        mentees=[world.student_b1_person],
        title="Группа «Вместе»",
    )
    page = client_as(world.mentor_a1).get(url("my")).content.decode()
    assert "Пара «Алгебра»" in page
    assert "Группа «Вместе»" in page
    assert "Пара «Физика»" not in page


def test_someone_in_no_pair_is_told_so(world, client_as):
    page = client_as(world.outsider).get(url("my")).content.decode()
    assert "Вы пока не состоите ни в одной наставнической паре" in page


def _more_meetings_and_tasks(world: Any) -> None:
    for n in range(4):
        MeetingFactory(
            pair=world.pair, kind=MeetingKind.REGULAR, planned_on=date(2026, 10, 10 + n), held_on=date(2026, 10, 10 + n)
        )
        MeetingFactory(pair=world.pair, kind=MeetingKind.REGULAR, planned_on=date(2026, 12, 1 + n))
        PlanTaskFactory(plan=world.plan)
    assert Meeting.objects.filter(pair=world.pair).count() == 10


@pytest.mark.parametrize("persona", ["mentor_a1", "mentee", "parent"])
def test_my_pair_costs_the_same_queries_for_1_and_5_meetings_and_tasks(
    world, client_as, django_assert_num_queries, persona
):
    client = client_as(world.persona(persona))
    response = assert_queries_do_not_grow(
        client, url("my_pair", world.pair), lambda: _more_meetings_and_tasks(world), django_assert_num_queries
    )
    assert response.content.decode().count("Регулярная встреча") >= 9


# --- linking a parent's account -------------------------------------------------------------------------------


def test_the_curator_links_a_parent_under_the_consent_the_parent_signed(world, client_as):
    from participants import services

    mother = UserFactory(username="mother_kuznetsova")
    link = services.guardianship_link(actor=world.curator_a1, user=mother, person=world.mentee_a1_second)
    assert link.consent.signer == "parent"
    assert link.consent.withdrawn_on is None
    assert client_as(mother).get(url("my_pair", world.other_pair)).status_code == 200


def test_a_parent_cannot_be_linked_to_an_adult_who_signed_their_own_consent(world):
    from participants import services

    with pytest.raises(DomainError, match="подписанного родителем"):
        services.guardianship_link(
            actor=world.curator_a1, user=UserFactory(username="x"), person=world.mentor_a1_person
        )


@pytest.mark.parametrize("persona", ["curator_b1", "officer_a", "mentor_a1", "parent"])
def test_only_the_schools_staff_link_a_parent(world, persona):
    from participants import services

    with pytest.raises(PermissionDenied):
        services.guardianship_link(
            actor=world.persona(persona), user=UserFactory(username="y"), person=world.mentee_a1_second
        )


@pytest.mark.parametrize(
    ("persona", "queries"),
    # The session, the user, the menu (one more for an account holding no role) and the bell; the pair,
    # its members, the plans, their tasks, the meetings; whether the mentor leads it or the mentee may rate,
    # or, for a parent, which of the mentees are their children.
    [("mentor_a1", 10), ("mentee", 11), ("parent", 11)],
)
def test_my_pair_costs_a_pinned_number_of_queries(world, client_as, persona, queries):
    from mentorship.tests.pins import count_queries

    client = client_as(world.persona(persona))
    client.get(url("my_pair", world.pair))
    assert count_queries(client, url("my_pair", world.pair)) == queries


# --- the staff's new pages, seen by the participants' personas ---------------------------------------------
#
# Questionnaires (copies, sending) and portal access (opening a mentee's or a parent's access) are the
# school staff's work. The portal's templates are read by every signed-in user (they name nobody), so a
# participant may read the list and a template but copies or sends nothing (403); the people's cards
# and their access are not theirs to reach (404).

PARTICIPANT_PERSONAS = ("mentor_a1", "mentee", "parent", "parent_withdrawn", "mentor_other")


def staff_pages(world) -> dict[str, tuple[str, str]]:
    from participants.models import Questionnaire

    template = Questionnaire.objects.get(template_key="teacher_student:mentee:exit")
    person = world.mentee_a1_person
    return {
        "questionnaires": ("get", reverse("participants:questionnaires")),
        "questionnaire": ("get", reverse("participants:questionnaire", args=[template.pk])),
        "questionnaire_copy": ("get", reverse("participants:questionnaire_copy", args=[template.pk])),
        "questionnaire_send": ("get", reverse("participants:questionnaire_send", args=[template.pk])),
        "access_open": ("post", reverse("participants:access_open", args=[person.pk])),
        "access_parent": ("post", reverse("participants:access_parent", args=[person.pk])),
        "person": ("get", reverse("participants:person", args=[person.pk])),
    }


@pytest.mark.parametrize("persona", PARTICIPANT_PERSONAS)
def test_participants_read_templates_but_reach_none_of_the_questionnaire_and_access_work(world, client, persona):
    from participants.services import questionnaire_templates_load

    questionnaire_templates_load()
    client = sign_in(client, world.persona(persona))
    found = {}
    for page, (method, address) in staff_pages(world).items():
        response = client.post(address, {"_submission": token()}) if method == "post" else client.get(address)
        found[page] = response.status_code
    assert found == {
        "questionnaires": 200,
        "questionnaire": 200,
        "questionnaire_copy": 403,
        "questionnaire_send": 403,
        "access_open": 404,
        "access_parent": 404,
        "person": 404,
    }
