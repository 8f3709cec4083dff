"""Helpers the participants' services share: field checks, dates, visibility, locks."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from mentorship import access
from mentorship.errors import DomainError
from participants.models import Person

STUDENT_BIRTH_DATE_REQUIRED = "Укажите дату рождения обучающегося: по ней определяется, кто подписывает согласие."


def _today() -> date:
    return timezone.localdate()


def _check_fields(data: dict[str, Any], allowed: frozenset[str]) -> None:
    if unknown := set(data) - allowed:
        raise ValueError(f"Fields that cannot be set here: {sorted(unknown)}")


def _d(day: date) -> str:
    return f"{day:%d.%m.%Y}"


def _ensure_not_future(day: date | None, what: str, field: str | None = None) -> None:
    if day is not None and day > _today():
        raise DomainError(f"{what} {_d(day)} ещё не наступила.", field=field)


def _ensure_visible(actor: Any, obj: Any, message: str) -> None:
    """A record chosen in a form must be one the actor sees; otherwise the form says so, revealing nothing."""
    if obj is not None and not access.can(actor, obj, "view"):
        raise DomainError(message)


def _ensure_not_anonymised(person: Person) -> None:
    if person.anonymised_at is not None:
        raise DomainError(
            "Участник отозвал согласие на обработку персональных данных: его данные скрыты и больше не изменяются."
        )


def _lock(model: type[Any], obj: Any) -> Any:
    return model.objects.select_for_update().get(pk=obj.pk)
