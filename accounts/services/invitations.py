"""Invitations by e-mail: create, send (from a task), send again, withdraw, accept.

The grant table decides everything: an invitation to a role at a place is created only by someone
who may grant that role there (``access.may_grant``), checked before anything is written; on
acceptance the role is granted through ``mentorship.services.role_assign`` in the inviter's name,
so an inviter who has lost the right meanwhile cannot hand it out through an old letter.

The link's token is drawn by the sending task, at the moment the letter goes out, and only its
SHA-256 is stored: the token is never written to the database or to the task queue.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import models, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from mentorship import access, security
from mentorship.choices import SecurityEventKind
from mentorship.errors import DomainError
from mentorship.mail import send_each
from mentorship.models import Municipality, Organisation, Region, RoleAssignment, User
from mentorship.selectors import place_label
from mentorship.services import role_assign
from mentorship.tokens import new_token, token_hash

from ..models import Invitation

#: invitations sent per task by an import (ids only)
SEND_BATCH = 500

INVALID_LINK = "Ссылка недействительна или устарела. Попросите прислать новое приглашение."


class InvitationInvalid(DomainError):
    """The link names no invitation that can be accepted: wrong, used, withdrawn or expired (never which)."""

    def __init__(self) -> None:
        super().__init__(INVALID_LINK)


def _unknown_hash() -> str:
    """The fingerprint of a token nobody holds: a new invitation's before its letter, a resent one's old link."""
    return token_hash(new_token())


def expiry() -> Any:
    return timezone.now() + timedelta(days=settings.INVITATION_DAYS)


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def pending(queryset: Any = None) -> Any:
    """Invitations neither accepted nor withdrawn, whose link has not expired."""
    queryset = Invitation.objects.all() if queryset is None else queryset
    return queryset.filter(accepted_at__isnull=True, withdrawn_at__isnull=True, expires_at__gt=timezone.now())


def account_for_email(email: str) -> User | None:
    """The account an e-mail address names: the active one with that address (or that user name)."""
    email = normalise_email(email)
    if not email:
        return None
    found = list(
        User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).order_by("-is_active", "pk")[:2]
    )
    return found[0] if found else None


def _place_filter(role: str, place: models.Model) -> dict[str, Any]:
    return {access.level_of_role(role).value: place}


def _check_account(email: str, role: str, place: models.Model) -> None:
    account = account_for_email(email)
    if account is None:
        return
    if not account.is_active:
        raise DomainError(
            "Учётная запись с этим адресом отключена. Включите её на странице пользователя и назначьте роль там.",
            field="email",
        )
    if RoleAssignment.objects.filter(user=account, role=role, **_place_filter(role, place)).exists():
        raise DomainError("У пользователя с этим адресом эта роль здесь уже есть.", field="email")


def _queue_send(ids: list[int]) -> None:
    from ..tasks import invitations_send_task

    for start in range(0, len(ids), SEND_BATCH):
        batch = ids[start : start + SEND_BATCH]
        transaction.on_commit(lambda batch=batch: invitations_send_task.delay(batch))


@transaction.atomic
def invitation_create(
    *,
    actor: Any,
    email: str,
    last_name: str,
    first_name: str,
    patronymic: str = "",
    position: str = "",
    role: str,
    place: Region | Municipality | Organisation,
    request: Any = None,
) -> Invitation:
    """Invite ``email`` to ``role`` at ``place``; the letter goes out once the transaction commits.

    Refused before anything is written when the actor may not grant the role there; a pending
    invitation of the same address to the same role and place is not made twice.
    """
    if not access.may_grant(actor, role, place):
        raise PermissionDenied("Недостаточно прав, чтобы пригласить на эту роль здесь.")
    email = normalise_email(email)
    try:
        validate_email(email)
    except ValidationError as exc:
        raise DomainError("Укажите правильный адрес электронной почты.", field="email") from exc
    existing = pending(Invitation.objects.filter(email=email, role=role, **_place_filter(role, place))).first()
    if existing is not None:
        raise DomainError(
            f"Приглашение на эту роль здесь уже отправлено {timezone.localtime(existing.created_at):%d.%m.%Y}. "
            "Чтобы письмо пришло ещё раз, нажмите «Отправить снова» в списке приглашений.",
            field="email",
        )
    _check_account(email, role, place)
    invitation = Invitation(
        email=email,
        last_name=last_name.strip(),
        first_name=first_name.strip(),
        patronymic=patronymic.strip(),
        position=position.strip(),
        role=role,
        invited_by=actor if isinstance(actor, User) else None,
        expires_at=expiry(),
        token_hash=_unknown_hash(),
        **_place_filter(role, place),
    )
    try:
        invitation.full_clean()
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages)) from exc
    if isinstance(actor, User):
        invitation._history_user = actor
    invitation.save()
    security.record(
        SecurityEventKind.INVITATION_SENT,
        actor=actor,
        username=email,
        request=request,
        place=place,
        what=f"«{invitation.get_role_display()}»: {place}",
    )
    _queue_send([invitation.pk])
    return invitation


@transaction.atomic
def invitation_resend(*, actor: Any, invitation: Invitation, request: Any = None) -> Invitation:
    """Send the letter again: a new link and a new expiry; the old link stops working at once."""
    access.ensure_can(actor, invitation, "change")
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.pending:
        raise DomainError("Приглашение уже принято или отозвано: отправить его снова нельзя.")
    invitation.token_hash = _unknown_hash()
    invitation.expires_at = expiry()
    invitation.send_pending = True
    invitation._history_user = actor if isinstance(actor, User) else None
    invitation.save(update_fields=["token_hash", "expires_at", "send_pending"])
    security.record(
        SecurityEventKind.INVITATION_SENT,
        actor=actor,
        username=invitation.email,
        request=request,
        place=invitation.place,
        what=f"повторно: «{invitation.get_role_display()}»: {invitation.place}",
    )
    _queue_send([invitation.pk])
    return invitation


@transaction.atomic
def invitation_withdraw(*, actor: Any, invitation: Invitation) -> Invitation:
    """Withdraw a pending invitation: its link stops working."""
    access.ensure_can(actor, invitation, "change")
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.pending:
        raise DomainError("Приглашение уже принято или отозвано.")
    invitation.withdrawn_at = timezone.now()
    invitation.send_pending = False
    invitation._history_user = actor if isinstance(actor, User) else None
    invitation.save(update_fields=["withdrawn_at", "send_pending"])
    return invitation


# --- the letter (the task's work) -----------------------------------------------------------------


def invitations_send(*, invitation_ids: Iterable[int]) -> int:
    """Send the letters of these invitations that are waiting for one; how many went out.

    The claim is made for the whole batch in one transaction: the rows still waiting (and not
    accepted or withdrawn meanwhile) are locked, skipping any another worker holds, and get their
    new token's fingerprint and ``send_pending`` off in one bulk update (with its history rows);
    so a rerun (a retried task, a second worker) sends nothing twice. The letters go out after that
    commit. A letter that fails goes back in the queue, and the error is raised once the others are
    sent, so the task retries only what failed.
    """
    now = timezone.now()
    tokens: dict[int, str] = {}
    with transaction.atomic():
        claimed = list(
            Invitation.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk__in=list(invitation_ids), send_pending=True, accepted_at__isnull=True, withdrawn_at__isnull=True)
            .select_related("region", "municipality", "organisation__municipality", "invited_by")
            .order_by("pk")
        )
        for invitation in claimed:
            tokens[invitation.pk] = new_token()
            invitation.token_hash = token_hash(tokens[invitation.pk])
            invitation.send_pending = False
            invitation.sent_count += 1
            invitation.last_sent_at = now
        Invitation.objects.bulk_update(
            claimed, ["token_hash", "send_pending", "sent_count", "last_sent_at"], batch_size=SEND_BATCH
        )
    if not claimed:
        return 0
    sent, error = send_each(
        {invitation.pk: partial(_letter, invitation, tokens[invitation.pk]) for invitation in claimed}
    )
    failed = [invitation.pk for invitation in claimed if invitation.pk not in sent]
    if failed:
        Invitation.objects.filter(pk__in=failed, accepted_at__isnull=True, withdrawn_at__isnull=True).update(
            send_pending=True
        )
        raise error
    return len(claimed)


def invitation_send(*, invitation_id: int) -> bool:
    """Send one invitation's letter if it is waiting for one; whether a letter went out."""
    return invitations_send(invitation_ids=[invitation_id]) == 1


def invitation_url(token: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("accounts:invitation_accept", args=[token])


def _letter(invitation: Invitation, token: str) -> EmailMultiAlternatives:
    context = {
        "invitation": invitation,
        "role": invitation.get_role_display(),
        "place": place_label(invitation.place),
        "url": invitation_url(token),
        "expires_at": timezone.localtime(invitation.expires_at),
        "inviter": invitation.invited_by.get_full_name() if invitation.invited_by else "",
        "site": settings.SITE_URL.rstrip("/"),
    }
    subject = settings.EMAIL_SUBJECT_PREFIX + "Приглашение на портал наставничества"
    body = render_to_string("accounts/invitations/email_invitation.txt", context)
    message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])
    message.attach_alternative(render_to_string("accounts/invitations/email_invitation.html", context), "text/html")
    return message


# --- acceptance -----------------------------------------------------------------------------------


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation the link names, if it can still be accepted (else ``None``, whatever the reason)."""
    if not token or len(token) > 100:
        return None
    return (
        pending(Invitation.objects.filter(token_hash=token_hash(token), send_pending=False))
        .select_related("region", "municipality", "organisation__municipality", "invited_by")
        .first()
    )


def accepted_by(token: str, user: Any) -> bool:
    """Whether ``user`` has already accepted the invitation of this link (a form posted twice)."""
    if not token or not getattr(user, "is_authenticated", False):
        return False
    return Invitation.objects.filter(token_hash=token_hash(token), accepted_user=user).exists()


def existing_account(invitation: Invitation) -> User | None:
    """The active account the invitation's address already has, which the role is added to."""
    account = account_for_email(invitation.email)
    return account if account is not None and account.is_active else None


def invitation_accept(*, token: str, password: str, request: Any = None) -> User:
    """Accept the invitation of ``token``: a new account with ``password``, or the role added to the existing one.

    With an active account at that address, ``password`` must be that account's password (the
    person logs in); otherwise it becomes the new account's password, checked by the password
    validators. The role is granted in the inviter's name; if they may no longer grant it, nothing
    changes and the invitation stays. Raises ``InvitationInvalid`` for a link that cannot be accepted.
    """
    with transaction.atomic():
        found = invitation_for_token(token)
        if found is None:
            raise InvitationInvalid()
        invitation = Invitation.objects.select_for_update().get(pk=found.pk)
        if not invitation.pending or invitation.expired or invitation.token_hash != token_hash(token):
            raise InvitationInvalid()
        invitation = found
        place = invitation.place
        account = account_for_email(invitation.email)
        if account is not None and not account.is_active:
            raise DomainError("Учётная запись с этим адресом отключена. Обратитесь к тому, кто вас пригласил.")
        if account is not None:
            if not account.check_password(password):
                raise DomainError("Неверный пароль учётной записи.", field="password")
            user = account
        else:
            user = User(
                username=invitation.email,
                email=invitation.email,
                last_name=invitation.last_name,
                first_name=invitation.first_name,
                patronymic=invitation.patronymic,
                position=invitation.position,
            )
            try:
                password_validation.validate_password(password, user)
            except ValidationError as exc:
                raise DomainError(" ".join(exc.messages), field="password") from exc
            user.set_password(password)
            user.full_clean()
            user._change_reason = "Принято приглашение"
            user.save()
        holds = RoleAssignment.objects.filter(user=user, role=invitation.role, **_place_filter(invitation.role, place))
        if not holds.exists():
            inviter = invitation.invited_by
            if inviter is None or not inviter.is_active:
                raise DomainError(_LOST_RIGHT)
            try:
                role_assign(actor=inviter, user=user, role=invitation.role, place=place, request=request)
            except PermissionDenied as exc:
                raise DomainError(_LOST_RIGHT) from exc
        invitation.accepted_at = timezone.now()
        invitation.accepted_user = user
        invitation._history_user = user
        invitation.save(update_fields=["accepted_at", "accepted_user"])
        security.record(
            SecurityEventKind.INVITATION_ACCEPTED,
            actor=user,
            subject=user,
            username=invitation.email,
            request=request,
            place=place,
            what=f"«{invitation.get_role_display()}»: {place}",
        )
    return user


_LOST_RIGHT = (
    "Пригласивший вас сотрудник больше не может назначить эту роль, поэтому принять приглашение сейчас нельзя. "
    "Попросите прислать новое приглашение."
)


# --- the import «Пользователи и роли» (accounts/resources.py) ---------------------------------------


def import_write(
    *,
    actor: Any,
    history_user: User | None,
    reason: str,
    invitations: list[Invitation],
    grants: list[RoleAssignment],
) -> None:
    """Write an import's checked rows: new invitations and roles added to existing accounts.

    In the import's transaction; one security event per kind for the whole file, and the letters
    queued to go out only once the file has committed (a task per ``SEND_BATCH`` invitations).
    """
    from mentorship.imports import bulk

    now = timezone.now()
    for invitation in invitations:
        invitation.invited_by_id = history_user.pk if history_user else None
        invitation.created_at = now
        invitation.expires_at = expiry()
        invitation.token_hash = _unknown_hash()
    bulk.insert(Invitation, invitations, user=history_user, reason=reason)
    bulk.insert(RoleAssignment, grants, user=history_user, reason=reason)
    if invitations:
        security.record(
            SecurityEventKind.INVITATION_SENT,
            actor=history_user,
            what=f"{reason}: приглашений — {len(invitations)}",
            people=len(invitations),
        )
    if grants:
        security.record(
            SecurityEventKind.ROLE_GRANTED,
            actor=history_user,
            what=f"{reason}: ролей добавлено учётным записям — {len(grants)}",
            people=len(grants),
        )
    _queue_send([invitation.pk for invitation in invitations])
