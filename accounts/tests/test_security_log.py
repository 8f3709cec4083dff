"""«Журнал безопасности»: who reads which events, the filters, the export, and that nothing changes a row.

Access is written out by hand: the security officer of region R (created here, not one of the
shared world's personas) reads R's events; administrators read every event, those of no region
too; everyone else gets 404 and no menu entry, as for a page of an import kind not offered to them.
"""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentorship import menu, security
from mentorship.choices import Role
from mentorship.choices import SecurityEventKind as Kind
from mentorship.models import SecurityEvent
from mentorship.tests.factories import user_with_role

pytestmark = pytest.mark.django_db

URL = reverse("accounts:security_log")
MOSCOW = ZoneInfo("Europe/Moscow")


@pytest.fixture
def officer_r(world):
    """Ответственный за информационную безопасность of region R."""
    return user_with_role("security_officer_r", Role.SECURITY_OFFICER, world.region_r)


#: when the fixture's events happened (Moscow time): R's two on either side of a UTC day's end
R_A_AT = datetime(2026, 11, 20, 23, 30, tzinfo=MOSCOW)  # the 20th in Moscow, the 20th in UTC
R_B_AT = datetime(2026, 11, 22, 0, 30, tzinfo=MOSCOW)  # the 22nd in Moscow, still the 21st in UTC
OTHERS_AT = datetime(2026, 11, 21, 12, 0, tzinfo=MOSCOW)


def recorded_at(when: datetime, kind: Kind, **kwargs) -> SecurityEvent:
    """A row written at ``when`` (the log's rows take the time they are written, and never change)."""
    with time_machine.travel(when, tick=False):
        return security.record(kind, **kwargs)


@pytest.fixture
def events(world):
    """One event in each of R (a school of A, a school of B), R2, and one of no region (an unknown username)."""
    from_outside = RequestFactory().get("/", REMOTE_ADDR="198.51.100.23")
    return {
        "r_a": recorded_at(R_A_AT, Kind.LOGIN, actor=world.curator_a1, subject=world.curator_a1, username="curator_a1"),
        "r_b": recorded_at(
            R_B_AT, Kind.LOGIN_FAILED, subject=world.curator_b1, username="curator_b1", request=from_outside
        ),
        "r2": recorded_at(
            OTHERS_AT, Kind.ROLE_GRANTED, actor=world.superuser, place=world.organisation_c1, what="роль"
        ),
        "none": recorded_at(OTHERS_AT, Kind.LOGIN_FAILED, username="nobody-knows"),
    }


def listed(client, query=None) -> list[SecurityEvent]:
    response = client.get(URL, query or {})
    assert response.status_code == 200
    return list(response.context["object_list"])


def test_the_region_s_security_officer_reads_the_region_s_events_and_not_another_region_s(
    client, world, officer_r, events
):
    client.force_login(officer_r)
    shown = listed(client)
    assert events["r_a"] in shown
    assert events["r_b"] in shown
    assert events["r2"] not in shown
    assert events["none"] not in shown
    assert {e.region_id for e in shown} == {world.region_r.pk}


def test_the_officer_of_the_other_region_reads_only_that_region_s_events(client, world, events):
    officer_r2 = user_with_role("security_officer_r2", Role.SECURITY_OFFICER, world.region_r2)
    client.force_login(officer_r2)
    assert [e for e in listed(client) if e.pk in {x.pk for x in events.values()}] == [events["r2"]]


def test_administrators_read_every_event_those_of_no_region_too(client, world, events):
    client.force_login(world.superuser)
    shown = listed(client)
    assert set(events.values()) <= set(shown)


@pytest.mark.parametrize(
    "persona", ["regional_coordinator", "regional_observer", "officer_a", "curator_a1", "mentor_a1", "outsider"]
)
def test_anyone_else_gets_404_and_no_menu_entry(client, world, events, persona):
    user = world.persona(persona)
    client.force_login(user)
    assert client.get(URL).status_code == 404
    assert client.get(reverse("imports:export", args=["security-events"])).status_code == 404
    assert "security-log" not in [link.key for links in menu.build(user).values() for link in links]
    assert "Журнал безопасности" not in client.get(reverse("home")).content.decode()


def test_the_officer_and_the_administrator_find_the_log_in_the_menu(client, world, officer_r):
    for user in (officer_r, world.superuser):
        client.force_login(user)
        home = client.get(reverse("home")).content.decode()
        assert f'href="{URL}"' in home
        assert "Журнал безопасности" in home


def test_a_visitor_is_sent_to_log_in(client, events):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_newest_events_come_first(client, world, officer_r, events):
    client.force_login(officer_r)
    mine = [e for e in listed(client) if e.pk in (events["r_a"].pk, events["r_b"].pk)]
    assert mine == [events["r_b"], events["r_a"]]


def test_the_filters_narrow_by_kind_day_person_and_address(client, world, officer_r, events):
    client.force_login(officer_r)
    assert listed(client, {"kind": Kind.LOGIN_FAILED}) == [events["r_b"]]
    assert listed(client, {"since": "2026-11-22"})[-1] == events["r_b"]
    assert events["r_a"] not in listed(client, {"since": "2026-11-22"})
    assert listed(client, {"since": "2026-11-20", "until": "2026-11-21"}) == [events["r_a"]]
    assert listed(client, {"person": "CURATOR_B"}) == [events["r_b"]]
    assert listed(client, {"person": "curator_a", "kind": Kind.LOGIN}) == [events["r_a"]]
    assert listed(client, {"person": "nobody-knows"}) == []  # of no region: not the officer's
    assert listed(client, {"ip": "198.51.100"}) == [events["r_b"]]
    assert listed(client, {"ip": "10.0."}) == []


def test_an_address_or_a_date_that_cannot_be_one_is_a_russian_error_and_filters_nothing(client, officer_r, events):
    client.force_login(officer_r)
    response = client.get(URL, {"ip": "1' OR 1=1", "since": "вчера"})
    assert response.status_code == 200
    errors = response.context["filterset"].form.errors
    assert "IP-адрес состоит из цифр" in errors["ip"][0]
    assert errors["since"] == ["Введите правильную дату."]
    page = response.content.decode()
    assert "IP-адрес состоит из цифр" in page
    assert "Введите правильную дату." in page
    assert {events["r_a"], events["r_b"]} <= set(response.context["object_list"])


def test_the_log_is_paginated_by_fifty(client, world, officer_r):
    for i in range(55):
        security.record(Kind.LOGIN_FAILED, subject=world.officer_a, username=f"officer_a{i}")
    client.force_login(officer_r)
    first = client.get(URL)
    assert len(first.context["object_list"]) == 50
    second = client.get(URL, {"page": 2})
    assert len(second.context["object_list"]) == 5 + 1  # the officer's own log-in too
    assert "2 из 2" in second.content.decode()


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_no_request_changes_or_deletes_a_row(client, world, officer_r, events, method):
    for user in (officer_r, world.superuser):
        client.force_login(user)
        before = list(SecurityEvent.objects.order_by("pk").values())
        response = getattr(client, method)(URL, {"pk": events["r_a"].pk, "kind": Kind.LOGOUT, "what": "подделка"})
        assert response.status_code == 405
        after = list(SecurityEvent.objects.order_by("pk").values())
        assert after[: len(before)] == before


def test_the_page_costs_the_same_queries_for_3_and_30_events(client, world, officer_r):
    def add(n: int) -> None:
        for i in range(n):
            security.record(Kind.LOGIN, actor=world.curator_a1, subject=world.curator_a1, username=f"x{i}")

    client.force_login(officer_r)
    add(3)
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    add(27)
    with CaptureQueriesContext(connection) as many:
        response = client.get(URL)
    assert response.content.decode().count("<tr>") == 1 + 30 + 1  # the header, the events, the officer's log-in
    # the session, the user, the menu's roles, the access check, the count, the page's rows, the bell
    assert len(many) == len(few) == 7, [q["sql"] for q in many.captured_queries]


def test_the_export_holds_the_filtered_rows_and_is_itself_recorded(client, world, officer_r, events):
    client.force_login(officer_r)
    response = client.get(reverse("imports:export", args=["security-events"]), {"kind": Kind.LOGIN_FAILED})
    assert response.status_code == 200
    rows = [[c.value for c in row] for row in openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows()]
    assert rows[0][:3] == ["Когда", "Событие", "Кто"]
    assert [(row[1], row[4]) for row in rows[1:]] == [("Неудачная попытка входа", "curator_b1")]
    assert rows[1][6] == world.region_r.name
    recorded = SecurityEvent.objects.get(kind=Kind.PERSONAL_DATA_EXPORT)
    assert (recorded.actor, recorded.what, recorded.people) == (
        officer_r,
        "Выгрузка .xlsx: Журнал безопасности",
        1,
    )
    assert recorded.region == world.region_r


def test_the_export_writes_local_time(client, world, officer_r, events):
    client.force_login(officer_r)
    response = client.get(reverse("imports:export", args=["security-events"]), {"kind": Kind.LOGIN})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    times = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert datetime(2026, 11, 20, 23, 30) in times  # as in Moscow, not 20:30 (UTC)


@pytest.mark.parametrize("query", [{"since": "0001-01-01"}, {"until": "9999-12-31"}, {"since": "1-1-1"}])
def test_days_at_the_calendar_s_ends_filter_without_an_error(client, officer_r, events, query):
    client.force_login(officer_r)
    shown = listed(client, query)
    assert events["r_a"] in shown
