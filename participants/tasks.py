"""Celery tasks of participants: thin, taking ids; the link's state makes a rerun harmless."""

from __future__ import annotations

import smtplib

from celery import shared_task

from .services import questionnaire_links


@shared_task(
    name="participants.questionnaire_links_send",
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    max_retries=5,
)
def questionnaire_links_send_task(link_ids: list[int]) -> int:
    """The letters with personal links to a questionnaire (up to 200 a task); a retry skips those sent."""
    return questionnaire_links.questionnaire_links_send(link_ids=link_ids)
