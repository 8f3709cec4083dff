"""One rule, one message: a bad value gets the service's words on the form page and in the Excel import.

The forms no longer check the domain's rules themselves; the service raises ``DomainError(field=…)``,
the page shows it on that field and the import names that field's column.
"""

from __future__ import annotations

import io
import uuid
from datetime import date
from typing import Any

import openpyxl
import pytest
from django.urls import reverse

from mentorship.errors import DomainError
from mentorship.imports import engine
from mentorship.imports.registry import kind_for
from participants.choices import ConsentSigner, MeetingKind, MentorshipForm, PersonKind
from participants.resources import imports as resources

from .factories import PairFactory, enrolled

pytestmark = pytest.mark.django_db

FUTURE = date(2027, 1, 5)
PEOPLE_HEADERS = ["Код организации", "Кто это", "Фамилия", "Имя", "Дата рождения", "Начало педагогического стажа"]
CONSENT_HEADERS = ["Код организации", "Фамилия", "Имя", "Отчество", "Дата рождения", "Кто подписал", "Дата подписания"]


def url(name: str, *args: Any) -> str:
    return reverse(f"participants:{name}", args=args)


def post(client: Any, user: Any, address: str, data: dict[str, Any]) -> Any:
    """The refused form, as the page renders it."""
    client.force_login(user)
    response = client.post(address, data | {"_submission": str(uuid.uuid4())})
    assert response.status_code == 200, "the page was meant to refuse the form"
    return response.context["form"]


def imported(kind: str, user: Any, headers: list[str], row: list[Any]) -> list[str]:
    workbook = openpyxl.Workbook()
    workbook.active.append(headers)
    workbook.active.append(row)
    handle = io.BytesIO()
    workbook.save(handle)
    handle.seek(0)
    report = engine.run(kind_for(kind), handle, context=engine.Context(user=user, file_name="file.xlsx"), commit=True)
    assert not report.written
    return report.errors


def enrol_data(**changes: Any) -> dict[str, Any]:
    data = {
        "organisation": "",
        "school_year": "2026",
        "kind": PersonKind.STUDENT,
        "surname": "Орлова",
        "name": "Дарья",
        "patronymic": "",
        "birth_date": "2012-05-14",
        "class_name": "8Б",
        "category": "gifted",
        "form": MentorshipForm.TEACHER_STUDENT,
        "consent_signer": ConsentSigner.PARENT,
        "consent_signer_name": "Орлова Наталья Петровна",
        "consent_signed_on": "2026-11-20",
    }
    return data | changes


def test_a_future_birth_date_gets_the_same_message_on_the_enrol_page_and_in_the_import(world, client):
    form = post(
        client,
        world.curator_a1,
        url("mentee_add"),
        enrol_data(organisation=world.organisation_a1.pk, birth_date=FUTURE.isoformat()),
    )
    message = "Дата рождения 05.01.2027 ещё не наступила."
    assert form.errors == {"birth_date": [message]}
    errors = imported("people", world.curator_a1, PEOPLE_HEADERS, ["A1", "Обучающийся", "Орлова", "Дарья", FUTURE])
    assert errors == [f"Строка 2, столбец E «Дата рождения»: {message}"]


def test_a_future_birth_date_gets_the_services_message_on_the_person_page(world, client):
    person = world.mentee_a1_person
    data = {"surname": person.surname, "name": person.name, "kind": PersonKind.STUDENT, "birth_date": "2027-01-05"}
    form = post(client, world.curator_a1, url("person_edit", person.pk), data)
    assert form.errors == {"birth_date": ["Дата рождения 05.01.2027 ещё не наступила."]}


def test_a_service_start_before_birth_is_blamed_on_the_service_start_on_the_page_and_in_the_import(world, client):
    teacher = enrol_data(
        organisation=world.organisation_a1.pk,
        kind=PersonKind.TEACHER,
        birth_date="1990-05-01",
        service_start="1985-09-01",
        category="teacher",
        consent_signer=ConsentSigner.SELF,
        consent_signer_name="",
    )
    form = post(client, world.curator_a1, url("mentor_add"), teacher | {"capacity": "1"})
    message = "Педагогический стаж не может начинаться раньше даты рождения."
    assert form.errors == {"service_start": [message]}
    row = ["A1", "Педагог (работник ОО)", "Орлова", "Вера", date(1990, 5, 1), date(1985, 9, 1)]
    errors = imported("people", world.curator_a1, PEOPLE_HEADERS, row)
    assert errors == [f"Строка 2, столбец F «Начало педагогического стажа»: {message}"]


def test_a_future_consent_date_gets_the_same_message_on_both_consent_forms_and_in_the_import(world, client):
    person = enrolled(organisation=world.organisation_a1, surname="Новикова", consent=False)
    message = "Дата подписания согласия 05.01.2027 ещё не наступила."
    consent = {"signer": ConsentSigner.PARENT, "signer_name": "Новикова Ольга", "signed_on": FUTURE.isoformat()}
    form = post(client, world.curator_a1, url("consent_add", person.pk), consent | {"scope": "Участие"})
    assert form.errors == {"signed_on": [message]}
    form = post(
        client,
        world.curator_a1,
        url("mentee_add"),
        enrol_data(organisation=world.organisation_a1.pk, consent_signed_on=FUTURE.isoformat()),
    )
    assert form.errors == {"consent_signed_on": [message]}
    row = ["A1", person.surname, person.name, person.patronymic, person.birth_date, "Родитель", FUTURE]
    errors = imported("consents", world.curator_a1, CONSENT_HEADERS, row)
    assert errors == [f"Строка 2, столбец G «Дата подписания»: {message}"]


def test_a_consent_date_without_its_signer_is_refused_by_the_service_on_the_signer_field(world, client):
    form = post(
        client,
        world.curator_a1,
        url("mentee_add"),
        enrol_data(organisation=world.organisation_a1.pk, consent_signer="", consent_signer_name=""),
    )
    assert form.errors == {"consent_signer": ["Укажите, кто подписал согласие."]}


def test_a_meeting_held_in_the_future_gets_the_services_message_on_the_held_date(world, client):
    pair = PairFactory(programme=world.programme_a1, mentors=[world.mentor_a1_person], mentees=[world.mentee_a1_person])
    data = {"kind": MeetingKind.INTRO, "planned_on": "2026-11-30", "held_on": "2026-11-30", "topic": "Знакомство"}
    form = post(client, world.curator_a1, url("meeting_add", pair.pk), data)
    assert form.errors == {"held_on": ["Дата встречи 30.11.2026 ещё не наступила."]}
    assert not pair.meetings.exists()


def test_the_import_finds_the_column_by_the_errors_field_not_by_its_words(world, monkeypatch):
    def refuse(person: Any) -> None:
        raise DomainError("Дата рождения и педагогический стаж здесь ни при чём.", field="surname")

    monkeypatch.setattr(resources, "person_validate", refuse)
    errors = imported("people", world.curator_a1, PEOPLE_HEADERS, ["A1", "Обучающийся", "Орлова", "Дарья", FUTURE])
    assert errors == ["Строка 2, столбец C «Фамилия»: Дата рождения и педагогический стаж здесь ни при чём."]
