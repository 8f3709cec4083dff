"""The place API of the access layer: where a user holds a permission, and three questions about a place.

Every expectation is written out by hand from the small world (``factories.build_world``), never
computed by the code under test.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from mentorship import access
from mentorship.choices import Level, Role

from .factories import UserFactory, assign_role

pytestmark = pytest.mark.django_db

CHANGE_ORGANISATION = "mentorship.change_organisation"
ADD_ORGANISATION = "mentorship.add_organisation"
VIEW_ORGANISATION = "mentorship.view_organisation"


def codes(queryset) -> set[str]:
    return set(queryset.values_list("code", flat=True))


def test_places_where_is_none_for_administrators_and_empty_for_nobody(world):
    assert access.places_where(world.superuser, CHANGE_ORGANISATION) is None
    # An active user without roles gets the subqueries all the same (no query is made): they are empty.
    assert all(list(places) == [] for places in access.places_where(world.outsider, CHANGE_ORGANISATION).values())
    assert access.places_where(AnonymousUser(), CHANGE_ORGANISATION) == {}
    inactive = world.curator_a1
    inactive.is_active = False
    assert access.places_where(inactive, CHANGE_ORGANISATION) == {}


def test_places_where_names_only_the_levels_whose_roles_grant_the_permission(world):
    # add_organisation is granted to the regional coordinator and the municipal officer only.
    places = access.places_where(world.officer_a, ADD_ORGANISATION)
    assert set(places) == {Level.REGION, Level.MUNICIPALITY}
    assert list(places[Level.MUNICIPALITY]) == [{"municipality": world.municipality_a.pk}]
    assert list(places[Level.REGION]) == []


def test_places_where_costs_no_query(world, django_assert_num_queries):
    with django_assert_num_queries(0):
        access.places_where(world.curator_a1, CHANGE_ORGANISATION)


def test_organisations_where_reaches_down_the_hierarchy(world):
    assert codes(access.organisations_where(world.regional_coordinator, ADD_ORGANISATION)) == {"A1", "A2", "B1"}
    assert codes(access.organisations_where(world.officer_a, ADD_ORGANISATION)) == {"A1", "A2"}
    assert codes(access.organisations_where(world.curator_a1, CHANGE_ORGANISATION)) == {"A1"}
    assert codes(access.organisations_where(world.curator_a1, ADD_ORGANISATION)) == set()
    assert codes(access.organisations_where(world.outsider, VIEW_ORGANISATION)) == set()
    assert codes(access.organisations_where(world.superuser, ADD_ORGANISATION)) == {"A1", "A2", "B1", "C1"}


def test_organisations_held_are_the_users_own_schools_only(world):
    # The officer may change the schools of their district, but holds no role at any of them.
    assert codes(access.organisations_held(world.officer_a, CHANGE_ORGANISATION)) == set()
    assert codes(access.organisations_held(world.director_a1, CHANGE_ORGANISATION)) == {"A1"}
    assert codes(access.organisations_held(world.mentor_a1, CHANGE_ORGANISATION)) == set()
    assert codes(access.organisations_held(world.superuser, CHANGE_ORGANISATION)) == {"A1", "A2", "B1", "C1"}


def test_municipalities_and_regions_where(world):
    assert codes(access.municipalities_where(world.regional_coordinator, ADD_ORGANISATION)) == {
        "80652000",
        "80613000",
    }
    assert codes(access.municipalities_where(world.officer_b, ADD_ORGANISATION)) == {"80613000"}
    assert codes(access.municipalities_where(world.curator_a1, CHANGE_ORGANISATION)) == set()
    assert codes(access.regions_where(world.regional_coordinator, ADD_ORGANISATION)) == {"02"}
    assert codes(access.regions_where(world.officer_a, ADD_ORGANISATION)) == set()
    assert codes(access.regions_where(world.superuser, ADD_ORGANISATION)) == {"02", "24"}


@pytest.mark.parametrize(
    ("persona", "place", "reaches", "holds_at", "directly_above"),
    [
        ("regional_coordinator", "region_r", True, True, False),
        ("regional_coordinator", "municipality_a", True, False, True),
        ("regional_coordinator", "organisation_a1", True, False, False),
        ("regional_coordinator", "organisation_c1", False, False, False),
        ("officer_a", "region_r", False, False, False),
        ("officer_a", "municipality_a", True, True, False),
        ("officer_a", "organisation_a1", True, False, True),
        ("officer_a", "organisation_b1", False, False, False),
        ("director_a1", "organisation_a1", True, True, False),
        ("director_a1", "organisation_a2", False, False, False),
        ("director_a1", "municipality_a", False, False, False),
        ("outsider", "organisation_a1", False, False, False),
        ("superuser", "organisation_c1", True, True, True),
    ],
)
def test_three_questions_about_a_place(world, persona, place, reaches, holds_at, directly_above):
    user, target = world.persona(persona), getattr(world, place)
    # change_organisation: regional coordinator, municipal officer, director, curator.
    assert access.reaches(user, target, CHANGE_ORGANISATION) is reaches
    assert access.holds_at(user, target, CHANGE_ORGANISATION) is holds_at
    held = access.holdings(user, CHANGE_ORGANISATION)
    assert held.reaches(target) is reaches
    assert held.holds_at(target) is holds_at
    if persona != "superuser":
        assert access.directly_above(user, target, CHANGE_ORGANISATION) is directly_above
        assert held.directly_above(target) is directly_above


def test_a_role_without_the_permission_does_not_count(world):
    # The mentor sees their school but may not change its card.
    assert access.reaches(world.mentor_a1, world.organisation_a1, VIEW_ORGANISATION)
    assert not access.reaches(world.mentor_a1, world.organisation_a1, CHANGE_ORGANISATION)
    assert access.holdings(world.mentor_a1, CHANGE_ORGANISATION).empty


def test_holdings_read_once_then_answer_from_memory(world, django_assert_num_queries):
    user = UserFactory(username="two_places")
    assign_role(user, Role.CURATOR, world.organisation_a1)
    assign_role(user, Role.MUNICIPAL_OFFICER, world.municipality_b)
    with django_assert_num_queries(1):
        held = access.holdings(user, CHANGE_ORGANISATION)
    assert held.organisations == {world.organisation_a1.pk}
    assert held.municipalities == {world.municipality_b.pk}
    organisations = [world.organisation_a1, world.organisation_a2, world.organisation_b1, world.organisation_c1]
    with django_assert_num_queries(0):
        assert [held.reaches(o) for o in organisations] == [True, False, True, False]


def test_holds_is_any_place_and_may_add_anywhere_follows_it(world):
    from mentorship.models import Organisation

    assert access.holds(world.officer_a, ADD_ORGANISATION)
    assert not access.holds(world.curator_a1, ADD_ORGANISATION)
    assert not access.holds(AnonymousUser(), VIEW_ORGANISATION)
    assert access.holds(world.superuser, ADD_ORGANISATION)
    assert access.may_add_anywhere(world.officer_a, Organisation)
    assert not access.may_add_anywhere(world.curator_a1, Organisation)


def test_directly_below_q_selects_rows_kept_by_the_level_just_below(world):
    from mentorship.models import RoleAssignment

    def below(persona: str) -> set[str] | None:
        q = access.directly_below_q(
            world.persona(persona), CHANGE_ORGANISATION, organisation="organisation", municipality="municipality"
        )
        if q is None:
            return None
        return set(RoleAssignment.objects.filter(q).values_list("user__username", flat=True))

    # Role assignments are rows kept by a place: the school's staff sit below the district.
    assert below("officer_a") == {"director_a1", "curator_a1", "coordinator_a1", "mentor_a1"}
    assert below("regional_coordinator") == {"officer_a", "officer_b", "observer_a"}
    assert below("director_a1") == set()
    assert below("outsider") == set()
    assert below("superuser") is None


def test_holds_among_assignments_already_read_costs_no_query(world, django_assert_num_queries):
    assignments = list(access.assignments_of(world.officer_a))
    with django_assert_num_queries(0):
        assert access.holds(world.officer_a, ADD_ORGANISATION, among=assignments)
        assert not access.holds(world.officer_a, "mentorship.change_region", among=assignments)
        assert access.holds(world.superuser, ADD_ORGANISATION, among=[])
        assert not access.holds(AnonymousUser(), VIEW_ORGANISATION, among=[])


def test_holdings_grants_a_second_permission_through_the_roles_read(world):
    # The officer and the curator both may change organisations; only the officer may add one.
    assert access.holdings(world.officer_a, CHANGE_ORGANISATION).grants(ADD_ORGANISATION)
    assert not access.holdings(world.curator_a1, CHANGE_ORGANISATION).grants(ADD_ORGANISATION)
    assert not access.holdings(world.outsider, CHANGE_ORGANISATION).grants(ADD_ORGANISATION)
    assert access.holdings(world.superuser, CHANGE_ORGANISATION).grants(ADD_ORGANISATION)


def test_is_administrator_is_an_active_superuser(world):
    assert access.is_administrator(world.superuser)
    assert not access.is_administrator(world.officer_a)
    assert not access.is_administrator(AnonymousUser())
    world.superuser.is_active = False
    assert not access.is_administrator(world.superuser)


def test_assignments_of_are_the_users_own_with_their_places(world, django_assert_num_queries):
    user = UserFactory(username="two_places")
    assign_role(user, Role.CURATOR, world.organisation_a1)
    assign_role(user, Role.MUNICIPAL_OFFICER, world.municipality_b)
    with django_assert_num_queries(1):
        places = [(a.role, str(a.place)) for a in access.assignments_of(user)]
    assert sorted(places) == [
        (Role.CURATOR, "МОБУ СОШ с. Булгаково"),
        (Role.MUNICIPAL_OFFICER, "Белорецкий район"),
    ]
    assert [a.role for a in access.assignments_of(user, ADD_ORGANISATION)] == [Role.MUNICIPAL_OFFICER]
    # Administrators have no assignments of their own; nobody signed in has none either.
    assert list(access.assignments_of(world.superuser)) == []
    assert list(access.assignments_of(AnonymousUser())) == []


def test_holders_are_everyones_assignments_granting_a_permission_or_holding_a_role(world):
    def names(qs) -> set[str]:
        return set(qs.values_list("user__username", flat=True))

    assert names(access.holders(permission=ADD_ORGANISATION)) == {"reg_coordinator", "officer_a", "officer_b"}
    assert names(access.holders(permission=ADD_ORGANISATION).filter(municipality=world.municipality_a)) == {"officer_a"}
    assert names(access.holders(roles=[Role.CURATOR])) == {"curator_a1", "curator_b1"}
    assert names(access.holders(roles=[Role.DIRECTOR], permission="mentorship.change_region")) == {
        "director_a1",
        "reg_coordinator",
    }


def test_own_organisations_are_those_held_at_the_school_itself(world):
    from mentorship.models import Organisation

    # Adding an organisation is a district's or a region's right: nobody holds it at a school.
    assert codes(access.own_organisations(world.officer_a, Organisation)) == set()
    assert codes(access.own_organisations(world.director_a1, Organisation)) == set()
    assert codes(access.own_organisations(world.superuser, Organisation)) == {"A1", "A2", "B1", "C1"}


def test_ensure_holds_at_refuses_above_and_elsewhere_in_its_own_words(world):
    from django.core.exceptions import PermissionDenied

    access.ensure_holds_at(world.officer_a, world.municipality_a, ADD_ORGANISATION)
    with pytest.raises(PermissionDenied, match="Не здесь"):
        access.ensure_holds_at(world.officer_a, world.organisation_a1, CHANGE_ORGANISATION, "Не здесь.")
    with pytest.raises(PermissionDenied):
        access.ensure_holds_at(world.officer_b, world.municipality_a, ADD_ORGANISATION)


def test_refusal_as_turns_a_refusal_into_the_callers_error_and_lets_the_rest_through():
    from django.core.exceptions import PermissionDenied

    refused = access.refusal_as(lambda message: LookupError(f"сюда нельзя: {message}"))
    with pytest.raises(LookupError, match="сюда нельзя: Недостаточно прав") as caught, refused:
        raise PermissionDenied("Недостаточно прав.")
    assert caught.value.__cause__ is None
    with pytest.raises(ValueError, match="не отказ"), access.refusal_as(LookupError):
        raise ValueError("не отказ")
    with access.refusal_as(LookupError):
        pass
