"""The base of the ``import_<kind>`` management commands."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mentorship.errors import DomainError
from mentorship.models import User

from .services import SystemActor, import_file


class ImportCommand(BaseCommand):
    """``import_<kind> FILE [--org CODE] [--user LOGIN] [--dry-run]``: all or nothing, non-zero exit on any error."""

    kind: str
    #: the kind's service records who entered the data: the command must name a user
    needs_user: bool = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="файл .xlsx по шаблону")
        parser.add_argument("--org", default="", help="код организации для строк, где она не указана")
        parser.add_argument(
            "--user", default="", help="импортировать с правами этого пользователя (по умолчанию — без ограничений)"
        )
        parser.add_argument("--dry-run", action="store_true", help="только проверить, ничего не записывать")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Файл {path} не найден.")
        actor: Any = SystemActor()
        if self.needs_user and not options["user"]:
            raise CommandError("Укажите пользователя, от имени которого вносятся данные: --user ЛОГИН.")
        if options["user"]:
            actor = User.objects.filter(username=options["user"], is_active=True).first()
            if actor is None:
                raise CommandError(f"Пользователь {options['user']} не найден.")
        try:
            with path.open("rb") as handle:
                job, report = import_file(
                    kind=self.kind,
                    handle=handle,
                    file_name=path.name,
                    actor=actor,
                    organisation_code=options["org"],
                    commit=not options["dry_run"],
                )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        for message in report.errors:
            self.stderr.write(message)
        if report.error_count > len(report.errors):
            self.stderr.write(f"… и ещё ошибок: {report.error_count - len(report.errors)}.")
        if not report.ok:
            raise CommandError(f"Ничего не записано. {report.summary()}")
        prefix = "Проверка без записи. " if options["dry_run"] else ""
        self.stdout.write(f"{prefix}{report.summary()} Журнал импорта: № {job.pk}.")
