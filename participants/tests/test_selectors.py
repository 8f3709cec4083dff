"""Reads: what each list shows, its counts made by the database, and a query count that does not grow with data."""

from __future__ import annotations

from datetime import date

import pytest
from django.http import Http404

from mentorship.tests.factories import World
from participants import selectors, services
from participants.choices import BaseRole, MeetingKind
from participants.models import Person

from .factories import (
    ConsentFactory,
    DevelopmentPlanFactory,
    MeetingFactory,
    PairFactory,
    PersonFactory,
    PlanTaskFactory,
    ProgrammeFactory,
    enrolled,
)


def test_valid_consent_q_follows_signature_expiry_and_withdrawal(world: World) -> None:
    signed_late = PersonFactory(organisation=world.organisation_a1)
    ConsentFactory(person=signed_late, signed_on=date(2026, 10, 10))
    expired = PersonFactory(organisation=world.organisation_a1)
    ConsentFactory(person=expired, valid_until=date(2026, 9, 30))
    withdrawn = PersonFactory(organisation=world.organisation_a1)
    ConsentFactory(person=withdrawn, withdrawn_on=date(2026, 9, 20))
    on_day = set(Person.objects.filter(selectors.valid_consent_q(date(2026, 10, 1))))
    assert world.mentee_a1_person in on_day
    assert not {signed_late, expired, withdrawn} & on_day
    assert withdrawn in Person.objects.filter(selectors.valid_consent_q(date(2026, 9, 10)))


def test_people_list_shows_the_curators_school_with_consent_and_pair_flags(world: World) -> None:
    no_consent = PersonFactory(organisation=world.organisation_a1)
    PairFactory(programme=world.programme_a1, mentors=[world.mentor_a1_person], mentees=[world.mentee_a1_person])
    people = {person.pk: person for person in selectors.people_list(user=world.curator_a1)}
    assert world.student_b1_person.pk not in people
    assert people[no_consent.pk].has_consent is False
    assert people[world.mentee_a1_person.pk].has_consent is True
    assert people[world.mentee_a1_person.pk].in_pair is True
    assert people[world.mentee_a1_second.pk].in_pair is False


def test_mentor_base_counts_the_mentees_each_mentor_leads(world: World) -> None:
    PairFactory(
        programme=world.programme_a1,
        mentors=[world.mentor_a1_person],
        mentees=[world.mentee_a1_person, world.mentee_a1_second],
    )
    # A completed pair of the same year counts for nothing.
    PairFactory(
        programme=ProgrammeFactory(organisation=world.organisation_a1),
        status="completed",
        mentors=[world.mentor_a1_person],
        mentees=[PersonFactory(organisation=world.organisation_a1)],
    )
    entries = list(selectors.base_entries(user=world.curator_a1, role=BaseRole.MENTOR, school_year=2026))
    assert [(e.person, e.mentees_count, e.capacity, e.in_pair) for e in entries] == [
        (world.mentor_a1_person, 2, 2, True)
    ]
    mentees = selectors.base_entries(user=world.curator_a1, role=BaseRole.MENTEE, school_year=2026)
    assert {e.person for e in mentees} == {world.mentee_a1_person, world.mentee_a1_second}
    assert not selectors.base_entries(user=world.curator_a1, role=BaseRole.MENTEE, school_year=2025).exists()


def test_unpaired_mentees_are_those_without_an_open_pair(world: World) -> None:
    pair = PairFactory(programme=world.programme_a1, mentors=[world.mentor_a1_person], mentees=[world.mentee_a1_person])
    unpaired = selectors.unpaired_mentees(user=world.curator_a1, school_year=2026)
    assert {e.person for e in unpaired} == {world.mentee_a1_second}
    services.pair_terminate(actor=world.curator_a1, pair=pair, ended_on=date(2026, 10, 10), reason="Переезд")
    unpaired = selectors.unpaired_mentees(user=world.curator_a1, organisation=world.organisation_a1, school_year=2026)
    assert {e.person for e in unpaired} == {world.mentee_a1_person, world.mentee_a1_second}


def test_the_officer_sees_unpaired_mentees_of_the_municipality_only(world: World) -> None:
    a2 = enrolled(organisation=world.organisation_a2)
    people = {e.person for e in selectors.unpaired_mentees(user=world.officer_a, school_year=2026)}
    assert people == {world.mentee_a1_person, world.mentee_a1_second, a2}
    people = {
        e.person
        for e in selectors.unpaired_mentees(user=world.officer_a, organisation=world.organisation_a2, school_year=2026)
    }
    assert people == {a2}


def test_the_bank_holds_published_programmes_of_the_region(world: World) -> None:
    published_b1 = ProgrammeFactory(organisation=world.organisation_b1, is_published=True, is_good_practice=True)
    published_c1 = ProgrammeFactory(organisation=world.organisation_c1, is_published=True)
    own_published = ProgrammeFactory(organisation=world.organisation_a1, is_published=True)
    ProgrammeFactory(organisation=world.organisation_b1, is_published=True, is_active=False)
    bank = list(selectors.programmes_bank(user=world.curator_a1))
    assert bank == [published_b1, own_published]
    assert published_c1 not in selectors.programmes_list(user=world.curator_a1)
    assert world.programme_b1 not in selectors.programmes_list(user=world.curator_a1)
    assert world.programme_a1 in selectors.programmes_list(user=world.curator_a1)


def test_the_pair_filter_offers_the_own_programmes_not_the_bank(world: World) -> None:
    published_b1 = ProgrammeFactory(organisation=world.organisation_b1, is_published=True)
    own = ProgrammeFactory(organisation=world.organisation_a1)
    assert published_b1 in selectors.programmes_list(user=world.curator_a1)
    kept = set(selectors.programmes_kept(user=world.curator_a1))
    assert own in kept
    assert world.programme_a1 in kept
    assert published_b1 not in kept
    assert world.programme_b1 not in kept
    assert published_b1 in set(selectors.programmes_kept(user=world.officer_b))


def test_pairs_list_carries_members_and_counts(world: World) -> None:
    pair = PairFactory(
        programme=world.programme_a1,
        mentors=[world.mentor_a1_person],
        mentees=[world.mentee_a1_person, world.mentee_a1_second],
    )
    MeetingFactory(pair=pair, held_on=date(2026, 10, 5))
    MeetingFactory(pair=pair, kind=MeetingKind.TRIAL, planned_on=date(2026, 12, 5))
    PairFactory(programme=world.programme_b1)
    [listed] = selectors.pairs_list(user=world.curator_a1)
    assert (listed.mentees_count, listed.meetings_held) == (2, 1)
    assert [m.role for m in listed.members.all()] == [BaseRole.MENTEE, BaseRole.MENTEE, BaseRole.MENTOR]


def test_pair_detail_answers_404_outside_the_scope(world: World) -> None:
    pair = PairFactory(programme=world.programme_b1)
    with pytest.raises(Http404):
        selectors.pair_detail(user=world.curator_a1, pk=pair.pk)
    assert selectors.pair_detail(user=world.officer_b, pk=pair.pk) == pair


def grow(world: World, pairs: int) -> None:
    """``pairs`` pairs at school A1, each with a mentor and two mentees, a meeting and a plan with a task."""
    programme = ProgrammeFactory(organisation=world.organisation_a1)
    for _ in range(pairs):
        mentor = enrolled(BaseRole.MENTOR, organisation=world.organisation_a1)
        mentees = [enrolled(organisation=world.organisation_a1) for _ in range(2)]
        pair = PairFactory(programme=programme, mentors=[mentor], mentees=mentees)
        MeetingFactory(pair=pair, held_on=date(2026, 10, 5))
        PlanTaskFactory(plan=DevelopmentPlanFactory(pair=pair, mentee=mentees[0]))


def touch(pairs) -> None:
    for pair in pairs:
        _ = [member.person.full_name for member in pair.members.all()]
        _ = (pair.programme.title, pair.organisation.short_name, pair.organisation.municipality.name)


@pytest.mark.parametrize("rows", [2, 20])
def test_list_query_counts_do_not_grow_with_data(
    world: World, rows: int, django_assert_num_queries, django_assert_max_num_queries
) -> None:
    grow(world, rows)
    curator, officer = world.curator_a1, world.officer_a
    with django_assert_num_queries(2):
        touch(selectors.pairs_list(user=curator))
    with django_assert_num_queries(2):
        touch(selectors.pairs_list(user=officer))
    with django_assert_num_queries(1):
        assert len([p.organisation.short_name for p in selectors.people_list(user=officer)]) >= rows * 3
    with django_assert_num_queries(1):
        entries = list(selectors.base_entries(user=curator, role=BaseRole.MENTOR, school_year=2026))
        assert all(e.person.full_name and e.mentees_count >= 0 for e in entries)
    with django_assert_num_queries(1):
        assert [e.person.full_name for e in selectors.unpaired_mentees(user=officer, school_year=2026)]
    with django_assert_num_queries(1):
        assert [
            (p.title, p.organisation.short_name, p.pairs_count) for p in selectors.programmes_bank(user=curator)
        ] == []
    any_pair = selectors.pairs_list(user=curator).first()
    with django_assert_num_queries(5):
        pair = selectors.pair_detail(user=curator, pk=any_pair.pk)
        touch([pair])
        _ = [(m.kind, p.mentee.full_name, list(p.tasks.all())) for m in pair.meetings.all() for p in pair.plans.all()]
