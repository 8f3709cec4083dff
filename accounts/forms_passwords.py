"""The password reset form that queues its letter (``accounts.services.passwords``) instead of sending it."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib.auth.forms import PasswordResetForm
from django.db import transaction


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's form, whose letters go through Celery once the request commits: the answer takes as
    long for an address with an account as for one without."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        from .tasks import password_reset_send_task

        transaction.on_commit(
            partial(
                password_reset_send_task.delay,
                context["user"].pk,
                context["domain"],
                context["protocol"] == "https",
            )
        )
