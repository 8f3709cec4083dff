"""The demo data holds the five seed roadmaps in full, each at its level, loaded once however often it runs."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction

from demodata.demo import roadmaps as roadmaps_demo
from demodata.demo.roadmaps import SEED_ROADMAPS, SEED_ROADMAPS_DIR
from mentorship.models import User
from roadmaps.choices import ItemKind, RoadmapStatus
from roadmaps.importing import parse_roadmap_file
from roadmaps.models import ResponsibleParty, Roadmap, RoadmapEvent, RoadmapItem

# Items per seed as the importer reads the committed files (sections included).
ITEM_COUNTS = {"000": 49, "001": 33, "002": 36, "003": 31, "004": 19}
PLACES = {
    "004": ("region", "02"),
    "000": ("municipality", "24-bolshemurtinsky"),
    "001": ("municipality", "29-arkhangelsk"),
    "002": ("municipality", "86-surgutsky"),
    "003": ("organisation", "05-kulinsky-khosreh"),
}
TRACKED = (Roadmap, RoadmapItem, ResponsibleParty)


@pytest.fixture(scope="module")
def _demo_loaded(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """``load_demo`` once for the module (its imports take seconds), rolled back at the module's end."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("load_demo", stdout=StringIO())
        except BaseException:
            outer.__exit__(*sys.exc_info())
            raise
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def demo(_demo_loaded: None, db: None) -> None:
    """Each test runs in a savepoint inside the module's load."""


def roadmap_of(seed: str) -> Roadmap:
    level, code = PLACES[seed]
    return Roadmap.objects.get(**{f"{level}__code": code})


def snapshot() -> dict[str, tuple[int, int]]:
    counts = {model.__name__: (model.objects.count(), model.history.count()) for model in TRACKED}
    return {**counts, "RoadmapEvent": (RoadmapEvent.objects.count(), 0)}


@pytest.mark.usefixtures("demo")
def test_each_seed_roadmap_sits_at_its_level_with_every_item():
    assert Roadmap.objects.count() == len(SEED_ROADMAPS)
    for seed, count in ITEM_COUNTS.items():
        roadmap = roadmap_of(seed)
        assert roadmap.items.count() == count, seed
        assert roadmap.status == RoadmapStatus.DRAFT, seed


@pytest.mark.usefixtures("demo")
def test_each_roadmap_was_imported_by_the_persona_who_keeps_its_level():
    keepers = {seed.seed: seed.actor for seed in SEED_ROADMAPS}
    assert keepers == {
        "004": "region_bash",
        "000": "muni_murta",
        "001": "muni_arkh",
        "002": "admin",  # Сургутский район has only an observer
        "003": "curator_khosreh",
    }
    for seed, username in keepers.items():
        assert roadmap_of(seed).created_by == User.objects.get(username=username), seed


@pytest.mark.usefixtures("demo")
def test_periods_and_titles_are_those_of_the_documents():
    periods = {seed: (roadmap_of(seed).period_start, roadmap_of(seed).period_end) for seed in PLACES}
    assert periods == {
        "004": (date(2020, 1, 1), date(2024, 12, 31)),
        "000": (date(2021, 1, 1), date(2021, 12, 31)),
        "001": (date(2023, 1, 1), date(2025, 12, 31)),
        "002": (date(2023, 1, 1), date(2024, 12, 31)),
        "003": (date(2023, 9, 1), date(2024, 8, 31)),
    }
    assert roadmap_of("000").title.startswith("План мероприятий (дорожная карта) по разработке и внедрению")
    assert roadmap_of("001").title.endswith("на 2023 – 2025 гг.")
    assert roadmap_of("003").title.startswith("«Дорожная карта» реализации целевой модели наставничества")
    assert roadmap_of("001").goal.startswith("успешное закрепление")


@pytest.mark.usefixtures("demo")
def test_deadlines_are_parsed_as_the_documents_write_them():
    murta = roadmap_of("000").items.get(number="1.1")
    assert (murta.deadline_text, murta.deadline_kind, murta.deadline_due) == (
        "До 15.03.2021г.",
        "by_date",
        date(2021, 3, 15),
    )
    bashkortostan = roadmap_of("004").items.get(number="1")
    assert bashkortostan.deadline_text == "до 1 мая 2020 г. (далее ежегодно)"
    assert (bashkortostan.deadline_kind, bashkortostan.deadline_recurrence) == ("recurring", "yearly")
    assert bashkortostan.deadline_start == date(2020, 5, 1)


@pytest.mark.usefixtures("demo")
def test_every_item_holds_what_the_file_gives_it():
    for seed in SEED_ROADMAPS:
        path = SEED_ROADMAPS_DIR / seed.filename
        parsed = parse_roadmap_file(
            path, filename=path.name, period_start=seed.period_start, period_end=seed.period_end
        )
        stored = list(
            roadmap_of(seed.seed)
            .items.order_by("position")
            .values_list("number", "kind", "title", "deadline_text", "deadline_kind", "deadline_needs_review")
        )
        expected = [
            (
                item.number,
                str(item.kind),
                item.title,
                item.deadline_text,
                str(item.deadline.kind) if item.deadline else "",
                bool(item.deadline and item.deadline.needs_review),
            )
            for item in parsed.items
        ]
        assert stored == expected, seed.seed
        # Every activity with a deadline in the document has it parsed (or flagged for a person).
        assert (
            not roadmap_of(seed.seed)
            .items.filter(kind=ItemKind.ACTIVITY)
            .exclude(deadline_text="")
            .filter(deadline_kind="")
        )


@pytest.mark.usefixtures("demo")
def test_surgut_keeps_the_second_item_numbered_3_2_as_an_unnumbered_item_of_section_3():
    item = roadmap_of("002").items.get(title__startswith="Проведение единых методических дней")
    assert (item.number, item.parent.number) == ("", "3")


@pytest.mark.usefixtures("demo")
def test_a_second_load_adds_no_roadmap_no_item_and_no_history():
    before = snapshot()
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert snapshot() == before
    assert out.getvalue().count("уже загружена") == len(SEED_ROADMAPS)


@pytest.mark.usefixtures("demo")
def test_a_seed_whose_place_is_missing_is_skipped_with_a_note(monkeypatch):
    # A --fixture without the seed places loads the rest and says what it left out.
    nowhere = replace(SEED_ROADMAPS[0], place_code="99")
    monkeypatch.setattr(roadmaps_demo, "SEED_ROADMAPS", (nowhere,))
    before = Roadmap.objects.count()
    report = roadmaps_demo.seed_roadmaps_load()
    assert report.lines == ["004: пропущена — в демонстрационных данных нет места «99»"]
    assert Roadmap.objects.count() == before


@pytest.mark.usefixtures("demo")
def test_the_seed_target_indicators_come_with_their_yearly_values():
    from decimal import Decimal

    from roadmaps.models import TargetValue

    coverage = TargetValue.objects.filter(indicator__code="students_coverage", indicator__roadmap__region__code="02")
    assert {v.year: v.value for v in coverage} == {
        2020: Decimal(10),
        2021: Decimal(20),
        2022: Decimal(35),
        2023: Decimal(50),
        2024: Decimal(70),
    }
    programmes = TargetValue.objects.filter(
        indicator__code="programmes", indicator__roadmap__municipality__code="29-arkhangelsk"
    )
    assert sorted(v.value for v in programmes) == [Decimal(25), Decimal(35), Decimal(45)]
