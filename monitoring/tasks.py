"""Celery tasks of monitoring: thin and idempotent, they take ids and call the service."""

from __future__ import annotations

from datetime import date

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from participants.models import school_year_of

from .services import figures_refresh


@shared_task(name="monitoring.figures_refresh")
def figures_refresh_task(school_year: int | None = None, organisation_ids: list[int] | None = None) -> int:
    """Rebuild the summary rows (all organisations of the current school year by default); a rerun is harmless."""
    year = school_year if school_year is not None else school_year_of(timezone.localdate())
    return figures_refresh(school_year=year, organisations=organisation_ids)


def figures_refresh_on_commit(organisation_id: int, day: date) -> None:
    """Queue a refresh of one school's figures (the school year of ``day``) once the transaction commits.

    Registered in ``participants.services.questionnaires.QUESTIONNAIRE_HOOKS`` (``MonitoringConfig.ready``),
    so a school's growth, satisfaction and response rates include new links and answers right after they are stored,
    not at the next scheduled refresh. Queued once per transaction and school: an import of many
    answers refreshes the school once.
    """
    key = (organisation_id, school_year_of(day))
    connection = transaction.get_connection()
    if any(getattr(entry[1], "monitoring_refresh", None) == key for entry in connection.run_on_commit):
        return

    def queue() -> None:
        figures_refresh_task.delay(school_year=key[1], organisation_ids=[key[0]])

    queue.monitoring_refresh = key  # type: ignore[attr-defined]
    transaction.on_commit(queue)
