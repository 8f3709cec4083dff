"""The HTML rows built in Python: a 300-item roadmap table and a 300-school dashboard table.

    python bench/rows.py [--items 300] [--repeat 50]

No database: the items and the dashboard lines are built in memory as the selectors return them
(every item with a title, content, responsible parties, an expected result and one piece of
evidence; one in ten a section, one in four overdue). It times ``roadmaps.tables.roadmap_item_rows``
and ``monitoring.rendering.municipality_rows`` and reports the median and the best of ``--repeat``
runs, in milliseconds. Both build their markup with ``mentorship.html``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal

from directory import setup_django


def roadmap_items(count: int) -> list:
    from roadmaps.choices import ItemKind, ItemStatus
    from roadmaps.models import ItemEvidence, RoadmapItem

    items = []
    for n in range(count):
        section = n % 10 == 0
        item = RoadmapItem(
            pk=n + 1,
            kind=ItemKind.SECTION if section else ItemKind.ACTIVITY,
            number=f"{n // 10 + 1}.{n % 10}",
            title=f"Организация участия педагогов в мероприятиях «Наставник года» № {n}\nс отчётом",
            content="Проект положения\nСогласование с советом" if n % 2 else "",
            deadline_text="до 1 марта 2027 г.",
            deadline_due=date(2027, 3, 1),
            responsible_text="ГАУ ДПО ИРО РБ\nРуководители ОО",
            expected_result="Положение утверждено, информация размещена на сайте",
            document_type="приказ",
            inform_whom="ИРО" if n % 3 else "",
            status=ItemStatus.IN_PROGRESS if n % 5 else ItemStatus.NOT_STARTED,
        )
        item.is_overdue = not section and n % 4 == 0
        item.cascaded_count = 0
        item.evidence_list = [ItemEvidence(pk=n + 1, url="https://school.example.ru/news/1", description="Новость")]
        items.append(item)
    return items


def place_lines(count: int) -> list:
    from monitoring.dashboards import PlaceLine

    figures = {"students_count": 812, "students_involved": 240, "programmes": 3, "pairs": 41}
    return [
        PlaceLine(
            pk=n + 1,
            name=f"МОБУ СОШ № {n} с. Булгаково «Гимназия»",
            figures=figures,
            value=Decimal("29.6"),
            target=Decimal("35"),
            met=n % 2 == 0,
            teachers_share=Decimal("12.5"),
            report="accepted" if n % 3 else "",
            url=f"/monitoring/organisations/{n + 1}/",
        )
        for n in range(count)
    ]


def timed(action: Callable[[], object], repeat: int) -> tuple[float, float]:
    action()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), min(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    setup_django()
    from monitoring.rendering import municipality_rows
    from roadmaps.tables import roadmap_item_rows

    items, lines = roadmap_items(args.items), place_lines(args.items)
    cases = {
        "roadmap_item_rows": lambda: roadmap_item_rows(
            items, item_url="/roadmaps/items/", can_edit=True, can_progress=True, can_cascade=True
        ),
        "municipality_rows": lambda: municipality_rows(lines, suffix="?year=2026"),
    }
    print(f"{args.items} rows, {args.repeat} runs, ms")
    for name, action in cases.items():
        median, best = timed(action, args.repeat)
        print(f"{name:<20} median {median:7.2f}   best {best:7.2f}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
