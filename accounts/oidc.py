"""Single sign-on through an OpenID Connect provider (mozilla-django-oidc), for existing accounts only.

Active only when ``OIDC_RP_CLIENT_ID`` is configured (``mentorship/settings/base.py``).

Why accounts are never created here: the portal is a state system whose accounts carry roles
at places of the hierarchy (a curator of a school, a regional coordinator), and only an
administrator who answers for that may open one. A provider — a regional identity gateway, or
ЕСИА through a broker — proves who a person is, not that they may work in the portal: anyone
with a Госуслуги account would get in. So the provider's e-mail must name exactly one active
account that an administrator made beforehand; anyone else is refused with a message that
sends them to the administrator.
"""

from __future__ import annotations

import logging
from typing import Any

import requests
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import resolve_url
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView

from mentorship.models import User

logger = logging.getLogger(__name__)

#: Why a sign-on was refused (kept on the request for the callback view), and what the person reads.
UNKNOWN = "unknown"
AMBIGUOUS = "ambiguous"
NO_EMAIL = "no_email"
PROVIDER_ERROR = "provider_error"
UNREACHABLE = "unreachable"
FAILED = "failed"
REFUSAL_REASONS = {
    UNKNOWN: "учётная запись с этим адресом не найдена или отключена. Обратитесь к администратору.",
    AMBIGUOUS: "этот адрес указан у нескольких учётных записей. Обратитесь к администратору.",
    NO_EMAIL: "провайдер не передал подтверждённый адрес электронной почты. Обратитесь к администратору.",
    PROVIDER_ERROR: "вход отменён или отклонён на стороне провайдера. Попробуйте ещё раз или войдите по паролю.",
    UNREACHABLE: "провайдер не отвечает. Попробуйте позже или войдите по паролю.",
    FAILED: "ответ провайдера не удалось проверить. Попробуйте войти ещё раз.",
}

#: The provider's name claims and the account fields they fill.
NAME_CLAIMS = {"family_name": "last_name", "given_name": "first_name", "middle_name": "patronymic"}


def refusal_message(reason: str) -> str:
    return f"Вход через {settings.OIDC_PROVIDER_NAME} не выполнен: {REFUSAL_REASONS[reason]}"


def claimed_email(claims: dict[str, Any]) -> str:
    """The claims' e-mail, or "" when there is none or the provider says it is not verified."""
    email = str(claims.get("email") or "").strip()
    # Not every provider sends email_verified; one that does and says no is not trusted.
    if "email_verified" in claims and claims["email_verified"] not in (True, "true"):
        return ""
    return email


@transaction.atomic
def user_update_from_claims(*, user: User, claims: dict[str, Any], reason: str) -> User:
    """Bring the account's name up to date with what the provider says at sign-on.

    A trusted system caller (the provider vouches for the person), so no actor's scope is
    checked. Only claims that are present and non-empty count: a provider that leaves a part
    of the name out does not erase it here. A value longer than the field is skipped, not cut.
    """
    changed = {}
    for claim, field in NAME_CLAIMS.items():
        value = str(claims.get(claim) or "").strip()
        if not value or value == getattr(user, field):
            continue
        if len(value) > User._meta.get_field(field).max_length:
            logger.warning("OIDC claim %s of user %s is too long for the field; ignored", claim, user.pk)
            continue
        changed[field] = value
    if not changed:
        return user
    for field, value in changed.items():
        setattr(user, field, value)
    user.full_clean()
    user._change_reason = reason
    user.save(update_fields=list(changed))
    return user


class PortalOIDCBackend(OIDCAuthenticationBackend):
    """Signs in the one active account whose e-mail the provider vouches for; creates none."""

    def _refuse(self, reason: str) -> None:
        request = getattr(self, "request", None)
        if request is not None:
            request.oidc_refusal = reason

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        if not claimed_email(claims):
            self._refuse(NO_EMAIL)
            return False
        return True

    def filter_users_by_claims(self, claims: dict[str, Any]) -> list[User]:
        """The active accounts with the claimed e-mail, ignoring case: at most two are fetched.

        mozilla-django-oidc signs in only when exactly one is returned; two are ambiguous and
        refused (picking one would hand the other's account over).
        """
        email = claimed_email(claims)
        users = list(User.objects.filter(email__iexact=email, is_active=True).order_by("pk")[:2]) if email else []
        if not users:
            self._refuse(UNKNOWN)
        elif len(users) > 1:
            self._refuse(AMBIGUOUS)
        return users

    def create_user(self, claims: dict[str, Any]) -> User:
        # OIDC_CREATE_USER is False; this holds even if that setting were changed.
        self._refuse(UNKNOWN)
        raise SuspiciousOperation("Accounts are not created from OIDC claims")

    def update_user(self, user: User, claims: dict[str, Any]) -> User:
        return user_update_from_claims(
            user=user, claims=claims, reason=f"ФИО из {settings.OIDC_PROVIDER_NAME} при входе"
        )

    def get_user(self, user_id: Any) -> User | None:
        # mozilla-django-oidc's own get_user keeps a deactivated person's session alive.
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None


class PortalOIDCCallbackView(OIDCAuthenticationCallbackView):
    """The provider's redirect back: a refusal lands on the log-in page with its reason."""

    request: HttpRequest

    @property
    def failure_url(self) -> str:
        return resolve_url(self.get_settings("LOGIN_REDIRECT_URL_FAILURE", "login"))

    def get(self, request: HttpRequest) -> HttpResponseRedirect:
        try:
            return super().get(request)
        except requests.RequestException:
            logger.exception("OIDC provider could not be reached")
            request.oidc_refusal = UNREACHABLE
            return self.login_failure()

    def login_failure(self) -> HttpResponseRedirect:
        reason = getattr(self.request, "oidc_refusal", None)
        if reason is None:
            reason = PROVIDER_ERROR if self.request.GET.get("error") else FAILED
        messages.error(self.request, refusal_message(reason))
        return super().login_failure()
