"""Where a user may import: the organisations (and places) checked once for the whole file."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from mentorship import access
from mentorship.choices import ROLE_LEVELS, Level
from mentorship.models import Municipality, Organisation, Region, RoleAssignment
from mentorship.models.hierarchy import organisations_within


def places_where(user: Any, permission: str) -> dict[Level, QuerySet]:
    """``{level: subquery of place pks}`` where ``user`` holds a role granted ``permission``, as ``access`` does."""
    granted = access.roles_with(permission)
    places = {}
    for level in Level:
        roles = [role for role in granted if ROLE_LEVELS[role] == level]
        if roles:
            places[level] = RoleAssignment.objects.filter(user_id=user.pk, role__in=roles).values(level.value)
    return places


def organisations_where(user: Any, permission: str) -> QuerySet[Organisation]:
    """The organisations in which ``user`` holds ``permission`` (``participants.add_person``…).

    For records kept by an organisation (``ScopedModel.scope_anchor == "organisation"``) this is
    exactly the filter ``restrict(user, action)`` applies to their ``organisation`` — the same
    role assignments expanded down the hierarchy by ``organisations_within`` — evaluated once per
    file instead of once per row.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return Organisation.objects.none()
    if user.is_superuser:
        return Organisation.objects.all()
    places = places_where(user, permission)
    if not places:
        return Organisation.objects.none()
    return Organisation.objects.filter(pk__in=organisations_within(places))


def municipalities_where(user: Any, permission: str) -> QuerySet[Municipality]:
    """The municipalities at or below which ``user`` holds ``permission`` (held in their region or in them)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Municipality.objects.none()
    if user.is_superuser:
        return Municipality.objects.all()
    places = places_where(user, permission)
    q = Q(pk__in=[])
    if Level.REGION in places:
        q |= Q(region__in=places[Level.REGION])
    if Level.MUNICIPALITY in places:
        q |= Q(pk__in=places[Level.MUNICIPALITY])
    return Municipality.objects.filter(q)


def regions_where(user: Any, permission: str) -> QuerySet[Region]:
    """The regions in which ``user`` holds ``permission`` at the regional level."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Region.objects.none()
    if user.is_superuser:
        return Region.objects.all()
    places = places_where(user, permission)
    return Region.objects.filter(pk__in=places[Level.REGION]) if Level.REGION in places else Region.objects.none()
