"""Celery tasks of participants: thin, taking ids, queued once the transaction commits; the records' state
makes a rerun harmless."""

from __future__ import annotations

import smtplib

from celery import shared_task

from .services import accounts, questionnaire_links


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


@shared_task(
    name="participants.access_letter_send",
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    max_retries=5,
)
def access_letter_send_task(user_id: int, person_id: int, parent: bool) -> bool:
    """The letter «Вам открыт доступ к порталу наставничества» with the link to set a password."""
    return accounts.access_letter_send(user_id=user_id, person_id=person_id, parent=parent)
