"""Calendars (issue 16, point 10): one meeting's .ics and a user's secret, revocable feed.

The iCalendar text is checked against RFC 5545 by its rules (CRLF, 75-octet folding without
splitting a character, TEXT escaping), and read back by unfolding as a calendar client does.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.urls import reverse

from mentorship.tests.worlds import world_for_module
from participants.calendar import calendar_text, escape_text, fold
from participants.models import CalendarFeed, Consent, Meeting

from .my_world import build_my_world

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def _module_world(_pinned_clock: None, django_db_setup: None, django_db_blocker: Any) -> Iterator[Any]:
    yield from world_for_module(django_db_blocker, build_my_world)


def unfold(text: str) -> list[str]:
    """The content lines a client reads (RFC 5545, 3.1): CRLF followed by a space joins the next piece."""
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")
    return text.replace("\r\n ", "").split("\r\n")[:-1]


def properties(text: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in unfold(text):
        name, value = line.split(":", 1)
        found.setdefault(name, []).append(value)
    return found


def test_text_values_escape_backslashes_semicolons_commas_and_newlines():
    assert escape_text("Итоги; планы, задачи\\ответы\nи дальше\r\nконец") == (
        "Итоги\\; планы\\, задачи\\\\ответы\\nи дальше\\nконец"
    )


def test_long_lines_fold_at_75_octets_without_splitting_a_cyrillic_letter():
    line = "SUMMARY:" + "Встреча-планирование наставнической группы «Шаг к успеху» " * 4
    folded = fold(line)
    pieces = folded.split("\r\n")
    assert len(pieces) > 3
    for piece in pieces:
        assert len(piece.encode()) <= 75
    assert all(piece.startswith(" ") for piece in pieces[1:])
    assert folded.replace("\r\n ", "") == line


def test_a_short_line_is_left_as_it_is():
    assert fold("VERSION:2.0") == "VERSION:2.0"


def test_a_meeting_is_an_all_day_event_with_a_stable_uid_and_a_russian_summary(world):
    meeting = Meeting.objects.select_related("pair__programme").get(pk=world.regular.pk)
    text = calendar_text([meeting], now=NOW)
    found = properties(text)
    assert unfold(text)[0] == "BEGIN:VCALENDAR"
    assert unfold(text)[-1] == "END:VCALENDAR"
    assert found["VERSION"] == ["2.0"]
    assert found["BEGIN"] == ["VCALENDAR", "VEVENT"]
    assert re.fullmatch(rf"meeting-{meeting.pk}@[\w.:-]+", found["UID"][0])
    assert found["DTSTAMP"] == ["20261123T090000Z"]
    assert found["DTSTART;VALUE=DATE"] == ["20261130"]
    assert found["DTEND;VALUE=DATE"] == ["20261201"]
    assert found["SUMMARY"] == ["Регулярная встреча: Пара «Алгебра»"]
    assert found["DESCRIPTION"] == [f"Программа: {world.programme_a1.title}\\nТема: Квадратные уравнения"]


def test_a_member_downloads_the_ics_of_a_planned_meeting(world, client_as):
    response = client_as(world.mentee).get(reverse("participants:meeting_ics", args=[world.regular.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert f'filename="meeting-{world.regular.pk}.ics"' in response["Content-Disposition"]
    assert properties(response.content.decode())["SUMMARY"] == ["Регулярная встреча: Пара «Алгебра»"]


# --- the feed ------------------------------------------------------------------------------------------------


def connect(client: Any) -> str:
    """Press «Подключить календарь» and read the link the page shows once."""
    page = client.post(reverse("participants:my_calendar"), {"action": "create"}).content.decode()
    match = re.search(r'value="(http[^"]+/calendar/([^"/]+)\.ics)"', page)
    assert match, page
    return match.group(1)


def feed_path(link: str) -> str:
    return "/" + link.split("://", 1)[1].split("/", 1)[1]


def test_the_feed_link_is_shown_once_and_only_its_hash_is_stored(world, client_as):
    client = client_as(world.mentor_a1)
    link = connect(client)
    token = link.rsplit("/", 1)[1].removesuffix(".ics")
    assert len(token) >= 40
    feed = CalendarFeed.objects.get(user=world.mentor_a1)
    assert feed.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in feed.token_hash
    again = client.get(reverse("participants:my_calendar")).content.decode()
    assert token not in again
    assert "Календарь подключён" in again


def test_the_feed_lists_the_planned_meetings_of_the_users_pairs_only(world, client_as, client):
    link = connect(client_as(world.mentor_a1))
    client.logout()
    response = client.get(feed_path(link))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"
    uids = properties(response.content.decode())["UID"]
    assert [uid.split("@")[0] for uid in uids] == [f"meeting-{world.regular.pk}"]


def test_a_parents_feed_follows_the_consent(world, client_as, client):
    link = connect(client_as(world.parent))
    client.logout()
    assert "UID" in properties(client.get(feed_path(link)).content.decode())
    Consent.objects.filter(pk=world.guardianship.consent_id).update(withdrawn_on=date(2026, 11, 20))
    assert "UID" not in properties(client.get(feed_path(link)).content.decode())


def test_a_revoked_link_answers_404_in_russian_and_a_new_one_works(world, client_as, client):
    mentor = client_as(world.mentor_a1)
    old = connect(mentor)
    mentor.post(reverse("participants:my_calendar"), {"action": "revoke"})
    assert CalendarFeed.objects.get(user=world.mentor_a1).revoked_at is not None
    response = client.get(feed_path(old))
    assert response.status_code == 404
    assert response.content.decode() == "Ссылка на календарь не найдена или отозвана."
    new = connect(client_as(world.mentor_a1))
    assert client.get(feed_path(new)).status_code == 200
    assert client.get(feed_path(old)).status_code == 404


def test_a_new_link_revokes_the_previous_one(world, client_as, client):
    mentor = client_as(world.mentor_a1)
    first = connect(mentor)
    second = connect(mentor)
    assert CalendarFeed.objects.filter(user=world.mentor_a1, revoked_at__isnull=True).count() == 1
    assert client.get(feed_path(first)).status_code == 404
    assert client.get(feed_path(second)).status_code == 200


@pytest.mark.parametrize("token", ["x", "a" * 43, "%2E%2E%2Fsecret"])
def test_a_wrong_token_answers_404_in_russian(client, token):
    response = client.get(reverse("participants:calendar_feed", args=[token]))
    assert response.status_code == 404
    assert "Ссылка на календарь не найдена" in response.content.decode()


def test_the_feed_of_a_switched_off_account_answers_404(world, client_as, client):
    link = connect(client_as(world.mentor_a1))
    type(world.mentor_a1).objects.filter(pk=world.mentor_a1.pk).update(is_active=False)
    assert client.get(feed_path(link)).status_code == 404


def test_revoking_touches_only_ones_own_link(world, client_as, client):
    link = connect(client_as(world.mentee))
    client_as(world.mentor_a1).post(reverse("participants:my_calendar"), {"action": "revoke"})
    assert client.get(feed_path(link)).status_code == 200


def test_the_feed_costs_the_same_queries_for_1_and_5_planned_meetings(
    world, client_as, client, django_assert_num_queries
):
    from mentorship.tests.pins import assert_queries_do_not_grow
    from participants.choices import MeetingKind

    from .factories import MeetingFactory

    link = connect(client_as(world.mentor_a1))
    client.logout()

    def more() -> None:
        for day in range(1, 5):
            MeetingFactory(pair=world.pair, kind=MeetingKind.REGULAR, planned_on=date(2026, 12, day))

    response = assert_queries_do_not_grow(client, feed_path(link), more, django_assert_num_queries)
    assert len(properties(response.content.decode())["UID"]) == 5


@pytest.mark.parametrize(
    ("name", "queries"),
    # The session and the user; then the meeting (the .ics), or the menu, the bell and the active feed.
    [("meeting_ics", 3), ("my_calendar", 5)],
)
def test_the_ics_of_a_meeting_and_the_calendar_page_cost_a_pinned_number_of_queries(world, client_as, name, queries):
    from mentorship.tests.pins import count_queries

    client = client_as(world.mentor_a1)
    address = reverse(f"participants:{name}", args=[world.regular.pk] if name == "meeting_ics" else [])
    client.get(address)
    assert count_queries(client, address) == queries
