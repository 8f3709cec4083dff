"""The register under concurrent signing: numbers stay unique and gapless, each request on its own connection.

PostgreSQL only: SQLite serialises writers on one file lock (and the in-memory test database is
one connection), so it cannot show a race; the PostgreSQL run of the suite does.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date

import pytest
from django.db import connection, connections

from mentorship.choices import Role
from mentorship.tests.factories import MunicipalityFactory, OrganisationFactory, RegionFactory, user_with_role
from reports import services
from reports.choices import OrderKind, OrderStatus
from reports.models import Order, OrderCounter

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrent signing needs PostgreSQL: SQLite has one writer, the in-memory test database one connection",
    ),
]

THREADS = 8


def _run_together(actions: list[Callable[[], object]]) -> tuple[list[object], list[BaseException]]:
    barrier = threading.Barrier(len(actions))
    results: list[object] = []
    errors: list[BaseException] = []

    def worker(action: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=20)
            results.append(action())
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()  # this thread's own connection

    pool = [threading.Thread(target=worker, args=(action,)) for action in actions]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(timeout=120)
    return results, errors


@pytest.fixture
def school():
    organisation = OrganisationFactory(municipality=MunicipalityFactory(region=RegionFactory()))
    director = user_with_role("race_director", Role.DIRECTOR, organisation)
    director.last_name, director.first_name, director.patronymic = "Максименко", "Сергей", "Геннадьевич"
    director.save()
    return organisation, director


def _drafts(organisation, director, n):
    return [
        services.order_create(
            actor=director, organisation=organisation, kind=OrderKind.CURATOR, date=date(2026, 11, 20)
        )
        for _ in range(n)
    ]


def test_orders_signed_at_the_same_moment_get_unique_numbers_without_gaps(school):
    organisation, director = school
    drafts = _drafts(organisation, director, THREADS)
    results, errors = _run_together(
        [lambda order=order: services.order_sign(actor=director, order=order).number for order in drafts]
    )
    assert not errors, errors
    assert sorted(results) == list(range(1, THREADS + 1))
    numbers = sorted(Order.objects.filter(organisation=organisation).values_list("number", flat=True))
    assert numbers == list(range(1, THREADS + 1))
    assert OrderCounter.objects.get(organisation=organisation, year=2026).last_number == THREADS
    assert all(order.pdf for order in Order.objects.filter(organisation=organisation))


def test_the_same_draft_signed_twice_at_once_takes_one_number(school):
    organisation, director = school
    (draft,) = _drafts(organisation, director, 1)
    results, errors = _run_together([lambda: services.order_sign(actor=director, order=draft).number] * 4)
    assert results == [1]
    assert len(errors) == 3
    assert all("уже подписан" in str(error) for error in errors)
    draft.refresh_from_db()
    assert draft.status == OrderStatus.SIGNED
    assert draft.number == 1
    assert OrderCounter.objects.get(organisation=organisation, year=2026).last_number == 1
