"""The accounts app's .xlsx exports (``mentorship.exports``): «Пользователи» and the security event log."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from mentorship.exports import ListExport, register_export
from mentorship.views.generic import enforce

from . import selectors
from .services.users import users_ensure_administrator
from .views.security import SecurityEventListView
from .views.users import UserListView


@register_export
class UsersExport(ListExport):
    """The users the viewer administers, with the roles the viewer sees (read per chunk, one query each)."""

    key = "users"
    title = "Пользователи"
    list_view = UserListView

    def queryset(self) -> Any:
        view = self.list_view()
        view.setup(self.request)
        # The page's own guard: only those who administer users get its rows.
        enforce(users_ensure_administrator, self.user)
        return view.get_queryset()

    def headers(self) -> list[str]:
        return ["ФИО", "Логин", "E-mail", "Должность", "Телефон", "Роли", "Последний вход", "Учётная запись"]

    def rows(self, queryset: Any) -> Any:
        chunk: list[Any] = []
        for user in queryset.iterator(chunk_size=self.chunk_size):
            chunk.append(user)
            if len(chunk) == self.chunk_size:
                yield from self._rows(chunk)
                chunk = []
        yield from self._rows(chunk)

    def _rows(self, users: list[Any]) -> Any:
        if not users:
            return
        roles = selectors.roles_of(viewer=self.user, user_ids=[u.pk for u in users])
        for user in users:
            yield [
                user.get_full_name(),
                user.username,
                user.email,
                user.position,
                user.phone,
                "\n".join(f"{a.get_role_display()} — {a.place_label}" for a in roles.get(user.pk, [])),
                timezone.localtime(user.last_login).strftime("%d.%m.%Y %H:%M") if user.last_login else "ещё не входил",
                "действует" if user.is_active else "отключена",
            ]


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
