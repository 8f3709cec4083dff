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
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db.models import AutoField, BigAutoField, BigIntegerField, CharField, F, IntegerField, Model, Q
from django.db.models.functions import Cast

from .choices import ROLE_LEVELS, Level, Role
from .expressions import InSubquery

_role_permissions: dict[str, set[str]] = defaultdict(set)


def grant(roles: Iterable[Role], *permissions: str) -> None:
    """Give every role in ``roles`` the listed ``app_label.codename`` permissions."""
    for role in roles:
        _role_permissions[role].update(permissions)


def model_permissions(model_label: str, *actions: str) -> list[str]:
    """``("mentorship.organisation", "view", "change")`` → the two codenames."""
    app_label, model_name = model_label.split(".")
    return [f"{app_label}.{action}_{model_name}" for action in actions]


def grant_permission(role: str) -> str:
    """The permission to grant (and revoke) ``role``: ``mentorship.grant_curator``.

    The roles modules give it to the roles of the grant table (``mentorship/roles.py``,
    ``GRANTS``); like every permission it is held at the actor's place and reaches the places below.
    """
    return f"mentorship.grant_{role}"


def roles_with(permission: str) -> list[str]:
    return [role for role, perms in _role_permissions.items() if permission in perms]


def level_of_role(role: str) -> Level:
    return ROLE_LEVELS[role]


def permission_name(model: type[Model], action: str) -> str:
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def _active(user: Any) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def is_administrator(user: Any) -> bool:
    """Whether ``user`` is an active administrator: every place, every permission, the admin site."""
    return _active(user) and user.is_superuser


def _role_assignments() -> Any:
    return apps.get_model("mentorship", "RoleAssignment").objects


# --- Role assignments: whose roles, read for a menu or for whom to tell ---------------------------


def assignments_of(user: Any, permission: str | None = None) -> Any:
    """The user's own role assignments (only those granting ``permission``, if given), places selected.

    For the pages that list the user's places (home, menu, the places a roadmap may be uploaded
    to); administrators get their own assignments too, not every place.
    """
    if not _active(user):
        return _role_assignments().none()
    qs = _role_assignments().filter(user_id=user.pk)
    if permission is not None:
        qs = qs.filter(role__in=roles_with(permission))
    return qs.select_related("region", "municipality__region", "organisation__municipality__region").order_by("role")


def holders(*, permission: str | None = None, roles: Iterable[str] | None = None) -> Any:
    """Everyone's role assignments whose role grants ``permission`` (or is one of ``roles``).

    The question "who holds P at this place?" (whom a reminder goes to, who signs a document),
    the reverse of "where does this user hold P?". Callers narrow it by place with the usual
    lookups (``organisation__in=…``) and by ``user__is_active`` where it matters.
    """
    granted = set(roles_with(permission)) if permission is not None else set()
    if roles is not None:
        granted |= set(roles)
    return _role_assignments().filter(role__in=sorted(granted))


# --- Places: where a user holds a permission ---------------------------------------------------
#
# Every question of the form "where does this user hold a role granting P?" is answered here, in
# two shapes: ``places_where`` as subqueries (no query of its own, for filters), ``holdings`` as
# sets of ids read in one query (for questions about one given place, asked many times a page).

#: ``{level: subquery of the pks of the places at that level}``
Places = dict[Level, Any]


def places_where(user: Any, permission: str) -> Places | None:
    """The places where ``user`` holds a role granting ``permission``, one subquery per level.

    ``None`` means everywhere (administrators); ``{}`` means nowhere. Nothing is queried: the
    subqueries run inside the query that uses them.
    """
    if not _active(user):
        return {}
    if user.is_superuser:
        return None
    granted = roles_with(permission)
    places: Places = {}
    for level in Level:
        level_roles = [role for role in granted if ROLE_LEVELS[role] == level]
        if level_roles:
            places[level] = _role_assignments().filter(user_id=user.pk, role__in=level_roles).values(level.value)
    return places


def holds(user: Any, permission: str, *, among: Iterable[Any] | None = None) -> bool:
    """Whether one of the user's roles grants ``permission`` somewhere (to offer a menu entry or a button).

    ``among``: the user's assignments already read (``assignments_of``), so nothing is queried.
    """
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    if among is not None:
        granted = set(roles_with(permission))
        return any(assignment.role in granted for assignment in among)
    return _role_assignments().filter(user_id=user.pk, role__in=roles_with(permission)).exists()


def may_add_anywhere(user: Any, model: type[Model]) -> bool:
    """Whether any of the user's roles may add ``model`` somewhere (to offer the «Добавить» button)."""
    return holds(user, permission_name(model, "add"))


def _parents(place: Model) -> dict[Level, int]:
    """``{level: pk}`` of ``place`` and of every place above it."""
    from .models import Municipality, Organisation, Region

    if isinstance(place, Organisation):
        return {
            Level.ORGANISATION: place.pk,
            Level.MUNICIPALITY: place.municipality_id,
            Level.REGION: place.municipality.region_id,
        }
    if isinstance(place, Municipality):
        return {Level.MUNICIPALITY: place.pk, Level.REGION: place.region_id}
    if isinstance(place, Region):
        return {Level.REGION: place.pk}
    raise TypeError(f"Not a place of the hierarchy: {place!r}")


def place_parents(place: Model) -> dict[Level, int]:
    """``{level: pk}`` of ``place`` and of every place above it (an organisation's municipality selected)."""
    return _parents(place)


def level_of_place(place: Model) -> Level:
    """The level ``place`` (a region, municipality or organisation) is at."""
    return next(iter(_parents(place)))


def parent_of(place: Model) -> Model | None:
    """The place directly above ``place``: an organisation's municipality, a municipality's region."""
    from .models import Municipality, Organisation

    if isinstance(place, Organisation):
        return place.municipality
    if isinstance(place, Municipality):
        return place.region
    return None


@dataclass(frozen=True)
class Holdings:
    """The places where one user holds roles granting one permission, read in one query.

    Answers, without further queries, three questions about a given place: whether the user
    ``reaches`` it (holds the permission at it or above it), ``holds_at`` it exactly, or sits
    ``directly_above`` it (holds the permission at its parent). An organisation's region is read
    through ``organisation.municipality``: select it with the organisation.
    """

    everywhere: bool = False
    regions: frozenset[int] = frozenset()
    municipalities: frozenset[int] = frozenset()
    organisations: frozenset[int] = frozenset()
    #: the roles read, for ``grants``
    roles: frozenset[str] = frozenset()

    def _at(self, level: Level) -> frozenset[int]:
        return {
            Level.REGION: self.regions,
            Level.MUNICIPALITY: self.municipalities,
            Level.ORGANISATION: self.organisations,
        }[level]

    @property
    def empty(self) -> bool:
        return not (self.everywhere or self.regions or self.municipalities or self.organisations)

    def reaches(self, place: Model) -> bool:
        return self.everywhere or any(pk in self._at(level) for level, pk in _parents(place).items())

    def holds_at(self, place: Model) -> bool:
        return self.everywhere or place.pk in self._at(level_of_place(place))

    def directly_above(self, place: Model) -> bool:
        parent = parent_of(place)
        return parent is not None and self.holds_at(parent)

    def grants(self, permission: str) -> bool:
        """Whether one of the roles read also grants ``permission`` (a dashboard's «Обновить» button)."""
        return self.everywhere or bool(self.roles & set(roles_with(permission)))


def holdings(user: Any, permission: str) -> Holdings:
    """Where ``user`` holds ``permission``: one query (none for administrators and anonymous users)."""
    if not _active(user):
        return Holdings()
    if user.is_superuser:
        return Holdings(everywhere=True)
    places: dict[Level, set[int]] = {level: set() for level in Level}
    roles: set[str] = set()
    rows = (
        _role_assignments()
        .filter(user_id=user.pk, role__in=roles_with(permission))
        .values_list("role", "region_id", "municipality_id", "organisation_id")
        .order_by()
    )
    for role, *pks in rows:
        level = ROLE_LEVELS[role]
        places[level].add(dict(zip(Level, pks, strict=True))[level])
        roles.add(role)
    return Holdings(
        regions=frozenset(places[Level.REGION]),
        municipalities=frozenset(places[Level.MUNICIPALITY]),
        organisations=frozenset(places[Level.ORGANISATION]),
        roles=frozenset(roles),
    )


def reaches(user: Any, place: Model, permission: str) -> bool:
    """Whether ``user`` holds ``permission`` at ``place`` or at a place above it (one query)."""
    return _holds_among(user, _parents(place), permission)


def holds_at(user: Any, place: Model, permission: str) -> bool:
    """Whether ``user`` holds ``permission`` exactly at ``place``, not only above it (one query)."""
    level = level_of_place(place)
    return _holds_among(user, {level: place.pk}, permission)


def ensure_holds_at(
    user: Any, place: Model, permission: str, message: str = "Недостаточно прав для этого действия."
) -> None:
    """Raise ``PermissionDenied`` (with ``message``) unless ``user`` holds ``permission`` exactly at ``place``."""
    if not holds_at(user, place, permission):
        raise PermissionDenied(message)


def directly_above(user: Any, place: Model, permission: str) -> bool:
    """Whether ``user`` holds ``permission`` at the place directly above ``place`` (one query)."""
    parent = parent_of(place)
    return parent is not None and holds_at(user, parent, permission)


def _holds_among(user: Any, places: dict[Level, int], permission: str) -> bool:
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    held = Q(pk__in=[])
    for role in roles_with(permission):
        level = ROLE_LEVELS[role]
        if level in places:
            held |= Q(role=role, **{f"{level.value}_id": places[level]})
    return _role_assignments().filter(held, user_id=user.pk).exists()


def organisations_where(user: Any, permission: str) -> Any:
    """The organisations at or below the places where ``user`` holds ``permission`` (a queryset)."""
    from .models import Organisation
    from .models.hierarchy import organisations_within

    places = places_where(user, permission)
    if places is None:
        return Organisation.objects.all()
    if not places:
        return Organisation.objects.none()
    return Organisation.objects.filter(pk__in=organisations_within(places))


def organisations_held(user: Any, permission: str) -> Any:
    """The organisations where ``user`` holds ``permission`` exactly: their own schools, not those below a district."""
    from .models import Organisation

    places = places_where(user, permission)
    if places is None:
        return Organisation.objects.all()
    if Level.ORGANISATION not in places:
        return Organisation.objects.none()
    return Organisation.objects.filter(pk__in=places[Level.ORGANISATION])


def own_organisations(user: Any, model: type[Model]) -> Any:
    """The user's own organisations for ``model``: those they see where they hold a role that may add one.

    The schools a form offers for a new person, consent or order: held at the organisation itself,
    not inherited from a district above it.
    """
    from .models import Organisation

    return Organisation.objects.restrict(user, "view").filter(
        pk__in=organisations_held(user, permission_name(model, "add")).values("pk")
    )


def municipalities_where(user: Any, permission: str) -> Any:
    """The municipalities at or below which ``user`` holds ``permission`` (held in their region or in them)."""
    from .models import Municipality

    places = places_where(user, permission)
    if places is None:
        return Municipality.objects.all()
    q = Q(pk__in=[])
    if Level.REGION in places:
        q |= Q(region__in=places[Level.REGION])
    if Level.MUNICIPALITY in places:
        q |= Q(pk__in=places[Level.MUNICIPALITY])
    return Municipality.objects.filter(q)


def regions_where(user: Any, permission: str) -> Any:
    """The regions in which ``user`` holds ``permission`` at the regional level."""
    from .models import Region

    places = places_where(user, permission)
    if places is None:
        return Region.objects.all()
    if Level.REGION not in places:
        return Region.objects.none()
    return Region.objects.filter(pk__in=places[Level.REGION])


def directly_below_q(user: Any, permission: str, *, organisation: str, municipality: str) -> Q | None:
    """Rows kept by a place directly below one where ``user`` holds ``permission``.

    ``organisation`` and ``municipality`` name the lookups from the row to its organisation
    and municipality: a school's row when the user holds the permission in its municipality, a
    municipality's row when they hold it in its region. ``None``: no restriction (administrators).
    """
    places = places_where(user, permission)
    if places is None:
        return None
    q = Q(pk__in=[])
    if Level.MUNICIPALITY in places:
        q |= Q(**{f"{organisation}__municipality__in": places[Level.MUNICIPALITY]})
    if Level.REGION in places:
        q |= Q(**{f"{municipality}__region__in": places[Level.REGION]})
    return q


# --- Objects --------------------------------------------------------------------------------------


def scope_q(model: type[Model], user: Any, action: str) -> Q | None:
    """The filter selecting the objects of ``model`` ``user`` may ``action``.

    ``None`` means no restriction (administrators); an empty result is
    ``Q(pk__in=[])``. A user's own records (``OwnedModel``) are scoped by their owner.
    """
    if not _active(user):
        return Q(pk__in=[])
    owner = getattr(model, "owner_field", None)
    if owner is not None:
        # A user's own record (``OwnedModel``): the owner may do anything with it, nobody else anything.
        return None if user.is_superuser and model.administrators_see_all else Q(**{owner: user.pk})
    if user.is_superuser:
        return None
    if action in getattr(model, "grant_actions", ()):
        return _grantable_q(model, user)
    permission = permission_name(model, action)
    places = places_where(user, permission)
    q = model.scope_filter(places, action) if places else Q(pk__in=[])
    if model.object_permissions:
        q |= _object_grants(user, model, permission)
    if (participant := _participant_q(model, user, action)) is not None:
        q |= participant
    return q


def _grantable_q(model: type[Model], user: Any) -> Q:
    """The role assignments ``user`` may grant or revoke: each role where they hold its grant permission.

    One condition per role of the grant table, so a director who may grant curators in their school
    reaches that school's curators and mentors but not its director.
    """
    q = Q(pk__in=[])
    for role in Role:
        places = places_where(user, grant_permission(role))
        if places:
            q |= Q(role=role) & model.scope_filter(places, "grant")
    return q


def roles_grantable(user: Any) -> list[str]:
    """The roles ``user`` may grant somewhere, in the order of ``Role`` (the choices of a grant form)."""
    if is_administrator(user):
        return list(Role)
    held = set(_role_assignments().filter(user_id=user.pk).values_list("role", flat=True)) if _active(user) else set()
    return [role for role in Role if any(role_held in roles_with(grant_permission(role)) for role_held in held)]


def places_for_role(user: Any, role: str) -> Any:
    """The places of ``role``'s level where ``user`` may grant it: a queryset of regions, municipalities or schools."""
    permission = grant_permission(role)
    return {
        Level.REGION: regions_where,
        Level.MUNICIPALITY: municipalities_where,
        Level.ORGANISATION: organisations_where,
    }[ROLE_LEVELS[role]](user, permission)


def region_of(user: Any) -> int | None:
    """The region of the first place where ``user`` holds a role (one query): where their security events go."""
    if user is None or user.pk is None:
        return None
    row = (
        _role_assignments()
        .filter(user_id=user.pk)
        .order_by("pk")
        .values_list("region_id", "municipality__region_id", "organisation__municipality__region_id")
        .first()
    )
    return next((pk for pk in row if pk is not None), None) if row else None


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


@contextmanager
def refusal_as(error: Callable[[str], Exception]) -> Iterator[None]:
    """Turn a service's refusal (``PermissionDenied``) inside the block into ``error(its message)``.

    For callers that report a refusal in their own terms: an import's row error, a command's
    error. Everything else passes through.
    """
    try:
        yield
    except PermissionDenied as exc:
        raise error(str(exc)) from None


def ensure_can(user: Any, obj: Model, action: str) -> None:
    """Raise ``PermissionDenied`` unless ``user`` may ``action`` ``obj``.

    For ``add`` call it after saving inside the same transaction: the new
    object must fall inside the user's scope, or the transaction rolls back
    (the approach NetBox takes for object-level permissions).
    """
    if not can(user, obj, action):
        raise PermissionDenied("Недостаточно прав для этого действия.")


# --- Two-factor log-in ----------------------------------------------------------------------------

#: the levels whose roles sign in with a second factor (ФСТЭК order 117, OWASP ASVS L2)
TWO_FACTOR_LEVELS = (Level.REGION, Level.MUNICIPALITY)


def requires_two_factor(user: Any) -> bool:
    """Whether the policy asks ``user`` for a second factor at log-in.

    Administrators and anyone holding a regional or municipal role; everyone with the setting
    ``TWO_FACTOR_FOR_EVERYONE``. Exemptions (demo accounts) are the accounts app's to apply.
    """
    from django.conf import settings

    if not _active(user):
        return False
    if settings.TWO_FACTOR_FOR_EVERYONE or user.is_superuser:
        return True
    roles = sorted(role for role, level in ROLE_LEVELS.items() if level in TWO_FACTOR_LEVELS)
    return _role_assignments().filter(user_id=user.pk, role__in=roles).exists()


# --- Delegated administration of users (the accounts app's «Пользователи») ------------------------


def may_administer_users(user: Any) -> bool:
    """Whether ``user`` may grant some role somewhere: the «Пользователи» page and the users' cards (one query)."""
    return bool(roles_grantable(user))


def grants_some_role(roles: Iterable[str]) -> bool:
    """Whether one of ``roles`` (a user's roles, already read) may grant some role: the menu's question, no query."""
    held = set(roles)
    return any(held & set(roles_with(grant_permission(role))) for role in Role)


def may_deactivate(actor: Any, user: Any) -> bool:
    """Whether ``actor`` may switch ``user``'s account off (or on again), one query.

    Only someone who may revoke every role the user holds: switching the account off takes all of
    them away at once, so it needs the right to take each. Never one's own account, and an
    administrator's only by an administrator.
    """
    if not _active(actor) or user.pk is None or user.pk == actor.pk:
        return False
    if user.is_superuser and not actor.is_superuser:
        return False
    from django.db.models import Count

    model = apps.get_model("mentorship", "RoleAssignment")
    revocable = scope_q(model, actor, "revoke")
    counts = (
        _role_assignments()
        .filter(user_id=user.pk)
        .aggregate(
            held=Count("pk"),
            revocable=Count("pk", filter=revocable) if revocable is not None else Count("pk"),
        )
    )
    return counts["held"] > 0 and counts["held"] == counts["revocable"]


def role_history(actor: Any, user: Any) -> Any:
    """The change history of ``user``'s role assignments (grants and revocations) at the places ``actor`` sees.

    The historical rows keep the place columns of the assignment, so the assignments' own scope
    applies to them: an officer reads the grants in their municipality, not those in another region.
    """
    model = apps.get_model("mentorship", "RoleAssignment")
    rows = model.history.filter(user_id=user.pk)
    q = scope_q(model, actor, "view")
    return rows if q is None else rows.filter(q)


def may_grant(user: Any, role: str, place: Model, *, cache: dict[str, frozenset[int]] | None = None) -> bool:
    """Whether ``user`` may grant ``role`` at ``place`` (the grant table), before anything is written.

    ``place`` must be of the role's level. ``cache``: a dict kept for a batch (an import's rows), so
    each role's places are read once (one query per role) instead of once per row.
    """
    from .models import Municipality, Organisation, Region

    levels = {Region: Level.REGION, Municipality: Level.MUNICIPALITY, Organisation: Level.ORGANISATION}
    # By the place's class: ``level_of_place`` would read an organisation's municipality.
    if role not in ROLE_LEVELS or levels.get(type(place)) != ROLE_LEVELS[role] or place.pk is None:
        return False
    if cache is None:
        return places_for_role(user, role).filter(pk=place.pk).exists()
    if role not in cache:
        cache[role] = frozenset(places_for_role(user, role).values_list("pk", flat=True))
    return place.pk in cache[role]


# --- Participants' own accounts (mentors, mentees, parents) ---------------------------------------
#
# A participant holds no role: what they see follows from who they are in a pair. A model says so
# with a classmethod ``participant_filter(user_pk, action) -> Q | None`` (their own pairs, the
# meetings of those pairs…), which ``scope_q`` adds to the place-based scope; the apps register how
# to tell whether an account takes part at all (``participation``), for the menu.

_participation_checks: list[Callable[[Any], bool]] = []


def participation(check: Callable[[Any], bool]) -> None:
    """Register ``check(user)``: whether the account takes part in some pair (one query)."""
    if check not in _participation_checks:
        _participation_checks.append(check)


def is_participant(user: Any) -> bool:
    """Whether ``user`` is a mentor, a mentee or a parent of one with an account (one query per check)."""
    return _active(user) and any(check(user) for check in _participation_checks)


def _participant_q(model: type[Model], user: Any, action: str) -> Q | None:
    participant_filter = getattr(model, "participant_filter", None)
    return None if participant_filter is None else participant_filter(user.pk, action)
