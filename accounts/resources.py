"""The accounts app's .xlsx exports (``mentorship.exports``): the security event log's filtered rows."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from mentorship.exports import ListExport, register_export

from .views.security import SecurityEventListView


@register_export
class SecurityEventsExport(ListExport):
    """«Журнал безопасности» as the page filters it; names and addresses of people, so itself recorded."""

    key = "security-events"
    title = "Журнал безопасности"
    list_view = SecurityEventListView

    def headers(self) -> list[str]:
        return [
            "Когда",
            "Событие",
            "Кто",
            "Чья учётная запись",
            "Введённое имя пользователя",
            "IP-адрес",
            "Регион",
            "Подробности",
            "Сколько человек",
        ]

    def rows(self, queryset: Any) -> Any:
        for event in queryset.iterator(chunk_size=self.chunk_size):
            yield [
                # Excel keeps no time zone: the local time, as on the page.
                timezone.localtime(event.at),
                event.get_kind_display(),
                event.actor_name,
                event.subject_name,
                event.username,
                event.ip or "",
                event.region.name if event.region_id else "",
                event.what,
                event.people,
            ]
