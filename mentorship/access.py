"""The one place that decides what a user may see and change.

A user holds role assignments at places of the hierarchy (region, municipality,
organisation). Each role is granted Django permission codenames
(``app_label.action_model``) by the apps' ``roles.py`` modules; an assignment
applies its role's permissions to everything at or below its place. Grants that
do not follow the hierarchy (a mentor on their own pair, a partner on one
programme) are django-guardian object permissions.

``scope_q`` turns both into one filter (``ScopedModel.scope_filter`` says how
each model hangs from the places); ``RestrictedQuerySet.restrict`` (see
``querysets.py``) is the only way views, exports, imports, PDFs and APIs obtain
objects. Everything here builds subqueries, so restricting a queryset costs no
extra query.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db.models import AutoField, BigAutoField, BigIntegerField, CharField, F, IntegerField, Model, Q
from django.db.models.functions import Cast

from .choices import ROLE_LEVELS, Level, Role
from .expressions import InSubquery

if TYPE_CHECKING:
    from .models import User

ACTIONS = ("view", "add", "change", "delete")

_role_permissions: dict[str, set[str]] = defaultdict(set)


def grant(roles: Iterable[Role], *permissions: str) -> None:
    """Give every role in ``roles`` the listed ``app_label.codename`` permissions."""
    for role in roles:
        _role_permissions[role].update(permissions)


def model_permissions(model_label: str, *actions: str) -> list[str]:
    """``("mentorship.organisation", "view", "change")`` → the two codenames."""
    app_label, model_name = model_label.split(".")
    return [f"{app_label}.{action}_{model_name}" for action in actions]


def permissions_of(role: str) -> frozenset[str]:
    return frozenset(_role_permissions.get(role, ()))


def roles_with(permission: str) -> list[str]:
    return [role for role, perms in _role_permissions.items() if permission in perms]


def level_of_role(role: str) -> Level:
    return ROLE_LEVELS[role]


def may_add_anywhere(user: Any, model: type[Model]) -> bool:
    """Whether any of the user's roles may add ``model`` somewhere (to offer the «Добавить» button)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    granted = roles_with(permission_name(model, "add"))
    role_assignment = apps.get_model("mentorship", "RoleAssignment")
    return role_assignment.objects.filter(user_id=user.pk, role__in=granted).exists()


def permission_name(model: type[Model], action: str) -> str:
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def _assigned_places(user: User, level: Level, roles: list[str]) -> Any:
    role_assignment = apps.get_model("mentorship", "RoleAssignment")
    return role_assignment.objects.filter(user_id=user.pk, role__in=roles).values(level.value)


def scope_q(model: type[Model], user: Any, action: str) -> Q | None:
    """The filter selecting the objects of ``model`` ``user`` may ``action``.

    ``None`` means no restriction (administrators); an empty result is
    ``Q(pk__in=[])``.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user.is_superuser:
        return None
    permission = permission_name(model, action)
    granted = roles_with(permission)
    places = {}
    for level in Level:
        level_roles = [role for role in granted if ROLE_LEVELS[role] == level]
        if level_roles:
            places[level] = _assigned_places(user, level, level_roles)
    q = model.scope_filter(places, action) if places else Q(pk__in=[])
    if model.object_permissions:
        q |= _object_grants(user, model, permission)
    return q


def _object_grants(user: Any, model: type[Model], permission: str) -> Q:
    """Objects granted to the user one by one with django-guardian (``assign_perm``).

    Read straight from guardian's tables rather than through
    ``get_objects_for_user``: that helper looks the content type up with a
    query cached per process (so a page's query count would depend on what ran
    before) and matches against a cast of every row of the model's table.
    """
    from guardian.models import GroupObjectPermission, UserObjectPermission

    app_label, codename = permission.split(".")
    by_permission = {
        "permission__codename": codename,
        "permission__content_type__app_label": app_label,
        "permission__content_type__model": model._meta.model_name,
    }
    pk_type = BigIntegerField() if isinstance(model._meta.pk, (AutoField, BigAutoField, IntegerField)) else CharField()
    grants = Q(pk__in=[])
    for rows in (
        UserObjectPermission.objects.filter(user_id=user.pk, **by_permission),
        GroupObjectPermission.objects.filter(group__user=user.pk, **by_permission),
    ):
        grants |= Q(InSubquery(F("pk"), rows.annotate(granted_pk=Cast("object_pk", pk_type)).values("granted_pk")))
    return grants


def can(user: Any, obj: Model, action: str) -> bool:
    """Whether ``user`` may ``action`` this saved object."""
    return type(obj)._default_manager.restrict(user, action).filter(pk=obj.pk).exists()


def ensure_can(user: Any, obj: Model, action: str) -> None:
    """Raise ``PermissionDenied`` unless ``user`` may ``action`` ``obj``.

    For ``add`` call it after saving inside the same transaction: the new
    object must fall inside the user's scope, or the transaction rolls back
    (the approach NetBox takes for object-level permissions).
    """
    if not can(user, obj, action):
        raise PermissionDenied("Недостаточно прав для этого действия.")
