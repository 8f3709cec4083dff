"""The справка shows the response rate next to satisfaction and growth, and «мало ответов» below the threshold."""

from __future__ import annotations

from django.urls import reverse

from monitoring.services import figures_refresh
from monitoring.tests.test_response_rates import link, people, questionnaire
from reports.monitoring_report import monitoring_report_context

from .factories import normalised, pdf_text


def test_the_pdf_shows_the_rate_and_the_low_mark(world, client):
    q = questionnaire(world.organisation_a1)
    first, second, third = people(world.organisation_a1, 3)
    link(q, first, answered=True)
    link(q, second)
    link(q, third)
    figures_refresh(school_year=2026)
    context = monitoring_report_context(
        user=world.curator_a1,
        level="organisation",
        pk=world.organisation_a1.pk,
        school_year=2026,
        year=2026,
        period="q3",
    )
    satisfaction = next(row for row in context["indicators"] if row["rate"])
    assert (satisfaction["rate"], satisfaction["status"]) == ("ответили 1 из 3", "мало ответов")
    client.force_login(world.curator_a1)
    response = client.get(
        reverse("reports:monitoring_report", args=["organisation", world.organisation_a1.pk]),
        {"year": 2026, "period": "2026-q3"},
    )
    text = normalised(pdf_text(response.content))
    assert "ответили 1 из 3" in text
    assert "мало ответов" in text
    assert "Рост (выход − вход)" in text
