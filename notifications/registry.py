"""Reminder sources: what each app reminds about, registered by its ``reminders.py``.

The notifications app knows nothing about roadmaps, pairs or consents. An app registers a
*topic* (what a user may switch off, e.g. «Сроки пунктов дорожных карт») with a source: a
function ``(day) -> iterable of Due`` that answers «what is due on this day, for whom» with a
fixed number of set-based queries. ``apps.ready`` imports every app's ``reminders.py``, the way
``roles.py`` is discovered by mentorship.

A ``Due`` is recorded once per (recipient, kind, subject, due date): the source may return the
same one on every run of the day, and on the next days as long as it still applies.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class Due:
    """One thing due for one user: the row a ``Reminder`` is made from.

    ``kind`` is globally unique across apps (prefix it with the app: «roadmap_item_today»),
    ``subject_key`` names the object stably («roadmaps.roadmapitem:42»), ``url`` is a path on
    the portal (made absolute in e-mails), ``title`` and ``text`` are Russian.
    """

    recipient_id: int
    kind: str
    subject_key: str
    title: str
    url: str
    due_date: date
    text: str = ""


Source = Callable[[date], Iterable[Due]]


@dataclass(frozen=True, slots=True)
class Topic:
    key: str
    label: str
    source: Source
    order: int = 100


_topics: dict[str, Topic] = {}


def register(key: str, label: str, *, order: int = 100) -> Callable[[Source], Source]:
    """Decorator: register ``source`` under the topic ``key`` shown to users as ``label``."""

    def decorator(source: Source) -> Source:
        if key in _topics and _topics[key].source is not source:
            raise ValueError(f"Reminder topic {key!r} is registered twice")
        _topics[key] = Topic(key=key, label=label, source=source, order=order)
        return source

    return decorator


def topics() -> list[Topic]:
    """Every registered topic, in the order users see them."""
    return sorted(_topics.values(), key=lambda topic: (topic.order, topic.key))


def topic(key: str) -> Topic | None:
    return _topics.get(key)


def topic_choices() -> list[tuple[str, str]]:
    return [(t.key, t.label) for t in topics()]
