"""Demo data of the roadmaps app: the five seed roadmaps, each at its level of the hierarchy.

``load_demo`` runs :func:`seed_roadmaps_load` first of the apps' loaders (see ``demodata.demo``),
after the hierarchy and the personas. The roadmaps are read from the Word files committed in
``fixtures/roadmaps/`` (built once from the seed texts by ``fixtures/roadmaps/build.py``) and
imported the way a user would: ``parse_roadmap_file`` then ``services.roadmap_import``, acting
as the persona who keeps that level, so the demo holds exactly what an import gives.

Idempotent: a seed whose roadmap (same place and title) exists already is skipped, so a second
run writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.conf import settings

from demodata.demo import DemoReport
from mentorship.models import Municipality, Organisation, Region, User
from roadmaps import services
from roadmaps.choices import IndicatorUnit
from roadmaps.importing import parse_roadmap_file
from roadmaps.models import Roadmap

SEED_ROADMAPS_DIR = Path(settings.BASE_DIR) / "fixtures" / "roadmaps"
# The roadmap's foreign key to a place of each level.
PLACE_FIELDS = {Region: "region", Municipality: "municipality", Organisation: "organisation"}


@dataclass(frozen=True)
class SeedRoadmap:
    """One seed roadmap: its file, the place it belongs to, who imports it and its period."""

    seed: str
    filename: str
    place_model: type[Region | Municipality | Organisation]
    place_code: str
    actor: str  # the persona who keeps the roadmap at that level
    period_start: date
    period_end: date
    note: str = ""
    # Target indicators the document sets: (code, name, unit, {year: value}).
    indicators: tuple[tuple[str, str, str, dict[int, int]], ...] = ()


SEED_ROADMAPS = (
    SeedRoadmap(
        "004",
        "004_bashkortostan.docx",
        Region,
        "02",
        "region_bash",
        date(2020, 1, 1),
        date(2024, 12, 31),
        # Item 18: «не менее 10 % … 70 % обучающихся» by the end of each year.
        indicators=(
            (
                "students_coverage",
                "Доля обучающихся, вовлечённых в различные формы сопровождения и наставничества",
                IndicatorUnit.PERCENT,
                {2020: 10, 2021: 20, 2022: 35, 2023: 50, 2024: 70},
            ),
        ),
    ),
    SeedRoadmap(
        "000",
        "000_bolshaya_murta.docx",
        Municipality,
        "24-bolshemurtinsky",
        "muni_murta",
        # The order's appendix states no period; its deadlines all fall in 2021.
        date(2021, 1, 1),
        date(2021, 12, 31),
        note=(
            "утверждена приказом № 38 от 24.02.2021, на портале — черновик: согласует региональный "
            "координатор, а в Красноярском крае в демо-данных только наблюдатель"
        ),
    ),
    SeedRoadmap(
        "001",
        "001_arkhangelsk.docx",
        Municipality,
        "29-arkhangelsk",
        "muni_arkh",
        date(2023, 1, 1),
        date(2025, 12, 31),
        # Section 6 «Целевые индикаторы»: 6.1 programmes, 6.2 network projects, 6.3 leader pairs.
        indicators=(
            ("programmes", "Число программ наставничества", IndicatorUnit.COUNT, {2023: 25, 2024: 35, 2025: 45}),
            (
                "network_projects",
                "Проекты ОО в рамках сетевой модели по сопровождению наставничества",
                IndicatorUnit.COUNT,
                {2023: 2, 2024: 2, 2025: 2},
            ),
            (
                "leader_pairs",
                "Наставнические пары «руководитель-наставник – молодой руководитель со стажем до 2 лет»",
                IndicatorUnit.COUNT,
                {2023: 5, 2024: 5, 2025: 5},
            ),
        ),
    ),
    # Сургутский район has only an observer (imc_surgut), who cannot write: the administrator imports.
    SeedRoadmap("002", "002_surgut.docx", Municipality, "86-surgutsky", "admin", date(2023, 1, 1), date(2024, 12, 31)),
    SeedRoadmap(
        "003",
        "003_khosreh.docx",
        Organisation,
        "05-kulinsky-khosreh",
        "curator_khosreh",
        date(2023, 9, 1),
        date(2024, 8, 31),
    ),
)


def seed_roadmaps_load() -> DemoReport:
    """Import each seed roadmap not yet at its place; say what was loaded or skipped."""
    report = DemoReport(f"Дорожные карты из {SEED_ROADMAPS_DIR.relative_to(settings.BASE_DIR)}")
    for seed in SEED_ROADMAPS:
        place = seed.place_model.objects.filter(code=seed.place_code).first()
        actor = User.objects.filter(username=seed.actor).first()
        if place is None or actor is None:
            missing = f"места «{seed.place_code}»" if place is None else f"пользователя «{seed.actor}»"
            report.add(f"{seed.seed}: пропущена — в демонстрационных данных нет {missing}")
            continue
        path = SEED_ROADMAPS_DIR / seed.filename
        period = {"period_start": seed.period_start, "period_end": seed.period_end}
        parsed = parse_roadmap_file(path, filename=path.name, **period)
        if Roadmap.objects.filter(**{PLACE_FIELDS[seed.place_model]: place}, title=parsed.title).exists():
            report.add(f"{seed.seed} {place}: уже загружена")
            continue
        roadmap = services.roadmap_import(actor=actor, place=place, parsed=parsed, title=parsed.title, **period)
        for code, name, unit, values in seed.indicators:
            services.target_indicator_set(
                actor=actor,
                roadmap=roadmap,
                code=code,
                name=name,
                unit=unit,
                values={year: Decimal(value) for year, value in values.items()},
            )
        note = f"; {seed.note}" if seed.note else ""
        report.add(f"{seed.seed} {place}: загружена, пунктов {len(parsed.items)} ({seed.actor}){note}")
    return report
