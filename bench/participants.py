#!/usr/bin/env python
"""Benchmark of the participants' list pages at the issue's scale.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mentorship_bench python bench/participants.py

Builds (or reuses) the large region of ``generate_scale`` with its participants (about 350 000
people in the bases of 2026/2027, with pairs and meetings), then signs in with the test client and
measures, per page, the median and 95th percentile server time over ``--repeat`` requests and
the SQL queries of one request:

- ``bench_curator``: the school's pair list (``participants:pairs``) of the personas' school,
  about 2 000 participants, and its people list, first and last page;
- ``bench_muni``: the municipal participant list (``participants:people``) over the city's
  organisations, first and a deep page, with a search, and the pair list;
- ``bench_region``: the same lists over the whole region, for information (outside the budget).

The issue's budget (the curator's and the municipality's pages): under 150 ms server time with
a query count that does not grow with the data.
Prints a table and writes JSON to ``bench/results/``. See ``bench/README.md``.
"""

from __future__ import annotations

import argparse
import json
import sys
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

BUDGET_MS = 150
#: the personas whose pages the issue's budget names; the region's are measured for information
BUDGETED = ("bench_curator", "bench_muni")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Нагрузочный замер списков участников и пар.")
    parser.add_argument("--municipalities", type=int, default=60, help="число муниципалитетов (60)")
    parser.add_argument("--organisations", type=int, default=1500, help="число организаций (1500)")
    parser.add_argument("--region-code", default="SCALE", help="код нагрузочного региона (SCALE)")
    parser.add_argument("--seed", type=int, default=1, help="зерно генератора (1)")
    parser.add_argument("--repeat", type=int, default=20, help="повторов каждого запроса (20)")
    parser.add_argument("--output", type=Path, default=RESULTS_DIR, help="каталог для JSON (bench/results)")
    parser.add_argument("--no-migrate", action="store_true", help="не применять миграции")
    return parser.parse_args(argv)


def pages_for(username: str) -> list[tuple[str, str]]:
    """``(label, url)`` of the pages to measure for a persona, with a deep page of each list."""
    from urllib.parse import urlencode

    from django.urls import reverse

    from mentorship.models import User
    from participants import selectors

    user = User.objects.get(username=username)
    people, pairs = reverse("participants:people"), reverse("participants:pairs")
    people_count = selectors.people_list(user=user).count()
    pairs_count = selectors.pairs_list(user=user).count()
    # The list views page by 50 (``ObjectListView``); a page past the end answers 404.
    last_people, last_pairs = max(1, -(-people_count // 50)), max(1, -(-pairs_count // 50))
    return [
        (f"pairs ({pairs_count})", pairs),
        (f"pairs, last page {last_pairs}", f"{pairs}?{urlencode({'page': last_pairs})}"),
        (f"people ({people_count})", people),
        (f"people, last page {last_people}", f"{people}?{urlencode({'page': last_people})}"),
        ("people ?q=Иванова", f"{people}?{urlencode({'q': 'Иванова'})}"),
    ]


def measure_persona(username: str, password: str, repeat: int) -> list[Measurement]:
    from django.http import HttpRequest  # django-axes checks every authenticate() against a request
    from django.test import Client

    client = Client()
    if not client.login(request=HttpRequest(), username=username, password=password):
        raise SystemExit(f"Не удалось войти как {username}: запустите generate_scale или проверьте пароль.")
    results = []
    for label, url in pages_for(username):
        samples, queries, response = measure(lambda url=url: client.get(url), repeat=repeat)
        results.append(summarise(username, label, url, response.status_code, queries, samples))
    return results


def participants_facts(region_code: str) -> dict[str, Any]:
    from participants.models import BaseEntry, Meeting, Pair, PairMember, Person

    region = {"organisation__municipality__region__code": region_code}
    return {
        "people": Person.objects.filter(**region).count(),
        "base_entries": BaseEntry.objects.filter(**region).count(),
        "pairs": Pair.objects.filter(**region).count(),
        "pair_members": PairMember.objects.filter(pair__organisation__municipality__region__code=region_code).count(),
        "meetings": Meeting.objects.filter(pair__organisation__municipality__region__code=region_code).count(),
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    spec, generated = prepare_scale_region(args)

    from demodata.scale.directory import BENCH_PASSWORD

    measurements: list[Measurement] = []
    for base in (*BUDGETED, "bench_region"):
        measurements += measure_persona(spec.username(base), BENCH_PASSWORD, args.repeat)

    facts = environment_facts(spec.region_code) | participants_facts(spec.region_code)
    print(
        f"\n{facts['database']} {facts.get('database_version', '')}, Django {facts['django']}, "
        f"{facts['region_organisations']} organisations, {facts['people']} participants, {facts['pairs']} pairs, "
        f"{args.repeat} repetitions\n"
    )
    print_table(measurements)

    args.output.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    path = args.output / f"participants-{facts['database']}-{stamp}.json"
    payload = {
        "benchmark": "participants",
        "started": stamp,
        "arguments": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
        "environment": facts,
        "generated": generated,
        "measurements": [asdict(m) for m in measurements],
    }
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"\nJSON: {path}")
    failed = [m for m in measurements if m.status != 200]
    budgeted = {spec.username(base) for base in BUDGETED}
    slow = [m for m in measurements if m.persona in budgeted and max(m.median_ms, m.p95_ms) > BUDGET_MS]
    if slow:
        print(
            f"\nДольше {BUDGET_MS} мс (медиана или 95-й процентиль): "
            + ", ".join(f"{m.persona} {m.page}" for m in slow)
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
