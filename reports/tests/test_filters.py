"""The order register's filters (``?year=``, ``?status=``): valid values filter, invalid ones are Russian errors."""

from __future__ import annotations

from django.urls import reverse

from mentorship.tests.lists import filter_error, page_objects
from reports import services
from reports.choices import OrderKind, OrderStatus

from .factories import ORDER_DAY


def _order(world, kind=OrderKind.PAIRS):
    return services.order_create(
        actor=world.curator_a1, organisation=world.organisation_a1, kind=kind, date=ORDER_DAY, school_year=2026
    )


def test_the_register_filters_by_year_and_status(client, world):
    order = _order(world)
    client.force_login(world.curator_a1)
    url = reverse("reports:orders")
    assert page_objects(client, url, {"year": order.year, "status": OrderStatus.DRAFT}) == [order]
    assert page_objects(client, url, {"year": order.year + 1}) == []
    assert page_objects(client, url, {"status": OrderStatus.SIGNED}) == []


def test_an_invalid_year_or_status_is_a_russian_error_not_a_500(client, world):
    _order(world)
    client.force_login(world.curator_a1)
    url = reverse("reports:orders")
    assert filter_error(client, url, {"year": "прошлый"}, "year") == "Введите целое число."
    assert "Выберите корректный вариант" in filter_error(client, url, {"status": "нет-такого"}, "status")
