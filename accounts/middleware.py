"""Idle expiry of sessions that slides with use, without a database write on every request."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from mentorship.security import client_ip

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
