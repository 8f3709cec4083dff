"""Exactly once under concurrency: runs of the job at the same time, each on its own connection.

PostgreSQL only: SQLite serialises writers on one file lock (and the in-memory test database is
one connection), so it cannot show a race; the PostgreSQL run of the suite does.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date

import pytest
from django.core import mail
from django.db import connection, connections

from mentorship.choices import Role
from mentorship.tests.factories import MunicipalityFactory, OrganisationFactory, RegionFactory, user_with_role
from notifications import services
from notifications.choices import EmailState
from notifications.models import Notification, Reminder
from roadmaps.tests.factories import RoadmapFactory

from .helpers import dated_item

DAY = date(2025, 3, 15)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrent runs need PostgreSQL: SQLite has one writer and the in-memory test database one connection",
    ),
]


def _run_together(action: Callable[[], object], threads: int = 4) -> list[object]:
    barrier = threading.Barrier(threads)
    results: list[object] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait(timeout=10)
            results.append(action())
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()  # this thread's own connection

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(timeout=60)
    assert not errors, errors
    return results


@pytest.fixture
def school():
    region = RegionFactory()
    organisation = OrganisationFactory(municipality=MunicipalityFactory(region=region))
    roadmap = RoadmapFactory(organisation=organisation)
    curator = user_with_role("race_curator", Role.CURATOR, organisation)
    director = user_with_role("race_director", Role.DIRECTOR, organisation)
    for n in range(5):
        dated_item(roadmap, "до 15.03.2025", number=f"1.{n}")
    return curator, director


def test_the_job_run_concurrently_records_and_sends_each_reminder_once(school):
    curator, director = school
    _run_together(lambda: services.reminders_run(day=DAY))
    assert Reminder.objects.count() == 10
    assert Notification.objects.count() == 10
    assert sorted(m.to[0] for m in mail.outbox) == sorted([curator.email, director.email])
    assert all(m.body.count("Срок сегодня") == 5 for m in mail.outbox)
    assert set(Reminder.objects.values_list("email_state", flat=True)) == {EmailState.SENT}


def test_two_workers_sending_one_users_digest_send_it_once(school):
    curator, _ = school
    services.reminders_collect(day=DAY)
    sent = _run_together(lambda: services.digest_send(user_id=curator.pk), threads=6)
    assert sorted(sent) == [0, 0, 0, 0, 0, 5]
    assert [m.to for m in mail.outbox] == [[curator.email]]
