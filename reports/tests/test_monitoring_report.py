"""The справка: the dashboard's figures and charts as a PDF, opened exactly where the dashboard opens."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from monitoring.choices import IndicatorCode
from monitoring.models import Target
from monitoring.services import figures_refresh

from .factories import normalised, pdf_text


@pytest.fixture
def refreshed(world):
    Target.objects.create(region=world.region_r, indicator=IndicatorCode.STUDENTS_SHARE, year=2026, value=Decimal(10))
    figures_refresh(school_year=2026)
    return world


def _get(client, user, level, pk):
    client.force_login(user)
    return client.get(reverse("reports:monitoring_report", args=[level, pk]), {"year": 2026, "period": "2026-q3"})


def test_a_municipal_officer_gets_the_municipalitys_report_with_its_schools(client, refreshed):
    response = _get(client, refreshed.officer_a, "municipality", refreshed.municipality_a.pk)
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")
    text = normalised(pdf_text(response.content))
    assert "Справка" in text
    assert "Уфимский район" in text
    assert "МОБУ СОШ с. Булгаково" in text
    assert "МОБУ СОШ д. Дмитриевка" in text
    assert "2026/2027" in text
    assert "Диаграммы" in text


def test_a_school_report_shows_the_schools_indicators(client, refreshed):
    response = _get(client, refreshed.curator_a1, "organisation", refreshed.organisation_a1.pk)
    assert response.status_code == 200
    text = normalised(pdf_text(response.content))
    assert "МОБУ СОШ с. Булгаково" in text
    assert "Показатели образовательной организации" in text


def test_the_regional_report_lists_municipalities(client, refreshed):
    response = _get(client, refreshed.regional_coordinator, "region", refreshed.region_r.pk)
    text = normalised(pdf_text(response.content))
    assert "Уфимский район" in text
    assert "Белорецкий район" in text


@pytest.mark.parametrize(
    ("persona", "level", "place"),
    [
        ("curator_b1", "organisation", "organisation_a1"),
        ("curator_a1", "municipality", "municipality_a"),
        ("officer_b", "municipality", "municipality_a"),
        ("outsider", "region", "region_r"),
    ],
)
def test_a_report_outside_the_users_reach_is_404(client, refreshed, persona, level, place):
    response = _get(client, getattr(refreshed, persona), level, getattr(refreshed, place).pk)
    assert response.status_code == 404


def test_the_dashboard_links_to_its_report(client, refreshed):
    client.force_login(refreshed.officer_a)
    page = client.get(
        reverse("monitoring:municipality", args=[refreshed.municipality_a.pk]), {"year": 2026, "period": "2026-q3"}
    )
    url = reverse("reports:monitoring_report", args=["municipality", refreshed.municipality_a.pk])
    assert f'href="{url}?year=2026&amp;period=2026-q3"' in page.content.decode()
