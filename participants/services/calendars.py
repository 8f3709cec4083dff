"""A user's secret calendar feed: made, shown once, revoked; only the token's SHA-256 is stored."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from mentorship.errors import DomainError
from mentorship.tokens import new_token, token_hash
from participants.models import CalendarFeed


@transaction.atomic
def calendar_feed_create(*, actor: Any) -> tuple[CalendarFeed, str]:
    """A new feed for the actor (revoking their previous one); the token is returned once and never stored."""
    if not getattr(actor, "is_authenticated", False):
        raise DomainError("Войдите на портал, чтобы подключить календарь.")
    calendar_feed_revoke(actor=actor)
    token = new_token()
    feed = CalendarFeed(user=actor, token_hash=token_hash(token))
    feed.full_clean()
    feed.save()
    return feed, token


@transaction.atomic
def calendar_feed_revoke(*, actor: Any) -> int:
    """Revoke the actor's active feed: its link answers 404 from now on. The number revoked (0 or 1)."""
    return (
        CalendarFeed.objects.restrict(actor, "change").filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    )


def calendar_feed_owner(token: str) -> Any | None:
    """The active account whose feed ``token`` opens, or ``None`` (a wrong, revoked or switched-off one)."""
    feed = (
        CalendarFeed.objects.filter(token_hash=token_hash(token), revoked_at__isnull=True, user__is_active=True)
        .select_related("user")
        .first()
    )
    return None if feed is None else feed.user
