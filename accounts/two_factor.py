"""Two-factor log-in: who must give a second factor, the session's state, and the writes on devices.

The second factor is a TOTP app (django-otp's ``otp_totp``) with ten one-time recovery codes
(``otp_static``). The policy (administrators, regional and municipal roles, or everyone) is the
access layer's ``requires_two_factor``; an exemption (``TwoFactorExemption``, the demo accounts)
lifts it.

The password step decides once per log-in whether the session still owes the second factor
(``session_start``, on ``user_logged_in``) and writes it into the session; the middleware reads
that flag, so pages cost no extra query. A role given in the middle of a session therefore asks
for the second factor from the next log-in on.

django-otp's throttling stays on: after each wrong code on a device the next try waits 1, 2, 4…
seconds (``OTP_TOTP_THROTTLE_FACTOR``, ``OTP_STATIC_THROTTLE_FACTOR``); a TOTP code is accepted
once only.
"""

from __future__ import annotations

import math
import re
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from mentorship import access, security
from mentorship.choices import SecurityEventKind
from mentorship.errors import DomainError

from .models import TwoFactorExemption

#: the session's two-factor state, set at the password step
SESSION_KEY = "accounts_two_factor"
PENDING, PASSED, NOT_REQUIRED = "pending", "passed", "not_required"
#: recovery codes shown once after they are made, until the page showing them is opened
CODES_SESSION_KEY = "accounts_two_factor_codes"

RECOVERY_CODES = 10
TOTP_DEVICE_NAME = "Приложение-аутентификатор"
RECOVERY_DEVICE_NAME = "Резервные коды"
DEMO_EXEMPTION_REASON = "демонстрационная учётная запись"

WRONG_CODE = "Неверный код. Проверьте, что время на телефоне точное, и введите новый код из приложения."
WRONG_CODE_OR_RECOVERY = "Неверный код подтверждения или резервный код."
NO_DEVICE = "Двухфакторная аутентификация не настроена."


# --- who -------------------------------------------------------------------------------------------


def is_exempt(user: Any) -> bool:
    return TwoFactorExemption.objects.filter(user_id=user.pk).exists()


def two_factor_required(user: Any) -> bool:
    """Whether ``user`` must give a second factor at log-in: the policy says so and no exemption lifts it."""
    return access.requires_two_factor(user) and not is_exempt(user)


def totp_device(user: Any, *, confirmed: bool = True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=confirmed).order_by("pk").first()


def recovery_device(user: Any) -> StaticDevice | None:
    return StaticDevice.objects.filter(user_id=user.pk, confirmed=True).order_by("pk").first()


def recovery_codes_left(user: Any) -> int:
    return StaticToken.objects.filter(device__user_id=user.pk, device__confirmed=True).count()


def has_two_factor(user: Any) -> bool:
    return totp_device(user) is not None


# --- the session -----------------------------------------------------------------------------------


def second_factor_owed(user: Any) -> bool:
    """Whether a log-in of ``user`` asks for the second factor: it is required, or they set it up by choice."""
    return two_factor_required(user) or has_two_factor(user)


def session_start(request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """At the password step (``user_logged_in``): does this session still owe the second factor?"""
    if request is None or not hasattr(request, "session"):
        return
    request.session[SESSION_KEY] = PENDING if second_factor_owed(user) else NOT_REQUIRED


def is_pending(request: HttpRequest) -> bool:
    """Whether the signed-in session still owes the second factor.

    A session opened before two-factor log-in existed has no flag: it is decided now, once.
    """
    state = request.session.get(SESSION_KEY)
    if state is None:
        if not request.user.is_authenticated:
            return False
        session_start(request, request.user)
        state = request.session[SESSION_KEY]
    return state == PENDING and request.user.is_authenticated


def session_passed(request: HttpRequest, device: Device) -> None:
    """The second factor was given with ``device``: django-otp remembers it, the session is let through."""
    otp_login(request, device)
    request.session[SESSION_KEY] = PASSED
    request.session.cycle_key()


def codes_keep(request: HttpRequest, codes: list[str]) -> None:
    request.session[CODES_SESSION_KEY] = codes


def codes_take(request: HttpRequest) -> list[str]:
    """The recovery codes just made, once: the page that shows them takes them out of the session."""
    return request.session.pop(CODES_SESSION_KEY, [])


# --- codes -----------------------------------------------------------------------------------------


def _normalised(code: str) -> str:
    """A code as typed: spaces and dashes dropped, recovery codes compared in lower case."""
    return re.sub(r"[\s\-]+", "", code or "").lower()


def format_recovery_code(token: str) -> str:
    """``abcd2efg`` → ``abcd-2efg``: easier to read off a printout."""
    return f"{token[:4]}-{token[4:]}" if len(token) == 8 else token


def _throttled(device: Device) -> str | None:
    """django-otp's refusal after wrong codes, in Russian; ``None`` when a try is allowed."""
    allowed, data = device.verify_is_allowed()
    if allowed:
        return None
    locked_until = (data or {}).get("locked_until")
    count = (data or {}).get("failure_count", 0)
    if locked_until is None:
        return "Проверка кода временно недоступна. Повторите попытку позже."
    seconds = max(1, math.ceil((locked_until - timezone.now()).total_seconds()))
    return (
        f"Слишком много неверных кодов подряд ({count}). Проверка временно заблокирована: "
        f"повторите попытку через {seconds} с."
    )


def _verify(device: Device, token: str) -> bool:
    """django-otp's check of ``token`` on ``device``, the row locked; its throttling is recorded even on failure."""
    with transaction.atomic():
        locked = type(device).objects.select_for_update().get(pk=device.pk)
        refusal = _throttled(locked)
        if refusal:
            raise DomainError(refusal, field="code")
        verified = locked.verify_token(token)
    device.refresh_from_db()
    return verified


def _is_totp_code(code: str) -> bool:
    return code.isdigit() and len(code) == 6


# --- writes (services) -----------------------------------------------------------------------------


def totp_setup_start(*, actor: Any) -> TOTPDevice:
    """The not yet confirmed TOTP device that ``actor`` is pairing with their app (made once, kept until confirmed)."""
    if has_two_factor(actor):
        raise DomainError("Двухфакторная аутентификация уже настроена.")
    device = totp_device(actor, confirmed=False)
    if device is None:
        device = TOTPDevice(user=actor, name=TOTP_DEVICE_NAME, confirmed=False)
        device.full_clean()
        device.save()
    return device


def totp_setup_confirm(*, actor: Any, code: str, request: HttpRequest | None = None) -> list[str]:
    """Confirm the pairing with a code from the app; returns the ten new recovery codes (shown once).

    With ``request`` the session counts as having given the second factor.
    """
    device = totp_device(actor, confirmed=False)
    if device is None:
        raise DomainError("Начните настройку заново: ключ для приложения не найден.")
    token = _normalised(code)
    if not _is_totp_code(token) or not _verify(device, token):
        raise DomainError(WRONG_CODE, field="code")
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user_id=actor.pk).exclude(pk=device.pk).delete()
        codes = _recovery_codes_make(actor)
        security.record(SecurityEventKind.TWO_FACTOR_ENABLED, actor=actor, subject=actor, request=request)
    if request is not None:
        session_passed(request, device)
    return codes


def _recovery_codes_make(actor: Any) -> list[str]:
    StaticDevice.objects.filter(user_id=actor.pk).delete()
    device = StaticDevice.objects.create(user=actor, name=RECOVERY_DEVICE_NAME, confirmed=True)
    tokens = []
    while len(tokens) < RECOVERY_CODES:
        token = StaticToken.random_token()
        if token not in tokens:
            tokens.append(token)
    StaticToken.objects.bulk_create([StaticToken(device=device, token=token) for token in tokens])
    return [format_recovery_code(token) for token in tokens]


def second_factor_check(*, actor: Any, code: str) -> Device:
    """The device that accepts ``code``: a 6-digit code from the app, or a recovery code (used up by it)."""
    totp = totp_device(actor)
    if totp is None:
        raise DomainError(NO_DEVICE, field="code")
    token = _normalised(code)
    if _is_totp_code(token):
        if _verify(totp, token):
            return totp
    else:
        recovery = recovery_device(actor)
        if recovery is not None and _verify(recovery, token):
            return recovery
    raise DomainError(WRONG_CODE_OR_RECOVERY, field="code")


def second_factor_verify(*, actor: Any, code: str, request: HttpRequest) -> Device:
    """The log-in's second step: check ``code`` and let the session through."""
    device = second_factor_check(actor=actor, code=code)
    session_passed(request, device)
    return device


def recovery_codes_regenerate(*, actor: Any, code: str, request: HttpRequest | None = None) -> list[str]:
    """Ten new recovery codes in place of the old ones, confirmed with a current code."""
    second_factor_check(actor=actor, code=code)
    with transaction.atomic():
        codes = _recovery_codes_make(actor)
        security.record(SecurityEventKind.RECOVERY_CODES, actor=actor, subject=actor, request=request)
    return codes


def two_factor_remove(*, actor: Any, code: str, request: HttpRequest) -> None:
    """Remove the app and the recovery codes, confirmed with a current code.

    Where the second factor is required the session owes it again: the next page is the set-up.
    """
    second_factor_check(actor=actor, code=code)
    with transaction.atomic():
        TOTPDevice.objects.filter(user_id=actor.pk).delete()
        StaticDevice.objects.filter(user_id=actor.pk).delete()
        security.record(SecurityEventKind.TWO_FACTOR_DISABLED, actor=actor, subject=actor, request=request)
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    request.session[SESSION_KEY] = PENDING if second_factor_owed(actor) else NOT_REQUIRED


def two_factor_exemption_ensure(*, user: Any, reason: str) -> bool:
    """Exempt ``user`` from the second factor unless already exempt; whether a row was made.

    A trusted system caller (the demo loader): no actor, the model's validation still applies.
    """
    if TwoFactorExemption.objects.filter(user_id=user.pk).exists():
        return False
    exemption = TwoFactorExemption(user=user, reason=reason)
    exemption.full_clean()
    exemption.save()
    return True
