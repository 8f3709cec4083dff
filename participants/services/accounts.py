"""Participants' own portal accounts: a mentor's or a mentee's, and a minor mentee's parent's.

The school's staff who may change the person open the access from the person's card. The account
is the one the person's e-mail already names (active), or a new one with no password; either way a
letter with Django's password-reset link (``default_token_generator``, ``password_reset_confirm``)
lets its owner set a password. The letter leaves through Celery once the transaction commits, the
task taking ids only (``participants.tasks``); the link is made by the worker and never passes
through the broker. Each letter is recorded in the security log (``INVITATION_SENT``).

A minor gets an account only while a consent is in force (the rule of enrolment,
``selectors.valid_consents``); a parent only under a consent they signed (``guardianship_link``).
Closing the access unlinks the account; an account left with no role and no other link is switched
off and its sessions are ended.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.services.invitations import account_for_email, normalise_email
from accounts.services.passwords import password_set_path
from accounts.sessions import end_sessions
from mentorship import access, security
from mentorship.choices import SecurityEventKind
from mentorship.errors import DomainError
from mentorship.models import RoleAssignment, User
from participants.choices import BaseRole, ConsentSigner
from participants.models import Guardianship, Person
from participants.selectors import valid_consents

from .common import _ensure_not_anonymised, _lock, _today
from .guardianships import guardianship_link

WHAT_PARTICIPANT = "Доступ участника к порталу"
WHAT_PARENT = "Доступ родителя"

LETTER_SUBJECT = "Вам открыт доступ к порталу наставничества"
PARTICIPANT_LETTER = "participants/accounts/email_participant.txt"
PARENT_LETTER = "participants/accounts/email_parent.txt"

NO_EMAIL = "У участника не указана электронная почта: укажите её в карточке («Изменить»), на неё придёт письмо."
NOT_A_PARTICIPANT = "Доступ к порталу открывается наставникам и наставляемым: внесите участника в базу или в пару."
MINOR_WITHOUT_CONSENT = (
    "Участнику нет 18 лет: доступ к порталу открывается, только пока действует согласие родителя "
    "(законного представителя) на обработку персональных данных. Запишите согласие."
)
NOT_A_MINOR_MENTEE = "Доступ родителя открывается для несовершеннолетнего наставляемого."
NO_PARENTAL_CONSENT = (
    "Доступ родителя открывается, только пока действует согласие на обработку персональных данных, "
    "подписанное родителем (законным представителем). Запишите согласие."
)


# --- what may be done: the guards, also used by the card to offer a button or say why not -------------


def _is_mentor_or_mentee(person: Person, role: str | None = None) -> bool:
    # Read through ``.all()``: a card that prefetched the entries and memberships asks nothing more.
    entries, memberships = person.base_entries.all(), person.memberships.all()
    return any(role in (None, row.role) for rows in (entries, memberships) for row in rows)


def consent_signers_in_force(person: Person, on: date) -> set[str]:
    """Who signed the person's consents in force on ``on`` (the rule of enrolment, ``valid_consents``)."""
    return set(valid_consents(on).filter(person=person).values_list("signer", flat=True))


def participant_access_check(person: Person, on: date | None = None, *, signers: set[str] | None = None) -> None:
    """Refuse (``DomainError``) unless ``person`` may get an account of their own: the card's reason why not."""
    on = on or _today()
    _ensure_not_anonymised(person)
    if not _is_mentor_or_mentee(person):
        raise DomainError(NOT_A_PARTICIPANT)
    if not person.email:
        raise DomainError(NO_EMAIL)
    if person.is_minor_on(on) and not (consent_signers_in_force(person, on) if signers is None else signers):
        raise DomainError(MINOR_WITHOUT_CONSENT)


def guardian_access_check(person: Person, on: date | None = None, *, signers: set[str] | None = None) -> None:
    """Refuse unless a parent of ``person`` may be given access: a minor mentee with a parent's consent in force.

    ``guardianship_link`` asks for the consent again when it links (and picks it); here the card learns why not.
    """
    on = on or _today()
    _ensure_not_anonymised(person)
    if not person.is_minor_on(on) or not _is_mentor_or_mentee(person, BaseRole.MENTEE):
        raise DomainError(NOT_A_MINOR_MENTEE)
    signers = consent_signers_in_force(person, on) if signers is None else signers
    if not signers & {ConsentSigner.PARENT, ConsentSigner.GUARDIAN}:
        raise DomainError(NO_PARENTAL_CONSENT)


# --- accounts ----------------------------------------------------------------------------------------


def _holds_nothing(user: User) -> bool:
    """Whether the account holds no role and no link to a participant: a participant's account, left unused."""
    if access.is_administrator(user) or RoleAssignment.objects.filter(user=user).exists():
        return False
    return not Person.objects.filter(user=user).exists() and not Guardianship.objects.filter(user=user).exists()


def _account(*, email: str, surname: str, name: str, patronymic: str, actor: Any, request: Any) -> User:
    """The active account ``email`` names, a participant's switched-off one switched on again, or a new one."""
    email = normalise_email(email)
    account = account_for_email(email)
    if account is not None and not account.is_active:
        if not _holds_nothing(account):
            raise DomainError(
                f"Учётная запись {email} отключена. Включить её может администратор пользователей портала.",
                field="email",
            )
        account = User.objects.select_for_update().get(pk=account.pk)
        account.is_active = True
        account._history_user = actor
        account._change_reason = "Доступ к порталу открыт снова"
        account.save(update_fields=["is_active"])
        security.record(SecurityEventKind.USER_ACTIVATED, actor=actor, subject=account, request=request)
        return account
    if account is not None:
        return account
    account = User(username=email, email=email, last_name=surname, first_name=name, patronymic=patronymic)
    account.set_unusable_password()
    account.full_clean()
    account._history_user = actor
    account._change_reason = "Открыт доступ к порталу"
    account.save()
    return account


def _queue_letter(user: User, person: Person, *, parent: bool) -> None:
    from participants.tasks import access_letter_send_task

    user_id, person_id = user.pk, person.pk
    transaction.on_commit(lambda: access_letter_send_task.delay(user_id, person_id, parent))


def _record_letter(actor: Any, user: User, person: Person, *, parent: bool, request: Any) -> None:
    security.record(
        SecurityEventKind.INVITATION_SENT,
        actor=actor,
        subject=user,
        username=user.get_username(),
        request=request,
        place=person.organisation,
        what=WHAT_PARENT if parent else WHAT_PARTICIPANT,
    )


@transaction.atomic
def participant_access_open(*, actor: Any, person: Person, request: Any = None) -> User:
    """«Открыть доступ участнику»: the account of the person's e-mail linked to them, and the letter to set a password.

    With the access open already, only the letter is sent again («Отправить письмо ещё раз»).
    """
    access.ensure_can(actor, person, "change")
    person = _lock(Person, person)
    participant_access_check(person)
    if person.user_id is not None:
        # Open already: the letter again (the link expired, the letter was lost); nothing else changes.
        if not person.user.is_active:
            raise DomainError("Учётная запись участника отключена. Закройте доступ и откройте его снова.")
        _record_letter(actor, person.user, person, parent=False, request=request)
        _queue_letter(person.user, person, parent=False)
        return person.user
    account = _account(
        email=person.email,
        surname=person.surname,
        name=person.name,
        patronymic=person.patronymic,
        actor=actor,
        request=request,
    )
    linked = Person.objects.filter(user=account).exclude(pk=person.pk).first()
    if linked is not None:
        raise DomainError(
            f"Учётная запись {account.get_username()} уже связана с другим участником. "
            "Укажите участнику его собственную электронную почту."
        )
    person.user = account
    person._history_user = actor
    person._change_reason = "Открыт доступ к порталу"
    person.save(update_fields=["user"])
    _record_letter(actor, account, person, parent=False, request=request)
    _queue_letter(account, person, parent=False)
    return account


def _switch_off_if_orphaned(*, actor: Any, user: User | None, what: str, request: Any) -> bool:
    """Switch off an account left with no role and no link, and end its sessions; whether it was."""
    if user is None or not user.is_active or not _holds_nothing(user):
        return False
    user = User.objects.select_for_update().get(pk=user.pk)
    user.is_active = False
    user._history_user = actor
    user._change_reason = "Доступ к порталу закрыт"
    user.save(update_fields=["is_active"])
    transaction.on_commit(lambda: end_sessions(user))
    security.record(SecurityEventKind.USER_DEACTIVATED, actor=actor, subject=user, what=what, request=request)
    return True


@transaction.atomic
def participant_access_close(*, actor: Any, person: Person, request: Any = None) -> None:
    """«Закрыть доступ»: the account is unlinked from the person; left with nothing else, it is switched off."""
    access.ensure_can(actor, person, "change")
    person = _lock(Person, person)
    if person.user_id is None:
        raise DomainError("Доступ к порталу у участника не открыт.")
    account = person.user
    person.user = None
    person._history_user = actor
    person._change_reason = "Закрыт доступ к порталу"
    person.save(update_fields=["user"])
    _switch_off_if_orphaned(actor=actor, user=account, what=WHAT_PARTICIPANT, request=request)


def _split_full_name(full_name: str) -> tuple[str, str, str]:
    parts = full_name.split()
    if len(parts) < 2:
        raise DomainError("Укажите фамилию и имя родителя (отчество — если есть).", field="full_name")
    return parts[0], parts[1], " ".join(parts[2:])


@transaction.atomic
def guardian_access_open(
    *, actor: Any, person: Person, full_name: str, email: str, request: Any = None
) -> Guardianship:
    """«Доступ родителя»: the parent's account (found by e-mail or new) linked to the child, and the letter."""
    access.ensure_can(actor, person, "change")
    person = _lock(Person, person)
    guardian_access_check(person)
    surname, name, patronymic = _split_full_name(full_name)
    email = normalise_email(email)
    try:
        validate_email(email)
    except Exception as exc:
        raise DomainError("Укажите адрес электронной почты родителя, например ivanova@mail.ru.", field="email") from exc
    if person.user_id is not None and account_for_email(email) == person.user:
        raise DomainError("Это адрес учётной записи самого участника: укажите почту родителя.", field="email")
    account = _account(email=email, surname=surname, name=name, patronymic=patronymic, actor=actor, request=request)
    link = guardianship_link(actor=actor, user=account, person=person)
    _record_letter(actor, account, person, parent=True, request=request)
    _queue_letter(account, person, parent=True)
    return link


@transaction.atomic
def guardianship_remove(*, actor: Any, guardianship: Guardianship, request: Any = None) -> None:
    """«Отключить» a parent: the link to the child is deleted; an account left with nothing else is switched off."""
    access.ensure_can(actor, guardianship.person, "change")
    link = Guardianship.objects.select_for_update().select_related("user").filter(pk=guardianship.pk).first()
    if link is None:
        raise DomainError("Этот родитель уже отключён.")
    account = link.user
    link.delete()
    _switch_off_if_orphaned(actor=actor, user=account, what=WHAT_PARENT, request=request)


# --- the letter (run by the task) -------------------------------------------------------------------


def access_letter_send(*, user_id: int, person_id: int, parent: bool) -> bool:
    """Send the letter with the link to set a password; False when the access is no longer open (a rerun, a close)."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    person = Person.objects.select_related("organisation").filter(pk=person_id).first()
    if user is None or person is None or not user.email:
        return False
    if parent and not Guardianship.objects.filter(user=user, person=person).exists():
        return False
    if not parent and person.user_id != user.pk:
        return False
    site = settings.SITE_URL.rstrip("/")
    link = password_set_path(user)
    context = {
        "user": user,
        "person": person,
        "url": site + link,
        "login_url": site + reverse("login"),
        "expires_at": timezone.localtime(timezone.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)),
        "has_password": user.has_usable_password(),
        "site": site,
    }
    body = render_to_string(PARENT_LETTER if parent else PARTICIPANT_LETTER, context)
    subject = settings.EMAIL_SUBJECT_PREFIX + LETTER_SUBJECT
    EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]).send()
    return True
