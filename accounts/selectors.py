"""Reads of the users a person administers, always through the role assignments they may see.

A user has no place of their own: they are reached through their role assignments, restricted
with ``RoleAssignment.objects.restrict(viewer, "view")``. Who may open the pages at all is asked
of ``access.may_administer_users``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from mentorship import access
from mentorship.choices import Role
from mentorship.models import RoleAssignment, User
from mentorship.selectors import place_label

#: the roles in the order of ``Role``: regional first, the mentor last
ROLE_ORDER = {role.value: position for position, role in enumerate(Role)}

PLACE_JOINS = ("region", "municipality__region", "organisation__municipality__region")


def users_administered(*, user: Any) -> QuerySet[User]:
    """The users holding a role the viewer sees (at the viewer's places and below), by name.

    A user is reached only through their assignments restricted for «view», so the queryset is
    marked restricted for «view», as the base list view and the exports ask.
    """
    visible = RoleAssignment.objects.restrict(user, "view")
    users = User.objects.filter(pk__in=visible.values("user_id")).order_by(
        "last_name", "first_name", "patronymic", "pk"
    )
    users.restricted_action = "view"
    return users


def user_administered(*, user: Any, pk: int) -> User:
    """One user the viewer administers: 404 for anyone holding no role the viewer sees."""
    return get_object_or_404(users_administered(user=user), pk=pk)


def roles_of(*, viewer: Any, user_ids: Iterable[int]) -> dict[int, list[RoleAssignment]]:
    """The roles the viewer sees of each of the users, places selected, in one query."""
    rows = (
        RoleAssignment.objects.restrict(viewer, "view")
        .filter(user_id__in=list(user_ids))
        .select_related(*PLACE_JOINS)
        .order_by()
    )
    by_user: dict[int, list[RoleAssignment]] = defaultdict(list)
    for assignment in sorted(rows, key=lambda a: (ROLE_ORDER.get(a.role, 99), str(a.place))):
        assignment.place_label = place_label(assignment.place)
        by_user[assignment.user_id].append(assignment)
    return by_user


def user_roles(*, viewer: Any, user: User) -> list[RoleAssignment]:
    """The user's roles the viewer sees, each marked ``revocable`` where the viewer may take it (two queries).

    Nobody takes their own role (``services.role_revoke``), so the viewer's own are never marked.
    """
    roles = roles_of(viewer=viewer, user_ids=[user.pk]).get(user.pk, [])
    revocable = set(
        RoleAssignment.objects.restrict(viewer, "revoke")
        .filter(user_id=user.pk)
        .exclude(user_id=viewer.pk)
        .values_list("pk", flat=True)
    )
    for assignment in roles:
        assignment.revocable = assignment.pk in revocable
    return roles


def colleagues(*, viewer: Any, user: User) -> QuerySet[User]:
    """Active users, other than ``user``, holding a role (seen by the viewer) at a place where ``user`` holds one.

    Whom a person's duties can be handed over to: someone of the same school, municipality or region.
    """
    visible = RoleAssignment.objects.restrict(viewer, "view")
    theirs = visible.filter(user_id=user.pk)
    same_place = visible.filter(
        Q(region__in=theirs.filter(region__isnull=False).values("region_id"))
        | Q(municipality__in=theirs.filter(municipality__isnull=False).values("municipality_id"))
        | Q(organisation__in=theirs.filter(organisation__isnull=False).values("organisation_id"))
    )
    return (
        User.objects.filter(is_active=True, pk__in=same_place.values("user_id"))
        .exclude(pk=user.pk)
        .order_by("last_name", "first_name", "patronymic", "pk")
    )


def account_history(*, user: User) -> list[dict[str, Any]]:
    """When the account was switched off and on again, and by whom (its own change history, one query)."""
    rows = User.history.filter(id=user.pk).select_related("history_user").order_by("history_date", "history_id")
    events, previous = [], None
    for row in rows:
        if previous is not None and row.is_active != previous:
            events.append(
                {
                    "at": row.history_date,
                    "actor": row.history_user,
                    "what": "Учётная запись включена" if row.is_active else "Учётная запись отключена",
                }
            )
        previous = row.is_active
    return events


def role_history(*, viewer: Any, user: User) -> list[dict[str, Any]]:
    """The grants and revocations of the user's roles at the viewer's places, and the account's switching off
    and on, newest first: who did it and when (two queries)."""
    labels = dict(Role.choices)
    rows = (
        access.role_history(viewer, user)
        .exclude(history_type="~")
        .select_related("history_user", *PLACE_JOINS)
        .order_by("-history_date", "-history_id")[:200]
    )
    events = []
    for row in rows:
        place = row.region or row.municipality or row.organisation
        granted = row.history_type == "+"
        role = labels.get(row.role, row.role)
        events.append(
            {
                "at": row.history_date,
                "actor": row.history_user,
                "what": f"{'Назначена роль' if granted else 'Снята роль'} «{role}»: {place_label(place)}",
            }
        )
    events.extend(account_history(user=user))
    return sorted(events, key=lambda event: event["at"], reverse=True)
