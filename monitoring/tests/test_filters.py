"""The period reports' list filters (``?status=``, ``?period=``) through its FilterSet."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mentorship.tests.lists import filter_error, page_objects
from monitoring.choices import ReportStatus
from monitoring.services import period_report_submit

pytestmark = pytest.mark.django_db


def test_the_reports_list_filters_by_status_and_period(world, client) -> None:
    q3 = period_report_submit(actor=world.curator_a1, organisation=world.organisation_a1, year=2026, period="q3")
    q2 = period_report_submit(actor=world.curator_a1, organisation=world.organisation_a1, year=2026, period="q2")
    client.force_login(world.officer_a)
    url = reverse("monitoring:reports")
    assert page_objects(client, url, {}) == [q3, q2]
    assert page_objects(client, url, {"period": "2026-q2"}) == [q2]
    # A period older than those the select offers is still a valid link.
    assert page_objects(client, url, {"period": "2021-q1"}) == []
    assert page_objects(client, url, {"status": ReportStatus.SUBMITTED, "period": "2026-q3"}) == [q3]
    assert page_objects(client, url, {"status": ReportStatus.ACCEPTED}) == []


@pytest.mark.parametrize(("field", "value"), [("status", "нет-такого"), ("period", "2026-q9"), ("period", "весна")])
def test_an_invalid_status_or_period_is_a_russian_error_not_a_500(world, client, field, value) -> None:
    client.force_login(world.officer_a)
    error = filter_error(client, reverse("monitoring:reports"), {field: value}, field)
    assert "Выберите корректный вариант" in error
