"""People and the bases: adding a mentor or a mentee (with consent) in one step, changing and removing them."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mentorship.errors import DomainError
from mentorship.tests.factories import World
from participants import services
from participants.choices import BaseRole, ConsentSigner, MenteeCategory, MentorKind, PersonKind
from participants.models import BaseEntry, Consent, Person

from .factories import PAIR_STARTED_ON, PairFactory, PersonFactory

STUDENT = {
    "kind": PersonKind.STUDENT,
    "surname": "Габдуллина",
    "name": "Алсу",
    "patronymic": "Ринатовна",
    "birth_date": date(2012, 4, 1),
    "class_name": "8Б",
}
TEACHER = {
    "kind": PersonKind.TEACHER,
    "surname": "Смирнова",
    "name": "Ольга",
    "patronymic": "Ивановна",
    "birth_date": date(1979, 1, 9),
    "position": "учитель",
    "subject": "физика",
    "service_start": date(2001, 9, 1),
}
PARENTS_CONSENT = {
    "signer": ConsentSigner.PARENT,
    "signer_name": "Габдуллин Ринат Маратович",
    "signed_on": date(2026, 9, 5),
}


def enrol(world: World, **kwargs):
    data = {
        "actor": world.curator_a1,
        "organisation": world.organisation_a1,
        "role": BaseRole.MENTEE,
        "school_year": 2026,
        "person": STUDENT,
        "entry": {"mentee_category": MenteeCategory.GIFTED, "request": "Олимпиада по математике"},
        "consent": PARENTS_CONSENT,
    }
    return services.participant_enrol(**(data | kwargs))


def test_curator_adds_a_mentee_with_a_parents_consent_in_one_step(world: World) -> None:
    entry = enrol(world)
    person = entry.person
    assert (person.organisation, person.full_name) == (world.organisation_a1, "Габдуллина Алсу Ринатовна")
    assert (entry.role, entry.school_year, entry.mentee_category) == (BaseRole.MENTEE, 2026, MenteeCategory.GIFTED)
    consent = person.consents.get()
    assert (consent.signer, consent.signer_name, consent.organisation) == (
        ConsentSigner.PARENT,
        "Габдуллин Ринат Маратович",
        world.organisation_a1,
    )


def test_curator_adds_a_mentor_who_signs_for_themselves(world: World) -> None:
    entry = enrol(
        world,
        role=BaseRole.MENTOR,
        person=TEACHER,
        entry={"mentor_kind": MentorKind.TEACHER, "capacity": 3, "mentee_category": MenteeCategory.GIFTED},
        consent={"signer": ConsentSigner.SELF, "signed_on": date(2026, 9, 2)},
    )
    assert (entry.capacity, entry.mentor_kind, entry.mentee_category) == (3, MentorKind.TEACHER, "")
    assert entry.person.consents.get().signer == ConsentSigner.SELF


def test_a_minors_self_signed_consent_saves_nothing(world: World) -> None:
    with pytest.raises(DomainError, match="Согласие за несовершеннолетнего подписывает родитель или законный"):
        enrol(world, consent={"signer": ConsentSigner.SELF, "signed_on": date(2026, 9, 5)})
    assert not Person.objects.filter(surname="Габдуллина").exists()
    assert not BaseEntry.objects.filter(person__surname="Габдуллина").exists()


def test_a_parents_consent_needs_the_parents_name(world: World) -> None:
    with pytest.raises(DomainError, match="ФИО родителя или законного представителя"):
        enrol(world, consent={"signer": ConsentSigner.GUARDIAN, "signer_name": " ", "signed_on": date(2026, 9, 5)})
    assert not Person.objects.filter(surname="Габдуллина").exists()


def test_a_birth_date_in_the_future_saves_nothing(world: World) -> None:
    with pytest.raises(DomainError, match=r"Дата рождения 01\.01\.2027 ещё не наступила"):
        enrol(world, person=STUDENT | {"birth_date": date(2027, 1, 1)})
    assert not Person.objects.filter(surname="Габдуллина").exists()


def test_a_consent_signed_in_the_future_saves_nothing(world: World) -> None:
    with pytest.raises(DomainError, match=r"Дата подписания согласия 01\.12\.2026 ещё не наступила"):
        enrol(world, consent=PARENTS_CONSENT | {"signed_on": date(2026, 12, 1)})
    assert not Person.objects.filter(surname="Габдуллина").exists()


def test_a_student_needs_a_birth_date(world: World) -> None:
    with pytest.raises(DomainError, match="Укажите дату рождения"):
        enrol(world, person=STUDENT | {"birth_date": None})


def test_service_cannot_start_before_birth(world: World) -> None:
    with pytest.raises(DomainError, match="стаж не может начинаться раньше"):
        services.person_create(
            actor=world.curator_a1,
            data=TEACHER | {"organisation": world.organisation_a1, "service_start": date(1970, 9, 1)},
        )


def test_the_same_person_twice_in_an_organisation_is_refused(world: World) -> None:
    enrol(world)
    with pytest.raises(ValidationError, match="Такой участник в этой организации уже есть"):
        enrol(world)


def test_the_mentee_category_must_suit_the_person(world: World) -> None:
    with pytest.raises(DomainError, match="Укажите категорию наставляемого"):
        enrol(world, entry={})
    with pytest.raises(DomainError, match="«Молодой специалист» не подходит"):
        enrol(world, entry={"mentee_category": MenteeCategory.YOUNG_SPECIALIST})
    assert not Person.objects.filter(surname="Габдуллина").exists()


def test_the_mentor_kind_must_suit_the_person(world: World) -> None:
    with pytest.raises(DomainError, match="Укажите категорию наставника"):
        enrol(world, role=BaseRole.MENTOR, person=TEACHER, entry={}, consent=None)
    with pytest.raises(DomainError, match="«Родитель» не подходит"):
        enrol(world, role=BaseRole.MENTOR, person=TEACHER, entry={"mentor_kind": MentorKind.PARENT}, consent=None)


def test_an_external_person_is_no_mentee(world: World) -> None:
    external = PersonFactory(organisation=world.organisation_a1, external=True)
    with pytest.raises(DomainError, match="Внешний участник может быть только наставником"):
        enrol(world, person=None, existing=external, consent=None)


def test_preferred_ages_are_ordered(world: World) -> None:
    with pytest.raises(DomainError, match="«от» больше, чем «до»"):
        enrol(
            world,
            role=BaseRole.MENTOR,
            person=TEACHER,
            entry={"mentor_kind": MentorKind.TEACHER, "preferred_age_min": 15, "preferred_age_max": 12},
            consent=None,
        )


def test_an_existing_person_joins_the_other_base(world: World) -> None:
    mentee = world.mentee_a1_person
    mentee.birth_date = date(2007, 1, 1)
    mentee.save()
    entry = enrol(
        world, role=BaseRole.MENTOR, person=None, existing=mentee, entry={"mentor_kind": "student"}, consent=None
    )
    assert set(mentee.base_entries.values_list("role", flat=True)) == {BaseRole.MENTOR, BaseRole.MENTEE}
    assert entry.person == mentee


def test_a_person_of_another_school_cannot_be_enrolled_by_id(world: World) -> None:
    with pytest.raises(DomainError, match="Выберите участника из списка своей организации"):
        enrol(world, person=None, existing=world.student_b1_person, consent=None)
    with pytest.raises(DomainError, match="относится к другой организации"):
        enrol(
            world,
            actor=world.superuser,
            person=None,
            existing=world.student_b1_person,
            entry={"mentee_category": MenteeCategory.GIFTED},
            consent=None,
        )
    assert world.student_b1_person.base_entries.count() == 1


def test_read_only_and_foreign_users_cannot_enrol(world: World) -> None:
    for persona in ("curator_b1", "officer_a", "regional_coordinator", "mentor_a1", "outsider"):
        with pytest.raises(PermissionDenied):
            enrol(world, actor=world.persona(persona))
    assert not Person.objects.filter(surname="Габдуллина").exists()


def test_person_update_changes_the_record_but_not_the_future(world: World) -> None:
    person = services.person_update(actor=world.curator_a1, person=world.mentee_a1_person, data={"class_name": "9Б"})
    assert Person.objects.get(pk=person.pk).class_name == "9Б"
    with pytest.raises(DomainError, match="ещё не наступила"):
        services.person_update(actor=world.curator_a1, person=person, data={"birth_date": date(2030, 1, 1)})
    with pytest.raises(PermissionDenied):
        services.person_update(actor=world.officer_a, person=person, data={"class_name": "9В"})
    with pytest.raises(ValueError, match="organisation"):
        services.person_update(actor=world.curator_a1, person=person, data={"organisation": world.organisation_b1})


def test_base_entry_update_and_removal(world: World) -> None:
    entry = world.mentor_a1_person.base_entries.get()
    entry = services.base_entry_update(actor=world.curator_a1, entry=entry, data={"capacity": 5})
    assert BaseEntry.objects.get(pk=entry.pk).capacity == 5
    with pytest.raises(PermissionDenied):
        services.base_entry_update(actor=world.observer_a, entry=entry, data={"capacity": 6})
    services.base_entry_remove(actor=world.curator_a1, entry=entry)
    assert not BaseEntry.objects.filter(pk=entry.pk).exists()


def test_a_person_in_an_open_pair_stays_in_the_base(world: World) -> None:
    PairFactory(programme=world.programme_a1, mentors=[world.mentor_a1_person], started_on=PAIR_STARTED_ON)
    entry = world.mentor_a1_person.base_entries.get()
    with pytest.raises(DomainError, match="состоит в действующей паре"):
        services.base_entry_remove(actor=world.curator_a1, entry=entry)
    assert BaseEntry.objects.filter(pk=entry.pk).exists()
    assert Consent.objects.filter(person=world.mentor_a1_person).exists()


def test_an_external_mentors_partner_must_be_one_the_curator_sees(world: World) -> None:
    data = {
        "organisation": world.organisation_a1,
        "kind": PersonKind.EXTERNAL,
        "surname": "Инженеров",
        "name": "Артур",
        "birth_date": date(1985, 5, 5),
        "workplace": "АО «Агрокомплекс»",
    }
    with pytest.raises(DomainError, match="Выберите организацию-партнёр"):
        services.person_create(actor=world.curator_a1, data=data | {"partner": world.partner_r2})
    person = services.person_create(actor=world.curator_a1, data=data | {"partner": world.partner_a})
    assert person.partner == world.partner_a
