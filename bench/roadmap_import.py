"""Roadmap benchmarks at the size the issue names: a 300-item roadmap.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mentorship_bench python bench/roadmap_import.py

Measures, on the large region of ``generate_scale``:
- parsing a generated 300-item Word file (``parse_roadmap_file``);
- importing it (``services.roadmap_import``: every item through the item service), each run
  rolled back so the database stays as it was;
- rendering the roadmap table page of a 300-item roadmap for its owner: server time and queries
  (the roadmap is imported once and kept, under a title of its own).
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from datetime import date

from directory import RESULTS_DIR, database_url, ensure_postgres_database, percentile, setup_django

ITEMS = 300
SECTION_EVERY = 20


def build_docx(items: int) -> bytes:
    """A roadmap like seed 000: numbered sections, activities with multi-line cells and real deadline phrases."""
    import docx

    deadlines = ["До 15.03.2021г.", "март-апрель", "Декабрь 2021 г.", "ежеквартально", "В течение всего периода"]
    document = docx.Document()
    document.add_paragraph("План мероприятий (дорожная карта) по внедрению целевой модели наставничества на 2021 год")
    table = document.add_table(rows=1, cols=5)
    for cell, header in zip(
        table.rows[0].cells,
        ["№ п/п", "Наименование мероприятия", "Сроки", "Ответственный исполнитель", "Результат. Вид документа"],
        strict=True,
    ):
        cell.text = header
    section = 0
    for n in range(items):
        if n % SECTION_EVERY == 0:
            section += 1
            row = table.add_row().cells
            row[0].text, row[1].text = f"{section}.", f"Раздел {section}: организационные мероприятия"
            continue
        row = table.add_row().cells
        row[0].text = f"{section}.{n % SECTION_EVERY}."
        row[1].text = f"Мероприятие {n}\n- первое действие;\n- второе действие."
        row[2].text = deadlines[n % len(deadlines)]
        row[3].text = "Руководители ОО, кураторы внедрения ЦМН"
        row[4].text = "Приказ УО"
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


def timed(action, repeat: int) -> tuple[float, float, object]:
    samples, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = action()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), percentile(samples, 0.95), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    url = database_url()
    if url.startswith(("postgres://", "postgresql://")):
        ensure_postgres_database(url)
    setup_django()

    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from demodata.management.commands.generate_scale import scale_generate
    from demodata.scale.directory import ScaleSpec
    from mentorship.models import Municipality, User
    from roadmaps import services
    from roadmaps.importing import parse_roadmap_file
    from roadmaps.models import Roadmap

    call_command("migrate", interactive=False, verbosity=0)
    spec = ScaleSpec(region_code="SCALE", municipalities=60, organisations=1500, seed=1)
    scale_generate(spec=spec)
    officer = User.objects.get(username=spec.username("bench_muni"))
    municipality = Municipality.objects.get(role_assignments__user=officer)
    period = {"period_start": date(2021, 1, 1), "period_end": date(2021, 12, 31)}

    data = build_docx(ITEMS)
    parse_median, parse_p95, parsed = timed(
        lambda: parse_roadmap_file(io.BytesIO(data), filename="карта.docx", **period), args.repeat
    )
    if not parsed.ok:
        print("\n".join(str(p) for p in parsed.errors), file=sys.stderr)
        return 1

    def import_rolled_back() -> int:
        with transaction.atomic():
            roadmap = services.roadmap_import(actor=officer, place=municipality, parsed=parsed, **period)
            count = roadmap.items.count()
            transaction.set_rollback(True)
        return count

    import_median, import_p95, count = timed(import_rolled_back, args.repeat)

    # The table page of a kept 300-item roadmap, for its owner, as the browser asks for it.
    title = "Бенчмарк: дорожная карта на 300 пунктов"
    roadmap = Roadmap.objects.filter(municipality=municipality, title=title).first()
    if roadmap is None:
        roadmap = services.roadmap_import(actor=officer, place=municipality, parsed=parsed, title=title, **period)
    client = Client()
    client.force_login(officer)
    url = reverse("roadmaps:detail", args=[roadmap.pk])
    client.get(url)  # warm-up: template compilation, content types
    with CaptureQueriesContext(connection) as captured:
        status = client.get(url).status_code
    # Read now: the next request's ``request_started`` signal empties the query log.
    query_count = len(captured.captured_queries)
    page_median, page_p95, _ = timed(lambda: client.get(url), max(args.repeat, 10))

    print(f"\n{len(data) // 1024} KiB .docx, {len(parsed.items)} items parsed, {count} items written per import")
    print(f"{'step':<48} {'median ms':>10} {'p95 ms':>9}")
    print(f"{'parse_roadmap_file (300 items)':<48} {parse_median:>10.1f} {parse_p95:>9.1f}")
    print(f"{'roadmap_import (300 items, rolled back)':<48} {import_median:>10.1f} {import_p95:>9.1f}")
    print(f"{'parse + import':<48} {parse_median + import_median:>10.1f}")
    label = f"table page, 300 items ({status}, {query_count} queries)"
    print(f"{label:<48} {page_median:>10.1f} {page_p95:>9.1f}")
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
