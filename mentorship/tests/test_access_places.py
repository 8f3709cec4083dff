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
