"""Log-ins, failed log-ins and log-outs go to the security event log (``mentorship.security.record``).

Django announces them with its auth signals; ``AccountsConfig.ready()`` connects the receivers
below once. Password changes and resets have no signal of their own: their views record them
(``accounts.views.passwords``). Of a failed attempt's credentials only the username typed is kept
(Django has already masked the password, and nothing else of them is written anywhere).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model, signals

from mentorship import security
from mentorship.choices import SecurityEventKind


def logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    security.record(SecurityEventKind.LOGIN, actor=user, subject=user, username=user.get_username(), request=request)


def login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    """A failed attempt: filed under the account's region when the username is a known one, else under none.

    The row of an unknown username keeps what was typed: someone trying names is what the security
    officer looks for.
    """
    username = str(credentials.get("username") or "")
    model = get_user_model()
    subject = model._default_manager.filter(**{model.USERNAME_FIELD: username}).first() if username else None
    security.record(SecurityEventKind.LOGIN_FAILED, subject=subject, username=username, request=request)


def logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    # Django sends the signal for a visitor who was not logged in, too (user None): nothing to record.
    if user is None or not getattr(user, "is_authenticated", False):
        return
    security.record(SecurityEventKind.LOGOUT, actor=user, subject=user, username=user.get_username(), request=request)


def connect() -> None:
    """Connect the receivers (from ``AccountsConfig.ready()``); the dispatch ids make a second call harmless."""
    signals.user_logged_in.connect(logged_in, dispatch_uid="accounts.audit.logged_in")
    signals.user_login_failed.connect(login_failed, dispatch_uid="accounts.audit.login_failed")
    signals.user_logged_out.connect(logged_out, dispatch_uid="accounts.audit.logged_out")
