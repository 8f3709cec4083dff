"""Writing the security event log (``SecurityEvent``): the one way a row gets there.

Services call ``record`` for what they do (a role granted, an account deactivated); the accounts
app connects the log-in signals of Django, django-axes and django-otp to it. Nothing here ever
changes or deletes a row.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings
from django.db import models

from . import access
from .choices import Level, SecurityEventKind
from .models import SecurityEvent


def _name(user: Any) -> str:
    if user is None or not getattr(user, "pk", None):
        return ""
    return f"{user.get_full_name()} ({user.username})"


def client_ip(request: Any) -> str | None:
    """The client's address, for the log and the log-in throttling alike (``AXES_CLIENT_IP_CALLABLE``).

    REMOTE_ADDR, or the proxies' X-Forwarded-For when TRUSTED_PROXY_COUNT says so.

    Each trusted proxy appends the address it was contacted from, so with N of them the client is
    the N-th entry from the right; whatever the client itself sent stands further left and is ignored.
    """
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR") or None
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if not forwarded:
        return remote
    candidate = forwarded[max(len(forwarded) - count, 0)]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def _region_id(place: models.Model | None, *users: Any) -> int | None:
    if place is not None:
        parents = access.place_parents(place)
        return parents.get(Level.REGION)
    for user in users:
        region = access.region_of(user)
        if region is not None:
            return region
    return None


def record(
    kind: SecurityEventKind,
    *,
    actor: Any = None,
    subject: Any = None,
    username: str = "",
    request: Any = None,
    place: models.Model | None = None,
    what: str = "",
    people: int | None = None,
) -> SecurityEvent:
    """Add one row to the log. ``place``: where it happened (a role's place); else the region of the people."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return SecurityEvent.objects.create(
        kind=kind,
        actor=actor,
        actor_name=_name(actor),
        subject=subject,
        subject_name=_name(subject),
        username=username[:150],
        ip=client_ip(request),
        region_id=_region_id(place, subject, actor),
        what=what[:500],
        people=people,
    )
