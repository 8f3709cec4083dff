"""``manage.py generate_scale``: one large synthetic region for benchmarks.

The steps are those of ``demodata.scale``, by noun (see ``demodata.scale.directory`` for the
rules every step keeps), run in the order of ``ALL_STEPS``, each in its own transaction.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, transaction

from demodata.scale import directory, monitoring, participants
from demodata.scale.directory import ScaleContext, ScaleSpec, Step, StepResult
from mentorship.models import Organisation

# Every step in the order it runs: the directory and the personas, which every other step builds on,
# then the participants' (people, programmes, pairs), then monitoring's (its figures are computed
# from the generated people and pairs).
ALL_STEPS: list[tuple[str, str, Step]] = [*directory.STEPS, *participants.STEPS, *monitoring.STEPS]


def scale_generate(
    *,
    spec: ScaleSpec,
    steps: Sequence[tuple[str, str, Step]] | None = None,
    on_step: Callable[[StepResult], None] | None = None,
) -> tuple[ScaleContext, list[StepResult]]:
    """Run ``steps`` (by default ``ALL_STEPS``) in order, each in its own transaction.

    Returns the context and per-step results.
    """
    if spec.municipalities < 1 or spec.organisations < 1:
        raise CommandError("Нужен хотя бы один муниципалитет и одна организация.")
    steps = ALL_STEPS if steps is None else steps
    ctx = ScaleContext(spec=spec)
    results = []
    for _, label, step in steps:
        started = time.perf_counter()
        with transaction.atomic():
            created, existing = step(ctx)
        result = StepResult(name=label, created=created, existing=existing, seconds=time.perf_counter() - started)
        results.append(result)
        if on_step is not None:
            on_step(result)
    if connection.vendor == "postgresql" and any(result.created for result in results):
        # Fresh statistics: right after a bulk load the planner still thinks the tables are
        # empty and picks plans that take seconds on the benchmark pages.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return ctx, results


class Command(BaseCommand):
    help = (
        "Создаёт большой условный регион для нагрузочного тестирования (муниципалитеты, организации, "
        "пользователи bench_* и данные приложений: участники, программы, пары); повторный запуск с теми же "
        "параметрами ничего не добавляет."
    )

    def add_arguments(self, parser: Any) -> None:
        defaults = ScaleSpec()
        parser.add_argument(
            "--municipalities", type=int, default=defaults.municipalities, help="Число муниципалитетов."
        )
        parser.add_argument("--organisations", type=int, default=defaults.organisations, help="Число организаций.")
        parser.add_argument("--region-code", default=defaults.region_code, help="Код региона (по умолчанию SCALE).")
        parser.add_argument("--seed", type=int, default=defaults.seed, help="Зерно генератора случайных чисел.")

    def handle(self, *args: Any, **options: Any) -> None:
        spec = ScaleSpec(
            region_code=options["region_code"],
            municipalities=options["municipalities"],
            organisations=options["organisations"],
            seed=options["seed"],
        )

        def report(result: StepResult) -> None:
            self.stdout.write(
                f"  {result.name}: создано {result.created}, уже было {result.existing} ({result.seconds:.2f} с)"
            )

        self.stdout.write(
            f"{spec.region_name}: муниципалитетов {spec.municipalities}, организаций {spec.organisations}"
        )
        ctx, _ = scale_generate(spec=spec, on_step=report)
        totals = Organisation.objects.filter(municipality__region=ctx.region).aggregate(
            students=models.Sum("students_count"), teachers=models.Sum("teachers_count")
        )
        students, teachers = (_thousands(totals[key] or 0) for key in ("students", "teachers"))
        self.stdout.write(self.style.SUCCESS(f"Готово: обучающихся {students}, педагогов {teachers}."))


def _thousands(number: int) -> str:
    """«500 003», with a no-break space as Russian typography groups digits."""
    return f"{number:,}".replace(",", "\u00a0")
