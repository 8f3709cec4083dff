"""«Доступ к порталу» on a person's card: a participant's own account and a minor mentee's parent's.

The school's staff who may change the person («change», 403 for those who only look, 404 outside
the scope) open or close the access; the services (``participants.services.accounts``) decide the
rest and send the letter. Each button and the parent's form carry a one-time token: a double post
makes one account and one link.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.urls import reverse
from django.utils import timezone

from mentorship.errors import DomainError
from mentorship.forms import SUBMISSION_FIELD
from mentorship.views.generic import ActionView, ButtonView, enforce

from .forms_accounts import GuardianAccessForm
from .models import Guardianship, Person
from .services import accounts

ANCHOR = "portal-access"


def card_url(person_id: int) -> str:
    return reverse("participants:person", args=[person_id]) + f"#{ANCHOR}"


def portal_access(person: Person, *, may_change: bool) -> dict[str, Any] | None:
    """What the card's block «Доступ к порталу» shows; None for those who may not change the person.

    ``may_change`` is the card's own answer (``permitted``); the person's entries and memberships are
    the card's prefetched lists, so the block costs the consents' signers, the parents and the account.
    """
    if person.anonymised_at is not None or not may_change:
        return None
    signers = accounts.consent_signers_in_force(person, timezone.localdate())
    reasons = {}
    for key, check in (("open", accounts.participant_access_check), ("parent", accounts.guardian_access_check)):
        try:
            check(person, signers=signers)
        except DomainError as exc:
            reasons[key] = exc.message
    parents = list(person.guardianships.select_related("user", "consent").order_by("user__last_name", "pk"))
    for link in parents:
        link.remove_token = uuid.uuid4()
    parent_reason = reasons.get("parent", "")
    return {
        "account": person.user,
        "open_reason": reasons.get("open", ""),
        "parents": parents,
        "parent_reason": parent_reason,
        "parent_shown": bool(parents) or parent_reason != accounts.NOT_A_MINOR_MENTEE,
        "open_token": uuid.uuid4(),
        "close_token": uuid.uuid4(),
        "submission_field": SUBMISSION_FIELD,
    }


class ParticipantAccessOpenView(ButtonView):
    """«Открыть доступ участнику» (or «Отправить письмо ещё раз» once it is open)."""

    model = Person

    @property
    def success_message(self) -> str:
        return f"Доступ к порталу открыт: письмо со ссылкой для входа отправлено на {self.target.email}."

    def perform(self, form: Any) -> Any:
        return accounts.participant_access_open(actor=self.request.user, person=self.target, request=self.request)

    def get_success_url(self) -> str:
        return card_url(self.target.pk)


class ParticipantAccessCloseView(ButtonView):
    """«Закрыть доступ»: the account is unlinked (and switched off if it holds nothing else)."""

    model = Person
    success_message = "Доступ к порталу закрыт."

    def perform(self, form: Any) -> None:
        accounts.participant_access_close(actor=self.request.user, person=self.target, request=self.request)

    def get_success_url(self) -> str:
        return card_url(self.target.pk)


class GuardianAccessView(ActionView):
    """«Доступ родителя»: the parent's name and e-mail; the account is linked under the consent they signed."""

    model = Person
    form_class = GuardianAccessForm
    form_takes_user = False
    heading = "Доступ родителя к порталу"
    button = "Открыть доступ"
    note = (
        "Родитель (законный представитель) получит письмо со ссылкой, чтобы задать пароль. На странице «Моя пара» "
        "он увидит пару (группу) ребёнка только для просмотра — пока действует подписанное им согласие "
        "на обработку персональных данных."
    )

    def get_target(self) -> Person:
        person = self.get_scoped_object("change")
        if self.request.method == "GET":
            # Not a minor mentee: 403 in the guard's words; a post meets the same guard in the service.
            enforce(accounts.guardian_access_check, person)
        return person

    @property
    def success_message(self) -> str:
        return "Доступ родителя открыт: письмо со ссылкой для входа отправлено."

    def perform(self, form: GuardianAccessForm) -> Guardianship:
        return accounts.guardian_access_open(
            actor=self.request.user,
            person=self.target,
            full_name=form.cleaned_data["full_name"],
            email=form.cleaned_data["email"],
            request=self.request,
        )

    def back_url(self) -> str:
        return card_url(self.target.pk)


class GuardianshipRemoveView(ButtonView):
    """«Отключить» a parent: their link to the child is deleted."""

    model = Guardianship
    success_message = "Доступ родителя отключён."

    def get_target(self) -> Guardianship:
        return self.get_child_object(Guardianship.objects.select_related("user"), via="person", action="change")

    def perform(self, form: Any) -> None:
        accounts.guardianship_remove(actor=self.request.user, guardianship=self.target, request=self.request)

    def get_success_url(self) -> str:
        return card_url(self.target.person_id)
