"""Log-in throttling on django-axes: two limits, the refusal page and the client's address.

The settings (``mentorship/settings/base.py``) name this module's handler, lockout response and
client address function; axes calls them through its documented extension points.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

LOCKOUT_MESSAGE = "Слишком много неудачных попыток входа. Попробуйте снова через {minutes}."


class LoginThrottleHandler(AxesDatabaseHandler):
    """Axes' database handler with a second, higher limit for one address.

    Axes locks out when the largest failure count over ``AXES_LOCKOUT_PARAMETERS`` reaches
    ``AXES_FAILURE_LIMIT``: one limit for every parameter (``AXES_FAILURE_LIMIT`` may be a callable,
    but it answers one number per request, not one per parameter). The portal needs two: a few
    failures for one account (guessing one password), many more for one address (a school's
    shared address, where several people mistype). So the count reported to axes is the account's,
    raised to the limit once the address has reached its own limit.
    """

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        username = get_client_username(request, credentials)
        recent = AccessAttempt.objects.filter(attempt_time__gte=get_cool_off_threshold(request))
        totals = recent.aggregate(
            by_username=Coalesce(Sum("failures_since_start", filter=Q(username=username)), 0),
            by_ip=Coalesce(Sum("failures_since_start", filter=Q(ip_address=request.axes_ip_address)), 0),
        )
        if totals["by_ip"] >= settings.LOGIN_FAILURE_LIMIT_PER_IP:
            return max(totals["by_username"], get_failure_limit(request, credentials))
        return totals["by_username"]


def minutes_phrase(minutes: int) -> str:
    """«1 минуту», «3 минуты», «15 минут»: the accusative after «через»."""
    if minutes % 10 == 1 and minutes % 100 != 11:
        word = "минуту"
    elif 2 <= minutes % 10 <= 4 and not 12 <= minutes % 100 <= 14:
        word = "минуты"
    else:
        word = "минут"
    return f"{minutes} {word}"


def lockout_message() -> str:
    return LOCKOUT_MESSAGE.format(minutes=minutes_phrase(settings.LOGIN_COOLOFF_MINUTES))


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """The log-in page again, empty, with the refusal: the same for every username typed, known or not."""
    context_data = getattr(original_response, "context_data", None) or {}
    context = {
        "form": AuthenticationForm(request),
        "next": context_data.get("next", ""),
        "lockout_message": lockout_message(),
    }
    return render(request, "registration/login.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)


def login_records_prune(*, now: datetime | None = None) -> int:
    """Delete what axes keeps past its use; the number of rows deleted.

    Failed attempts older than the cool-off no longer count towards a lock-out; axes' own logs of
    log-ins and failures are kept ``LOGIN_RECORDS_DAYS`` days. The security event log keeps what a
    security officer needs for longer, so nothing of that is lost here.
    """
    now = now or timezone.now()
    deleted, _ = AccessAttempt.objects.filter(attempt_time__lt=now - settings.AXES_COOLOFF_TIME).delete()
    since = now - timedelta(days=settings.LOGIN_RECORDS_DAYS)
    for model in (AccessLog, AccessFailureLog):
        count, _ = model.objects.filter(attempt_time__lt=since).delete()
        deleted += count
    return deleted
