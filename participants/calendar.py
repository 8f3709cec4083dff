"""iCalendar (RFC 5545) text for a pair's planned meetings: one meeting's .ics and a user's feed.

Written by hand rather than with a library: the portal needs one component (VEVENT) with all-day
dates and five properties, and the rules that matter (CRLF line ends, TEXT escaping of ``\\ ; ,``
and newlines, folding at 75 octets without splitting a UTF-8 character) fit in a page, tested in
``participants/tests/test_calendar.py``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from django.conf import settings

from .models import Meeting

PRODID = "-//Портал наставничества//Встречи пар//RU"
#: the octets a content line may hold before it is folded (RFC 5545, 3.1)
LINE_OCTETS = 75


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545, 3.3.11): backslash, semicolon and comma escaped, newlines as ``\\n``."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\r", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets, each continuation starting with a space."""
    pieces: list[str] = []
    current, size = "", 0
    limit = LINE_OCTETS
    for char in line:
        octets = len(char.encode())
        if size + octets > limit:
            pieces.append(current)
            # The continuation's leading space is one of its 75 octets.
            current, size, limit = char, octets, LINE_OCTETS - 1
        else:
            current += char
            size += octets
    pieces.append(current)
    return "\r\n ".join(pieces)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _day(day: date) -> str:
    return day.strftime("%Y%m%d")


def _host() -> str:
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0] or "mentorship.local"


def meeting_event(meeting: Meeting, *, now: datetime) -> list[str]:
    """One VEVENT of a meeting (its pair and programme selected): an all-day event on its date."""
    day = meeting.held_on or meeting.planned_on
    summary = f"{meeting.get_kind_display()}: {meeting.pair}"
    details = [f"Программа: {meeting.pair.programme.title}"]
    if meeting.topic:
        details.append(f"Тема: {meeting.topic}")
    return [
        "BEGIN:VEVENT",
        f"UID:meeting-{meeting.pk}@{_host()}",
        f"DTSTAMP:{_stamp(now)}",
        f"DTSTART;VALUE=DATE:{_day(day)}",
        f"DTEND;VALUE=DATE:{_day(day + timedelta(days=1))}",
        f"SUMMARY:{escape_text(summary)}",
        f"DESCRIPTION:{escape_text(chr(10).join(details))}",
        "END:VEVENT",
    ]


def calendar_text(meetings: Iterable[Meeting], *, now: datetime, name: str = "Встречи наставничества") -> str:
    """A whole VCALENDAR with a VEVENT per meeting, folded, CRLF line ends."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{escape_text(PRODID)}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for meeting in meetings:
        lines.extend(meeting_event(meeting, now=now))
    lines.append("END:VCALENDAR")
    return "".join(f"{fold(line)}\r\n" for line in lines)
