"""The accounts middlewares: idle expiry of sessions, and the second factor a session still owes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from mentorship.security import client_ip

from . import two_factor
from .sessions import SEEN_AT, follow_renewed_key, record_session

#: A session in use is saved again (and so given SESSION_COOKIE_AGE more) at most this often.
REFRESH_SECONDS = 60


class SessionActivityMiddleware:
    """Pushes a logged-in session's end SESSION_COOKIE_AGE past its latest use (the idle timeout).

    Django's own way, SESSION_SAVE_EVERY_REQUEST, writes the session on every request: a write per
    page view for the database engine, and one that every pinned query count would have to carry.
    Saving it when the last save is a minute old gives the same idle timeout to within a minute.
    Placed after SessionMiddleware, so its change is saved by it on the way out.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # Only a session this request read already (every logged-in page does): no extra query.
        if session is None or not session.accessed:
            return response
        seen_at = session.get(SEEN_AT)
        if seen_at is None:
            # A session logged in before this middleware was deployed: adopt it once.
            if SESSION_KEY in session and session.session_key and request.user.is_authenticated:
                record_session(request.user, session, client_ip(request))
            return response
        now = int(timezone.now().timestamp())
        if now - seen_at >= REFRESH_SECONDS:
            session[SEEN_AT] = now
        follow_renewed_key(session)
        return response


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
