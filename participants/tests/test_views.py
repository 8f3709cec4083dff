"""The curator's pages: who sees and does what, every form through its service, bad input, fixed query counts."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from participants.choices import BaseRole, ConsentSigner, MeetingKind, MentorshipForm, PairStatus, PersonKind
from participants.models import BaseEntry, Consent, Meeting, Pair, PairMember, Person, Programme

from .factories import PAIR_STARTED_ON, TODAY, ConsentFactory, PairFactory, ProgrammeFactory, enrolled

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_as(client: Any) -> Any:
    def sign_in(user: Any) -> Any:
        client.force_login(user)
        return client

    return sign_in


def token() -> str:
    return str(uuid.uuid4())


def text(response: Any) -> str:
    return response.content.decode()


def url(name: str, *args: Any) -> str:
    return reverse(f"participants:{name}", args=args)


def pair_of(world: Any, **kwargs: Any) -> Pair:
    return PairFactory(
        programme=world.programme_a1, mentors=[world.mentor_a1_person], mentees=[world.mentee_a1_person], **kwargs
    )


def enrol_data(**changes: Any) -> dict[str, Any]:
    data = {
        "organisation": "",
        "school_year": "2026",
        "kind": PersonKind.STUDENT,
        "surname": "Орлова",
        "name": "Дарья",
        "patronymic": "Игоревна",
        "birth_date": "2012-05-14",
        "email": "",
        "phone": "",
        "class_name": "8Б",
        "position": "",
        "subject": "",
        "service_start": "",
        "workplace": "",
        "interests": "биология",
        "competences": "",
        "achievements": "",
        "category": "gifted",
        "form": MentorshipForm.TEACHER_STUDENT,
        "request": "Подготовиться к олимпиаде по биологии",
        "availability": "после уроков",
        "consent_signer": ConsentSigner.PARENT,
        "consent_signer_name": "Орлова Наталья Петровна",
        "consent_signed_on": "2026-11-20",
        "consent_valid_until": "",
        "_submission": token(),
    }
    return data | changes


def mentor_data(**changes: Any) -> dict[str, Any]:
    return (
        enrol_data(
            kind=PersonKind.TEACHER,
            surname="Гарипова",
            name="Лилия",
            patronymic="Рашитовна",
            birth_date="1985-02-01",
            class_name="",
            position="учитель биологии",
            subject="биология",
            service_start="2008-09-01",
            category="teacher",
            request="Олимпиадная биология",
            capacity="3",
            preferred_age_min="",
            preferred_age_max="",
            consent_signer=ConsentSigner.SELF,
            consent_signer_name="",
        )
        | changes
    )


# --- pages render for the personas in scope -----------------------------------------------------------------------

LIST_PAGES = ["index", "people", "mentors", "mentees", "unpaired", "pairs", "programmes", "bank"]


@pytest.mark.parametrize("page", LIST_PAGES)
@pytest.mark.parametrize(
    "persona", ["curator_a1", "director_a1", "coordinator_a1", "officer_a", "regional_observer", "superuser"]
)
def test_lists_render_for_staff_and_overseers(world, client_as, persona, page):
    pair_of(world)
    response = client_as(world.persona(persona)).get(url(page))
    assert response.status_code == 200
    if page in ("mentors", "mentees", "pairs", "people"):
        assert "Сидоров" in text(response) or page == "mentors"
    if page == "mentors":
        assert "Петрова" in text(response)


@pytest.mark.parametrize("page", LIST_PAGES)
def test_lists_ask_the_anonymous_to_sign_in(world, client, page):
    response = client.get(url(page))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_lists_show_nothing_of_other_schools(world, client_as):
    client = client_as(world.curator_b1)
    assert "Сидоров" not in text(client.get(url("mentees")))
    assert "Белов" in text(client.get(url("mentees")))
    assert "Петрова" not in text(client.get(url("people")))


def test_overview_counts_the_school_year(world, client_as):
    pair_of(world)
    response = client_as(world.curator_a1).get(url("index"))
    context = response.context
    assert (context["mentors_count"], context["mentees_count"], context["pairs_count"]) == (1, 2, 1)
    assert context["unpaired_count"] == 1
    assert "Добавить наставника" in text(response)


def test_overseers_see_the_lists_read_only(world, client_as):
    pair_of(world)
    for persona in ("officer_a", "regional_observer"):
        client = client_as(world.persona(persona))
        for page in ("index", "mentors", "mentees", "pairs", "programmes"):
            body = text(client.get(url(page)))
            assert "Добавить наставника" not in body
            assert "Создать пару" not in body
            assert "Утвердить отмеченные" not in body
        assert "Сидоров" in text(client.get(url("pairs")))


@pytest.mark.parametrize("persona", ["curator_a1", "officer_a", "regional_coordinator", "superuser"])
def test_details_render_in_scope(world, client_as, persona):
    pair = pair_of(world)
    client = client_as(world.persona(persona))
    for address in (
        url("person", world.mentee_a1_person.pk),
        url("pair", pair.pk),
        url("programme", world.programme_a1.pk),
        url("matching", world.programme_a1.pk),
        url("pair_history", pair.pk),
    ):
        assert client.get(address).status_code == 200, address


@pytest.mark.parametrize("persona", ["curator_b1", "officer_b", "outsider"])
def test_details_outside_the_scope_are_404(world, client_as, persona):
    pair = pair_of(world)
    client = client_as(world.persona(persona))
    for address in (
        url("person", world.mentee_a1_person.pk),
        url("pair", pair.pk),
        url("programme", world.programme_a1.pk),
        url("matching", world.programme_a1.pk),
        url("person_edit", world.mentee_a1_person.pk),
        url("consent_add", world.mentee_a1_person.pk),
        url("meeting_add", pair.pk),
        url("pair_complete", pair.pk),
    ):
        assert client.get(address).status_code == 404, address


def test_pair_page_shows_members_stage_and_meetings(world, client_as):
    pair = pair_of(world)
    Meeting.objects.create(pair=pair, kind=MeetingKind.INTRO, planned_on=date(2026, 10, 5), held_on=date(2026, 10, 5))
    body = text(client_as(world.curator_a1).get(url("pair", pair.pk)))
    assert "Петрова Анна" in body
    assert "Сидоров Илья" in body
    assert "Встреча-знакомство" in body
    assert "5. Формирование пар и групп" in body
    assert "Записать встречу" in body


def test_anonymised_person_shows_no_personal_data(world, client_as):
    person = world.mentee_a1_person
    consent = person.consents.get()
    client = client_as(world.curator_a1)
    response = client.post(
        url("consent_withdraw", consent.pk), {"on": TODAY.isoformat(), "confirm": "on", "_submission": token()}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.anonymised_at is not None
    body = text(client.get(url("person", person.pk)))
    assert "Сидоров" not in body
    assert "данные скрыты" in body


# --- read-only users: 403 for every change ------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["officer_a", "regional_observer", "observer_a"])
def test_overseers_may_not_change_anything(world, client_as, persona):
    pair = pair_of(world)
    consent = world.mentee_a1_person.consents.get()
    client = client_as(world.persona(persona))
    for address in (
        url("mentor_add"),
        url("mentee_add"),
        url("pair_add"),
        url("programme_add"),
        url("pairs_confirm"),
        url("school_year_close"),
        url("person_edit", world.mentee_a1_person.pk),
        url("consent_add", world.mentee_a1_person.pk),
        url("consent_withdraw", consent.pk),
        url("pair_stage", pair.pk),
        url("pair_complete", pair.pk),
        url("pair_terminate", pair.pk),
        url("meeting_add", pair.pk),
        url("plan_add", pair.pk),
        url("programme_edit", world.programme_a1.pk),
        url("programme_copy", world.programme_a1.pk),
    ):
        assert client.get(address).status_code == 403, address
    response = client.post(url("matching_run", world.programme_a1.pk), {"_submission": token()})
    assert response.status_code == 403
    response = client.post(url("mentee_add"), enrol_data(organisation=world.organisation_a1.pk))
    assert response.status_code == 403
    assert not Person.objects.filter(surname="Орлова").exists()


# --- «Добавить наставника», «Добавить наставляемого» --------------------------------------------------------------


def test_curator_adds_a_mentor_with_consent_in_one_form(world, client_as):
    client = client_as(world.curator_a1)
    form = client.get(url("mentor_add")).context["form"]
    assert form.initial["organisation"] == world.organisation_a1.pk
    response = client.post(url("mentor_add"), mentor_data(organisation=world.organisation_a1.pk))
    person = Person.objects.get(surname="Гарипова")
    assert response.status_code == 302
    assert response["Location"] == url("person", person.pk)
    entry = BaseEntry.objects.get(person=person)
    assert (entry.role, entry.school_year, entry.capacity, entry.mentor_kind) == (BaseRole.MENTOR, 2026, 3, "teacher")
    assert person.consents.get().signer == ConsentSigner.SELF
    assert "Участник добавлен в базу наставников." in text(client.get(response["Location"]))


def test_curator_adds_a_minor_mentee_with_parental_consent(world, client_as):
    response = client_as(world.curator_a1).post(url("mentee_add"), enrol_data(organisation=world.organisation_a1.pk))
    assert response.status_code == 302
    person = Person.objects.get(surname="Орлова")
    assert person.base_entries.get().mentee_category == "gifted"
    consent = person.consents.get()
    assert (consent.signer, consent.signer_name) == (ConsentSigner.PARENT, "Орлова Наталья Петровна")


def assert_nothing_saved(response: Any, message: str) -> None:
    assert response.status_code == 200
    assert message in text(response)
    assert not Person.objects.filter(surname__in=["Орлова", "Гарипова"]).exists()
    assert not BaseEntry.objects.filter(person__surname__in=["Орлова", "Гарипова"]).exists()


def test_minor_self_signed_consent_is_refused(world, client_as):
    data = enrol_data(organisation=world.organisation_a1.pk, consent_signer=ConsentSigner.SELF, consent_signer_name="")
    response = client_as(world.curator_a1).post(url("mentee_add"), data)
    assert_nothing_saved(response, "Согласие за несовершеннолетнего подписывает родитель или законный представитель")


def test_birth_date_in_the_future_is_refused(world, client_as):
    future = (TODAY + timedelta(days=30)).isoformat()
    response = client_as(world.curator_a1).post(
        url("mentee_add"), enrol_data(organisation=world.organisation_a1.pk, birth_date=future)
    )
    assert_nothing_saved(response, f"Дата рождения {TODAY + timedelta(days=30):%d.%m.%Y} ещё не наступила.")


def test_enrolment_in_another_school_is_refused(world, client_as):
    response = client_as(world.curator_a1).post(url("mentee_add"), enrol_data(organisation=world.organisation_b1.pk))
    assert_nothing_saved(response, "Выберите корректный вариант")


def test_parent_consent_needs_the_parents_name(world, client_as):
    data = enrol_data(organisation=world.organisation_a1.pk, consent_signer_name="")
    response = client_as(world.curator_a1).post(url("mentee_add"), data)
    assert_nothing_saved(response, "Укажите ФИО родителя или законного представителя")


def test_enrolment_posted_twice_saves_once(world, client_as):
    client = client_as(world.curator_a1)
    data = enrol_data(organisation=world.organisation_a1.pk)
    first = client.post(url("mentee_add"), data)
    second = client.post(url("mentee_add"), data)
    assert first.status_code == second.status_code == 302
    assert Person.objects.filter(surname="Орлова").count() == 1
    assert second["Location"] == first["Location"]


# --- consents and agreements --------------------------------------------------------------------------------------


def test_consent_recorded_for_a_person_without_one(world, client_as):
    person = enrolled(organisation=world.organisation_a1, surname="Новикова", consent=False)
    response = client_as(world.curator_a1).post(
        url("consent_add", person.pk),
        {
            "signer": ConsentSigner.PARENT,
            "signer_name": "Новикова Ольга",
            "signed_on": "2026-11-02",
            "scope": "Участие в программах наставничества",
            "valid_until": "",
            "_submission": token(),
        },
    )
    assert response.status_code == 302
    assert person.consents.count() == 1


def test_consent_withdrawal_needs_confirmation(world, client_as):
    consent = world.mentee_a1_person.consents.get()
    client = client_as(world.curator_a1)
    page = client.get(url("consent_withdraw", consent.pk))
    assert "выйдет из всех действующих пар" in text(page)
    response = client.post(url("consent_withdraw", consent.pk), {"on": TODAY.isoformat(), "_submission": token()})
    assert response.status_code == 200
    consent.refresh_from_db()
    assert consent.withdrawn_on is None


def test_agreement_recorded_for_an_external_mentor(world, client_as):
    person = enrolled(BaseRole.MENTOR, organisation=world.organisation_a1, external=True, surname="Хасанов")
    client = client_as(world.curator_a1)
    assert "Записать соглашение" in text(client.get(url("person", person.pk)))
    response = client.post(
        url("agreement_add", person.pk),
        {"partner": "", "number": "7/С", "signed_on": "2026-09-10", "valid_until": "", "_submission": token()},
    )
    assert response.status_code == 302
    assert person.agreements.get().number == "7/С"


# --- «Создать пару (группу)» --------------------------------------------------------------------------------------


def pair_data(world: Any, *, programme: Programme | None = None, mentors: Any = None, mentees: Any = None) -> dict:
    return {
        "programme": (programme or world.programme_a1).pk,
        "mentors": [str(p.pk) for p in (mentors or [world.mentor_a1_person])],
        "mentees": [str(p.pk) for p in (mentees or [world.mentee_a1_person])],
        "title": "",
        "started_on": "2026-11-20",
        "planned_end": "",
        "_submission": token(),
    }


def test_curator_creates_a_pair_from_the_list_of_people(world, client_as):
    client = client_as(world.curator_a1)
    page = client.get(url("pair_add"))
    body = text(page)
    assert f'<option value="{world.mentor_a1_person.pk}">' in body
    assert f'<option value="{world.mentee_a1_person.pk}">' in body
    assert f'<option value="{world.student_b1_person.pk}">' not in body
    response = client.post(url("pair_add"), pair_data(world))
    pair = Pair.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("pair", pair.pk)
    assert {(m.person_id, m.role) for m in pair.members.all()} == {
        (world.mentor_a1_person.pk, BaseRole.MENTOR),
        (world.mentee_a1_person.pk, BaseRole.MENTEE),
    }


def test_a_person_picked_with_the_name_after_the_number_is_understood(world, client_as):
    data = pair_data(world)
    data["mentees"] = [f"{world.mentee_a1_person.pk} Сидоров Илья"]
    client_as(world.curator_a1).post(url("pair_add"), data)
    assert Pair.objects.get().members.filter(person=world.mentee_a1_person).exists()


def test_foreign_person_id_is_a_form_error(world, client_as):
    response = client_as(world.curator_a1).post(url("pair_add"), pair_data(world, mentees=[world.student_b1_person]))
    assert response.status_code == 200
    assert f"Участник № {world.student_b1_person.pk} не найден" in text(response)
    assert not Pair.objects.exists()


def test_person_without_consent_is_not_paired(world, client_as):
    person = enrolled(organisation=world.organisation_a1, surname="Безсогласия", consent=False)
    response = client_as(world.curator_a1).post(url("pair_add"), pair_data(world, mentees=[person]))
    assert response.status_code == 200
    assert "нет действующего согласия на обработку персональных данных" in text(response)
    assert not Pair.objects.exists()


def test_student_pair_across_schools_is_refused(world, client_as):
    mentor = enrolled(BaseRole.MENTOR, organisation=world.organisation_b1, adult_student=True, surname="Ковалёв")
    data = pair_data(world, programme=world.programme_a1_peer, mentors=[mentor], mentees=[world.mentee_a1_person])
    response = client_as(world.superuser).post(url("pair_add"), data)
    assert response.status_code == 200
    assert "не относится к" in text(response) or "ученик – ученик" in text(response)
    assert not Pair.objects.exists()


def test_foreign_programme_is_a_form_error(world, client_as):
    response = client_as(world.curator_a1).post(url("pair_add"), pair_data(world, programme=world.programme_b1))
    assert response.status_code == 200
    assert "Выберите корректный вариант" in text(response)
    assert not Pair.objects.exists()


def test_pair_posted_twice_is_created_once(world, client_as):
    client = client_as(world.curator_a1)
    data = pair_data(world)
    client.post(url("pair_add"), data)
    second = client.post(url("pair_add"), data, follow=True)
    assert Pair.objects.count() == 1
    assert "уже" in text(second).lower()


def test_people_lookup_answers_with_the_users_own_people(world, client_as):
    client = client_as(world.curator_a1)
    found = client.get(url("people_lookup"), {"q": "сидор"}).json()["results"]
    assert [row["id"] for row in found] == [world.mentee_a1_person.pk]
    assert "Сидоров Илья" in found[0]["label"]
    assert client.get(url("people_lookup"), {"q": "Белов"}).json()["results"] == []
    mentors = client.get(url("people_lookup"), {"q": "петр", "role": "mentor"}).json()["results"]
    assert [row["id"] for row in mentors] == [world.mentor_a1_person.pk]


# --- the pair's work ----------------------------------------------------------------------------------------------


def test_meeting_logged_in_one_step_shows_on_the_pair_page(world, client_as):
    pair = pair_of(world)
    client = client_as(world.curator_a1)
    response = client.post(
        url("meeting_add", pair.pk),
        {
            "kind": MeetingKind.INTRO,
            "planned_on": "2026-10-05",
            "held_on": "2026-10-05",
            "topic": "Знакомство и ожидания",
            "notes": "Договорились о встречах по средам",
            "mentor_feedback": "",
            "mentee_feedback": "Было интересно",
            "mentor_rating": "",
            "mentee_rating": "9",
            "planned_meetings": "",
            "_submission": token(),
        },
    )
    assert response.status_code == 302
    meeting = pair.meetings.get()
    assert (meeting.kind, meeting.held_on, meeting.mentee_rating) == (MeetingKind.INTRO, date(2026, 10, 5), 9)
    assert "Знакомство и ожидания" in text(client.get(url("pair", pair.pk)))


def test_meeting_before_the_intro_is_refused(world, client_as):
    pair = pair_of(world)
    response = client_as(world.curator_a1).post(
        url("meeting_add", pair.pk),
        {"kind": MeetingKind.REGULAR, "planned_on": "2026-11-25", "held_on": "", "topic": "", "_submission": token()},
    )
    assert response.status_code == 200
    assert "Сначала запланируйте встречу-знакомство" in text(response)
    assert not pair.meetings.exists()


def test_planned_meeting_recorded_as_held(world, client_as):
    pair = pair_of(world)
    meeting = Meeting.objects.create(pair=pair, kind=MeetingKind.INTRO, planned_on=date(2026, 10, 5))
    response = client_as(world.curator_a1).post(
        url("meeting_record", meeting.pk),
        {"held_on": "2026-10-06", "notes": "Прошла", "mentor_rating": "8", "_submission": token()},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.held_on == date(2026, 10, 6)


def test_plan_and_tasks(world, client_as):
    pair = pair_of(world)
    client = client_as(world.curator_a1)
    response = client.post(
        url("plan_add", pair.pk),
        {"mentee": world.mentee_a1_person.pk, "goals": "Выйти на «4» по алгебре", "_submission": token()},
    )
    assert response.status_code == 302
    plan = pair.plans.get()
    response = client.post(
        url("task_add", plan.pk), {"title": "Решить 20 задач ОГЭ", "deadline": "2026-12-20", "_submission": token()}
    )
    assert response.status_code == 302
    task = plan.tasks.get()
    response = client.post(
        url("task_edit", task.pk),
        {
            "title": task.title,
            "deadline": "2026-12-20",
            "done_on": "2026-11-21",
            "result": "Решено 22",
            "_submission": token(),
        },
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.result == "Решено 22"
    assert client_as(world.curator_b1).get(url("task_edit", task.pk)).status_code == 404


def test_plan_for_someone_outside_the_pair_is_a_form_error(world, client_as):
    pair = pair_of(world)
    response = client_as(world.curator_a1).post(
        url("plan_add", pair.pk),
        {"mentee": world.mentee_a1_second.pk, "goals": "Цели", "_submission": token()},
    )
    assert response.status_code == 200
    assert not pair.plans.exists()


def test_stage_complete_and_terminate(world, client_as):
    pair = pair_of(world)
    client = client_as(world.curator_a1)
    assert client.post(url("pair_stage", pair.pk), {"stage": "4", "_submission": token()}).status_code == 302
    pair.refresh_from_db()
    assert pair.stage == 4
    response = client.post(url("pair_stage", pair.pk), {"stage": "6", "_submission": token()})
    assert "после утверждения пары приказом" in text(response)
    Pair.objects.filter(pk=pair.pk).update(status=PairStatus.ACTIVE, stage=6)
    other = PairFactory(programme=world.programme_a1, mentors=[], mentees=[world.mentee_a1_second])
    response = client.post(
        url("pair_terminate", other.pk), {"ended_on": "2026-11-20", "reason": "Переезд", "_submission": token()}
    )
    assert response.status_code == 302
    other.refresh_from_db()
    assert (other.status, other.termination_reason) == (PairStatus.TERMINATED, "Переезд")
    response = client.post(
        url("pair_complete", pair.pk),
        {"ended_on": "2026-11-20", "results": "Оценка «4»", "reflection": "", "_submission": token()},
    )
    assert response.status_code == 302
    pair.refresh_from_db()
    assert pair.status == PairStatus.COMPLETED


def test_pair_ended_before_it_started_is_refused(world, client_as):
    pair = pair_of(world)
    response = client_as(world.curator_a1).post(
        url("pair_terminate", pair.pk), {"ended_on": "2026-09-01", "reason": "Переезд", "_submission": token()}
    )
    assert response.status_code == 200
    pair.refresh_from_db()
    assert pair.status == PairStatus.FORMING


# --- bulk actions -------------------------------------------------------------------------------------------------


def test_forming_pairs_confirmed_in_bulk(world, client_as):
    first = pair_of(world)
    second = PairFactory(programme=world.programme_a1_peer, mentees=[world.mentee_a1_second])
    client = client_as(world.curator_a1)
    page = client.get(url("pairs_confirm"), {"pairs": [first.pk, second.pk]})
    assert page.status_code == 200
    assert str(first) in text(page)
    response = client.post(
        url("pairs_confirm"), {"pairs": [first.pk, second.pk], "on": "2026-11-20", "_submission": token()}, follow=True
    )
    assert "Утверждено пар и групп: 2." in text(response)
    assert set(Pair.objects.values_list("status", flat=True)) == {PairStatus.ACTIVE}


def test_confirming_a_foreign_pair_is_a_form_error(world, client_as):
    foreign = PairFactory(programme=world.programme_b1, mentees=[world.student_b1_person])
    response = client_as(world.curator_a1).post(
        url("pairs_confirm"), {"pairs": [foreign.pk], "on": "2026-11-20", "_submission": token()}
    )
    assert response.status_code == 200
    assert f"Пара № {foreign.pk} недоступна." in text(response)
    foreign.refresh_from_db()
    assert foreign.status == PairStatus.FORMING


def test_school_year_closed_after_confirmation(world, client_as):
    pair = pair_of(world, status=PairStatus.ACTIVE, stage=6)
    client = client_as(world.curator_a1)
    data = {"organisation": world.organisation_a1.pk, "school_year": "2026", "on": "2026-11-20", "_submission": token()}
    assert client.post(url("school_year_close"), data).status_code == 200
    pair.refresh_from_db()
    assert pair.status == PairStatus.ACTIVE
    response = client.post(url("school_year_close"), data | {"confirm": "on"}, follow=True)
    assert "Учебный год закрыт, завершено пар и групп: 1." in text(response)
    pair.refresh_from_db()
    assert pair.status == PairStatus.COMPLETED


# --- programmes ---------------------------------------------------------------------------------------------------


def programme_data(world: Any, **changes: Any) -> dict[str, Any]:
    return {
        "organisation": world.organisation_a1.pk,
        "title": "Учитель – ученик: «Олимпиада»",
        "form": MentorshipForm.TEACHER_STUDENT,
        "school_year": "2026",
        "goals": "Подготовка к олимпиадам",
        "expected_results": "",
        "duration_months": "9",
        "materials": "",
        "_submission": token(),
    } | changes


def test_programme_created_and_changed(world, client_as):
    client = client_as(world.curator_a1)
    response = client.post(url("programme_add"), programme_data(world))
    programme = Programme.objects.get(title="Учитель – ученик: «Олимпиада»")
    assert response.status_code == 302
    assert programme.organisation == world.organisation_a1
    data = programme_data(world, title="«Олимпиада-2027»", is_published="on")
    data.pop("organisation")
    assert client.post(url("programme_edit", programme.pk), data).status_code == 302
    programme.refresh_from_db()
    assert (programme.title, programme.is_published) == ("«Олимпиада-2027»", True)


def test_programme_for_another_school_is_refused(world, client_as):
    response = client_as(world.curator_a1).post(
        url("programme_add"), programme_data(world, organisation=world.organisation_b1.pk)
    )
    assert response.status_code == 200
    assert not Programme.objects.filter(title="Учитель – ученик: «Олимпиада»").exists()


def test_bank_programme_copied_into_my_school(world, client_as):
    published = ProgrammeFactory(
        organisation=world.organisation_b1, title="Лучшая практика Белорецка", is_published=True, is_good_practice=True
    )
    client = client_as(world.curator_a1)
    bank = text(client.get(url("bank")))
    assert "Лучшая практика Белорецка" in bank
    assert "Скопировать в мою организацию" in bank
    response = client.post(
        url("programme_copy", published.pk),
        {"organisation": world.organisation_a1.pk, "school_year": "2026", "_submission": token()},
    )
    copy = Programme.objects.get(source=published)
    assert response.status_code == 302
    assert response["Location"] == url("programme", copy.pk)
    assert copy.organisation == world.organisation_a1
    assert "Скопировать в мою организацию" not in text(client_as(world.officer_a).get(url("bank")))


def test_unpublished_programme_of_another_school_is_404(world, client_as):
    client = client_as(world.curator_a1)
    assert client.get(url("programme", world.programme_b1.pk)).status_code == 404
    assert client.get(url("programme_copy", world.programme_b1.pk)).status_code == 404


# --- matching -----------------------------------------------------------------------------------------------------


def test_matching_suggests_accepts_and_rejects(world, client_as):
    client = client_as(world.curator_a1)
    page = client.get(url("matching", world.programme_a1.pk))
    assert "Подобрать пары" in text(page)
    response = client.post(url("matching_run", world.programme_a1.pk), {"_submission": token()}, follow=True)
    assert response.status_code == 200
    suggestions = response.context["suggestions"]
    assert {s.mentee_id for s in suggestions} <= {world.mentee_a1_person.pk, world.mentee_a1_second.pk}
    assert suggestions, text(response)
    first = suggestions[0]
    response = client.post(
        url("suggestion_accept", first.pk), {"started_on": TODAY.isoformat(), "_submission": token()}, follow=True
    )
    assert "Пара создана" in text(response)
    assert Pair.objects.filter(members__person=first.mentee_id).exists()
    if len(suggestions) > 1:
        second = suggestions[1]
        client.post(url("suggestion_reject", second.pk), {"_submission": token()})
        second.refresh_from_db()
        assert second.status == "rejected"


def test_matching_is_read_only_for_overseers(world, client_as):
    client_as(world.curator_a1).post(url("matching_run", world.programme_a1.pk), {"_submission": token()})
    client = client_as(world.officer_a)
    page = client.get(url("matching", world.programme_a1.pk))
    assert "Подобрать пары" not in text(page)
    suggestion = page.context["suggestions"][0]
    response = client.post(url("suggestion_accept", suggestion.pk), {"_submission": token()})
    assert response.status_code == 403
    assert client_as(world.curator_b1).post(url("suggestion_reject", suggestion.pk)).status_code == 404
    assert not PairMember.objects.exists()


# --- fixed query counts -------------------------------------------------------------------------------------------


def count_queries(client: Any, address: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return len(queries)


def add_pairs(world: Any, n: int) -> None:
    programme = ProgrammeFactory(organisation=world.organisation_a1, title=f"Программа на {n}")
    for i in range(n):
        mentor = enrolled(BaseRole.MENTOR, organisation=world.organisation_a1, surname=f"Наставник{n}-{i}")
        mentee = enrolled(organisation=world.organisation_a1, surname=f"Наставляемый{n}-{i}")
        pair = PairFactory(programme=programme, mentors=[mentor], mentees=[mentee])
        Meeting.objects.create(pair=pair, kind=MeetingKind.INTRO, planned_on=PAIR_STARTED_ON)


@pytest.mark.parametrize("page", ["pairs", "people", "mentors", "mentees", "unpaired", "programmes", "index"])
def test_list_query_counts_do_not_grow_with_rows(world, client_as, django_assert_num_queries, page):
    client = client_as(world.curator_a1)
    add_pairs(world, 2)
    client.get(url(page))  # warm up the session and the content types
    few = count_queries(client, url(page))
    add_pairs(world, 12)
    with django_assert_num_queries(few):
        client.get(url(page))


@pytest.mark.parametrize("page", ["pairs", "people"])
def test_municipal_list_query_counts_are_pinned(world, client_as, django_assert_num_queries, page):
    add_pairs(world, 3)
    client = client_as(world.officer_a)
    client.get(url(page))
    # The page's keys, then its rows (KeysFirstPaginator).
    expected = {"pairs": 13, "people": 10}[page]
    with django_assert_num_queries(expected):
        client.get(url(page))


def test_consent_for_someone_in_the_past_keeps_a_valid_list(world, client_as):
    """A consent expired yesterday shows the person as without consent on the lists."""
    person = enrolled(organisation=world.organisation_a1, surname="Просроченный", consent=False)
    ConsentFactory(person=person, valid_until=TODAY - timedelta(days=1))
    body = text(client_as(world.curator_a1).get(url("mentees"), {"q": "Просроченный"}))
    assert "нет согласия" in body
    assert Consent.objects.filter(person=person).count() == 1


def test_a_mentee_teacher_joins_the_mentor_base_too(world, client_as):
    teacher = enrolled(organisation=world.organisation_a1, young_teacher=True, surname="Молодцова")
    client = client_as(world.curator_a1)
    page = client.get(url("person_enrol_mentor", teacher.pk))
    assert "surname" not in page.context["form"].fields
    data = {
        "school_year": "2026",
        "category": "teacher",
        "form": "",
        "request": "Помощь с ИКТ",
        "capacity": "1",
        "consent_signer": "",
        "consent_signed_on": "",
        "_submission": token(),
    }
    response = client.post(url("person_enrol_mentor", teacher.pk), data)
    assert response.status_code == 302
    assert set(teacher.base_entries.values_list("role", flat=True)) == {BaseRole.MENTOR, BaseRole.MENTEE}
    assert Person.objects.filter(surname="Молодцова").count() == 1


def test_someone_elses_person_cannot_be_enrolled(world, client_as):
    assert client_as(world.curator_a1).get(url("person_enrol_mentor", world.student_b1_person.pk)).status_code == 404
    assert client_as(world.officer_a).get(url("person_enrol_mentee", world.mentee_a1_person.pk)).status_code == 403


@pytest.mark.parametrize("persona", ["curator_a1", "director_a1", "coordinator_a1", "superuser"])
def test_every_form_renders_for_school_staff(world, client_as, persona):
    pair = pair_of(world)
    plan = pair.plans.create(mentee=world.mentee_a1_person, goals="Цели")
    task = plan.tasks.create(title="Задача", deadline=date(2026, 12, 1))
    meeting = Meeting.objects.create(pair=pair, kind=MeetingKind.INTRO, planned_on=date(2026, 10, 5))
    person = world.mentee_a1_person
    client = client_as(world.persona(persona))
    for address in (
        url("mentor_add"),
        url("mentee_add"),
        url("person_enrol_mentor", person.pk),
        url("pair_add"),
        url("programme_add"),
        url("pairs_confirm"),
        url("school_year_close"),
        url("person_edit", person.pk),
        url("consent_add", person.pk),
        url("agreement_add", person.pk),
        url("consent_withdraw", person.consents.get().pk),
        url("pair_stage", pair.pk),
        url("pair_complete", pair.pk),
        url("pair_terminate", pair.pk),
        url("meeting_add", pair.pk),
        url("meeting_record", meeting.pk),
        url("plan_add", pair.pk),
        url("task_add", plan.pk),
        url("task_edit", task.pk),
        url("programme_edit", world.programme_a1.pk),
        url("programme_copy", world.programme_a1.pk),
    ):
        response = client.get(address)
        assert response.status_code == 200, address
        assert 'name="_submission"' in text(response), address


def test_person_changed_and_a_future_birth_date_refused(world, client_as):
    person = world.mentee_a1_person
    client = client_as(world.curator_a1)
    data = {
        "surname": "Сидоров",
        "name": "Илья",
        "patronymic": "Сергеевич",
        "kind": PersonKind.STUDENT,
        "birth_date": (TODAY + timedelta(days=1)).isoformat(),
        "class_name": "9Б",
        "_submission": token(),
    }
    response = client.post(url("person_edit", person.pk), data)
    assert response.status_code == 200
    assert "Дата рождения 24.11.2026 ещё не наступила." in text(response)
    person.refresh_from_db()
    assert person.class_name == "9А"
    response = client.post(url("person_edit", person.pk), data | {"birth_date": "2011-03-15", "_submission": token()})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.class_name == "9Б"
