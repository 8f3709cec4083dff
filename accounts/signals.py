"""Log-in and log-out: keep the record of a user's sessions (accounts.sessions). Connected in AccountsConfig.ready."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from .sessions import forget_session, record_session
from .throttling import client_ip


@receiver(user_logged_in, dispatch_uid="accounts.record_session")
def on_user_logged_in(sender, request, user, **kwargs) -> None:
    session = getattr(request, "session", None)
    if session is not None and session.session_key:
        record_session(user, session, client_ip(request))


@receiver(user_logged_out, dispatch_uid="accounts.forget_session")
def on_user_logged_out(sender, request, user, **kwargs) -> None:
    session = getattr(request, "session", None)
    if session is not None:
        forget_session(session.session_key)
