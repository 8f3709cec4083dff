"""``manage.py import_roadmap FILE --org CODE [--dry-run]``: a Word or Excel roadmap into the portal."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mentorship import access
from mentorship.errors import DomainError
from mentorship.models import Municipality, Organisation, Region, User
from roadmaps import services
from roadmaps.importing import Severity, parse_roadmap_file

SEVERITY_LABELS = {Severity.ERROR: "Ошибка", Severity.WARNING: "Предупреждение"}


def _day(value: str) -> date:
    try:
        return datetime.strptime(value, "%d.%m.%Y").date()
    except ValueError as exc:
        raise CommandError(f"Дата «{value}» не в формате ДД.ММ.ГГГГ.") from exc


class Command(BaseCommand):
    help = (
        "Загружает дорожную карту из файла Word (.docx) или Excel (.xlsx). С --dry-run печатает по одному "
        "JSON-объекту на пункт и ничего не записывает."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="Файл .docx или .xlsx.")
        place = parser.add_mutually_exclusive_group(required=True)
        place.add_argument("--org", help="Код образовательной организации.")
        place.add_argument("--municipality", help="Код муниципалитета.")
        place.add_argument("--region", help="Код региона.")
        parser.add_argument("--dry-run", action="store_true", help="Только показать разобранные пункты.")
        parser.add_argument("--title", default="", help="Наименование (по умолчанию — из файла).")
        parser.add_argument("--period-start", type=_day, help="Начало периода, ДД.ММ.ГГГГ.")
        parser.add_argument("--period-end", type=_day, help="Окончание периода, ДД.ММ.ГГГГ.")
        parser.add_argument(
            "--user", help="От чьего имени загружать (логин); по умолчанию — первый администратор портала."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        place = self._place(options)
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"Файл не найден: {path}")
        with path.open("rb") as stream:
            parsed = parse_roadmap_file(
                stream, filename=path.name, period_start=options["period_start"], period_end=options["period_end"]
            )
        for problem in parsed.problems:
            self.stderr.write(f"{SEVERITY_LABELS[problem.severity]}: {problem}")
        if options["dry_run"]:
            for item in parsed.items:
                self.stdout.write(json.dumps(item.as_dict(), ensure_ascii=False, default=str))
            if not parsed.ok:
                raise CommandError("Файл не может быть загружен: исправьте ошибки выше.")
            return
        try:
            with access.refusal_as(CommandError):
                roadmap = services.roadmap_import(
                    actor=self._actor(options["user"]),
                    place=place,
                    parsed=parsed,
                    title=options["title"],
                    period_start=options["period_start"],
                    period_end=options["period_end"],
                )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        count = roadmap.items.count()
        message = f"Загружена дорожная карта «{roadmap}» ({count} пунктов), № {roadmap.pk}."
        self.stdout.write(self.style.SUCCESS(message))

    def _place(self, options: dict[str, Any]) -> Region | Municipality | Organisation:
        for option, model in (("org", Organisation), ("municipality", Municipality), ("region", Region)):
            code = options[option]
            if code:
                place = model.objects.filter(code=code).first()
                if place is None:
                    raise CommandError(f"Не найдено: {model._meta.verbose_name} с кодом «{code}».")
                return place
        raise CommandError("Укажите --org, --municipality или --region.")

    def _actor(self, username: str | None) -> User:
        users = User.objects.filter(is_active=True)
        actor = users.filter(username=username).first() if username else users.filter(is_superuser=True).first()
        if actor is None:
            raise CommandError(f"Пользователь «{username}» не найден." if username else "Нет ни одного администратора.")
        return actor
