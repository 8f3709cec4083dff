"""Celery tasks of monitoring: thin and idempotent, they take ids and call the service."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from participants.models import school_year_of

from .services import figures_refresh


@shared_task(name="monitoring.figures_refresh")
def figures_refresh_task(school_year: int | None = None, organisation_ids: list[int] | None = None) -> int:
    """Rebuild the summary rows (all organisations of the current school year by default); a rerun is harmless."""
    year = school_year if school_year is not None else school_year_of(timezone.localdate())
    return figures_refresh(school_year=year, organisations=organisation_ids)
