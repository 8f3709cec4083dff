#!/usr/bin/env python
"""Benchmark of the Excel import of people: the tuned engine against django-import-export's defaults.

On its own database (``mentorship_bench_imports`` unless ``DATABASE_URL`` names another), with
a small directory of ``--organisations`` schools, it

1. writes a ``--rows``-row people .xlsx (openpyxl ``write_only``);
2. imports it with the tuned engine (``mentorship.imports.engine.run``: validation of every row,
   then one transaction of bulk inserts with their history rows), timing it and sampling the
   process's resident memory;
3. re-imports a copy with 10 % of the rows changed (bulk update of those, the rest unchanged);
4. runs ``PersonResource().import_data`` with the library's defaults (row by row, an instance
   look-up and a foreign-key look-up per row, ``save()`` per row) on the first
   ``--default-rows`` rows of the same file into empty schools, and compares rows per second;
5. (case ``users``) imports ``--users`` rows of «Пользователи и роли» (ФИО, e-mail, role, place code)
   as the municipal officer of the first district, every row checked against the grant table, into
   invitations whose letters are queued after the commit (published to an in-memory broker, as a
   production run publishes them to Redis); then sends those letters as a worker would, timed apart.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mentorship_bench_imports python bench/imports.py
    DATABASE_URL=... python bench/imports.py --cases users [--users 10000]

Prints the figures and writes JSON to ``bench/results/``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import threading
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from directory import RESULTS_DIR, ensure_postgres_database, environment_facts, setup_django

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/mentorship_bench_imports"
REGION_CODE = "BENCH-IMP"
HEADERS = [
    "Код организации",
    "Внешний идентификатор",
    "Кто это",
    "Фамилия",
    "Имя",
    "Отчество",
    "Дата рождения",
    "Класс (группа)",
    "Электронная почта",
    "Телефон",
    "Интересы",
]
SURNAMES = ["Иванов", "Петров", "Сидоров", "Кузнецов", "Смирнов", "Попов", "Васильев", "Соколов", "Михайлов", "Новиков"]
NAMES = ["Александр", "Мария", "Дмитрий", "Анна", "Иван", "Екатерина", "Максим", "София", "Артём", "Полина"]
PATRONYMICS = ["Александрович", "Сергеевна", "Дмитриевич", "Игоревна", "Петрович", "Андреевна"]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Замер импорта участников из Excel.")
    parser.add_argument("--rows", type=int, default=100_000, help="строк в файле (100 000)")
    parser.add_argument("--organisations", type=int, default=100, help="организаций (100)")
    parser.add_argument(
        "--default-rows", type=int, default=2000, help="строк для django-import-export по умолчанию (2 000)"
    )
    parser.add_argument("--users", type=int, default=10_000, help="строк импорта пользователей и ролей (10 000)")
    parser.add_argument(
        "--cases", default="people,users", help="что замерять: people, users или оба через запятую (people,users)"
    )
    parser.add_argument("--output", type=Path, default=RESULTS_DIR, help="каталог для JSON (bench/results)")
    return parser.parse_args(argv)


class PeakMemory:
    """Samples the resident set size of this process (``/proc/self/statm``) every 20 ms while active."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._page = os.sysconf("SC_PAGE_SIZE")

    def rss(self) -> int:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * self._page

    def __enter__(self) -> PeakMemory:
        self.peak = self.rss()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, self.rss())

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.rss())


def mb(size: int) -> float:
    return round(size / 1024 / 1024, 1)


def prepare_directory(count: int) -> list[str]:
    from mentorship.models import Municipality, Organisation, Region
    from mentorship.services import object_upsert_by_code

    region, _ = object_upsert_by_code(model=Region, code=REGION_CODE, data={"name": "Регион замера импорта"})
    codes = []
    for m in range(max(1, count // 10)):
        municipality, _ = object_upsert_by_code(
            model=Municipality, code=f"{REGION_CODE}-M{m}", data={"region": region, "name": f"Район № {m + 1}"}
        )
        for o in range(10):
            if len(codes) == count:
                break
            code = f"{REGION_CODE}-M{m}-S{o}"
            object_upsert_by_code(
                model=Organisation,
                code=code,
                data={
                    "municipality": municipality,
                    "full_name": f"Школа № {o + 1} района {m + 1}",
                    "short_name": f"СОШ № {o + 1}",
                },
            )
            codes.append(code)
    return codes


def clear_people(codes: list[str]) -> None:
    """A fresh start: no people (nor their history) in the benchmark's schools."""
    from django.db import connection

    from mentorship.models import Organisation
    from participants.models import Person

    ids = list(Organisation.objects.filter(code__in=codes).values_list("pk", flat=True))
    Person.objects.filter(organisation_id__in=ids).delete()
    Person.history.filter(organisation_id__in=ids).delete()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE participants_person")


def write_file(path: Path, rows: int, codes: list[str], *, changed_every: int = 0) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Данные")
    sheet.append(HEADERS)
    born = date(2008, 1, 1)
    for i in range(rows):
        # Unique natural keys per school: the j-th person of a school is born on day j % 3000 after 1.01.2008.
        j = i // len(codes)
        phone = f"+7 900 {i // 10000:03d}-{i % 10000:04d}"
        if changed_every and i % changed_every == 0:
            phone = f"+7 901 {i // 10000:03d}-{i % 10000:04d}"
        sheet.append(
            [
                codes[i % len(codes)],
                f"EJ-{i:07d}",
                "Обучающийся",
                SURNAMES[(j // 3000) % len(SURNAMES)] + (str(j // 30000) if j >= 30000 else ""),
                NAMES[i % len(NAMES)],
                PATRONYMICS[i % len(PATRONYMICS)],
                born + timedelta(days=j % 3000),
                f"{5 + i % 7}{'АБВГ'[i % 4]}",
                f"pupil{i}@school.example",
                phone,
                "робототехника, шахматы" if i % 3 else "",
            ]
        )
    workbook.save(path)


def tuned(path: Path) -> dict[str, Any]:
    from mentorship.imports import engine
    from mentorship.imports.registry import kind_for
    from mentorship.imports.services import SystemActor

    context = engine.Context(user=SystemActor(), file_name=path.name)
    with PeakMemory() as memory, path.open("rb") as handle:
        started = time.perf_counter()
        report = engine.run(kind_for("people"), handle, context=context, commit=True, keep_rows=False)
        seconds = time.perf_counter() - started
    if not report.written:
        raise SystemExit("Импорт не записан: " + "; ".join(report.errors[:5]))
    return {
        "seconds": round(seconds, 2),
        "rows": report.total,
        "rows_per_second": round(report.total / seconds),
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "peak_rss_mb": mb(memory.peak),
    }


def library_defaults(path: Path, rows: int) -> dict[str, Any]:
    """``PersonResource().import_data`` exactly as the library runs it by default, on the first ``rows`` rows."""
    import tablib
    from openpyxl import load_workbook

    from participants.resources import PersonResource

    workbook = load_workbook(path, read_only=True)
    values = workbook.worksheets[0].iter_rows(values_only=True)
    headers = list(next(values))
    dataset = tablib.Dataset(headers=headers)
    for _, row in zip(range(rows), values, strict=False):
        dataset.append(row)
    workbook.close()
    started = time.perf_counter()
    result = PersonResource().import_data(dataset, dry_run=False)
    seconds = time.perf_counter() - started
    if result.has_errors() or result.has_validation_errors():
        raise SystemExit("django-import-export сообщил об ошибках в строках замера.")
    return {
        "seconds": round(seconds, 2),
        "rows": len(dataset),
        "rows_per_second": round(len(dataset) / seconds),
        "created": result.totals["new"],
    }


# --- «Пользователи и роли»: invitations by the ten thousand --------------------------------------------

USER_ROLES = ["Куратор внедрения ЦМН", "Координатор ЦМН", "Руководитель образовательной организации"]


def prepare_officer() -> Any:
    """The municipal officer of the benchmark's first district: they grant the school roles in its schools."""
    from mentorship.choices import Role
    from mentorship.models import Municipality
    from mentorship.services import role_ensure, user_ensure

    officer, _ = user_ensure(
        username="bench_imp_officer",
        password="bench12345",  # noqa: S106 (the benchmark personas' password, bench/README.md)
        reason="Замер импорта",
        last_name="Замерова",
        first_name="Ирина",
        email="bench_imp_officer@bench.example",
    )
    district = Municipality.objects.get(code=f"{REGION_CODE}-M0")
    role_ensure(user=officer, role=Role.MUNICIPAL_OFFICER, place=district, reason="Замер импорта")
    return officer


def clear_invitations() -> None:
    """A fresh start: no invitations (nor their history) in the benchmark's region."""
    from django.db import connection

    from accounts.models import Invitation

    mine = Invitation.objects.filter(organisation__municipality__region__code=REGION_CODE)
    Invitation.history.filter(id__in=mine.values("pk")).delete()
    mine.delete()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE accounts_invitation")


def write_users_file(path: Path, rows: int) -> None:
    """``rows`` people with their roles in the first district's ten schools; every address new."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Данные")
    sheet.append(["ФИО", "Электронная почта", "Роль", "Код места", "Должность"])
    for i in range(rows):
        sheet.append(
            [
                f"{SURNAMES[i % len(SURNAMES)]} {NAMES[(i // 10) % len(NAMES)]} {PATRONYMICS[i % len(PATRONYMICS)]}",
                f"staff{i:05d}@school.example",
                USER_ROLES[i % len(USER_ROLES)],
                f"{REGION_CODE}-M0-S{i % 10}",
                "учитель",
            ]
        )
    workbook.save(path)


def users_import(path: Path, officer: Any) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from mentorship.imports import engine
    from mentorship.imports.registry import kind_for

    context = engine.Context(user=officer, file_name=path.name)
    with PeakMemory() as memory, path.open("rb") as handle, CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        report = engine.run(kind_for("users"), handle, context=context, commit=True, keep_rows=False)
        seconds = time.perf_counter() - started
    if not report.written:
        raise SystemExit("Импорт пользователей не записан: " + "; ".join(report.errors[:5]))
    return {
        "seconds": round(seconds, 2),
        "rows": report.total,
        "rows_per_second": round(report.total / seconds),
        "created": report.created,
        "queries": len(queries),
        "peak_rss_mb": mb(memory.peak),
    }


def users_letters() -> dict[str, Any]:
    """The worker's part: every letter the import queued, sent (to Django's in-memory outbox)."""
    from django.core import mail

    from accounts.models import Invitation
    from accounts.services import invitations

    ids = list(
        Invitation.objects.filter(organisation__municipality__region__code=REGION_CODE, send_pending=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    mail.outbox = []
    started = time.perf_counter()
    sent = invitations.invitations_send(invitation_ids=ids)
    seconds = time.perf_counter() - started
    return {"seconds": round(seconds, 2), "letters": sent, "ms_per_letter": round(1000 * seconds / max(sent, 1), 2)}


def users_case(args: argparse.Namespace) -> dict[str, Any]:
    officer = prepare_officer()
    path = args.output / f"imports-users-{args.users}.xlsx"
    write_users_file(path, args.users)
    clear_invitations()
    result = users_import(path, officer)
    print(f"Пользователи и роли ({args.users} строк, приглашения): {result}")
    letters = users_letters()
    print(f"Письма с приглашениями (работа воркера, отдельно от импорта): {letters}")
    return {"import": result, "letters": letters}


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    cases = {case.strip() for case in args.cases.split(",") if case.strip()}
    os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    ensure_postgres_database(os.environ["DATABASE_URL"])
    # Letters queued by the users case go to an in-memory broker and Django's in-memory outbox.
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "false"
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    codes = prepare_directory(args.organisations)
    args.output.mkdir(parents=True, exist_ok=True)
    payload: dict[str, Any] = {"benchmark": "imports"}
    ok = True
    if "people" in cases:
        payload |= people_case(args, codes)
        new, again = payload["new_rows"], payload["reimport_10_percent_changed"]
        ok = new["seconds"] < 60 and again["seconds"] < 60 and new["peak_rss_mb"] < 500 and again["peak_rss_mb"] < 500
    if "users" in cases:
        payload["users_and_roles"] = users_case(args)
        ok = ok and payload["users_and_roles"]["import"]["seconds"] < 60
    print(f"Пиковая память процесса (ru_maxrss): {mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)} МБ")

    facts = environment_facts(REGION_CODE)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    path = args.output / f"imports-{facts['database']}-{stamp}.json"
    payload |= {
        "started": stamp,
        "arguments": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
        "environment": facts,
    }
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"JSON: {path}")
    return 0 if ok else 1


def people_case(args: argparse.Namespace, codes: list[str]) -> dict[str, Any]:
    first = args.output / f"imports-people-{args.rows}.xlsx"
    edited = args.output / f"imports-people-{args.rows}-10pct.xlsx"
    started = time.perf_counter()
    write_file(first, args.rows, codes)
    write_file(edited, args.rows, codes, changed_every=10)
    print(f"Файлы: {first.name} ({mb(first.stat().st_size)} МБ), {edited.name}; {time.perf_counter() - started:.1f} с")

    clear_people(codes)
    new = tuned(first)
    print(f"Новые строки:  {new}")
    again = tuned(edited)
    print(f"10 % изменено: {again}")
    clear_people(codes)
    defaults = library_defaults(first, args.default_rows)
    print(f"django-import-export по умолчанию ({defaults['rows']} первых строк того же файла): {defaults}")
    speedup = new["rows_per_second"] / defaults["rows_per_second"]
    print(
        f"\nСтрок в секунду: настроенный импорт — {new['rows_per_second']}, "
        f"django-import-export по умолчанию — {defaults['rows_per_second']} (в {speedup:.0f} раз медленнее)."
    )
    return {"new_rows": new, "reimport_10_percent_changed": again, "django_import_export_defaults": defaults}


if __name__ == "__main__":
    sys.exit(main())
