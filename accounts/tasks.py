"""Celery tasks of the accounts app: thin, taking ids; the invitation's state makes a rerun harmless."""

from __future__ import annotations

import smtplib

from celery import shared_task

from . import throttling
from .services import invitations, passwords


@shared_task(
    name="accounts.invitations_send",
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    max_retries=5,
)
def invitations_send_task(invitation_ids: list[int]) -> int:
    """The letters of these invitations (one from a form, up to 500 from an import); a retry skips those sent."""
    return invitations.invitations_send(invitation_ids=invitation_ids)


@shared_task(
    name="accounts.password_reset_send",
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=30,
    max_retries=5,
)
def password_reset_send_task(user_id: int, domain: str, use_https: bool) -> bool:
    """The password reset letter of one account (queued by the reset form, after its request commits)."""
    return passwords.password_reset_letter_send(user_id=user_id, domain=domain, use_https=use_https)


@shared_task(name="accounts.login_records_prune")
def login_records_prune_task() -> int:
    """Daily: axes' attempts past the cool-off and its logs past LOGIN_RECORDS_DAYS (idempotent)."""
    return throttling.login_records_prune()
