"""Holds a signed-in session that still owes the second factor at the two-factor pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from . import two_factor

#: what a session owing the second factor may still open (static files never reach a view)
OPEN_WHILE_PENDING = frozenset({"accounts:two_factor_verify", "accounts:two_factor_setup", "logout"})


class TwoFactorMiddleware:
    """Sends a user who gave the password but not yet the second factor to «Подтверждение входа»
    (a device is set up) or to «Настройка двухфакторной аутентификации» (none yet), and back
    to the page they asked for afterwards. Needs the session, ``AuthenticationMiddleware`` and
    django-otp's ``OTPMiddleware`` before it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any) -> Any:
        if request.resolver_match.view_name in OPEN_WHILE_PENDING or not two_factor.is_pending(request):
            return None
        name = "accounts:two_factor_verify" if two_factor.has_two_factor(request.user) else "accounts:two_factor_setup"
        target = redirect(name)
        if request.method == "GET" and request.get_full_path() != "/":
            target["Location"] += "?" + urlencode({"next": request.get_full_path()})
        return target
