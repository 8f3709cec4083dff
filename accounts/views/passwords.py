"""Django's password change and reset pages, recording each success in the security event log.

Django sends no signal when a password is changed or reset, so the two views that do it record it
themselves, before Django's own ``form_valid`` saves the password (and, for a change, keeps the
session). The row is written in the same request; a form that does not validate records nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpResponse

from mentorship import security
from mentorship.choices import SecurityEventKind

from ..forms_passwords import QueuedPasswordResetForm


class PasswordChangeView(auth_views.PasswordChangeView):
    """«Смена пароля» by the account's owner (logged in, knowing the old password)."""

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.user
        security.record(
            SecurityEventKind.PASSWORD_CHANGED,
            actor=user,
            subject=user,
            username=user.get_username(),
            request=self.request,
        )
        return super().form_valid(form)


class PasswordResetView(auth_views.PasswordResetView):
    """«Забыли пароль?»: the same answer for every address; the letter, if any, leaves through Celery."""

    form_class = QueuedPasswordResetForm


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """A new password set from the e-mailed reset link: nobody is logged in, the account is the link's."""

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.user
        security.record(
            SecurityEventKind.PASSWORD_RESET, subject=user, username=user.get_username(), request=self.request
        )
        return super().form_valid(form)
