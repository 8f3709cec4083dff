"""``manage.py refresh_monitoring``: rebuild monitoring's summary figures from the records."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from mentorship.models import Organisation
from monitoring.services import figures_refresh
from participants.models import school_year_of


class Command(BaseCommand):
    help = "Пересчитывает сводные показатели мониторинга за учебный год (по умолчанию — текущий)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--year", type=int, help="Учебный год по году начала, например 2026 (2026/2027).")
        parser.add_argument("--region", help="Код региона: пересчитать только его организации.")

    def handle(self, *args: Any, **options: Any) -> None:
        year = options["year"] or school_year_of(timezone.localdate())
        if not 2019 <= year <= 2100:
            raise CommandError("Учебный год — от 2019 до 2100.")
        organisations = None
        if options["region"]:
            organisations = list(
                Organisation.objects.filter(municipality__region__code=options["region"]).values_list("pk", flat=True)
            )
            if not organisations:
                raise CommandError(f"В регионе с кодом «{options['region']}» нет организаций.")
        started = time.perf_counter()
        count = figures_refresh(school_year=year, organisations=organisations)
        self.stdout.write(
            self.style.SUCCESS(
                f"Показатели за {year}/{year + 1} учебный год пересчитаны: организаций {count} "
                f"({time.perf_counter() - started:.1f} с)."
            )
        )
