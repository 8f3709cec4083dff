"""Log-in and log-out: record sessions (accounts.sessions) and log lock-outs. Connected in AccountsConfig.ready."""

from __future__ import annotations

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver
from django.utils import timezone

from mentorship import security
from mentorship.choices import SecurityEventKind
from mentorship.models import SecurityEvent, User
from mentorship.security import client_ip

from .sessions import forget_session, record_session


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


@receiver(user_locked_out, dispatch_uid="accounts.log_lockout")
def on_user_locked_out(sender, request, username, ip_address, **kwargs) -> None:
    """A lock-out goes to the security log once: the account's when the name is one, else the name typed.

    Axes signals every refused try of a lock-out; the log keeps the first one of each cool-off.
    """
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    if SecurityEvent.objects.filter(
        kind=SecurityEventKind.LOCKED_OUT, username=username or "", ip=client_ip(request), at__gte=since
    ).exists():
        return
    subject = User.objects.filter(username=username).first() if username else None
    security.record(
        SecurityEventKind.LOCKED_OUT,
        subject=subject,
        username=username or "",
        request=request,
        what=f"Вход заблокирован после неудачных попыток (адрес {ip_address})",
    )
