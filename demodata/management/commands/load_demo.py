"""``manage.py load_demo``: the demonstration hierarchy, one user per role, and the apps' demo data.

First the directory and the personas from ``fixtures/demo.json``
(``demodata.demo.directory``), then the apps' loaders in the order of ``LOADERS``, all in
one transaction. Every part is idempotent, so a second run writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demodata.demo import DemoReport, monitoring, participants, reports, roadmaps
from demodata.demo.directory import DEMO_FIXTURE, LoadReport, demo_load
from mentorship.errors import DomainError

# The apps' loaders in the order they run, later ones building on earlier ones: the seed roadmaps,
# the participants, monitoring (its figures count the participants and pairs), then the orders
# (tied to the school roadmap's items; the order on pairs lists the pairs).
LOADERS: tuple[Callable[[], DemoReport], ...] = (
    roadmaps.seed_roadmaps_load,
    participants.participants_demo_load,
    monitoring.monitoring_demo_load,
    reports.reports_demo_load,
)


@transaction.atomic
def demo_load_all(*, path: Path = DEMO_FIXTURE) -> tuple[LoadReport, list[DemoReport]]:
    """The hierarchy and personas from ``path``, then every app's demo data (``LOADERS``); all or nothing."""
    report = demo_load(path=path)
    try:
        return report, [load() for load in LOADERS]
    except DomainError as exc:
        raise CommandError(f"Демонстрационные данные не загружены: {exc}") from exc


class Command(BaseCommand):
    help = (
        "Загружает демонстрационные данные (регионы, организации, пользователи по ролям, "
        "дорожные карты из образцов); повторный запуск ничего не меняет."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--fixture", default=str(DEMO_FIXTURE), help="Файл с данными (по умолчанию fixtures/demo.json)."
        )

    def handle(self, *args: Any, fixture: str, **options: Any) -> None:
        report, app_reports = demo_load_all(path=Path(fixture))
        if options["verbosity"] > 0:
            self.stdout.write(self.style.SUCCESS(f"Демонстрационные данные загружены из {fixture}:"))
            self.stdout.write(report.format())
            for app_report in app_reports:
                self.stdout.write(app_report.format())
