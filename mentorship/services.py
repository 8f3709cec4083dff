"""Writes to the hierarchy's records. Views, admin actions, imports and tasks call these."""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models.deletion import ProtectedError, RestrictedError

from . import access, security, selectors
from .choices import SecurityEventKind
from .errors import DomainError, DuplicateSubmission
from .models import FormSubmission, Municipality, Organisation, Region, RoleAssignment, User

M = TypeVar("M", bound=models.Model)


@transaction.atomic
def object_create(*, actor: Any, model: type[M], data: dict[str, Any]) -> M:
    """Create a record of ``model``; it must fall inside the actor's ``add`` scope."""
    obj = model(**data)
    obj.full_clean()
    obj.save()
    if not access.can(actor, obj, "add"):
        # Rolls back the insert: the new record lies outside what the actor may add to.
        raise PermissionDenied("Недостаточно прав, чтобы добавить запись сюда.")
    return obj


@transaction.atomic
def object_update(*, actor: Any, obj: M, data: dict[str, Any]) -> M:
    """Change fields of ``obj``; the actor must be allowed to change it before and after."""
    access.ensure_can(actor, obj, "change")
    for field, value in data.items():
        setattr(obj, field, value)
    obj.full_clean()
    obj.save()
    # Moving a record (another municipality, say) must not take it out of the actor's reach.
    access.ensure_can(actor, obj, "change")
    return obj


@transaction.atomic
def object_delete(*, actor: Any, obj: models.Model) -> None:
    access.ensure_can(actor, obj, "delete")
    try:
        obj.delete()
    except (ProtectedError, RestrictedError) as exc:
        related = sorted({str(o._meta.verbose_name_plural) for o in exc.args[1]})
        raise DomainError(
            "Запись нельзя удалить: на неё ссылаются другие данные ({}). "
            "Снимите отметку «действует», если запись больше не используется.".format(", ".join(related))
        ) from exc


def _parse_token(token: str | None) -> uuid.UUID:
    try:
        return uuid.UUID(str(token))
    except (TypeError, ValueError) as exc:
        raise DomainError("Форма устарела или повреждена. Откройте её заново и отправьте ещё раз.") from exc


def submission_previous(*, token: str | None, user: User) -> FormSubmission | None:
    """The earlier submission of this form by this user, if it was already posted."""
    try:
        parsed = _parse_token(token)
    except DomainError:
        return None
    return FormSubmission.objects.filter(token=parsed, user=user).first()


def submission_register(*, token: str | None, user: User) -> FormSubmission:
    """Record a form's one-time token; the second post of the same form is refused.

    Call inside the transaction that performs the form's write, so that the
    token and the write commit (or roll back) together. Two concurrent posts
    of one form race on the unique token: one wins, the other is refused.
    """
    parsed = _parse_token(token)
    try:
        with transaction.atomic():
            return FormSubmission.objects.create(token=parsed, user=user)
    except IntegrityError as exc:
        raise DuplicateSubmission() from exc


def submission_complete(*, submission: FormSubmission, result_url: str) -> None:
    """Remember where the submission led, so a repeated post lands on the same page."""
    submission.result_url = result_url[:500]
    submission.save(update_fields=["result_url"])


def _role_words(assignment: RoleAssignment) -> str:
    return f"«{assignment.get_role_display()}»: {selectors.place_label(assignment.place)}"


@transaction.atomic
def role_assign(*, actor: Any, user: User, role: str, place: models.Model, request: Any = None) -> RoleAssignment:
    """Give ``user`` a ``role`` at ``place`` (a region, municipality or organisation).

    The grant table (``mentorship/roles.py``, ``GRANTS``) decides who may: the new assignment must
    fall inside what ``actor`` may grant, or the transaction rolls back. The change history records
    who granted it, and so does the security event log.
    """
    assignment = RoleAssignment(user=user, role=role)
    setattr(assignment, access.level_of_role(role).value, place)
    try:
        assignment.full_clean()
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages)) from exc
    if getattr(actor, "is_authenticated", False):
        assignment._history_user = actor
    assignment.save()
    if not access.can(actor, assignment, "grant"):
        raise PermissionDenied("Недостаточно прав, чтобы назначить эту роль здесь.")
    security.record(
        SecurityEventKind.ROLE_GRANTED,
        actor=actor,
        subject=user,
        request=request,
        place=place,
        what=_role_words(assignment),
    )
    return assignment


@transaction.atomic
def role_revoke(*, actor: Any, assignment: RoleAssignment, request: Any = None) -> None:
    """Take a role away, following the same grant table as ``role_assign``.

    Nobody revokes their own role (an officer could otherwise lock their place out by mistake);
    the person who granted it, or someone above, does.
    """
    if not access.can(actor, assignment, "revoke"):
        raise PermissionDenied("Недостаточно прав, чтобы снять эту роль.")
    if assignment.user_id == getattr(actor, "pk", None):
        raise DomainError("Свою роль снять нельзя: это делает тот, кто её назначил, или уровень выше.")
    what = _role_words(assignment)
    place = assignment.place
    subject = assignment.user
    assignment._history_user = actor
    assignment.delete()
    security.record(
        SecurityEventKind.ROLE_REVOKED, actor=actor, subject=subject, request=request, place=place, what=what
    )


@transaction.atomic
def object_upsert_by_code(*, model: type[M], code: str, data: dict[str, Any], reason: str = "") -> tuple[M, bool]:
    """Create or update a directory record by its stable code, without a scope check.

    For trusted system callers only (demo data, scale generator, commands run
    by an administrator); user-facing imports check scope before calling it.
    Unchanged records are not saved again, so re-running changes nothing.
    Returns ``(record, changed)``.
    """
    obj = model.objects.filter(code=code).first()
    if obj is None:
        obj = model(code=code, **data)
    elif all(getattr(obj, field) == value for field, value in data.items()):
        return obj, False
    else:
        for field, value in data.items():
            setattr(obj, field, value)
    obj.full_clean()
    if reason:
        obj._change_reason = reason
    obj.save()
    return obj, True


class Outcome(StrEnum):
    """What an idempotent ``*_ensure`` service did to its record."""

    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


def user_ensure(*, username: str, password: str, reason: str, **fields: Any) -> tuple[User, Outcome]:
    """Create the user with ``password``, or bring the other ``fields`` of an existing one up to date.

    The password is set only on creation: someone may have changed it since, and
    re-running a loader must not undo that (nor write a history row).
    """
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, **fields)
        user.set_password(password)
        outcome = Outcome.CREATED
    else:
        changed = {field: value for field, value in fields.items() if getattr(user, field) != value}
        if not changed:
            return user, Outcome.UNCHANGED
        for field, value in changed.items():
            setattr(user, field, value)
        outcome = Outcome.UPDATED
    user.full_clean()
    user._change_reason = reason
    user.save()
    return user, outcome


def role_ensure(
    *, user: User, role: str, place: Region | Municipality | Organisation, reason: str
) -> tuple[RoleAssignment, Outcome]:
    """Give ``user`` the ``role`` at ``place`` unless they already hold it there.

    A trusted system caller: unlike ``services.role_assign`` there is no actor
    whose scope is checked; the model's own validation still applies.
    """
    level = access.level_of_role(role).value
    assignment = RoleAssignment.objects.filter(user=user, role=role, **{level: place}).first()
    if assignment is not None:
        return assignment, Outcome.UNCHANGED
    assignment = RoleAssignment(user=user, role=role, **{level: place})
    assignment.full_clean()
    assignment._change_reason = reason
    assignment.save()
    return assignment, Outcome.CREATED
