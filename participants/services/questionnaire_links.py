"""Personal links to questionnaires: sending them, printing them, answering through them, reminding.

The token pattern is the invitations' (``accounts/services/invitations.py``): only the SHA-256 of a
token is stored; the token itself is drawn by the sending task at the moment the letter goes out,
or by the curator's print of the sheets, and never reaches the database or the task queue. A new
draw (a reminder letter, a reprint) replaces the fingerprint, so the previous link stops working.

Who is asked: the open members of a programme's (or one pair's) pairs in the questionnaire's
audience. A minor is asked only with a consent in force (the enrolment rule: a minor's consent is
signed by a parent, ``consent_validate``); the answer is refused again if it was withdrawn since.

Reminders («Напомнить остальным»), at most once per person per day (``reminded_on``):

* a person with a portal account gets it in the daily digest (``participants/reminders.py``),
  which links to ``/q/mine/<id>/``: after log-in, a fresh link opens the questionnaire;
* a person without an account but with an e-mail gets a new letter with a fresh link;
* a person with neither is counted for the curator, who reprints their sheet.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from mentorship import access
from mentorship.errors import DomainError
from mentorship.mail import send_each
from mentorship.tokens import new_token, token_hash
from participants.choices import BaseRole, PairStatus, PersonKind, QuestionnaireAudience
from participants.models import Pair, PairMember, Programme, Questionnaire, QuestionnaireLink, Response
from participants.selectors import valid_consent_q, valid_consents

from .common import _d, _ensure_visible, _today
from .questionnaires import QUESTIONNAIRE_HOOKS, response_store

SEND_BATCH = 200
NO_CONSENT_MESSAGE = (
    "Анкету нельзя заполнить: нет действующего согласия родителя (законного представителя) "
    "на обработку персональных данных. Обратитесь к куратору наставничества."
)


class LinkNotFound(DomainError):
    """A wrong, replaced or used token: the page answers 404 and nothing changes."""


class LinkAnswered(DomainError):
    """The link was answered already (a second post of the same form)."""


class LinkExpired(DomainError):
    """The deadline has passed."""


def _unknown_hash() -> str:
    """The fingerprint of a token nobody holds: a link's before its letter or its sheet."""
    return token_hash(new_token())


def link_url(token: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("questionnaire_answer", args=[token])


def _end_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


def _is_minor(person: Any, on: date) -> bool:
    """A minor on ``on``; a student without a birth date counts as one (the enrolment asks for it)."""
    if person.birth_date is None:
        return person.kind == PersonKind.STUDENT
    return person.is_minor_on(on)


@dataclass
class SendResult:
    """What one sending did, for the curator's message."""

    created: int = 0
    resent: int = 0
    emailed: int = 0
    to_print: int = 0
    already_sent: int = 0
    answered: int = 0
    no_consent: int = 0
    link_ids: list[int] = field(default_factory=list)

    def summary(self) -> str:
        parts = [f"ссылок создано: {self.created}"]
        if self.resent:
            parts.append(f"отправлено повторно: {self.resent}")
        parts.append(f"письмом: {self.emailed}")
        parts.append(f"листом с QR-кодом (нет почты): {self.to_print}")
        if self.already_sent:
            parts.append(f"уже отправлено раньше: {self.already_sent}")
        if self.answered:
            parts.append(f"уже ответили: {self.answered}")
        if self.no_consent:
            parts.append(f"нет согласия родителя: {self.no_consent}")
        return "Анкета отправлена: " + "; ".join(parts) + "."


def _target(programme: Programme | None, pair: Pair | None) -> tuple[Programme, Pair | None]:
    if (programme is None) == (pair is None):
        raise DomainError("Выберите программу или одну пару (группу).")
    if pair is not None:
        return pair.programme, pair
    return programme, None


def _audience_role(questionnaire: Questionnaire) -> str:
    if questionnaire.audience == QuestionnaireAudience.MENTOR:
        return BaseRole.MENTOR
    if questionnaire.audience == QuestionnaireAudience.MENTEE:
        return BaseRole.MENTEE
    raise DomainError("Анкету куратора заполняет сам куратор: участникам программы её не отправляют.")


def _check_questionnaire(questionnaire: Questionnaire, programme: Programme) -> None:
    if not questionnaire.is_active:
        raise DomainError(f"Анкета «{questionnaire}» больше не используется: отправьте её новую версию.")
    if questionnaire.organisation_id not in (None, programme.organisation_id):
        raise DomainError(f"Анкета «{questionnaire}» принадлежит другой организации.")
    if questionnaire.region_id is not None and questionnaire.region_id != programme.organisation.municipality.region_id:
        raise DomainError(f"Анкета «{questionnaire}» принадлежит другому региону.")
    if questionnaire.form and questionnaire.form != programme.form:
        raise DomainError(
            f"Анкета «{questionnaire}» — для формы «{questionnaire.get_form_display()}», "
            f"а программа — «{programme.get_form_display()}»."
        )


def asked_memberships(*, programme: Programme, pair: Pair | None, role: str) -> Any:
    """The members a questionnaire goes to: in the programme's (or the pair's) pairs, not terminated, still in them."""
    members = PairMember.objects.filter(role=role, pair__programme=programme, person__anonymised_at__isnull=True)
    if pair is not None:
        members = members.filter(pair=pair)
    return members.exclude(pair__status=PairStatus.TERMINATED).filter(
        Q(left_on__isnull=True) | Q(pair__status=PairStatus.COMPLETED)
    )


@transaction.atomic
def questionnaire_send(
    *,
    actor: Any,
    questionnaire: Questionnaire,
    programme: Programme | None = None,
    pair: Pair | None = None,
    only_unanswered: bool = False,
    deadline: date,
) -> SendResult:
    """Give each participant of a programme (or a pair) in the questionnaire's audience a personal link.

    New links for those not asked yet; with ``only_unanswered`` the links of those who have not
    answered are sent again too (a fresh token, the new deadline). Letters leave through Celery
    after the commit; people without an e-mail are counted for the sheets with QR codes.
    """
    programme, pair = _target(programme, pair)
    access.ensure_can(actor, programme, "change")
    _ensure_visible(actor, questionnaire, "Выберите анкету из списка.")
    # Read afresh (and held): a new version issued meanwhile takes this one out of use.
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    role = _audience_role(questionnaire)
    _check_questionnaire(questionnaire, programme)
    today = _today()
    if deadline is None or deadline < today:
        raise DomainError("Срок заполнения не может быть раньше сегодняшнего дня.", field="deadline")
    if deadline > today + timedelta(days=180):
        raise DomainError("Срок заполнения — не дольше полугода.", field="deadline")
    expires_at = _end_of(deadline)
    members = list(
        asked_memberships(programme=programme, pair=pair, role=role)
        .select_related("person")
        .annotate(consented=valid_consent_q(today, "person__"))
        .order_by("person__surname", "person__name", "pk")
    )
    existing = {
        (link.person_id, link.pair_id): link
        for link in QuestionnaireLink.objects.select_for_update().filter(
            questionnaire=questionnaire, person__in=[m.person_id for m in members]
        )
    }
    result = SendResult()
    new: list[QuestionnaireLink] = []
    again: list[QuestionnaireLink] = []
    for member in members:
        person = member.person
        if _is_minor(person, today) and not member.consented:
            result.no_consent += 1
            continue
        link = existing.get((person.pk, member.pair_id))
        if link is not None:
            if link.answered_at is not None:
                result.answered += 1
                continue
            if not only_unanswered:
                result.already_sent += 1
                continue
            link.token_hash = _unknown_hash()
            link.expires_at = expires_at
            link.send_pending = bool(person.email)
            again.append(link)
            result.resent += 1
        else:
            link = QuestionnaireLink(
                organisation_id=programme.organisation_id,
                questionnaire=questionnaire,
                person=person,
                programme=programme,
                pair_id=member.pair_id,
                token_hash=_unknown_hash(),
                created_by=actor,
                expires_at=expires_at,
                send_pending=bool(person.email),
            )
            new.append(link)
            result.created += 1
        if person.email:
            result.emailed += 1
        else:
            result.to_print += 1
    if again:
        QuestionnaireLink.objects.bulk_update(again, ["token_hash", "expires_at", "send_pending"])
    QuestionnaireLink.objects.bulk_create(new)
    if new and not access.can(actor, new[0], "add"):
        raise DomainError("Недостаточно прав, чтобы отправлять анкеты участникам этой организации.")
    if new:
        for hook in QUESTIONNAIRE_HOOKS:
            hook(programme.organisation_id, today)
    result.link_ids = [link.pk for link in [*again, *new] if link.send_pending]
    _queue_letters(result.link_ids)
    return result


def _queue_letters(ids: list[int]) -> None:
    from participants.tasks import questionnaire_links_send_task

    for start in range(0, len(ids), SEND_BATCH):
        batch = ids[start : start + SEND_BATCH]
        transaction.on_commit(lambda batch=batch: questionnaire_links_send_task.delay(batch))


def questionnaire_links_send(*, link_ids: Iterable[int]) -> int:
    """Send the letters of these links that wait for one; how many went out (a rerun sends nothing twice).

    As ``invitations_send``: the waiting rows are claimed in one transaction (locked, skipping those
    another worker holds) and get their token's fingerprint; the letters leave after that commit;
    those that failed go back to waiting and the error is raised for the task to retry.
    """
    now = timezone.now()
    tokens: dict[int, str] = {}
    with transaction.atomic():
        claimed = list(
            QuestionnaireLink.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk__in=list(link_ids), send_pending=True, answered_at__isnull=True)
            .select_related("questionnaire", "person", "organisation")
            .order_by("pk")
        )
        for link in claimed:
            tokens[link.pk] = new_token()
            link.token_hash = token_hash(tokens[link.pk])
            link.send_pending = False
            link.sent_at = now
        QuestionnaireLink.objects.bulk_update(claimed, ["token_hash", "send_pending", "sent_at"])
    if not claimed:
        return 0
    sent, error = send_each({link.pk: partial(_letter, link, tokens[link.pk]) for link in claimed})
    failed = [link.pk for link in claimed if link.pk not in sent]
    if failed:
        QuestionnaireLink.objects.filter(pk__in=failed, answered_at__isnull=True).update(send_pending=True)
        raise error
    return len(claimed)


def _letter(link: QuestionnaireLink, token: str) -> EmailMultiAlternatives:
    context = {
        "name": " ".join(part for part in (link.person.name, link.person.patronymic) if part),
        "questionnaire": link.questionnaire.title,
        "organisation": link.organisation.short_name or link.organisation.full_name,
        "url": link_url(token),
        "expires_at": timezone.localtime(link.expires_at),
        "reminder": link.reminded_on is not None,
        "site": settings.SITE_URL.rstrip("/"),
    }
    subject = settings.EMAIL_SUBJECT_PREFIX + (
        "Напоминание: заполните анкету" if context["reminder"] else "Анкета программы наставничества"
    )
    body = render_to_string("participants/questionnaires/email_link.txt", context)
    message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, [link.person.email])
    message.attach_alternative(render_to_string("participants/questionnaires/email_link.html", context), "text/html")
    return message


def _open_links(*, questionnaire: Questionnaire, programme: Programme, pair: Pair | None) -> Any:
    links = QuestionnaireLink.objects.filter(
        questionnaire=questionnaire, programme=programme, answered_at__isnull=True, expires_at__gt=timezone.now()
    )
    return links.filter(pair=pair) if pair is not None else links


@transaction.atomic
def questionnaire_sheets_issue(
    *, actor: Any, questionnaire: Questionnaire, programme: Programme | None = None, pair: Pair | None = None
) -> list[tuple[QuestionnaireLink, str]]:
    """Fresh tokens for the unanswered links of people without an e-mail, to print on sheets with QR codes.

    Printing again draws new tokens: the sheets printed before stop working.
    """
    programme, pair = _target(programme, pair)
    access.ensure_can(actor, programme, "change")
    links = list(
        _open_links(questionnaire=questionnaire, programme=programme, pair=pair)
        .filter(person__email="")
        .select_for_update(of=("self",))
        .select_related("person")
        .order_by("person__surname", "person__name", "pk")
    )
    now = timezone.now()
    issued = []
    for link in links:
        token = new_token()
        link.token_hash = token_hash(token)
        link.printed_at = now
        issued.append((link, token))
    QuestionnaireLink.objects.bulk_update(links, ["token_hash", "printed_at"])
    return issued


@dataclass
class RemindResult:
    digest: int = 0
    letters: int = 0
    sheets: int = 0
    already_today: int = 0

    def summary(self) -> str:
        total = self.digest + self.letters + self.sheets
        if not total:
            return (
                "Сегодня напоминать некому: все, кто не ответил, уже получили напоминание сегодня."
                if self.already_today
                else "Напоминать некому: все ответили."
            )
        text = (
            f"Напоминание поставлено в отправку: {total}. В сводке на портале: {self.digest}, "
            f"новым письмом со ссылкой: {self.letters}, без почты (распечатайте листы заново): {self.sheets}."
        )
        if self.already_today:
            text += f" Уже напомнили сегодня: {self.already_today}."
        return text


@transaction.atomic
def questionnaire_remind(
    *, actor: Any, questionnaire: Questionnaire, programme: Programme | None = None, pair: Pair | None = None
) -> RemindResult:
    """«Напомнить остальным»: once a day at most for each person who has not answered (see the module docstring)."""
    programme, pair = _target(programme, pair)
    access.ensure_can(actor, programme, "change")
    today = _today()
    links = _open_links(questionnaire=questionnaire, programme=programme, pair=pair)
    result = RemindResult(already_today=links.filter(reminded_on=today).count())
    due = list(
        links.exclude(reminded_on=today)
        .select_for_update(of=("self",))
        .values_list("pk", "person__email", "person__user__is_active")
    )
    ids = [pk for pk, _, _ in due]
    # The guard against a second reminder the same day is this update: the rows reminded today are left out.
    QuestionnaireLink.objects.filter(pk__in=ids).update(reminded_on=today)
    letters = []
    for pk, email, active_account in due:
        if active_account:
            result.digest += 1
        elif email:
            letters.append(pk)
            result.letters += 1
        else:
            result.sheets += 1
    QuestionnaireLink.objects.filter(pk__in=letters).update(send_pending=True)
    _queue_letters(letters)
    return result


# --- answering -------------------------------------------------------------------------------------


def link_for_token(token: str) -> QuestionnaireLink | None:
    """The link a token opens, with its questionnaire and questions; ``None`` for a wrong or replaced token."""
    if not token or len(token) > 100:
        return None
    return (
        QuestionnaireLink.objects.select_related("questionnaire", "person")
        .prefetch_related("questionnaire__questions")
        .filter(token_hash=token_hash(token))
        .first()
    )


def link_check(link: QuestionnaireLink | None, *, now: datetime | None = None) -> QuestionnaireLink:
    """Whether the link may be answered now: raises ``LinkNotFound``, ``LinkAnswered``, ``LinkExpired`` or a refusal."""
    if link is None:
        raise LinkNotFound("Ссылка не найдена.")
    if link.answered_at is not None:
        raise LinkAnswered("Ответ уже получен, спасибо.")
    now = now or timezone.now()
    if link.expires_at <= now:
        raise LinkExpired(
            f"Срок заполнения анкеты истёк {_d(timezone.localtime(link.expires_at).date())}. "
            "Если вы хотите ответить, попросите куратора прислать ссылку заново."
        )
    person = link.person
    if person.anonymised_at is not None:
        raise DomainError("Анкету нельзя заполнить: участник отозвал согласие на обработку персональных данных.")
    today = timezone.localdate(now)
    if _is_minor(person, today) and not valid_consents(today).filter(person=person).exists():
        raise DomainError(NO_CONSENT_MESSAGE)
    return link


@transaction.atomic
def questionnaire_answer(*, token: str, answers: dict[int, Any]) -> Response:
    """Store the answers given through a personal link; the token stands for the person (no account needed).

    The link is locked, so two posts of the same form at once store one response: the second
    finds the link answered (``LinkAnswered``).
    """
    if not token or len(token) > 100:
        raise LinkNotFound("Ссылка не найдена.")
    link = (
        QuestionnaireLink.objects.select_for_update(of=("self",))
        .select_related("questionnaire", "person", "pair")
        .filter(token_hash=token_hash(token))
        .first()
    )
    link_check(link)
    response = response_store(
        questionnaire=link.questionnaire,
        person=link.person,
        pair=link.pair,
        filled_on=_today(),
        answers=answers,
        sent_before=True,
    )
    link.answered_at = timezone.now()
    link.response = response
    link.send_pending = False
    link.save(update_fields=["answered_at", "response", "send_pending"])
    return response


@transaction.atomic
def questionnaire_link_reopen(*, actor: Any, link: QuestionnaireLink) -> str:
    """A fresh token for the participant's own link, opened from the portal (the digest's reminder); the token.

    Only the person the link belongs to, signed in, may do this; the previous link stops working.
    """
    link = QuestionnaireLink.objects.select_for_update().select_related("person").get(pk=link.pk)
    if link.person.user_id is None or link.person.user_id != getattr(actor, "pk", None):
        raise LinkNotFound("Ссылка не найдена.")
    link_check(link)
    token = new_token()
    link.token_hash = token_hash(token)
    link.save(update_fields=["token_hash"])
    return token
