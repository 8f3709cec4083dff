"""Who may grant and revoke which role where: the grant table (``mentorship/roles.py``, ``GRANTS``).

Every persona tries to grant every role at every place of that role's level: their own place, the
places below it, above it and outside it (the other region). ``ALLOWED`` is written out by hand
from issue 15's table, not computed from the code under test; every other attempt must fail and
leave nothing behind. Revoking follows the same table.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction

from mentorship import access, services
from mentorship.choices import Role, SecurityEventKind
from mentorship.errors import DomainError
from mentorship.models import RoleAssignment, SecurityEvent

from .factories import UserFactory

pytestmark = pytest.mark.django_db

# The places of each level, by their world names.
PLACES = {
    "region": ["region_r", "region_r2"],
    "municipality": ["municipality_a", "municipality_b", "municipality_c"],
    "organisation": ["organisation_a1", "organisation_a2", "organisation_b1", "organisation_c1"],
}
REGIONAL_ROLES = ["regional_coordinator", "regional_observer", "security_officer"]
MUNICIPAL_ROLES = ["municipal_officer", "municipal_observer"]
SCHOOL_ROLES = ["director", "curator", "coordinator", "mentor"]
ALL_ROLES = REGIONAL_ROLES + MUNICIPAL_ROLES + SCHOOL_ROLES


def _every(roles: list[str], places: list[str]) -> set[tuple[str, str]]:
    return {(role, place) for role in roles for place in places}


# (role, place) each persona may grant, by hand. Region R holds municipalities A and B (schools A1,
# A2 in A, B1 in B); region R2 holds municipality C (school C1).
ALLOWED: dict[str, set[tuple[str, str]]] = {
    # regional roles in their region, municipal roles in its municipalities; no school roles
    "regional_coordinator": _every(REGIONAL_ROLES, ["region_r"])
    | _every(MUNICIPAL_ROLES, ["municipality_a", "municipality_b"]),
    "regional_observer": set(),
    # municipal roles in their municipality; director, curator, coordinator in its schools; no mentors
    "officer_a": _every(MUNICIPAL_ROLES, ["municipality_a"])
    | _every(["director", "curator", "coordinator"], ["organisation_a1", "organisation_a2"]),
    "officer_b": _every(MUNICIPAL_ROLES, ["municipality_b"])
    | _every(["director", "curator", "coordinator"], ["organisation_b1"]),
    "observer_a": set(),
    "director_a1": _every(["curator", "coordinator", "mentor"], ["organisation_a1"]),
    "curator_a1": {("mentor", "organisation_a1")},
    "curator_b1": {("mentor", "organisation_b1")},
    "coordinator_a1": set(),
    "mentor_a1": set(),
    "outsider": set(),
    "anonymous": set(),
    "superuser": {(role, place) for role in ALL_ROLES for place in PLACES[Role(role).level.value]},
}


def attempts() -> list[tuple[str, str]]:
    return [(role, place) for role in ALL_ROLES for place in PLACES[Role(role).level.value]]


def test_the_hand_written_table_covers_every_role():
    assert set(ALL_ROLES) == set(Role)


def _granted(world, actor, role: str, place: str) -> bool:
    """Try the grant in a savepoint that is always rolled back; whether it succeeded."""
    target = UserFactory(username=f"target_{role}_{place}")
    with transaction.atomic():
        try:
            services.role_assign(actor=actor, user=target, role=role, place=getattr(world, place))
        except PermissionDenied:
            succeeded = False
        else:
            succeeded = True
        transaction.set_rollback(True)
    return succeeded


@pytest.mark.parametrize("persona", sorted(ALLOWED))
def test_each_persona_grants_exactly_the_roles_of_the_table(world, persona):
    actor = world.persona(persona)
    granted = {(role, place) for role, place in attempts() if _granted(world, actor, role, place)}
    assert granted == ALLOWED[persona]
    # Nothing of the refused attempts stayed behind.
    assert not RoleAssignment.objects.filter(user__username__startswith="target_").exists()


@pytest.mark.parametrize("persona", sorted(ALLOWED))
def test_each_persona_revokes_exactly_the_roles_of_the_table(world, persona):
    actor = world.persona(persona)
    revoked = set()
    for role, place in attempts():
        holder = UserFactory(username=f"holder_{role}_{place}")
        assignment = RoleAssignment.objects.create(
            user=holder, role=role, **{Role(role).level.value: getattr(world, place)}
        )
        with transaction.atomic():
            try:
                services.role_revoke(actor=actor, assignment=assignment)
            except PermissionDenied:
                pass
            else:
                revoked.add((role, place))
            transaction.set_rollback(True)
    assert revoked == ALLOWED[persona]


@pytest.mark.parametrize("persona", sorted(p for p in ALLOWED if p != "anonymous"))
def test_the_grant_form_offers_exactly_the_roles_and_places_of_the_table(world, persona):
    actor = world.persona(persona)
    offered = set()
    for role in access.roles_grantable(actor):
        for place in access.places_for_role(actor, role):
            name = next(
                (n for n in PLACES[Role(role).level.value] if getattr(world, n).pk == place.pk),
                None,
            )
            if name is not None:
                offered.add((role, name))
    assert offered == ALLOWED[persona]


def test_a_grant_is_recorded_in_the_change_history_and_the_security_log_with_who_did_it(world):
    newcomer = UserFactory(username="new_mentor", last_name="Новикова", first_name="Анна")
    assignment = services.role_assign(
        actor=world.curator_a1, user=newcomer, role=Role.MENTOR, place=world.organisation_a1
    )
    row = assignment.history.latest("history_date")
    assert (row.history_type, row.history_user) == ("+", world.curator_a1)
    event = SecurityEvent.objects.get(kind=SecurityEventKind.ROLE_GRANTED, subject=newcomer)
    assert event.actor == world.curator_a1
    assert event.region == world.region_r
    assert "«Наставник»" in event.what
    assert world.organisation_a1.short_name in event.what


def test_a_revocation_is_recorded_with_who_did_it_and_the_names_stay_readable(world):
    holder = UserFactory(username="leaving", last_name="Петров", first_name="Иван", patronymic="")
    assignment = RoleAssignment.objects.create(user=holder, role=Role.CURATOR, organisation=world.organisation_a2)
    pk = assignment.pk
    services.role_revoke(actor=world.officer_a, assignment=assignment)
    assert not RoleAssignment.objects.filter(pk=pk).exists()
    row = RoleAssignment.history.filter(id=pk).latest("history_date")
    assert (row.history_type, row.history_user) == ("-", world.officer_a)
    event = SecurityEvent.objects.get(kind=SecurityEventKind.ROLE_REVOKED, subject=holder)
    assert event.actor == world.officer_a
    assert event.subject_name == "Петров Иван (leaving)"
    assert "«Куратор внедрения ЦМН»" in event.what


def test_nobody_revokes_their_own_role(world):
    own = RoleAssignment.objects.get(user=world.officer_a)
    with pytest.raises(DomainError, match="Свою роль снять нельзя"):
        services.role_revoke(actor=world.officer_a, assignment=own)
    assert RoleAssignment.objects.filter(pk=own.pk).exists()
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.ROLE_REVOKED).exists()


def test_a_refused_grant_leaves_no_role_and_no_log_row(world):
    target = UserFactory(username="hopeful")
    with pytest.raises(PermissionDenied):
        services.role_assign(actor=world.curator_a1, user=target, role=Role.DIRECTOR, place=world.organisation_a1)
    assert not RoleAssignment.objects.filter(user=target).exists()
    assert not SecurityEvent.objects.exists()
