"""The Excel import of hand-entered indicator values: each row checked by ``indicator_value_save`` itself."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mentorship.imports import engine
from mentorship.imports.registry import kind_for
from mentorship.tests.clock import pinned_clock
from mentorship.tests.test_imports import xlsx
from monitoring.models import IndicatorValue

HEADERS = ["Код организации", "Показатель", "Год", "Отчётный период", "Значение", "Подтверждение"]


@pytest.fixture(scope="module", autouse=True)
def _pinned_clock() -> Iterator[None]:
    with pinned_clock():
        yield


def run(user, *rows):
    return engine.run(
        kind_for("indicator-values"),
        xlsx(*rows, headers=HEADERS),
        context=engine.Context(user=user, file_name="values.xlsx"),
        commit=True,
    )


def row(org="A1", period="III квартал (сентябрь)", value=2, evidence="Приказ № 12 от 01.09.2026"):
    return [org, "Сетевые проекты по сопровождению наставничества", 2026, period, value, evidence]


def test_a_curator_imports_values_and_a_reimport_changes_nothing(world):
    report = run(world.curator_a1, row())
    assert report.written, report.errors
    assert IndicatorValue.objects.get().value == 2
    again = run(world.curator_a1, row())
    assert (again.unchanged, again.created, again.updated) == (1, 0, 0)
    edited = run(world.curator_a1, row(value="3"))
    assert edited.updated == 1
    assert IndicatorValue.objects.get().value == 3


def test_rows_are_refused_with_the_services_messages_and_nothing_is_written(world):
    report = run(
        world.curator_a1,
        row(),
        row(period="IV квартал (декабрь)"),
        row(org="B1"),
        row(period="II квартал (июнь)", evidence=""),
    )
    assert not report.written
    assert report.errors[0].startswith("Строка 3, столбец D «Отчётный период»: Период «")
    assert "ещё не начался" in report.errors[0]
    assert report.errors[1] == (
        "Строка 4, столбец A «Код организации»: организация с кодом «B1» не найдена среди доступных вам."
    )
    assert report.errors[2] == (
        "Строка 5, столбец F «Подтверждение»: Укажите подтверждение: документ, отчёт или публикацию."
    )
    assert IndicatorValue.objects.count() == 0
