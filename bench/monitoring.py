#!/usr/bin/env python
"""Benchmark of the monitoring dashboards at the issue's scale.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mentorship_bench python bench/monitoring.py

Builds (or reuses) the large region of ``generate_scale`` (60 municipalities, 1 500 organisations,
about 350 000 participants; monitoring's own steps add targets, third-quarter reports and the
refreshed summary figures), and a small region (``--small-code``, 4 organisations, about 1 000
participants) built by the same steps. Then, signed in with the test client, per page:

- ``bench_region``: the regional dashboard with a cold cache (``cache.clear()`` before every
  request) and warm, and its two charts cold and warm;
- ``bench_muni``: the city's dashboard (about 150 schools) and its coverage chart;
- ``bench_curator``: the school's dashboard;
- the regional dashboard of the small region's persona, to compare the query counts;
- ``figures_refresh`` of the whole large region (the background job), timed a few times;
- as a baseline, the portal's home page for the same user: the fixed cost of a page on the machine
  the benchmark runs on (a loaded machine inflates every figure alike).

The issue's budget for the regional dashboard: under 200 ms at the 95th percentile with a cold
cache and under 50 ms warm, with the same number of queries at 1 000 and at 350 000 participants.
Prints a table and writes JSON to ``bench/results/``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

from directory import (
    RESULTS_DIR,
    Measurement,
    environment_facts,
    measure,
    prepare_scale_region,
    print_table,
    summarise,
)

COLD_BUDGET_MS = 200
WARM_BUDGET_MS = 50


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Нагрузочный замер панелей мониторинга.")
    parser.add_argument("--municipalities", type=int, default=60, help="число муниципалитетов (60)")
    parser.add_argument("--organisations", type=int, default=1500, help="число организаций (1500)")
    parser.add_argument("--region-code", default="SCALE", help="код нагрузочного региона (SCALE)")
    parser.add_argument("--small-code", default="MONSMALL", help="код малого региона (MONSMALL)")
    parser.add_argument("--seed", type=int, default=1, help="зерно генератора (1)")
    parser.add_argument("--repeat", type=int, default=20, help="повторов каждого запроса (20)")
    parser.add_argument("--output", type=Path, default=RESULTS_DIR, help="каталог для JSON (bench/results)")
    parser.add_argument("--no-migrate", action="store_true", help="не применять миграции")
    return parser.parse_args(argv)


def prepare_small_region(code: str, seed: int) -> Any:
    from demodata.management.commands.generate_scale import scale_generate
    from demodata.scale.directory import ScaleSpec

    spec = ScaleSpec(region_code=code, municipalities=2, organisations=4, seed=seed)
    scale_generate(spec=spec)
    return spec


def client_for(username: str) -> Any:
    from django.http import HttpRequest  # django-axes checks every authenticate() against a request
    from django.test import Client

    from demodata.scale.directory import BENCH_PASSWORD

    client = Client()
    if not client.login(request=HttpRequest(), username=username, password=BENCH_PASSWORD):
        raise SystemExit(f"Не удалось войти как {username}: запустите generate_scale или проверьте пароль.")
    return client


def page(client: Any, persona: str, label: str, url: str, repeat: int, *, cold: bool) -> Measurement:
    from django.core.cache import cache

    def request() -> Any:
        if cold:
            cache.clear()
        return client.get(url)

    samples, queries, response = measure(request, repeat=repeat)
    return summarise(persona, f"{label} ({'cold' if cold else 'warm'})", url, response.status_code, queries, samples)


def places(region_code: str) -> dict[str, Any]:
    from mentorship.choices import OrganisationKind
    from mentorship.models import Municipality, Organisation, Region

    region = Region.objects.get(code=region_code)
    municipality = Municipality.objects.filter(region=region).order_by("code").first()
    school = (
        Organisation.objects.filter(municipality=municipality, kind=OrganisationKind.SCHOOL).order_by("code").first()
    )
    return {"region": region, "municipality": municipality, "school": school}


def monitoring_facts(region_code: str) -> dict[str, Any]:
    from monitoring.models import OrganisationFigures, PeriodReport
    from participants.models import Pair, Person

    region = {"organisation__municipality__region__code": region_code}
    return {
        "people": Person.objects.filter(**region).count(),
        "pairs": Pair.objects.filter(**region).count(),
        "figures_rows": OrganisationFigures.objects.filter(region__code=region_code).count(),
        "period_reports": PeriodReport.objects.filter(**region).count(),
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    spec, generated = prepare_scale_region(args)
    small = prepare_small_region(args.small_code, args.seed)

    from django.urls import reverse

    from monitoring.services import figures_refresh

    big, tiny = places(spec.region_code), places(small.region_code)
    measurements: list[Measurement] = []

    region_user = spec.username("bench_region")
    client = client_for(region_user)
    # The portal's fixed cost on this machine (session, user, menu, notifications), to read the others by.
    measurements.append(page(client, region_user, "baseline: home page", reverse("home"), args.repeat, cold=False))
    region_url = reverse("monitoring:region", args=[big["region"].pk])
    for cold in (True, False):
        measurements.append(page(client, region_user, "region dashboard", region_url, args.repeat, cold=cold))
    for chart in ("coverage", "trend"):
        url = reverse("monitoring:chart", args=["region", big["region"].pk, chart])
        for cold in (True, False):
            measurements.append(
                page(client, region_user, f"region chart {chart}", url, max(5, args.repeat // 4), cold=cold)
            )

    muni_user = spec.username("bench_muni")
    client = client_for(muni_user)
    url = reverse("monitoring:municipality", args=[big["municipality"].pk])
    for cold in (True, False):
        measurements.append(page(client, muni_user, "municipality dashboard", url, args.repeat, cold=cold))
    url = reverse("monitoring:chart", args=["municipality", big["municipality"].pk, "coverage"])
    measurements.append(
        page(client, muni_user, "municipality chart coverage", url, max(5, args.repeat // 4), cold=True)
    )

    curator = spec.username("bench_curator")
    client = client_for(curator)
    url = reverse("monitoring:organisation", args=[big["school"].pk])
    for cold in (True, False):
        measurements.append(page(client, curator, "school dashboard", url, args.repeat, cold=cold))

    small_user = small.username("bench_region")
    client = client_for(small_user)
    url = reverse("monitoring:region", args=[tiny["region"].pk])
    for cold in (True, False):
        measurements.append(page(client, small_user, "small region dashboard", url, args.repeat, cold=cold))

    from mentorship.models import Organisation

    ids = list(Organisation.objects.filter(municipality__region=big["region"]).values_list("pk", flat=True))
    refresh_samples = []
    for _ in range(3):
        started = time.perf_counter()
        figures_refresh(school_year=2026, organisations=ids)
        refresh_samples.append((time.perf_counter() - started) * 1000)
    measurements.append(summarise("task", f"figures_refresh ({len(ids)} ОО)", "-", "-", 0, refresh_samples))

    facts = environment_facts(spec.region_code) | monitoring_facts(spec.region_code)
    small_facts = monitoring_facts(small.region_code)
    print(
        f"\n{facts['database']} {facts.get('database_version', '')}, Django {facts['django']}, "
        f"{facts['region_organisations']} organisations, {facts['people']} participants, {facts['pairs']} pairs; "
        f"small region: {small_facts['people']} participants; {args.repeat} repetitions\n"
    )
    print_table(measurements)
    big_queries = next(m.queries for m in measurements if m.page == "region dashboard (cold)")
    small_queries = next(m.queries for m in measurements if m.page == "small region dashboard (cold)")
    print(
        f"\nRegional dashboard queries: {big_queries} at {facts['people']} participants, "
        f"{small_queries} at {small_facts['people']} participants"
    )

    args.output.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    path = args.output / f"monitoring-{facts['database']}-{stamp}.json"
    payload = {
        "benchmark": "monitoring",
        "started": stamp,
        "arguments": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
        "environment": facts,
        "small_region": small_facts,
        "generated": generated,
        "measurements": [asdict(m) for m in measurements],
    }
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"\nJSON: {path}")
    cold = next(m for m in measurements if m.page == "region dashboard (cold)")
    warm = next(m for m in measurements if m.page == "region dashboard (warm)")
    if cold.p95_ms > COLD_BUDGET_MS or warm.p95_ms > WARM_BUDGET_MS:
        print(
            f"\nБюджет не выдержан: холодный p95 {cold.p95_ms} мс (≤ {COLD_BUDGET_MS}), "
            f"тёплый p95 {warm.p95_ms} мс (≤ {WARM_BUDGET_MS})"
        )
    failed = [m for m in measurements if m.status not in (200, "-")]
    return 1 if failed or big_queries != small_queries else 0


if __name__ == "__main__":
    sys.exit(main())
