"""Ending a user's sessions for real (deactivation, a stolen account), whatever the session engine."""

from __future__ import annotations

from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.sessions.backends.base import SessionBase
from django.utils import timezone

from .models import UserSession

#: Set in a session at log-in (accounts.signals): the key its UserSession row was recorded under,
#: and when the session was last found in use (a Unix time), for the idle expiry.
RECORDED_KEY = "_accounts_recorded_key"
SEEN_AT = "_accounts_seen_at"


def session_store(session_key: str | None = None) -> SessionBase:
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key=session_key)


def end_sessions(user: AbstractBaseUser, *, keep: str | None = None) -> int:
    """Delete every recorded session of ``user`` but ``keep`` (a session key); the number ended.

    Deleted through the configured engine's SessionStore, so it works for the database, cache and
    cached_db engines alike; the next request with such a cookie meets the log-in page.
    """
    rows = UserSession.objects.filter(user=user)
    if keep:
        rows = rows.exclude(session_key=keep)
    keys = list(rows.values_list("session_key", flat=True))
    for key in keys:
        session_store(key).delete()
    UserSession.objects.filter(session_key__in=keys).delete()
    return len(keys)


def record_session(user: AbstractBaseUser, session: SessionBase, ip_address: str | None) -> None:
    """Remember ``session`` as one of ``user``'s (at log-in), and forget their sessions that expired."""
    UserSession.objects.update_or_create(
        session_key=session.session_key, defaults={"user": user, "ip_address": ip_address}
    )
    session[RECORDED_KEY] = session.session_key
    session[SEEN_AT] = int(timezone.now().timestamp())
    # Rows older than the idle timeout may belong to sessions that ended unseen (a closed browser):
    # load those few from the store (expired or deleted ones load empty), so the table holds about
    # one row per live session.
    old = UserSession.objects.filter(
        user=user, created_at__lt=timezone.now() - timedelta(seconds=settings.SESSION_COOKIE_AGE)
    )
    gone = [key for key in old.values_list("session_key", flat=True) if not session_store(key).load()]
    if gone:
        UserSession.objects.filter(session_key__in=gone).delete()


def forget_session(session_key: str | None) -> None:
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()


def follow_renewed_key(session: SessionBase) -> None:
    """After Django gave the session a new key (a password change), move its row to the new key."""
    recorded = session.get(RECORDED_KEY)
    if recorded and session.session_key and recorded != session.session_key:
        UserSession.objects.filter(session_key=recorded).update(session_key=session.session_key)
        session[RECORDED_KEY] = session.session_key
