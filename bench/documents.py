"""PDF documents: time and peak memory of rendering, each document in a fresh process.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mentorship_bench_documents python bench/documents.py

Builds its own data once in its own database (``--rebuild`` starts over): one school with a
director and a curator, 500 pairs «учитель – ученик» (1 000 people, bulk inserts) and a roadmap of
67 items as in seed 000. Then, for each document, a child process (``--measure KIND``) renders it
``--repeat`` times and reports the first render (cold: WeasyPrint and the fonts load) and the
median of the others (warm: the process's ``FontConfiguration`` reused), the pages, and the
process's peak RSS (``resource.getrusage``). The documents:

* ``order``: a one-page order «О назначении куратора …» of the school;
* ``pairs``: the order «Об утверждении наставнических пар/групп» with its 500-pair appendix;
* ``roadmap``: the roadmap as a landscape table.

The figures go to stdout and to ``bench/results/documents.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from directory import RESULTS_DIR, ROOT, ensure_postgres_database, setup_django

sys.path.insert(0, str(ROOT))
import participants  # noqa: F401  (the app, not bench/participants.py)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/mentorship_bench_documents"
SCHOOL_CODE = "BENCH-DOCS"
PAIRS = 500
ROADMAP_ITEMS = 67
DOCUMENTS = ("order", "pairs", "roadmap")
LIMITS = {"order": 0.3, "pairs": 10.0}
RSS_LIMIT_MB = 300


def build(rebuild: bool) -> None:
    from django.db import transaction

    from mentorship.choices import Role
    from mentorship.models import Municipality, Organisation, Region, RoleAssignment, User
    from participants.choices import BaseRole, MentorshipForm, PairStatus, PersonKind
    from participants.models import Pair, PairMember, Person, Programme
    from roadmaps.choices import ItemKind
    from roadmaps.models import Roadmap, RoadmapItem, number_sort_key

    existing = Organisation.objects.filter(code=SCHOOL_CODE).first()
    if existing and not rebuild:
        return
    with transaction.atomic():
        if existing:
            from reports.models import Order

            Order.objects.filter(organisation=existing).delete()
            PairMember.objects.filter(pair__organisation=existing).delete()
            Pair.objects.filter(organisation=existing).delete()
            Programme.objects.filter(organisation=existing).delete()
            Person.objects.filter(organisation=existing).delete()
            RoadmapItem.objects.filter(roadmap__organisation=existing).delete()
            Roadmap.objects.filter(organisation=existing).delete()
        region, _ = Region.objects.get_or_create(code="BENCH-DOCS-R", defaults={"name": "Замерный край"})
        municipality, _ = Municipality.objects.get_or_create(
            code="BENCH-DOCS-M", defaults={"region": region, "name": "Замерный район"}
        )
        school, _ = Organisation.objects.get_or_create(
            code=SCHOOL_CODE,
            defaults={
                "municipality": municipality,
                "short_name": "МКОУ «Замерная СОШ»",
                "full_name": "Муниципальное казённое общеобразовательное учреждение «Замерная средняя "
                "общеобразовательная школа»",
                "students_count": 1500,
                "teachers_count": 120,
            },
        )
        for username, role, names in (
            ("bench_docs_director", Role.DIRECTOR, ("Максименко", "Сергей", "Геннадьевич")),
            ("bench_docs_curator", Role.CURATOR, ("Ахмедова", "Зарема", "Руслановна")),
        ):
            user, _ = User.objects.get_or_create(
                username=username,
                defaults={"last_name": names[0], "first_name": names[1], "patronymic": names[2], "position": ""},
            )
            RoleAssignment.objects.get_or_create(user=user, role=role, organisation=school)
        programme = Programme.objects.create(
            organisation=school,
            title="Учитель – ученик: «Шаг к успеху»",
            form=MentorshipForm.TEACHER_STUDENT,
            goals="Повышение образовательных результатов",
            school_year=2026,
        )
        mentors = Person.objects.bulk_create(
            Person(
                organisation=school,
                kind=PersonKind.TEACHER,
                surname=f"Наставникова{i}",
                name="Анна",
                patronymic="Петровна",
                birth_date=date(1980, 1, 1),
                position="учитель математики",
            )
            for i in range(PAIRS)
        )
        mentees = Person.objects.bulk_create(
            Person(
                organisation=school,
                kind=PersonKind.STUDENT,
                surname=f"Ученикова{i}",
                name="Мария",
                patronymic="Ивановна",
                birth_date=date(2011, 1, 1),
                class_name=f"{5 + i % 7}А",
            )
            for i in range(PAIRS)
        )
        pairs = Pair.objects.bulk_create(
            Pair(
                organisation=school,
                programme=programme,
                form=MentorshipForm.TEACHER_STUDENT,
                school_year=2026,
                status=PairStatus.ACTIVE,
                started_on=date(2026, 10, 1),
                planned_end=date(2027, 5, 31),
            )
            for _ in range(PAIRS)
        )
        PairMember.objects.bulk_create(
            [
                PairMember(pair=pair, person=person, programme=programme, role=role, joined_on=date(2026, 10, 1))
                for pair, mentor, mentee in zip(pairs, mentors, mentees, strict=True)
                for person, role in ((mentor, BaseRole.MENTOR), (mentee, BaseRole.MENTEE))
            ]
        )
        roadmap = Roadmap.objects.create(
            organisation=school,
            title="План мероприятий (дорожная карта) по внедрению целевой модели наставничества",
            period_start=date(2026, 9, 1),
            period_end=date(2027, 8, 31),
        )
        items = []
        for i in range(ROADMAP_ITEMS):
            section, number = divmod(i, 10)
            label = f"{section + 1}." if number == 0 else f"{section + 1}.{number}."
            items.append(
                RoadmapItem(
                    roadmap=roadmap,
                    kind=ItemKind.SECTION if number == 0 else ItemKind.ACTIVITY,
                    number=label,
                    sort_key=number_sort_key(label),
                    title="Формирование баз наставников и наставляемых на уровне образовательной организации "
                    f"(мероприятие {label})",
                    deadline_text="до 15.03.2027 г.",
                    responsible_text="Руководители ОО, кураторы внедрения ЦМН в ОО",
                    expected_result="Сформирована база наставников",
                    document_type="Приказ ОО",
                )
            )
        RoadmapItem.objects.bulk_create(items)
    print(f"Данные построены: {PAIRS} пар, {ROADMAP_ITEMS} пунктов дорожной карты.", file=sys.stderr)


def measure(kind: str, repeat: int) -> dict:
    """Render one document ``repeat`` times in this process; the first render is the cold one."""
    from mentorship.models import Organisation, User
    from reports import services
    from reports.choices import OrderKind
    from reports.documents import roadmap_render
    from reports.models import Order
    from roadmaps.models import Roadmap

    school = Organisation.objects.get(code=SCHOOL_CODE)
    curator = User.objects.get(username="bench_docs_curator")
    if kind == "roadmap":
        roadmap = Roadmap.objects.get(organisation=school)

        def render():
            return roadmap_render(user=curator, roadmap_id=roadmap.pk)

    else:
        order_kind = OrderKind.PAIRS if kind == "pairs" else OrderKind.CURATOR
        # Reading the data and building the appendix is part of the cost of a new draft: timed separately.
        started = time.perf_counter()
        order = services.order_create(
            actor=curator, organisation=school, kind=order_kind, date=date(2026, 11, 20), school_year=2026
        )
        build_seconds = time.perf_counter() - started
        Order.objects.filter(pk=order.pk).delete()

        def render():
            return services.order_render(order)

    samples, cpu = [], []
    pages = 0
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        pdf = render()
        samples.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        pages = pdf.pages
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "document": kind,
        "pages": pages,
        "bytes": len(pdf.content),
        "cold_s": round(samples[0], 3),
        "warm_median_s": round(statistics.median(samples[1:]), 3) if len(samples) > 1 else None,
        "warm_max_s": round(max(samples[1:]), 3) if len(samples) > 1 else None,
        # CPU time of the process: what the render costs when the machine's cores are not shared.
        "warm_cpu_median_s": round(statistics.median(cpu[1:]), 3) if len(cpu) > 1 else None,
        "draft_build_s": round(build_seconds, 3) if kind != "roadmap" else None,
        "peak_rss_mb": round(peak_mb, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Замер формирования PDF-документов.")
    parser.add_argument("--repeat", type=int, default=5, help="повторов каждого документа (5)")
    parser.add_argument("--rebuild", action="store_true", help="построить данные заново")
    parser.add_argument("--measure", choices=DOCUMENTS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    import logging

    logging.disable(logging.INFO)  # WeasyPrint's progress log is not what is measured
    if args.measure:
        setup_django()
        print(json.dumps(measure(args.measure, args.repeat)))
        return 0

    ensure_postgres_database(os.environ["DATABASE_URL"])
    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    build(args.rebuild)

    results = []
    for kind in DOCUMENTS:
        command = [sys.executable, str(Path(__file__).resolve()), "--measure", kind, "--repeat", str(args.repeat)]
        print("$", " ".join(command), file=sys.stderr)
        # The command is this script with fixed arguments: nothing in it comes from outside.
        output = subprocess.run(command, check=True, capture_output=True, text=True, env=os.environ).stdout  # noqa: S603
        results.append(json.loads(output.strip().splitlines()[-1]))

    print(
        f"{'документ':<10} {'стр.':>5} {'холодный, с':>12} {'тёплый мед., с':>15} {'тёплый макс., с':>16} "
        f"{'ЦП тёплый, с':>13} {'сборка проекта, с':>18} {'пик RSS, МБ':>12}"
    )
    for r in results:
        print(
            f"{r['document']:<10} {r['pages']:>5} {r['cold_s']:>12} {r['warm_median_s']!s:>15} {r['warm_max_s']!s:>16} "
            f"{r['warm_cpu_median_s']!s:>13} {r['draft_build_s']!s:>18} {r['peak_rss_mb']:>12}"
        )
    print(f"нагрузка машины (loadavg за 1 мин): {os.getloadavg()[0]:.2f} на {os.cpu_count()} ядр.")
    verdicts = []
    for r in results:
        limit = LIMITS.get(r["document"])
        if limit is not None:
            verdicts.append(f"{r['document']}: тёплый {r['warm_median_s']} с (предел {limit} с)")
        verdicts.append(f"{r['document']}: пик памяти {r['peak_rss_mb']} МБ (предел {RSS_LIMIT_MB} МБ)")
    print("\n".join(verdicts))
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    (RESULTS_DIR / "documents.json").write_text(json.dumps(results, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
