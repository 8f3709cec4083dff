"""Scoping: ``RestrictedQuerySet.restrict`` and ``access.scope_q`` per model, persona and action."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from guardian.shortcuts import assign_perm

from mentorship import access
from mentorship.choices import Role
from mentorship.models import Body, Municipality, Organisation, Partner, Region, RoleAssignment

from .factories import OrganisationFactory, UserFactory, assign_role

pytestmark = pytest.mark.django_db

DIRECTORY_MODELS = [Region, Municipality, Organisation, Body, Partner]


def codes(queryset) -> set[str]:
    """The codes of the directory records a queryset yields (every directory model has one)."""
    return set(queryset.values_list("code", flat=True))


def visible(model, user, action: str = "view") -> set[str]:
    return codes(model.objects.restrict(user, action))


# --- regional staff ---------------------------------------------------------------------------------


def test_regional_coordinator_sees_the_whole_region_and_nothing_of_another(world):
    user = world.regional_coordinator
    assert visible(Region, user) == {"02"}
    assert visible(Municipality, user) == {"80652000", "80613000"}
    assert visible(Organisation, user) == {"A1", "A2", "B1"}
    assert visible(Body, user) == {"IRO-RB", "UO-UFA", "UO-BEL"}
    assert visible(Partner, user) == {"BSPU", "AGRO-UFA", "BMK"}


def test_regional_coordinator_keeps_the_regions_directory(world):
    user = world.regional_coordinator
    assert visible(Region, user, "change") == {"02"}
    assert visible(Municipality, user, "change") == {"80652000", "80613000"}
    assert visible(Organisation, user, "change") == {"A1", "A2", "B1"}
    assert visible(Body, user, "change") == {"IRO-RB", "UO-UFA", "UO-BEL"}
    assert visible(Partner, user, "delete") == {"BSPU", "AGRO-UFA", "BMK"}


def test_regional_coordinator_may_not_delete_schools_municipalities_or_bodies(world):
    user = world.regional_coordinator
    for model in (Region, Municipality, Organisation, Body):
        assert visible(model, user, "delete") == set(), model


def test_regional_observer_sees_the_whole_region_but_may_change_nothing(world):
    user = world.regional_observer
    assert visible(Organisation, user) == {"A1", "A2", "B1"}
    assert visible(Partner, user) == {"BSPU", "AGRO-UFA", "BMK"}
    for model in DIRECTORY_MODELS:
        for action in ("add", "change", "delete"):
            assert visible(model, user, action) == set(), (model, action)


# --- municipal staff -------------------------------------------------------------------------------


def test_municipal_officer_sees_own_municipalitys_schools_not_the_neighbours(world):
    assert visible(Organisation, world.officer_a) == {"A1", "A2"}
    assert visible(Organisation, world.officer_b) == {"B1"}


def test_municipal_officer_sees_own_municipality_and_region_but_not_siblings(world):
    assert visible(Municipality, world.officer_a) == {"80652000"}
    assert visible(Region, world.officer_a) == {"02"}


def test_municipal_officer_sees_regional_bodies_and_partners_but_not_other_municipalities(world):
    assert visible(Body, world.officer_a) == {"IRO-RB", "UO-UFA"}
    assert visible(Partner, world.officer_a) == {"BSPU", "AGRO-UFA"}


def test_municipal_officer_may_change_own_bodies_and_partners_but_not_regional_ones(world):
    user = world.officer_a
    assert visible(Body, user, "change") == {"UO-UFA"}
    assert visible(Partner, user, "change") == {"AGRO-UFA"}
    assert visible(Partner, user, "delete") == {"AGRO-UFA"}
    assert visible(Organisation, user, "change") == {"A1", "A2"}


def test_municipal_officer_may_change_neither_own_municipality_nor_region(world):
    assert visible(Municipality, world.officer_a, "change") == set()
    assert visible(Region, world.officer_a, "change") == set()


def test_municipal_observer_sees_the_municipality_but_may_change_nothing(world):
    user = world.observer_a
    assert visible(Organisation, user) == {"A1", "A2"}
    assert visible(Body, user) == {"IRO-RB", "UO-UFA"}
    for model in DIRECTORY_MODELS:
        for action in ("add", "change", "delete"):
            assert visible(model, user, action) == set(), (model, action)


# --- school staff --------------------------------------------------------------------------------


def test_curator_sees_only_own_school(world):
    assert visible(Organisation, world.curator_a1) == {"A1"}
    assert visible(Organisation, world.curator_b1) == {"B1"}


def test_curator_sees_own_municipality_and_region_but_not_siblings(world):
    user = world.curator_a1
    assert visible(Region, user) == {"02"}
    assert visible(Municipality, user) == {"80652000"}
    assert visible(Body, user) == {"IRO-RB", "UO-UFA"}
    assert visible(Partner, user) == {"BSPU", "AGRO-UFA"}


@pytest.mark.parametrize("persona", ["director_a1", "curator_a1"])
def test_director_and_curator_may_change_own_school_only(world, persona):
    user = world.persona(persona)
    assert visible(Organisation, user, "change") == {"A1"}
    assert visible(Organisation, user, "delete") == set()
    assert visible(Municipality, user, "change") == set()
    assert visible(Body, user, "change") == set()
    assert visible(Partner, user, "change") == set()


@pytest.mark.parametrize("persona", ["coordinator_a1", "mentor_a1"])
def test_school_coordinator_and_mentor_see_own_school_but_may_not_change_it(world, persona):
    user = world.persona(persona)
    assert visible(Organisation, user) == {"A1"}
    assert visible(Organisation, user, "change") == set()


def test_a_role_at_one_school_grants_nothing_at_another_school_of_the_same_municipality(world):
    assert "A2" not in visible(Organisation, world.director_a1)
    assert not access.can(world.director_a1, world.organisation_a2, "view")


# --- people without a scope -------------------------------------------------------------------------


@pytest.mark.parametrize("model", DIRECTORY_MODELS, ids=lambda m: m.__name__)
def test_outsider_sees_nothing(world, model):
    assert not model.objects.restrict(world.outsider, "view").exists()


@pytest.mark.parametrize("model", DIRECTORY_MODELS, ids=lambda m: m.__name__)
def test_anonymous_sees_nothing(world, model):
    assert not model.objects.restrict(AnonymousUser(), "view").exists()
    assert not model.objects.restrict(None, "view").exists()


def test_deactivated_user_loses_the_scope_of_their_roles(world):
    user = world.regional_coordinator
    user.is_active = False
    user.save()
    assert visible(Organisation, user) == set()
    assert not access.may_add_anywhere(user, Organisation)


def test_superuser_scope_is_unrestricted(world):
    assert access.scope_q(Organisation, world.superuser, "delete") is None
    assert visible(Organisation, world.superuser, "delete") == {"A1", "A2", "B1", "C1"}
    assert visible(Region, world.superuser, "change") == {"02", "24"}


def test_an_action_no_role_is_granted_gives_nobody_but_superusers_anything(world):
    assert visible(Organisation, world.regional_coordinator, "approve") == set()
    assert visible(Organisation, world.superuser, "approve") == {"A1", "A2", "B1", "C1"}


def test_a_user_with_two_roles_sees_the_union_of_their_scopes(world):
    user = world.curator_a1
    assign_role(user, Role.MUNICIPAL_OBSERVER, world.municipality_b)
    assert visible(Organisation, user) == {"A1", "B1"}
    assert visible(Organisation, user, "change") == {"A1"}
    assert visible(Municipality, user) == {"80652000", "80613000"}


# --- django-guardian object grants -------------------------------------------------------------------


def test_guardian_view_grant_makes_one_organisation_visible_to_an_unrelated_user(world):
    user = world.outsider
    assign_perm("mentorship.view_organisation", user, world.organisation_c1)
    assert visible(Organisation, user) == {"C1"}
    assert visible(Organisation, user, "change") == set()


def test_guardian_view_grant_reveals_neither_siblings_nor_parents(world):
    user = world.outsider
    assign_perm("mentorship.view_organisation", user, world.organisation_c1)
    assert visible(Municipality, user) == set()
    assert visible(Region, user) == set()


def test_guardian_change_grant_allows_changing_that_object_only(world):
    user = world.curator_b1
    assign_perm("mentorship.change_partner", user, world.partner_b)
    assert visible(Partner, user, "change") == {"BMK"}
    assert visible(Partner, user, "delete") == set()


def test_guardian_grant_adds_to_a_roles_scope(world):
    user = world.officer_a
    assign_perm("mentorship.view_organisation", user, world.organisation_c1)
    assert visible(Organisation, user) == {"A1", "A2", "C1"}


def test_guardian_grant_of_another_user_changes_nothing_for_this_one(world):
    assign_perm("mentorship.view_organisation", world.curator_b1, world.organisation_a1)
    assert visible(Organisation, world.outsider) == set()
    assert visible(Organisation, world.curator_b1) == {"A1", "B1"}


# --- role assignments --------------------------------------------------------------------------------


def assignment_holders(user) -> set[str]:
    return set(RoleAssignment.objects.restrict(user, "view").values_list("user__username", flat=True))


def test_regional_coordinator_sees_who_holds_roles_anywhere_in_the_region(world):
    assert assignment_holders(world.regional_coordinator) == {
        "reg_coordinator",
        "reg_observer",
        "officer_a",
        "officer_b",
        "observer_a",
        "director_a1",
        "curator_a1",
        "curator_b1",
        "coordinator_a1",
        "mentor_a1",
    }


def test_municipal_officer_sees_roles_of_own_municipality_and_its_schools_only(world):
    assert assignment_holders(world.officer_a) == {
        "officer_a",
        "observer_a",
        "director_a1",
        "curator_a1",
        "coordinator_a1",
        "mentor_a1",
    }


def test_curator_sees_roles_of_own_school_only(world):
    assert assignment_holders(world.curator_b1) == {"curator_b1"}


def test_mentor_sees_no_role_assignments(world):
    assert assignment_holders(world.mentor_a1) == set()


def test_nobody_but_a_superuser_may_assign_roles(world):
    for name, user in world.personas.items():
        expected = name == "superuser"
        assert RoleAssignment.objects.restrict(user, "add").exists() is expected, name


# --- helpers built on the scope -------------------------------------------------------------------------


def test_restricting_a_queryset_costs_no_extra_query(world, django_assert_num_queries):
    assign_perm("mentorship.view_organisation", world.officer_a, world.organisation_c1)
    with django_assert_num_queries(1):
        assert len(list(Organisation.objects.restrict(world.officer_a, "view"))) == 3


def test_can_answers_per_object_and_ensure_can_raises_in_russian(world):
    user = world.officer_a
    assert access.can(user, world.organisation_a1, "change")
    assert not access.can(user, world.organisation_b1, "view")
    access.ensure_can(user, world.organisation_a1, "change")
    with pytest.raises(PermissionDenied, match="Недостаточно прав"):
        access.ensure_can(user, world.body_r, "change")


EXPECTED_MAY_ADD = {
    # persona: models they are offered «Добавить» for
    "regional_coordinator": {Municipality, Organisation, Body, Partner},
    "regional_observer": set(),
    "officer_a": {Organisation, Partner},
    "officer_b": {Organisation, Partner},
    "observer_a": set(),
    "director_a1": set(),
    "curator_a1": set(),
    "curator_b1": set(),
    "coordinator_a1": set(),
    "mentor_a1": set(),
    "outsider": set(),
    "superuser": {Region, Municipality, Organisation, Body, Partner},
    "anonymous": set(),
}


@pytest.mark.parametrize("persona", EXPECTED_MAY_ADD)
def test_may_add_anywhere_offers_adding_only_what_a_role_grants(world, persona):
    user = world.persona(persona)
    offered = {model for model in DIRECTORY_MODELS if access.may_add_anywhere(user, model)}
    assert offered == EXPECTED_MAY_ADD[persona]


def test_a_new_school_is_in_scope_of_the_municipality_that_owns_it(world):
    school = OrganisationFactory(municipality=world.municipality_b, code="B2")
    assert "B2" in visible(Organisation, world.officer_b)
    assert "B2" in visible(Organisation, world.regional_observer)
    assert "B2" not in visible(Organisation, world.officer_a)
    assert not access.can(world.curator_b1, school, "view")


def test_a_user_without_roles_created_later_sees_nothing(world):
    assert visible(Organisation, UserFactory(username="newcomer")) == set()


def test_an_import_job_is_its_uploaders_for_every_action_and_administrators_read_them_all(world):
    from mentorship.models import ImportJob

    mine = ImportJob.objects.create(kind="people", user=world.curator_a1, file_name="a.xlsx", sha256="a")
    theirs = ImportJob.objects.create(kind="people", user=world.curator_b1, file_name="b.xlsx", sha256="b")
    for action in ("view", "change", "delete"):
        assert list(ImportJob.objects.restrict(world.curator_a1, action)) == [mine]
    # The officer above the school has no claim on a user's own upload.
    assert not ImportJob.objects.restrict(world.officer_a, "view").exists()
    assert not ImportJob.objects.restrict(AnonymousUser(), "view").exists()
    assert set(ImportJob.objects.restrict(world.superuser, "view")) == {mine, theirs}
