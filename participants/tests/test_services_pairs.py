"""Pairs and groups: forming them under the domain's rules, confirming, completing, terminating, closing a year."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from guardian.shortcuts import get_perms

from mentorship.choices import OrganisationKind, Role
from mentorship.errors import DomainError
from mentorship.tests.factories import World, assign_role
from participants import services
from participants.choices import BaseRole, MentorKind, MentorshipForm, PairStatus, Stage
from participants.models import Pair, PairMember
from participants.services import pairs as pairs_services

from .factories import (
    PAIR_STARTED_ON,
    ConsentFactory,
    CooperationAgreementFactory,
    PairFactory,
    ProgrammeFactory,
    enrolled,
)


def pair_in(world: World, **kwargs):
    data = {
        "actor": world.curator_a1,
        "programme": world.programme_a1,
        "mentors": [world.mentor_a1_person],
        "mentees": [world.mentee_a1_person],
        "started_on": PAIR_STARTED_ON,
    }
    return services.pair_create(**(data | kwargs))


# --- forming ---------------------------------------------------------------------------------------


def test_curator_forms_a_pair_of_a_teacher_and_a_student(world: World) -> None:
    pair = pair_in(world, title=" Пара 1 ")
    assert pair.status == PairStatus.FORMING
    assert pair.stage == Stage.PAIRING
    assert pair.organisation == world.organisation_a1
    assert pair.form == MentorshipForm.TEACHER_STUDENT
    assert pair.school_year == 2026
    assert pair.title == "Пара 1"
    assert pair.created_by == world.curator_a1
    roles = dict(pair.members.values_list("person_id", "role"))
    assert roles == {world.mentor_a1_person.pk: BaseRole.MENTOR, world.mentee_a1_person.pk: BaseRole.MENTEE}
    assert set(pair.members.values_list("programme_id", flat=True)) == {world.programme_a1.pk}


def test_a_group_has_more_than_one_mentee(world: World) -> None:
    pair = pair_in(world, mentees=[world.mentee_a1_person, world.mentee_a1_second])
    assert pair.members.filter(role=BaseRole.MENTEE).count() == 2


def test_a_pair_needs_a_mentor_and_a_mentee(world: World) -> None:
    with pytest.raises(DomainError, match="хотя бы один наставник"):
        pair_in(world, mentors=[])
    with pytest.raises(DomainError, match="хотя бы один наставляемый"):
        pair_in(world, mentees=[])
    assert not Pair.objects.exists()


def test_nobody_mentors_themselves(world: World) -> None:
    with pytest.raises(DomainError, match="выбран дважды"):
        pair_in(world, mentees=[world.mentor_a1_person])


def test_a_person_without_consent_is_not_paired(world: World) -> None:
    no_consent = enrolled(organisation=world.organisation_a1, consent=False, surname="Без согласия")
    with pytest.raises(DomainError, match="нет действующего согласия на обработку персональных данных") as info:
        pair_in(world, mentees=[no_consent])
    assert "Без согласия" in info.value.message
    assert not Pair.objects.exists()
    assert not PairMember.objects.exists()


def test_consent_signed_after_the_start_does_not_count(world: World) -> None:
    late = enrolled(organisation=world.organisation_a1, consent=False)
    ConsentFactory(person=late, signed_on=date(2026, 10, 15))
    with pytest.raises(DomainError, match="нет действующего согласия"):
        pair_in(world, mentees=[late])
    assert pair_in(world, mentees=[late], started_on=date(2026, 10, 20)).members.count() == 2


def test_withdrawn_or_expired_consent_does_not_count(world: World) -> None:
    expired = enrolled(organisation=world.organisation_a1, consent=False)
    ConsentFactory(person=expired, valid_until=date(2026, 9, 30))
    with pytest.raises(DomainError, match="нет действующего согласия"):
        pair_in(world, mentees=[expired])


def test_a_student_of_another_school_is_refused_in_a_same_school_form(world: World) -> None:
    curator = world.curator_a1
    assign_role(curator, Role.CURATOR, world.organisation_a2)
    mentor = enrolled(BaseRole.MENTOR, organisation=world.organisation_a2, adult_student=True, surname="Старшеклассник")
    with pytest.raises(DomainError, match="«ученик – ученик» наставник и наставляемый учатся в одной"):
        pair_in(world, programme=world.programme_a1_peer, mentors=[mentor], mentees=[world.mentee_a1_person])
    assert not Pair.objects.exists()


def test_student_student_pair_within_one_school(world: World) -> None:
    mentor = enrolled(BaseRole.MENTOR, organisation=world.organisation_a1, adult_student=True, surname="Старшеклассник")
    mentor.base_entries.update(mentor_kind=MentorKind.STUDENT)
    pair = pair_in(world, programme=world.programme_a1_peer, mentors=[mentor])
    assert pair.form == MentorshipForm.STUDENT_STUDENT


def test_a_teacher_cannot_mentor_in_student_student_form(world: World) -> None:
    with pytest.raises(DomainError, match="и наставник, и наставляемый — обучающиеся"):
        pair_in(world, programme=world.programme_a1_peer)


def test_a_person_from_another_schools_id_is_refused_without_naming_them(world: World) -> None:
    with pytest.raises(DomainError, match="недоступные вам") as info:
        pair_in(world, mentees=[world.student_b1_person])
    assert "Белов" not in info.value.message
    assert not Pair.objects.exists()


def test_a_visible_person_of_another_organisation_is_refused(world: World) -> None:
    with pytest.raises(DomainError, match="не относится к"):
        pair_in(world, actor=world.superuser, mentees=[world.student_b1_person])


def test_curator_cannot_pair_in_another_schools_programme(world: World) -> None:
    with pytest.raises(DomainError, match="Выберите программу"):
        pair_in(world, programme=world.programme_b1)
    world.programme_b1.is_published = True
    world.programme_b1.save()
    with pytest.raises((DomainError, PermissionDenied)):
        pair_in(world, programme=world.programme_b1)
    assert not Pair.objects.exists()


def test_read_only_roles_cannot_form_pairs(world: World) -> None:
    for persona in ("officer_a", "regional_coordinator", "mentor_a1", "outsider"):
        with pytest.raises((DomainError, PermissionDenied)):
            pair_in(world, actor=world.persona(persona))
    assert not Pair.objects.exists()


def test_a_mentor_outside_the_mentor_base_is_refused(world: World) -> None:
    teacher = enrolled(organisation=world.organisation_a1, teacher=True, surname="Не в базе")
    teacher.base_entries.all().delete()
    with pytest.raises(DomainError, match="нет в базе наставников на 2026/2027"):
        pair_in(world, mentors=[teacher])


def test_mentor_capacity_is_not_exceeded(world: World) -> None:
    third = enrolled(organisation=world.organisation_a1, surname="Третий")
    pair_in(world, mentees=[world.mentee_a1_person, world.mentee_a1_second])
    other = ProgrammeFactory(organisation=world.organisation_a1)
    with pytest.raises(DomainError, match="уже ведёт наставляемых: 2 из 2"):
        pair_in(world, programme=other, mentees=[third])


def test_capacity_counts_only_open_memberships(world: World) -> None:
    first = pair_in(world, mentees=[world.mentee_a1_person, world.mentee_a1_second])
    services.pair_terminate(actor=world.curator_a1, pair=first, ended_on=date(2026, 10, 10), reason="Переезд семьи")
    third = enrolled(organisation=world.organisation_a1)
    assert pair_in(world, mentees=[third]).status == PairStatus.FORMING


def test_nobody_is_twice_in_the_same_programme(world: World) -> None:
    pair_in(world)
    other_mentor = enrolled(BaseRole.MENTOR, organisation=world.organisation_a1, surname="Другой")
    with pytest.raises(DomainError, match=r"уже состоит в паре \(группе\) программы"):
        pair_in(world, mentors=[other_mentor])
    assert Pair.objects.count() == 1


def test_a_race_into_the_same_programme_ends_in_the_same_message(world: World, monkeypatch) -> None:
    pair_in(world)
    other_mentor = enrolled(BaseRole.MENTOR, organisation=world.organisation_a1)
    # Pretend the check ran before the other curator's insert: the database's constraint answers.
    monkeypatch.setattr(pairs_services, "open_memberships", lambda **kwargs: PairMember.objects.none())
    with pytest.raises(DomainError, match=r"уже состоит в паре \(группе\) этой программы"):
        pair_in(world, mentors=[other_mentor])
    assert Pair.objects.count() == 1


def test_the_same_person_may_be_paired_in_another_programme(world: World) -> None:
    pair_in(world)
    other = ProgrammeFactory(organisation=world.organisation_a1)
    assert pair_in(world, programme=other, mentees=[world.mentee_a1_person]).pk


def test_the_start_must_fall_in_the_programmes_school_year(world: World) -> None:
    with pytest.raises(DomainError, match="учебный год программы"):
        pair_in(world, started_on=date(2027, 9, 1))


def test_planned_end_is_not_before_the_start(world: World) -> None:
    with pytest.raises(DomainError, match="Плановое окончание"):
        pair_in(world, planned_end=date(2026, 9, 1))


def test_external_mentor_needs_a_cooperation_agreement(world: World) -> None:
    programme = ProgrammeFactory(organisation=world.organisation_a1, form=MentorshipForm.EMPLOYER_STUDENT)
    mentor = enrolled(BaseRole.MENTOR, organisation=world.organisation_a1, external=True, surname="Инженеров")
    mentor.base_entries.update(mentor_kind=MentorKind.EMPLOYEE)
    with pytest.raises(DomainError, match="нет действующего соглашения о сотрудничестве"):
        pair_in(world, programme=programme, mentors=[mentor])
    CooperationAgreementFactory(person=mentor)
    assert pair_in(world, programme=programme, mentors=[mentor]).form == MentorshipForm.EMPLOYER_STUDENT


def test_employer_form_needs_an_employer_as_mentor(world: World) -> None:
    programme = ProgrammeFactory(organisation=world.organisation_a1, form=MentorshipForm.EMPLOYER_STUDENT)
    with pytest.raises(DomainError, match="«работодатель – ученик» наставник — сотрудник предприятия"):
        pair_in(world, programme=programme)


def test_teacher_teacher_form_needs_a_teacher_mentee(world: World) -> None:
    programme = ProgrammeFactory(organisation=world.organisation_a1, form=MentorshipForm.TEACHER_TEACHER)
    with pytest.raises(DomainError, match="наставляемый — педагог"):
        pair_in(world, programme=programme)
    young = enrolled(organisation=world.organisation_a1, young_teacher=True)
    young.base_entries.update(mentee_category="young_specialist")
    assert pair_in(world, programme=programme, mentees=[young]).form == MentorshipForm.TEACHER_TEACHER


def test_manager_form_needs_a_manager_as_mentor(world: World) -> None:
    programme = ProgrammeFactory(organisation=world.organisation_a1, form=MentorshipForm.MANAGER_YOUNG_MANAGER)
    young = enrolled(organisation=world.organisation_a1, young_teacher=True)
    with pytest.raises(DomainError, match="педагог на руководящей должности"):
        pair_in(world, programme=programme, mentees=[young])
    world.mentor_a1_person.is_manager = True
    world.mentor_a1_person.save()
    assert pair_in(world, programme=programme, mentees=[young]).pk


def test_college_student_form_needs_a_college_student_as_mentor(world: World) -> None:
    programme = ProgrammeFactory(organisation=world.organisation_a1, form=MentorshipForm.COLLEGE_STUDENT_STUDENT)
    with pytest.raises(DomainError, match="«студент – ученик» наставник — студент колледжа"):
        pair_in(world, programme=programme)
    student = enrolled(
        BaseRole.MENTOR, organisation=world.organisation_a1, external=True, workplace="Уфимский колледж, 2 курс"
    )
    student.base_entries.update(mentor_kind=MentorKind.STUDENT)
    CooperationAgreementFactory(person=student)
    assert pair_in(world, programme=programme, mentors=[student]).pk


def test_employer_college_student_form_needs_a_college(world: World) -> None:
    programme = ProgrammeFactory(organisation=world.organisation_a1, form=MentorshipForm.EMPLOYER_COLLEGE_STUDENT)
    mentor = enrolled(BaseRole.MENTOR, organisation=world.organisation_a1, external=True)
    mentor.base_entries.update(mentor_kind=MentorKind.EMPLOYEE)
    CooperationAgreementFactory(person=mentor)
    with pytest.raises(DomainError, match="наставляемый — студент колледжа"):
        pair_in(world, programme=programme, mentors=[mentor])
    world.organisation_a1.kind = OrganisationKind.COLLEGE
    world.organisation_a1.save()
    assert pair_in(world, programme=programme, mentors=[mentor]).pk


def test_a_mentor_with_a_portal_account_sees_their_pair(world: World) -> None:
    mentor = world.mentor_a1_person
    mentor.user = world.mentor_a1
    mentor.save()
    pair = pair_in(world)
    other = PairFactory(programme=world.programme_a1)
    assert "view_pair" in get_perms(world.mentor_a1, pair)
    assert list(Pair.objects.restrict(world.mentor_a1, "view")) == [pair]
    assert not Pair.objects.restrict(world.mentor_a1, "change").exists()
    assert other not in Pair.objects.restrict(world.mentor_a1, "view")


# --- stages and statuses -------------------------------------------------------------------------


def test_confirming_pairs_makes_them_active_at_stage_six(world: World, today: date) -> None:
    first = pair_in(world)
    other = ProgrammeFactory(organisation=world.organisation_a1)
    second = pair_in(world, programme=other)
    assert services.pairs_confirm(actor=world.director_a1, pairs=[first, second], on=date(2026, 10, 2)) == 2
    for pair in (first, second):
        pair.refresh_from_db()
        assert (pair.status, pair.stage, pair.confirmed_on) == (PairStatus.ACTIVE, Stage.WORK, date(2026, 10, 2))
    assert first.history.first().status == PairStatus.ACTIVE


def test_a_pair_is_confirmed_only_once(world: World) -> None:
    pair = pair_in(world)
    services.pairs_confirm(actor=world.curator_a1, pairs=[pair], on=date(2026, 10, 2))
    fresh = pair_in(world, programme=ProgrammeFactory(organisation=world.organisation_a1))
    with pytest.raises(DomainError, match=r"уже не формируются: «Пара № \d+» \(действует\)"):
        services.pairs_confirm(actor=world.curator_a1, pairs=[fresh, pair], on=date(2026, 10, 3))
    fresh.refresh_from_db()
    assert fresh.status == PairStatus.FORMING  # all or nothing


def test_confirming_needs_a_selection_and_a_past_date(world: World, today: date) -> None:
    pair = pair_in(world)
    with pytest.raises(DomainError, match="Выберите пары"):
        services.pairs_confirm(actor=world.curator_a1, pairs=[], on=today)
    with pytest.raises(DomainError, match="ещё не наступила"):
        services.pairs_confirm(actor=world.curator_a1, pairs=[pair], on=date(2026, 12, 1))


def test_only_the_schools_staff_confirm_its_pairs(world: World, today: date) -> None:
    pair = pair_in(world)
    for persona in ("curator_b1", "officer_a", "regional_coordinator", "mentor_a1", "outsider"):
        with pytest.raises(PermissionDenied):
            services.pairs_confirm(actor=world.persona(persona), pairs=[pair], on=today)
    pair.refresh_from_db()
    assert pair.status == PairStatus.FORMING


def test_completing_an_active_pair_needs_results(world: World) -> None:
    pair = pair_in(world)
    with pytest.raises(DomainError, match="ещё не утверждена"):
        services.pair_complete(actor=world.curator_a1, pair=pair, ended_on=date(2026, 11, 20), results="Итог")
    services.pairs_confirm(actor=world.curator_a1, pairs=[pair], on=date(2026, 10, 2))
    with pytest.raises(DomainError, match="Опишите результаты"):
        services.pair_complete(actor=world.curator_a1, pair=pair, ended_on=date(2026, 11, 20), results="  ")
    with pytest.raises(DomainError, match="не может быть раньше её начала"):
        services.pair_complete(actor=world.curator_a1, pair=pair, ended_on=date(2026, 9, 20), results="Итог")
    pair = services.pair_complete(
        actor=world.curator_a1, pair=pair, ended_on=date(2026, 11, 20), results="Оценка «4»", reflection="Полезно"
    )
    assert (pair.status, pair.stage, pair.ended_on) == (PairStatus.COMPLETED, Stage.COMPLETION, date(2026, 11, 20))
    assert set(pair.members.values_list("left_on", flat=True)) == {date(2026, 11, 20)}


def test_terminating_needs_a_reason_and_frees_the_members(world: World) -> None:
    pair = pair_in(world)
    with pytest.raises(DomainError, match="Укажите причину"):
        services.pair_terminate(actor=world.curator_a1, pair=pair, ended_on=date(2026, 10, 5), reason=" ")
    pair = services.pair_terminate(actor=world.curator_a1, pair=pair, ended_on=date(2026, 10, 5), reason="Переезд")
    assert (pair.status, pair.termination_reason) == (PairStatus.TERMINATED, "Переезд")
    assert not PairMember.objects.filter(pair=pair, left_on__isnull=True).exists()
    assert pair_in(world).pk  # the same people may be paired again in the programme


def test_completed_and_terminated_pairs_are_final(world: World, today: date) -> None:
    pair = pair_in(world)
    services.pair_terminate(actor=world.curator_a1, pair=pair, ended_on=date(2026, 10, 5), reason="Переезд")
    with pytest.raises(DomainError, match="уже прекращена"):
        services.pair_terminate(actor=world.curator_a1, pair=pair, ended_on=today, reason="Ещё раз")
    with pytest.raises(DomainError, match="уже прекращена"):
        services.pair_stage_set(actor=world.curator_a1, pair=pair, stage=Stage.PAIRING)
    with pytest.raises(DomainError, match="Утвердить можно только формирующиеся"):
        services.pairs_confirm(actor=world.curator_a1, pairs=[pair], on=today)


def test_stages_follow_the_status(world: World) -> None:
    pair = pair_in(world)
    assert services.pair_stage_set(actor=world.curator_a1, pair=pair, stage=4).stage == Stage.MENTOR_TRAINING
    with pytest.raises(DomainError, match="после утверждения"):
        services.pair_stage_set(actor=world.curator_a1, pair=pair, stage=Stage.WORK)
    with pytest.raises(DomainError, match="при завершении"):
        services.pair_stage_set(actor=world.curator_a1, pair=pair, stage=Stage.COMPLETION)
    services.pairs_confirm(actor=world.curator_a1, pairs=[pair], on=date(2026, 10, 2))
    with pytest.raises(DomainError, match="вернуть её на подготовительные"):
        services.pair_stage_set(actor=world.curator_a1, pair=pair, stage=Stage.PAIRING)


def test_an_officer_cannot_change_a_schools_pair(world: World, today: date) -> None:
    pair = pair_in(world)
    with pytest.raises(PermissionDenied):
        services.pair_terminate(actor=world.officer_a, pair=pair, ended_on=today, reason="Проверка")
    with pytest.raises(PermissionDenied):
        services.pair_stage_set(actor=world.curator_b1, pair=pair, stage=4)


def test_closing_the_year_completes_active_and_terminates_forming_pairs(world: World) -> None:
    active = pair_in(world)
    services.pairs_confirm(actor=world.curator_a1, pairs=[active], on=date(2026, 10, 2))
    forming = pair_in(world, programme=ProgrammeFactory(organisation=world.organisation_a1))
    other_school = PairFactory(programme=world.programme_b1)
    closed = services.school_year_close(
        actor=world.curator_a1, organisation=world.organisation_a1, school_year=2026, on=date(2026, 11, 20)
    )
    assert closed == 2
    active.refresh_from_db()
    forming.refresh_from_db()
    other_school.refresh_from_db()
    assert (active.status, active.stage, active.ended_on) == (
        PairStatus.COMPLETED,
        Stage.COMPLETION,
        date(2026, 11, 20),
    )
    assert "закрытии 2026/2027" in active.results
    assert forming.status == PairStatus.TERMINATED
    assert "не была утверждена" in forming.termination_reason
    assert other_school.status == PairStatus.FORMING
    assert not PairMember.objects.filter(pair__in=[active, forming], left_on__isnull=True).exists()
    assert active.history.first().status == PairStatus.COMPLETED


def test_closing_the_year_is_for_the_schools_staff(world: World, today: date) -> None:
    pair_in(world)
    for persona in ("curator_b1", "officer_a", "regional_observer", "mentor_a1", "outsider"):
        with pytest.raises(PermissionDenied):
            services.school_year_close(
                actor=world.persona(persona), organisation=world.organisation_a1, school_year=2026, on=today
            )
    assert Pair.objects.get().status == PairStatus.FORMING


def test_a_year_is_not_closed_before_it_starts_or_in_the_future(world: World, today: date) -> None:
    with pytest.raises(DomainError, match="ещё не начался"):
        services.school_year_close(
            actor=world.curator_a1, organisation=world.organisation_a1, school_year=2027, on=today
        )
    with pytest.raises(DomainError, match="ещё не наступила"):
        services.school_year_close(
            actor=world.curator_a1, organisation=world.organisation_a1, school_year=2026, on=date(2027, 5, 31)
        )
