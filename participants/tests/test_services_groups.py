"""Groups: adding a mentee (or a co-mentor) to an open pair under ``pair_create``'s rules, and members leaving."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from guardian.shortcuts import get_perms

from mentorship.choices import Role
from mentorship.errors import DomainError
from mentorship.tests.factories import World, assign_role
from participants import services
from participants.choices import BaseRole, MentorKind, MentorshipForm, PairStatus
from participants.models import Pair, PairMember, Person
from participants.services import pairs as pairs_services

from .factories import PAIR_STARTED_ON, ConsentFactory, CooperationAgreementFactory, ProgrammeFactory, enrolled

JOINED_ON = date(2026, 11, 2)


def pair_of(world: World, **kwargs) -> Pair:
    """Anna (a teacher with two places) and Ilya in «учитель – ученик» at school A1, from 1.10.2026."""
    data = {
        "actor": world.curator_a1,
        "programme": world.programme_a1,
        "mentors": [world.mentor_a1_person],
        "mentees": [world.mentee_a1_person],
        "started_on": PAIR_STARTED_ON,
    }
    return services.pair_create(**(data | kwargs))


def add(world: World, pair: Pair, person: Person, **kwargs) -> PairMember:
    data = {"actor": world.curator_a1, "pair": pair, "person": person, "role": BaseRole.MENTEE, "joined_on": JOINED_ON}
    return services.pair_member_add(**(data | kwargs))


def open_members(pair: Pair) -> set[tuple[int, str]]:
    return set(pair.members.filter(left_on__isnull=True).values_list("person_id", "role"))


# --- adding ---------------------------------------------------------------------------------------


def test_adding_a_mentee_makes_the_pair_a_group(world: World) -> None:
    pair = pair_of(world)
    member = add(world, pair, world.mentee_a1_second)
    assert member.pk
    assert (member.pair, member.person, member.role) == (pair, world.mentee_a1_second, BaseRole.MENTEE)
    assert (member.joined_on, member.left_on, member.programme) == (JOINED_ON, None, world.programme_a1)
    assert open_members(pair) == {
        (world.mentor_a1_person.pk, BaseRole.MENTOR),
        (world.mentee_a1_person.pk, BaseRole.MENTEE),
        (world.mentee_a1_second.pk, BaseRole.MENTEE),
    }
    assert Pair.objects.count() == 1
    assert member.history.count() == 1


def test_a_mentee_joins_an_active_pair_too(world: World) -> None:
    pair = pair_of(world)
    services.pairs_confirm(actor=world.curator_a1, pairs=[pair], on=date(2026, 10, 2))
    add(world, pair, world.mentee_a1_second)
    pair.refresh_from_db()
    assert pair.status == PairStatus.ACTIVE
    assert pair.members.filter(role=BaseRole.MENTEE).count() == 2


def test_the_mentors_capacity_is_not_exceeded(world: World) -> None:
    pair = pair_of(world, mentees=[world.mentee_a1_person, world.mentee_a1_second])
    third = enrolled(organisation=world.organisation_a1, surname="Третьякова")
    with pytest.raises(DomainError, match=r"Петрова Анна .* уже ведёт наставляемых: 2 из 2; ещё 1"):
        add(world, pair, third)
    assert not PairMember.objects.filter(person=third).exists()


def test_capacity_counts_the_mentees_of_the_mentors_other_pairs(world: World) -> None:
    # Anna (two places) leads Maria in another programme: Ilya's pair has no room for a third mentee.
    other = ProgrammeFactory(organisation=world.organisation_a1)
    pair_of(world, programme=other, mentees=[world.mentee_a1_second])
    pair = pair_of(world)
    third = enrolled(organisation=world.organisation_a1)
    with pytest.raises(DomainError, match="уже ведёт наставляемых: 2 из 2"):
        add(world, pair, third)


def test_every_mentor_of_the_group_keeps_within_capacity(world: World) -> None:
    pair = pair_of(world)
    co_mentor = enrolled(BaseRole.MENTOR, organisation=world.organisation_a1, surname="Орлова")
    co_mentor.base_entries.update(capacity=1)
    add(world, pair, co_mentor, role=BaseRole.MENTOR)
    # Anna has a second place, but Orlova, who co-leads the group, has none.
    with pytest.raises(DomainError, match=r"Наставник Орлова .* уже ведёт наставляемых: 1 из 1"):
        add(world, pair, world.mentee_a1_second)
    assert open_members(pair) == {
        (world.mentor_a1_person.pk, BaseRole.MENTOR),
        (co_mentor.pk, BaseRole.MENTOR),
        (world.mentee_a1_person.pk, BaseRole.MENTEE),
    }


def test_a_co_mentor_needs_places_for_all_the_groups_mentees(world: World) -> None:
    pair = pair_of(world, mentees=[world.mentee_a1_person, world.mentee_a1_second])
    co_mentor = enrolled(BaseRole.MENTOR, organisation=world.organisation_a1, surname="Орлова")
    co_mentor.base_entries.update(capacity=1)
    with pytest.raises(DomainError, match=r"Орлова .* уже ведёт наставляемых: 0 из 1; ещё 2"):
        add(world, pair, co_mentor, role=BaseRole.MENTOR)
    co_mentor.base_entries.update(capacity=2)
    assert add(world, pair, co_mentor, role=BaseRole.MENTOR).role == BaseRole.MENTOR


def test_a_co_mentor_with_a_portal_account_sees_the_group(world: World) -> None:
    pair = pair_of(world)
    co_mentor = enrolled(BaseRole.MENTOR, organisation=world.organisation_a1, user=world.mentor_a1)
    add(world, pair, co_mentor, role=BaseRole.MENTOR)
    assert "view_pair" in get_perms(world.mentor_a1, pair)


def test_a_mentee_without_consent_is_refused(world: World) -> None:
    pair = pair_of(world)
    no_consent = enrolled(organisation=world.organisation_a1, consent=False, surname="Безсогласия")
    with pytest.raises(DomainError, match=r"Безсогласия .* нет действующего согласия .* на 02.11.2026"):
        add(world, pair, no_consent)
    # The consent must be valid on the day of joining, not merely some day.
    ConsentFactory(person=no_consent, signed_on=date(2026, 11, 10))
    with pytest.raises(DomainError, match="нет действующего согласия"):
        add(world, pair, no_consent)
    assert add(world, pair, no_consent, joined_on=date(2026, 11, 10)).pk
    assert not PairMember.objects.filter(person=no_consent, joined_on=JOINED_ON).exists()


def test_a_schoolmate_of_another_school_is_refused_in_student_student(world: World) -> None:
    senior = enrolled(BaseRole.MENTOR, organisation=world.organisation_a1, adult_student=True, surname="Старшеклассник")
    senior.base_entries.update(mentor_kind=MentorKind.STUDENT)
    pair = pair_of(world, programme=world.programme_a1_peer, mentors=[senior])
    assign_role(world.curator_a1, Role.CURATOR, world.organisation_a2)
    stranger = enrolled(organisation=world.organisation_a2, surname="Чужаков")
    with pytest.raises(DomainError, match="«ученик – ученик» наставник и наставляемый учатся в одной"):
        add(world, pair, stranger)
    assert not PairMember.objects.filter(person=stranger).exists()
    assert add(world, pair, world.mentee_a1_second).pair.form == MentorshipForm.STUDENT_STUDENT


def test_the_forms_rules_hold_for_the_newcomer(world: World) -> None:
    pair = pair_of(world)
    young = enrolled(organisation=world.organisation_a1, young_teacher=True, surname="Молодцова")
    young.base_entries.update(mentee_category="young_specialist")
    with pytest.raises(DomainError, match="«учитель – ученик» наставляемый — обучающийся; Молодцова"):
        add(world, pair, young)


def test_an_external_co_mentor_needs_an_agreement(world: World) -> None:
    programme = ProgrammeFactory(organisation=world.organisation_a1, form=MentorshipForm.EMPLOYER_STUDENT)
    engineer = enrolled(BaseRole.MENTOR, organisation=world.organisation_a1, external=True, surname="Инженеров")
    engineer.base_entries.update(mentor_kind=MentorKind.EMPLOYEE)
    CooperationAgreementFactory(person=engineer)
    pair = pair_of(world, programme=programme, mentors=[engineer])
    second = enrolled(BaseRole.MENTOR, organisation=world.organisation_a1, external=True, surname="Технологов")
    second.base_entries.update(mentor_kind=MentorKind.EMPLOYEE)
    with pytest.raises(DomainError, match=r"Технологов .* нет действующего соглашения о сотрудничестве"):
        add(world, pair, second, role=BaseRole.MENTOR)
    CooperationAgreementFactory(person=second)
    assert add(world, pair, second, role=BaseRole.MENTOR).pk
    # The group's external mentors' entries are read by the form's rules for the new mentee.
    assert add(world, pair, world.mentee_a1_second).role == BaseRole.MENTEE


def test_a_newcomer_must_be_in_the_base_of_the_year_in_that_role(world: World) -> None:
    pair = pair_of(world)
    outside = enrolled(organisation=world.organisation_a1, surname="Внебазов")
    outside.base_entries.update(is_active=False)
    with pytest.raises(DomainError, match=r"Внебазов .* нет в базе наставляемых на 2026/2027"):
        add(world, pair, outside)
    with pytest.raises(DomainError, match="нет в базе наставников"):
        add(world, pair, world.mentee_a1_second, role=BaseRole.MENTOR)


def test_nobody_is_twice_in_the_same_programme(world: World) -> None:
    pair = pair_of(world)
    other_mentor = enrolled(BaseRole.MENTOR, organisation=world.organisation_a1)
    other_pair = pair_of(world, mentors=[other_mentor], mentees=[world.mentee_a1_second])
    with pytest.raises(DomainError, match=r"Кузнецова Мария .* уже состоит в паре \(группе\) программы"):
        add(world, pair, world.mentee_a1_second)
    with pytest.raises(DomainError, match=r"уже состоит в этой паре \(группе\)"):
        add(world, other_pair, world.mentee_a1_second)
    assert other_pair.members.count() == 2


def test_a_race_into_the_programme_ends_in_the_same_message(world: World, monkeypatch) -> None:
    pair = pair_of(world)
    other_mentor = enrolled(BaseRole.MENTOR, organisation=world.organisation_a1)
    pair_of(world, mentors=[other_mentor], mentees=[world.mentee_a1_second])
    # Pretend the check ran before the other curator's insert: the database's constraint answers.
    monkeypatch.setattr(pairs_services, "open_memberships", lambda **kwargs: PairMember.objects.none())
    with pytest.raises(DomainError, match=r"уже состоит в паре \(группе\) этой программы"):
        add(world, pair, world.mentee_a1_second)
    assert pair.members.count() == 2


def test_joining_falls_within_the_pairs_time(world: World) -> None:
    pair = pair_of(world)
    with pytest.raises(DomainError, match=r"не раньше начала её работы \(01.10.2026\)"):
        add(world, pair, world.mentee_a1_second, joined_on=date(2026, 9, 15))
    with pytest.raises(DomainError, match="не приходится на учебный год пары"):
        add(world, pair, world.mentee_a1_second, joined_on=date(2027, 9, 15))
    services.pair_terminate(actor=world.curator_a1, pair=pair, ended_on=date(2026, 10, 20), reason="Переезд")
    with pytest.raises(DomainError, match="уже прекращена"):
        add(world, pair, world.mentee_a1_second)
    assert not PairMember.objects.filter(person=world.mentee_a1_second).exists()


def test_only_the_schools_staff_add_members(world: World) -> None:
    pair = pair_of(world)
    for persona in ("curator_b1", "officer_a", "regional_coordinator", "mentor_a1", "outsider"):
        with pytest.raises(PermissionDenied):
            add(world, pair, world.mentee_a1_second, actor=world.persona(persona))
    assert pair.members.count() == 2


def test_a_person_of_another_school_is_refused_without_naming_them(world: World) -> None:
    pair = pair_of(world)
    with pytest.raises(DomainError, match="Выберите участника из списка своей организации") as info:
        add(world, pair, world.student_b1_person)
    assert "Белов" not in info.value.message
    with pytest.raises(DomainError, match="не относится к"):
        add(world, pair, world.student_b1_person, actor=world.superuser)
    assert not PairMember.objects.filter(person=world.student_b1_person).exists()


# --- leaving --------------------------------------------------------------------------------------


def member_of(pair: Pair, person: Person) -> PairMember:
    return pair.members.get(person=person)


def remove(world: World, member: PairMember, **kwargs) -> Pair:
    data = {"actor": world.curator_a1, "member": member, "left_on": date(2026, 11, 20)}
    return services.pair_member_remove(**(data | kwargs))


def test_a_mentee_leaves_a_group_that_goes_on(world: World) -> None:
    pair = pair_of(world, mentees=[world.mentee_a1_person, world.mentee_a1_second])
    pair = remove(world, member_of(pair, world.mentee_a1_second), reason="Перевод в другой класс")
    assert pair.status == PairStatus.FORMING
    assert member_of(pair, world.mentee_a1_second).left_on == date(2026, 11, 20)
    assert open_members(pair) == {
        (world.mentor_a1_person.pk, BaseRole.MENTOR),
        (world.mentee_a1_person.pk, BaseRole.MENTEE),
    }
    assert member_of(pair, world.mentee_a1_second).history.first().history_change_reason == "Перевод в другой класс"


def test_the_place_a_mentee_leaves_is_free_again(world: World) -> None:
    pair = pair_of(world, mentees=[world.mentee_a1_person, world.mentee_a1_second])
    remove(world, member_of(pair, world.mentee_a1_second))
    third = enrolled(organisation=world.organisation_a1)
    assert add(world, pair, third, joined_on=date(2026, 11, 20)).pk


def test_removing_the_last_mentee_terminates_the_pair(world: World) -> None:
    pair = pair_of(world)
    member = member_of(pair, world.mentee_a1_person)
    with pytest.raises(DomainError, match=r"последний наставляемый .* укажите причину"):
        remove(world, member)
    assert member_of(pair, world.mentee_a1_person).left_on is None
    pair = remove(world, member, reason="  Смена школы  ")
    assert (pair.status, pair.ended_on, pair.termination_reason) == (
        PairStatus.TERMINATED,
        date(2026, 11, 20),
        "Смена школы",
    )
    assert not pair.members.filter(left_on__isnull=True).exists()
    assert set(pair.members.values_list("left_on", flat=True)) == {date(2026, 11, 20)}
    # Both are free to be paired again in the programme.
    assert pair_of(world, started_on=date(2026, 11, 21)).pk


def test_removing_the_only_mentor_terminates_the_group(world: World) -> None:
    pair = pair_of(world, mentees=[world.mentee_a1_person, world.mentee_a1_second])
    pair = remove(world, member_of(pair, world.mentor_a1_person), reason="Увольнение наставника")
    assert (pair.status, pair.termination_reason) == (PairStatus.TERMINATED, "Увольнение наставника")
    assert not pair.members.filter(left_on__isnull=True).exists()


def test_a_co_mentor_leaves_and_the_group_goes_on(world: World) -> None:
    pair = pair_of(world)
    co_mentor = enrolled(BaseRole.MENTOR, organisation=world.organisation_a1)
    add(world, pair, co_mentor, role=BaseRole.MENTOR)
    assert remove(world, member_of(pair, world.mentor_a1_person)).status == PairStatus.FORMING
    assert open_members(pair) == {(co_mentor.pk, BaseRole.MENTOR), (world.mentee_a1_person.pk, BaseRole.MENTEE)}


def test_leaving_dates_are_checked(world: World, today: date) -> None:
    pair = pair_of(world)
    member = add(world, pair, enrolled(organisation=world.organisation_a1, surname="Новенький"), joined_on=today)
    with pytest.raises(DomainError, match="ещё не наступила"):
        remove(world, member, left_on=date(2026, 12, 1))
    with pytest.raises(DomainError, match=r"Новенький .* раньше, чем вступил\(а\): 23.11.2026"):
        remove(world, member, left_on=date(2026, 11, 20))
    remove(world, member, left_on=today)
    with pytest.raises(DomainError, match=r"уже вышел\(а\) из пары \(группы\) 23.11.2026"):
        remove(world, member, left_on=today)


def test_a_member_who_left_does_not_rejoin_the_same_pair(world: World) -> None:
    pair = pair_of(world, mentees=[world.mentee_a1_person, world.mentee_a1_second])
    remove(world, member_of(pair, world.mentee_a1_second), left_on=date(2026, 11, 2))
    with pytest.raises(DomainError, match=r"уже выходил\(а\) из пары \(группы\)"):
        add(world, pair, world.mentee_a1_second, joined_on=date(2026, 11, 20))
    assert member_of(pair, world.mentee_a1_second).left_on == date(2026, 11, 2)


def test_members_of_a_closed_pair_do_not_leave_it_again(world: World) -> None:
    pair = pair_of(world)
    services.pair_terminate(actor=world.curator_a1, pair=pair, ended_on=date(2026, 10, 20), reason="Переезд")
    with pytest.raises(DomainError, match="уже прекращена"):
        remove(world, member_of(pair, world.mentee_a1_person), reason="Ещё раз")


def test_only_the_schools_staff_remove_members(world: World) -> None:
    pair = pair_of(world, mentees=[world.mentee_a1_person, world.mentee_a1_second])
    member = member_of(pair, world.mentee_a1_second)
    for persona in ("curator_b1", "officer_a", "regional_coordinator", "mentor_a1", "outsider"):
        with pytest.raises(PermissionDenied):
            remove(world, member, actor=world.persona(persona))
    assert member_of(pair, world.mentee_a1_second).left_on is None
