"""``manage.py send_reminders [--date YYYY-MM-DD]``: the reminder job, for cron and for tests."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.utils import timezone

from notifications import services


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Дата «{value}» не распознана: укажите её как ГГГГ-ММ-ДД, например 2026-11-23.") from None


class Command(BaseCommand):
    help = "Записывает напоминания на день, показывает их на портале и рассылает письма со сводкой."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date", type=str, help="День, на который искать сроки (ГГГГ-ММ-ДД); по умолчанию сегодня."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        day = _day(options["date"]) if options["date"] else timezone.localdate()
        try:
            result = services.reminders_run(day=day)
        except services.BrokerUnavailable as error:
            raise CommandError(str(error)) from error
        except DatabaseError as error:
            raise CommandError(f"Напоминания не записаны: ошибка базы данных ({error}).") from error
        self.stdout.write(result.summary())
        if result.digests_failed:
            raise CommandError(
                f"Не удалось отправить писем: {result.digests_failed}. Ошибки видны администраторам "
                "в разделе «Напоминания»; отправка повторится при следующем запуске."
            )
