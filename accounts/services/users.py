"""Switching a user's account off and on again (delegated administration, issue 15).

An account is never deleted: the person's history, orders and roadmap items stay theirs. Switched
off, they can no longer log in, and their open sessions are deleted (``accounts.sessions``) once the
switch commits; even before that, Django's ``ModelBackend`` refuses an inactive user on every
request (``get_user``).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from mentorship import access, security
from mentorship.choices import SecurityEventKind
from mentorship.errors import DomainError
from mentorship.models import User

from ..sessions import end_sessions


def user_ensure_may_switch(actor: Any, user: User) -> None:
    """Refuse unless ``actor`` may switch ``user``'s account off or on (``access.may_deactivate``)."""
    if user.pk == getattr(actor, "pk", None):
        raise PermissionDenied("Свою учётную запись отключить нельзя.")
    if not access.may_deactivate(actor, user):
        raise PermissionDenied(
            "Отключить учётную запись может только тот, кто вправе снять каждую роль этого пользователя."
        )


def _switch(*, actor: Any, user: User, active: bool, request: Any) -> User:
    user_ensure_may_switch(actor, user)
    fresh = User.objects.select_for_update().get(pk=user.pk)
    if fresh.is_active == active:
        raise DomainError("Учётная запись уже включена." if active else "Учётная запись уже отключена.")
    fresh.is_active = active
    fresh.full_clean()
    fresh._history_user = actor
    fresh._change_reason = "Учётная запись включена" if active else "Учётная запись отключена"
    fresh.save(update_fields=["is_active"])
    if not active:
        transaction.on_commit(lambda: end_sessions(fresh))
    security.record(
        SecurityEventKind.USER_ACTIVATED if active else SecurityEventKind.USER_DEACTIVATED,
        actor=actor,
        subject=fresh,
        request=request,
    )
    return fresh


@transaction.atomic
def user_deactivate(*, actor: Any, user: User, request: Any = None) -> User:
    """«Отключить учётную запись»: the user can no longer log in; nothing of theirs is deleted."""
    return _switch(actor=actor, user=user, active=False, request=request)


@transaction.atomic
def user_activate(*, actor: Any, user: User, request: Any = None) -> User:
    """«Включить снова»: the account that was switched off works again, with the roles it kept."""
    return _switch(actor=actor, user=user, active=True, request=request)


def users_ensure_administrator(actor: Any) -> None:
    """Refuse the «Пользователи» pages to anyone who may grant no role anywhere."""
    if not access.may_administer_users(actor):
        raise PermissionDenied("Пользователями управляют те, кто вправе назначать роли.")
