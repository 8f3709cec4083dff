"""Importing a Word or Excel roadmap into the portal: the service and ``manage.py import_roadmap``."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from mentorship.errors import DomainError
from roadmaps import services
from roadmaps.importing import parse_roadmap_file
from roadmaps.models import Roadmap, RoadmapItem

from .make_seed_files import write_docx, write_xlsx

PERIOD_2021 = {"period_start": date(2021, 1, 1), "period_end": date(2021, 12, 31)}


def parsed_seed(seed: str, tmp_path: Path, writer=write_docx, **period: date):
    path = writer(seed, tmp_path / f"{seed}.{'docx' if writer is write_docx else 'xlsx'}")
    return parse_roadmap_file(path, filename=path.name, **period)


def test_municipal_officer_imports_the_bolshaya_murta_roadmap_with_every_item(world, tmp_path):
    parsed = parsed_seed("000", tmp_path, **PERIOD_2021)
    roadmap = services.roadmap_import(
        actor=world.officer_a, place=world.municipality_a, parsed=parsed, title="План мероприятий", **PERIOD_2021
    )
    items = list(roadmap.items.all())
    assert len(items) == len(parsed.items) == 49
    item = roadmap.items.get(number="1.1")
    assert (item.deadline_text, item.deadline_due, item.parent.number) == ("До 15.03.2021г.", date(2021, 3, 15), "1")
    unnumbered = roadmap.items.get(parent__number="7.1", number="")
    assert unnumbered.title.startswith("на уровне муниципалитетов")
    assert [i.number for i in items if i.number][:3] == ["1", "1.1", "1.2"]


def test_unnumbered_activities_of_the_school_roadmap_stay_under_their_stage(world, tmp_path):
    parsed = parsed_seed("003", tmp_path)
    roadmap = services.roadmap_import(actor=world.curator_a1, place=world.organisation_a1, parsed=parsed)
    assert roadmap.items.count() == len(parsed.items)
    stage = roadmap.items.get(number="1")
    assert stage.children.count() > 1
    assert not roadmap.items.filter(number="", parent__isnull=True).exists()


def test_an_excel_roadmap_imports_like_the_word_one(world, tmp_path):
    parsed = parsed_seed("001", tmp_path, writer=write_xlsx)
    roadmap = services.roadmap_import(actor=world.officer_a, place=world.municipality_a, parsed=parsed)
    assert (roadmap.period_start, roadmap.period_end) == (parsed.period_start, parsed.period_end)
    assert roadmap.goal.startswith("успешное закрепление")
    assert roadmap.items.count() == 33


def test_a_file_with_a_blocking_problem_writes_nothing(world, tmp_path):
    parsed = parsed_seed("002", tmp_path)  # the real document numbers two items «3.2»
    before = (Roadmap.objects.count(), RoadmapItem.objects.count())
    with pytest.raises(DomainError, match=r"ничего не записано.*3\.2"):
        services.roadmap_import(actor=world.officer_a, place=world.municipality_a, parsed=parsed)
    assert (Roadmap.objects.count(), RoadmapItem.objects.count()) == before


def test_an_officer_cannot_import_into_another_municipality(world, tmp_path):
    parsed = parsed_seed("000", tmp_path, **PERIOD_2021)
    before = Roadmap.objects.count()
    with pytest.raises(PermissionDenied):
        services.roadmap_import(actor=world.officer_a, place=world.municipality_b, parsed=parsed, **PERIOD_2021)
    assert Roadmap.objects.count() == before


def test_import_without_a_period_asks_for_one(world, tmp_path):
    parsed = parsed_seed("000", tmp_path)  # the order's appendix never states its period
    with pytest.raises(DomainError, match="период"):
        services.roadmap_import(actor=world.officer_a, place=world.municipality_a, parsed=parsed)


def test_dry_run_prints_one_json_object_per_item_and_writes_nothing(world, tmp_path):
    path = write_docx("004", tmp_path / "004.docx")
    out = io.StringIO()
    before = Roadmap.objects.count()
    code = world.region_r.code
    call_command("import_roadmap", str(path), "--region", code, "--dry-run", stdout=out, stderr=io.StringIO())
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(rows) == 19
    assert rows[0]["number"] == "1"
    assert rows[0]["deadline_text"].startswith("до 1 мая 2020 г.")
    assert {"number", "title", "deadline_text", "deadline", "responsible", "result"} <= rows[0].keys()
    assert Roadmap.objects.count() == before


def test_command_imports_for_the_user_named(world, tmp_path):
    path = write_docx("003", tmp_path / "003.docx")
    out = io.StringIO()
    call_command(
        "import_roadmap", str(path), "--org", world.organisation_a1.code, "--user", world.curator_a1.username,
        stdout=out, stderr=io.StringIO(),
    )  # fmt: skip
    roadmap = Roadmap.objects.filter(organisation=world.organisation_a1).latest("pk")
    assert roadmap.created_by == world.curator_a1
    assert "Загружена дорожная карта" in out.getvalue()


def test_command_refuses_a_renamed_text_file_with_a_russian_message(world, tmp_path):
    fake = tmp_path / "карта.docx"
    fake.write_text("это не документ Word", encoding="utf-8")
    before = Roadmap.objects.count()
    with pytest.raises(CommandError, match="ничего не записано"):
        call_command("import_roadmap", str(fake), "--org", world.organisation_a1.code, stderr=io.StringIO())
    assert Roadmap.objects.count() == before


def test_command_names_an_unknown_place_code(world, tmp_path):
    path = write_docx("003", tmp_path / "003.docx")
    with pytest.raises(CommandError, match="Не найдено: образовательная организация"):
        call_command("import_roadmap", str(path), "--org", "НЕТ-ТАКОГО")
