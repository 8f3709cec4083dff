"""The demo register of the Хосрехская school: loaded by ``load_demo`` through the services, once only."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from demodata.demo import reports as demo
from demodata.management.commands.load_demo import demo_load_all
from mentorship.tests.clock import pinned_clock
from mentorship.tests.worlds import world_for_module
from participants.choices import PairStatus
from participants.models import Pair
from reports import services
from reports.choices import OrderKind, OrderStatus
from reports.models import Order
from reports.tests.factories import normalised, pdf_text

pytestmark = pytest.mark.usefixtures("pinned_clock")


def _load() -> Any:
    with pinned_clock():
        return demo_load_all()


@pytest.fixture(scope="module")
def _loaded(django_db_setup: None, django_db_blocker: Any) -> Iterator[Any]:
    yield from world_for_module(django_db_blocker, _load)


@pytest.fixture
def loaded(_loaded: Any, db: None) -> Any:
    return _loaded


def test_the_khosreh_register_has_the_orders_of_seed_003_numbered_per_year(loaded):
    orders = Order.objects.filter(organisation__code=demo.SCHOOL)
    signed = {(o.year, o.number): o.kind for o in orders.filter(status=OrderStatus.SIGNED)}
    assert signed[(2023, 1)] == OrderKind.IMPLEMENTATION
    assert signed[(2023, 2)] == OrderKind.CURATOR
    assert signed[(2023, 3)] == OrderKind.ROADMAP
    assert signed[(2026, 1)] == OrderKind.MENTOR_SCHOOL
    assert (2026, 2) not in signed
    assert set(orders.filter(status=OrderStatus.DRAFT).values_list("kind", flat=True)) == {
        OrderKind.PAIRS,
        OrderKind.AWARDS,
        OrderKind.FINAL_EVENT,
    }


def test_the_pairs_order_draft_lists_only_the_demo_pairs_not_yet_approved(loaded):
    order = Order.objects.get(organisation__code=demo.SCHOOL, kind=OrderKind.PAIRS)
    pairs = Pair.objects.filter(pk__in=services.order_pair_ids(order))
    assert order.appendix_rows > 0
    assert set(pairs.values_list("status", flat=True)) == {PairStatus.FORMING}
    text = normalised(pdf_text(services.order_render(order).content))
    assert "с. Хосрех" in text


def test_a_second_load_writes_nothing(loaded):
    before = Order.objects.count()
    report = demo.reports_demo_load()
    assert Order.objects.count() == before
    assert "уже загружены" in report.format()
