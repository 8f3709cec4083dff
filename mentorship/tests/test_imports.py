"""The Excel import engine on the people kind: bad files, all-or-nothing, idempotence, scope, the form's messages."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from mentorship.imports import engine
from mentorship.imports.reading import OLE_SIGNATURE
from mentorship.imports.registry import kind_for
from mentorship.models import ImportJob, ImportStatus

from .clock import pinned_clock

# The model the people kind writes, asked of the kind: the core's tests name no app's model.
Person = kind_for("people").resource_class._meta.model

HEADERS = ["Код организации", "Кто это", "Фамилия", "Имя", "Отчество", "Дата рождения", "Внешний идентификатор"]


@pytest.fixture(scope="module", autouse=True)
def _pinned_clock() -> Iterator[None]:
    """Today is 23.11.2026 in Moscow for every date rule here (``mentorship/tests/clock.py``)."""
    with pinned_clock():
        yield


def xlsx(*rows: list[Any], headers: list[str] | None = HEADERS, merge: str = "") -> io.BytesIO:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if headers is not None:
        sheet.append(headers)
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def student(surname: str, name: str = "Иван", born: Any = date(2012, 3, 14), org: str = "A1", ext: Any = "") -> list:
    return [org, "Обучающийся", surname, name, "", born, ext]


def run(user: Any, handle: io.BytesIO, *, commit: bool = True, org: str = "", name: str = "people.xlsx") -> Any:
    handle.seek(0)
    context = engine.Context(user=user, file_name=name, organisation_code=org)
    return engine.run(kind_for("people"), handle, context=context, commit=commit)


def people(world: Any) -> int:
    return Person.objects.filter(organisation__in=[world.organisation_a1, world.organisation_b1]).count()


# --- a good file ---------------------------------------------------------------------------------------


def test_a_curator_imports_new_people_into_their_school(world):
    report = run(world.curator_a1, xlsx(student("Иванов"), student("Петрова", "Анна")))
    assert report.ok
    assert report.written
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    assert set(Person.objects.filter(organisation=world.organisation_a1).values_list("surname", flat=True)) == {
        "Иванов",
        "Петрова",
    }


def test_imported_people_stay_in_the_change_history_with_the_importer_and_the_file(world):
    run(world.curator_a1, xlsx(student("Иванов")), name="список 8Б.xlsx")
    record = Person.history.get(surname="Иванов")
    assert record.history_type == "+"
    assert record.history_user == world.curator_a1
    assert "список 8Б.xlsx" in record.history_change_reason


def test_reimporting_the_same_file_changes_nothing(world):
    file = xlsx(student("Иванов", ext=1001), student("Петрова", "Анна"))
    run(world.curator_a1, file)
    history = Person.history.count()
    again = run(world.curator_a1, file)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert Person.history.count() == history
    assert people(world) == 2


def test_an_edited_file_updates_only_the_changed_rows(world):
    run(world.curator_a1, xlsx(student("Иванов", ext="E1"), student("Петрова", "Анна", ext="E2")))
    # The external id now typed as text, one surname changed (married): matched by the external id.
    report = run(world.curator_a1, xlsx(student("Иванов", ext="E1"), student("Сидорова", "Анна", ext="E2")))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert Person.objects.get(external_id="E2").surname == "Сидорова"
    assert people(world) == 2
    assert Person.history.filter(external_id="E2").latest("history_id").history_type == "~"


def test_people_without_external_id_are_matched_by_name_and_birth_date(world):
    run(world.curator_a1, xlsx(student("Иванов")))
    report = run(world.curator_a1, xlsx(student("Иванов", ext="EJ-7")))
    assert (report.created, report.updated) == (0, 1)
    assert Person.objects.get(surname="Иванов").external_id == "EJ-7"


def test_the_organisation_may_come_from_the_command_line_instead_of_a_column(world):
    headers = HEADERS[1:]
    report = run(world.curator_a1, xlsx(student("Иванов")[1:], headers=headers), org="A1")
    assert report.written
    assert Person.objects.get(surname="Иванов").organisation == world.organisation_a1


def test_headers_in_another_order_title_rows_above_and_spelling_variants_are_accepted(world):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Список обучающихся МОБУ СОШ с. Булгаково"])
    sheet.append(["на 01.09.2026"])
    sheet.append([])
    sheet.append(["ФАМИЛИЯ", "Имя ", "Дата рождения*", "Код ОО", "Категория участника"])
    sheet.append(["Иванов", "Иван", "14.03.2012", "A1", "обучающийся"])
    sheet.merge_cells("A1:E1")
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = run(world.curator_a1, buffer)
    assert report.ok, report.errors
    assert Person.objects.get(surname="Иванов").birth_date == date(2012, 3, 14)


@pytest.mark.parametrize("born", ["14.03.2012", "2012-03-14", 40982, "40982", datetime(2012, 3, 14)])
def test_dates_as_text_or_excel_serials_are_read(world, born):
    report = run(world.curator_a1, xlsx(student("Иванов", born=born)))
    assert report.ok, report.errors
    assert Person.objects.get(surname="Иванов").birth_date == date(2012, 3, 14)


def test_numbers_stored_as_text_or_as_numbers_are_the_same_external_id(world):
    run(world.curator_a1, xlsx(student("Иванов", ext=1001.0)))
    assert Person.objects.get(surname="Иванов").external_id == "1001"
    report = run(world.curator_a1, xlsx(student("Иванов", ext=" 1001 ")))
    assert report.unchanged == 1


# --- all or nothing ------------------------------------------------------------------------------------


def test_one_bad_row_means_nothing_is_written(world):
    report = run(world.curator_a1, xlsx(student("Иванов"), student("Петров", born="вчера"), student("Сидоров")))
    assert not report.written
    assert report.errors == ["Строка 3, столбец F «Дата рождения»: «вчера» — не дата; укажите дату в виде ДД.ММ.ГГГГ."]
    assert (report.created, report.error_count) == (2, 1)
    assert people(world) == 0


def test_every_row_with_an_error_is_reported_with_its_row_and_column(world):
    report = run(
        world.curator_a1,
        xlsx(
            ["A1", "Кот", "Иванов", "Иван", "", date(2012, 1, 1), ""],
            ["A1", "Обучающийся", "", "Иван", "", date(2012, 1, 1), ""],
            ["A1", "Обучающийся", "Петров", "Пётр", "", date(2012, 1, 1), "=1+1"],
        ),
    )
    assert report.error_count == 3
    assert report.errors[0].startswith("Строка 2, столбец B «Кто это»: «Кот» — нет в списке")
    assert report.errors[1].startswith("Строка 3, столбец C «Фамилия»: ")
    assert report.errors[2] == (
        "Строка 4, столбец G «Внешний идентификатор»: в ячейке формула; впишите значение, формулы не импортируются."
    )
    assert people(world) == 0


def test_duplicates_inside_the_file_are_errors(world):
    report = run(world.curator_a1, xlsx(student("Иванов"), student("Петров", ext="X"), student("Иванов")))
    assert report.errors == [
        "Строка 4, столбец C «Фамилия»: этот участник уже есть в файле в строке 2; оставьте одну строку."
    ]
    report = run(world.curator_a1, xlsx(student("Иванов", ext="X"), student("Петров", ext="X")))
    assert report.errors == [
        "Строка 3, столбец G «Внешний идентификатор»: этот участник уже есть в файле в строке 2; оставьте одну строку."
    ]
    assert people(world) == 0


# --- the same rules and messages as the form ----------------------------------------------------------


def test_a_birth_date_in_the_future_is_refused_with_the_services_message(world):
    report = run(world.curator_a1, xlsx(student("Иванов", born=date(2027, 1, 5))))
    assert report.errors == ["Строка 2, столбец F «Дата рождения»: Дата рождения 05.01.2027 ещё не наступила."]


def test_a_student_without_a_birth_date_is_refused_like_in_the_form(world):
    report = run(world.curator_a1, xlsx(student("Иванов", born=None)))
    assert report.errors == [
        "Строка 2, столбец F «Дата рождения»: Укажите дату рождения обучающегося: "
        "по ней определяется, кто подписывает согласие."
    ]


def test_field_validators_of_the_model_apply(world):
    headers = [*HEADERS, "Электронная почта"]
    report = run(world.curator_a1, xlsx([*student("Иванов"), "не-почта"], headers=headers))
    assert report.errors == ["Строка 2, столбец H «Электронная почта»: Введите правильный адрес электронной почты."]


# --- scope ---------------------------------------------------------------------------------------------


def test_a_row_for_another_school_is_an_error_of_that_row(world):
    report = run(world.curator_a1, xlsx(student("Иванов"), student("Белова", org="B1")))
    assert report.errors == [
        "Строка 3, столбец A «Код организации»: организация с кодом «B1» не найдена среди тех, "
        "в которые вам разрешено вносить участников."
    ]
    assert people(world) == 0


def test_an_unknown_organisation_code_reads_like_a_foreign_one(world):
    report = run(world.curator_a1, xlsx(student("Иванов", org="NOPE")))
    assert "организация с кодом «NOPE» не найдена" in report.errors[0]


def test_a_municipal_officer_who_only_views_people_cannot_import_them(world):
    report = run(world.officer_a, xlsx(student("Иванов")))
    assert report.error_count == 1
    assert not report.written


def test_a_regional_coordinator_only_views_people_too_while_the_administrator_imports_anywhere(world):
    assert not run(world.regional_coordinator, xlsx(student("Иванов"))).written
    assert run(world.superuser, xlsx(student("Иванов"), student("Белова", org="B1"))).written


# --- bad files -----------------------------------------------------------------------------------------


def refused(world: Any, handle: io.BytesIO, name: str = "people.xlsx") -> str:
    report = run(world.curator_a1, handle, name=name)
    assert not report.written
    assert report.error_count == 1
    assert people(world) == 0
    return report.errors[0]


def test_a_file_that_is_not_a_workbook_is_refused(world):
    message = refused(world, io.BytesIO("Фамилия;Имя\nИванов;Иван\n".encode()), name="список.txt")
    assert message == (
        "Файл «список.txt» не является книгой Excel (.xlsx). "
        "Скачайте шаблон, заполните его и загрузите в формате .xlsx."
    )


def test_a_renamed_text_file_is_refused(world):
    assert "не является книгой Excel" in refused(world, io.BytesIO(b"plain text, renamed to .xlsx"))


def test_an_empty_file_is_refused(world):
    assert refused(world, io.BytesIO(b"")) == "Файл «people.xlsx» пустой."


def test_a_corrupt_zip_is_refused(world):
    good = xlsx(student("Иванов")).getvalue()
    assert "повреждён" in refused(world, io.BytesIO(good[: len(good) // 2]))


def test_a_zip_that_is_not_a_workbook_is_refused(world):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert "не книга Excel" in refused(world, buffer)


def test_a_password_protected_workbook_is_refused(world):
    # An encrypted .xlsx is an OLE compound file holding EncryptionInfo and EncryptedPackage streams.
    body = OLE_SIGNATURE + bytes(504) + "EncryptionInfo".encode("utf-16-le") + bytes(64)
    assert "защищён паролем" in refused(world, io.BytesIO(body))


def test_an_old_xls_workbook_is_refused_with_a_hint(world):
    assert "Excel 97–2003" in refused(world, io.BytesIO(OLE_SIGNATURE + bytes(1024)))


@override_settings(IMPORT_MAX_UNPACKED_SIZE=2 * 1024 * 1024)
def test_a_zip_bomb_is_refused_before_parsing(world):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", bytes(20 * 1024 * 1024))
    assert len(buffer.getvalue()) < 100_000
    assert "архивную бомбу" in refused(world, buffer)


def test_a_sheet_claiming_a_million_rows_is_refused_before_reading_them(world):
    buffer = rewrite_sheet(xlsx(student("Иванов")), rb'<dimension ref="[^"]+"', b'<dimension ref="A1:G1000000"')
    assert "1 000 000 строк" in refused(world, buffer)


def rewrite_sheet(handle: io.BytesIO, pattern: bytes, replacement: bytes) -> io.BytesIO:
    source = zipfile.ZipFile(handle)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(pattern, replacement, data)
            target.writestr(item, data)
    return buffer


@override_settings(IMPORT_MAX_ROWS=3)
def test_rows_beyond_the_cap_are_refused_even_when_the_sheet_does_not_declare_them(world):
    undeclared = rewrite_sheet(xlsx(*(student(f"Иванов{i}") for i in range(25))), rb"<dimension [^>]+/>", b"")
    assert refused(world, undeclared) == "На листе «Sheet» больше 3 строк с данными. Разделите файл на части."


@override_settings(IMPORT_MAX_FILE_SIZE=1000)
def test_a_file_over_the_size_limit_is_refused(world):
    assert "слишком большой" in refused(world, xlsx(student("Иванов")))


def test_a_missing_column_is_refused(world):
    message = refused(world, xlsx(["A1", "Обучающийся", "Иванов"], headers=HEADERS[:3]))
    assert message == (
        "Строка заголовков (1): нет обязательных столбцов «Имя». Каждый столбец должен быть подписан "
        "в своей ячейке (без объединённых ячеек), как в шаблоне."
    )


def test_an_extra_column_is_refused(world):
    message = refused(world, xlsx([*student("Иванов"), "5"], headers=[*HEADERS, "Любимый цвет"]))
    assert message == "Лишний столбец «Любимый цвет» (столбец H): такого столбца нет в шаблоне."


def test_merged_header_cells_are_refused_with_a_hint(world):
    headers = ["Код организации", "Кто это", "ФИО", None, "Дата рождения"]
    message = refused(
        world, xlsx(["A1", "Обучающийся", "Иванов", "Иван", date(2012, 1, 1)], headers=headers, merge="C1:D1")
    )
    assert "Лишний столбец «ФИО»" in message
    assert "без объединённых ячеек" in message


def test_a_sheet_without_data_rows_is_refused(world):
    assert refused(world, xlsx()) == "В файле нет ни одной строки с данными под строкой заголовков."


def test_a_sheet_without_any_known_header_is_refused(world):
    message = refused(world, xlsx(["a", "b"], headers=["Номер", "Что-то"]))
    assert message.startswith("На листе «Sheet» не найдена строка заголовков")


# --- the command ---------------------------------------------------------------------------------------


def save(tmp_path: Any, handle: io.BytesIO, name: str = "people.xlsx") -> str:
    path = tmp_path / name
    path.write_bytes(handle.getvalue())
    return str(path)


def test_the_command_imports_a_file_and_logs_it(world, tmp_path, capsys):
    path = save(tmp_path, xlsx(student("Иванов")[1:], headers=HEADERS[1:]))
    call_command("import_people", path, "--org", "A1")
    assert "создано: 1" in capsys.readouterr().out
    job = ImportJob.objects.get()
    assert (job.status, job.created_count, job.file_name, len(job.sha256)) == (ImportStatus.DONE, 1, "people.xlsx", 64)
    assert Person.objects.filter(surname="Иванов").exists()


def test_the_commands_dry_run_writes_nothing(world, tmp_path, capsys):
    call_command("import_people", save(tmp_path, xlsx(student("Иванов"))), "--dry-run")
    assert "будет создано: 1" in capsys.readouterr().out
    assert people(world) == 0


def test_the_command_exits_non_zero_with_the_row_errors(world, tmp_path, capsys):
    path = save(tmp_path, xlsx(student("Иванов"), student("Петров", born="вчера")))
    with pytest.raises(CommandError, match="Ничего не записано"):
        call_command("import_people", path)
    assert "Строка 3, столбец F «Дата рождения»" in capsys.readouterr().err
    assert people(world) == 0
    assert ImportJob.objects.get().status == ImportStatus.INVALID


def test_the_command_runs_with_a_users_scope_when_asked(world, tmp_path):
    path = save(tmp_path, xlsx(student("Белова", org="B1")))
    with pytest.raises(CommandError):
        call_command("import_people", path, "--user", world.curator_a1.username)
    assert people(world) == 0
