"""Who sees and changes participants' records: every persona against school A1's records (roles.py + access.py)."""

from __future__ import annotations

import pytest

from mentorship import access
from mentorship.tests.factories import World
from participants.models import (
    BaseEntry,
    Consent,
    CooperationAgreement,
    DevelopmentPlan,
    MatchRun,
    Meeting,
    Pair,
    PairMember,
    Person,
    Programme,
    Questionnaire,
    Response,
)

from .factories import (
    CooperationAgreementFactory,
    DevelopmentPlanFactory,
    MatchRunFactory,
    MeetingFactory,
    PairFactory,
    QuestionnaireFactory,
)

# persona → (may view A1's records, may change them)
EXPECTED = {
    "director_a1": (True, True),
    "curator_a1": (True, True),
    "coordinator_a1": (True, True),
    "officer_a": (True, False),
    "observer_a": (True, False),
    "regional_coordinator": (True, False),
    "regional_observer": (True, False),
    "curator_b1": (False, False),
    "officer_b": (False, False),
    "mentor_a1": (False, False),
    "outsider": (False, False),
    "anonymous": (False, False),
    "superuser": (True, True),
}


def a1_records(world: World) -> list:
    """One record of every scoped participants' model, all at school A1."""
    pair = PairFactory(programme=world.programme_a1, mentors=[world.mentor_a1_person], mentees=[world.mentee_a1_person])
    return [
        world.mentee_a1_person,
        world.mentee_a1_person.base_entries.get(),
        world.mentee_a1_person.consents.get(),
        CooperationAgreementFactory(person__organisation=world.organisation_a1),
        QuestionnaireFactory(organisation=world.organisation_a1),
        world.programme_a1,
        pair,
        pair.members.first(),
        DevelopmentPlanFactory(pair=pair, mentee=world.mentee_a1_person),
        MeetingFactory(pair=pair),
        MatchRunFactory(programme=world.programme_a1),
    ]


@pytest.mark.parametrize(("persona", "expected"), EXPECTED.items())
def test_each_persona_sees_and_changes_school_a1s_records_as_their_role_allows(
    world: World, persona: str, expected: tuple[bool, bool]
) -> None:
    user = world.persona(persona)
    may_view, may_change = expected
    for record in a1_records(world):
        model = type(record)
        assert model.objects.restrict(user, "view").filter(pk=record.pk).exists() is may_view, (persona, model)
        for action in ("add", "change", "delete"):
            assert model.objects.restrict(user, action).filter(pk=record.pk).exists() is may_change, (persona, model)


def test_curator_of_b1_gets_nothing_of_a1(world: World) -> None:
    a1_records(world)
    for model in (
        Person,
        BaseEntry,
        Consent,
        CooperationAgreement,
        Pair,
        PairMember,
        DevelopmentPlan,
        Meeting,
        MatchRun,
    ):
        visible = model.objects.restrict(world.curator_b1, "view")
        assert not visible.filter(pk__in=model.objects.exclude(**{_org_path(model): world.organisation_b1})).exists()


def _org_path(model: type) -> str:
    return "pair__organisation" if model in (PairMember, DevelopmentPlan, Meeting) else "organisation"


def test_the_region_ends_at_its_border(world: World) -> None:
    c1_pair = PairFactory(programme__organisation=world.organisation_c1)
    for persona in ("regional_coordinator", "regional_observer", "officer_a", "curator_a1"):
        assert not Pair.objects.restrict(world.persona(persona), "view").filter(pk=c1_pair.pk).exists()


def test_a_municipal_officer_sees_their_municipality_only(world: World) -> None:
    people = set(Person.objects.restrict(world.officer_a, "view"))
    assert world.mentee_a1_person in people
    assert world.student_b1_person not in people
    assert set(Person.objects.restrict(world.officer_b, "view")) == {world.student_b1_person}


def test_published_programmes_are_visible_across_the_region_but_kept_by_their_school(world: World) -> None:
    programme = world.programme_b1
    assert not Programme.objects.restrict(world.curator_a1, "view").filter(pk=programme.pk).exists()
    programme.is_published = True
    programme.save()
    assert Programme.objects.restrict(world.curator_a1, "view").filter(pk=programme.pk).exists()
    assert not Programme.objects.restrict(world.curator_a1, "change").filter(pk=programme.pk).exists()


def test_shared_questionnaires_are_read_by_all_and_kept_by_administrators(world: World) -> None:
    shared = QuestionnaireFactory(organisation=None)
    assert Questionnaire.objects.restrict(world.curator_b1, "view").filter(pk=shared.pk).exists()
    assert not Questionnaire.objects.restrict(world.curator_b1, "change").filter(pk=shared.pk).exists()
    assert Questionnaire.objects.restrict(world.superuser, "change").filter(pk=shared.pk).exists()


def test_responses_follow_the_persons_school(world: World) -> None:
    questionnaire = QuestionnaireFactory(organisation=None)
    response = Response.objects.create(
        organisation=world.organisation_a1,
        questionnaire=questionnaire,
        person=world.mentee_a1_person,
        filled_on="2026-11-20",
    )
    assert access.can(world.curator_a1, response, "change")
    assert access.can(world.officer_a, response, "view")
    assert not access.can(world.officer_a, response, "change")
    assert not access.can(world.curator_b1, response, "view")


def test_only_the_schools_staff_may_confirm_its_pairs(world: World) -> None:
    pair = PairFactory(programme=world.programme_a1)
    confirmers = {name for name in EXPECTED if access.can(world.persona(name), pair, "confirm")}
    assert confirmers == {"director_a1", "curator_a1", "coordinator_a1", "superuser"}


def test_an_organisations_records_are_scoped_by_one_indexable_comparison(world: World) -> None:
    """Not an OR of subqueries per level, which PostgreSQL answers by reading the whole table."""
    from django.db import connection

    sql = str(Person.objects.restrict(world.curator_a1, "view").query)
    where = sql.split(" WHERE ", 1)[1]
    if connection.vendor == "postgresql":
        assert where.startswith('"participants_person"."organisation_id" = ANY(ARRAY(SELECT')
    else:
        assert where.startswith('"participants_person"."organisation_id" IN (SELECT')
    assert "guardian" not in where
    assert set(Person.objects.restrict(world.curator_a1, "view")) == set(
        Person.objects.filter(organisation=world.organisation_a1)
    )
