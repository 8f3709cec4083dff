#!/usr/bin/env python
"""Benchmark of the directory pages on one large generated region.

Sets up Django, migrates, runs ``generate_scale`` (idempotent, so a second run
reuses the data), then signs in as each benchmark persona with the test client
and requests the directory pages, measuring per page the median and 95th
percentile wall time over ``--repeat`` requests and the number of SQL queries.
It also times ``Organisation.objects.restrict(user, "view").count()`` per
persona. Prints a table and writes JSON to ``bench/results/``.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mentorship_bench python bench/directory.py

Without ``DATABASE_URL`` it uses ``bench/results/bench.sqlite3`` (never the
development database); PostgreSQL is what production runs and what the figures
should be taken on. A PostgreSQL database that does not exist yet is created.
See ``bench/README.md``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"
PERSONAS = ("bench_region", "bench_muni", "bench_curator")
SEARCH_TERM = "СОШ № 1"


@dataclass
class Measurement:
    """Timings of one page (or one query) for one persona."""

    persona: str
    page: str
    url: str
    status: int | str
    queries: int
    median_ms: float
    p95_ms: float
    min_ms: float
    max_ms: float
    repeat: int
    samples_ms: list[float] = field(default_factory=list, repr=False)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Нагрузочный замер страниц справочника организаций.")
    parser.add_argument("--municipalities", type=int, default=60, help="число муниципалитетов (60)")
    parser.add_argument("--organisations", type=int, default=1500, help="число организаций (1500)")
    parser.add_argument("--region-code", default="SCALE", help="код нагрузочного региона (SCALE)")
    parser.add_argument("--seed", type=int, default=1, help="зерно генератора (1)")
    parser.add_argument("--repeat", type=int, default=20, help="повторов каждого запроса (20)")
    parser.add_argument("--output", type=Path, default=RESULTS_DIR, help="каталог для JSON (bench/results)")
    parser.add_argument("--no-migrate", action="store_true", help="не применять миграции")
    return parser.parse_args(argv)


# --- Set-up -------------------------------------------------------------------------


def database_url() -> str:
    """``DATABASE_URL``, or a throw-away SQLite file next to the results."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{RESULTS_DIR / 'bench.sqlite3'}"
    os.environ["DATABASE_URL"] = url
    print(
        "DATABASE_URL не задан: замер идёт на SQLite (bench/results/bench.sqlite3). Для показательных цифр "
        "запустите на PostgreSQL, см. bench/README.md.",
        file=sys.stderr,
    )
    return url


def ensure_postgres_database(url: str) -> None:
    """Create the PostgreSQL database named in ``url`` if it does not exist yet."""
    import environ
    import psycopg
    from psycopg import sql

    config = environ.Env.db_url_config(url)
    if "postgresql" not in config["ENGINE"]:
        return
    params = {
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
    }
    name = config["NAME"]
    with psycopg.connect(dbname="postgres", autocommit=True, **{k: v for k, v in params.items() if v}) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"Создана база данных {name}.", file=sys.stderr)


def setup_django() -> None:
    """Configure Django as ``manage.py`` would, but timed as production runs: ``DEBUG`` off."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorship.settings.local")
    # DEBUG on would keep every query in memory and render debug pages; measure what users get.
    os.environ.setdefault("DEBUG", "0")
    import django
    from django.conf import settings

    django.setup()
    # The test client calls itself "testserver".
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]


# --- Measuring ---------------------------------------------------------------------


def percentile(samples: list[float], fraction: float) -> float:
    """Nearest-rank percentile: the smallest sample at or above ``fraction`` of them."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def measure(action: Callable[[], Any], *, repeat: int) -> tuple[list[float], int, Any]:
    """Warm up once, count the queries of a second run, then time ``repeat`` more runs.

    The warm-up keeps one-off costs (template compilation, the content-type
    cache) out of both the query count and the timings.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    action()
    with CaptureQueriesContext(connection) as captured:
        result = action()
    # Read now: the next request's ``request_started`` signal empties the query log.
    queries = len(captured.captured_queries)
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return samples, queries, result


def summarise(persona: str, page: str, url: str, status: int | str, queries: int, samples: list[float]) -> Measurement:
    return Measurement(
        persona=persona,
        page=page,
        url=url,
        status=status,
        queries=queries,
        median_ms=round(statistics.median(samples), 2),
        p95_ms=round(percentile(samples, 0.95), 2),
        min_ms=round(min(samples), 2),
        max_ms=round(max(samples), 2),
        repeat=len(samples),
        samples_ms=[round(s, 2) for s in samples],
    )


def directory_pages(region_code: str) -> list[tuple[str, str]]:
    """``(label, url)`` of the pages to measure, on the generated region's first places."""
    from urllib.parse import urlencode

    from django.urls import reverse

    from mentorship.choices import OrganisationKind
    from mentorship.models import Municipality, Organisation, Region

    region = Region.objects.get(code=region_code)
    municipality = Municipality.objects.filter(region=region).order_by("code").first()
    school = (
        Organisation.objects.filter(municipality=municipality, kind=OrganisationKind.SCHOOL).order_by("code").first()
    )
    organisations = reverse("directory:organisations")
    return [
        ("index", reverse("directory:index")),
        ("region", reverse("directory:region", args=[region.pk])),
        ("municipality", reverse("directory:municipality", args=[municipality.pk])),
        ("organisations", organisations),
        ("organisations ?q=", f"{organisations}?{urlencode({'q': SEARCH_TERM})}"),
        ("organisations ?municipality=", f"{organisations}?{urlencode({'municipality': municipality.pk})}"),
        (
            "organisations ?q=&municipality=",
            f"{organisations}?{urlencode({'q': SEARCH_TERM, 'municipality': municipality.pk})}",
        ),
        ("organisation", reverse("directory:organisation", args=[school.pk])),
    ]


def measure_persona(username: str, password: str, pages: list[tuple[str, str]], repeat: int) -> list[Measurement]:
    from django.http import HttpRequest  # django-axes checks every authenticate() against a request
    from django.test import Client

    from mentorship.models import Organisation, User

    client = Client()
    if not client.login(request=HttpRequest(), username=username, password=password):
        raise SystemExit(f"Не удалось войти как {username}: запустите generate_scale или проверьте пароль.")
    results = []
    for label, url in pages:
        samples, queries, response = measure(lambda url=url: client.get(url), repeat=repeat)
        results.append(summarise(username, label, url, response.status_code, queries, samples))
    user = User.objects.get(username=username)
    samples, queries, count = measure(lambda: Organisation.objects.restrict(user, "view").count(), repeat=repeat)
    results.append(summarise(username, f"restrict().count() = {count}", "-", "-", queries, samples))
    return results


def environment_facts(region_code: str) -> dict[str, Any]:
    import django
    from django.db import connection

    from mentorship.models import Municipality, Organisation

    facts: dict[str, Any] = {
        "django": django.get_version(),
        "python": platform.python_version(),
        "database": connection.vendor,
        "database_name": connection.settings_dict["NAME"],
        "settings": os.environ["DJANGO_SETTINGS_MODULE"],
        "region_municipalities": Municipality.objects.filter(region__code=region_code).count(),
        "region_organisations": Organisation.objects.filter(municipality__region__code=region_code).count(),
        "all_organisations": Organisation.objects.count(),
        "organisation_history_rows": Organisation.history.count(),
    }
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            facts["database_version"] = cursor.fetchone()[0]
    elif connection.vendor == "sqlite":
        import sqlite3

        facts["database_version"] = sqlite3.sqlite_version
    return facts


def print_table(measurements: list[Measurement]) -> None:
    width = max(len(m.persona) for m in measurements)
    header = f"{'persona':<{width}} {'page':<34} {'status':>6} {'queries':>7} {'median ms':>10} {'p95 ms':>9}"
    print(header)
    print("-" * len(header))
    persona = None
    for m in measurements:
        if persona is not None and m.persona != persona:
            print()
        persona = m.persona
        print(f"{m.persona:<{width}} {m.page:<34} {m.status!s:>6} {m.queries:>7} {m.median_ms:>10.1f} {m.p95_ms:>9.1f}")


def prepare_scale_region(args: argparse.Namespace) -> tuple[Any, dict[str, Any]]:
    """Set Django up on the benchmark database, migrate it and build the large region (idempotent).

    Every benchmark that measures pages of the large region starts here; returns the
    ``ScaleSpec`` and what each ``generate_scale`` step created.
    """
    url = database_url()
    if url.startswith(("postgres://", "postgresql://", "pgsql://")):
        ensure_postgres_database(url)
    setup_django()

    from django.core.management import call_command

    from demodata.management.commands.generate_scale import scale_generate
    from demodata.scale.directory import ScaleSpec

    if not args.no_migrate:
        call_command("migrate", interactive=False, verbosity=0)
    spec = ScaleSpec(
        region_code=args.region_code,
        municipalities=args.municipalities,
        organisations=args.organisations,
        seed=args.seed,
    )
    started = time.perf_counter()
    _, steps = scale_generate(spec=spec)
    generated = {
        step.name: {"created": step.created, "existing": step.existing, "s": round(step.seconds, 1)} for step in steps
    }
    print(f"generate_scale: {time.perf_counter() - started:.1f} s, {generated}", file=sys.stderr)
    from mentorship.serving import ready_for_requests

    # From here on the process serves pages, prepared as mentorship/wsgi.py prepares a web worker.
    ready_for_requests()
    return spec, generated


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    spec, generated = prepare_scale_region(args)

    from demodata.scale.directory import BENCH_PASSWORD

    pages = directory_pages(spec.region_code)
    measurements: list[Measurement] = []
    for base in PERSONAS:
        measurements += measure_persona(spec.username(base), BENCH_PASSWORD, pages, args.repeat)

    facts = environment_facts(spec.region_code)
    print(
        f"\n{facts['database']} {facts.get('database_version', '')}, Django {facts['django']}, "
        f"{facts['region_municipalities']} municipalities, {facts['region_organisations']} organisations, "
        f"{args.repeat} repetitions\n"
    )
    print_table(measurements)

    args.output.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    path = args.output / f"directory-{facts['database']}-{stamp}.json"
    payload = {
        "benchmark": "directory",
        "started": stamp,
        "arguments": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
        "environment": facts,
        "generated": generated,
        "measurements": [asdict(m) for m in measurements],
    }
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"\nJSON: {path}")
    failed = [m for m in measurements if m.status not in (200, "-")]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
