"""Reading roadmaps from Word and Excel: the five seed layouts in both formats, then bad files."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date
from pathlib import Path

import docx
import openpyxl
import pytest
from django.test import override_settings

from roadmaps import importing
from roadmaps.choices import ItemKind
from roadmaps.deadlines import DeadlineKind, Recurrence
from roadmaps.importing import ParsedItem, ParsedRoadmap, Severity, parse_roadmap_file
from roadmaps.tests.make_seed_files import write_docx, write_xlsx

K = DeadlineKind

HEADER = ["№ п/п", "Наименование мероприятия", "Сроки", "Ответственный исполнитель", "Результат"]


@pytest.fixture(params=["docx", "xlsx"])
def fmt(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def parse_seed(tmp_path: Path, fmt: str):
    def parse(seed: str, **period: date) -> ParsedRoadmap:
        writer = write_docx if fmt == "docx" else write_xlsx
        path = writer(seed, tmp_path / f"{seed}.{fmt}")
        return parse_roadmap_file(path, filename=path.name, **period)

    return parse


def by_number(parsed: ParsedRoadmap, number: str) -> ParsedItem:
    (item,) = [item for item in parsed.items if item.number == number]
    return item


def by_title(parsed: ParsedRoadmap, start: str) -> ParsedItem:
    (item,) = [item for item in parsed.items if item.title.startswith(start)]
    return item


def sections(parsed: ParsedRoadmap) -> list[str]:
    return [item.number for item in parsed.items if item.kind is ItemKind.SECTION]


def activities(parsed: ParsedRoadmap) -> list[ParsedItem]:
    return [item for item in parsed.items if item.kind is ItemKind.ACTIVITY]


def docx_bytes(rows: list[list[str]], heading: tuple[str, ...] = ()) -> bytes:
    document = docx.Document()
    for line in heading:
        document.add_paragraph(line)
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for row, cells in zip(table.rows, rows, strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def parse_bytes(data: bytes, filename: str = "карта.docx", **options) -> ParsedRoadmap:
    return parse_roadmap_file(io.BytesIO(data), filename=filename, **options)


def only_error(parsed: ParsedRoadmap) -> str:
    (error,) = parsed.errors
    assert not parsed.ok
    assert parsed.items == []
    return str(error)


# --- seed 000: an order, then the appendix table (tabs, column numbers, page breaks) ----


def test_seed_000_reads_forty_activities_in_nine_sections(parse_seed) -> None:
    parsed = parse_seed("000")

    assert len(activities(parsed)) == 40
    assert sections(parsed) == ["1", "2", "3", "4", "5", "6", "7", "7.1", "7.2"]
    assert parsed.title == (
        "План мероприятий (дорожная карта) по разработке и внедрению методологии "
        "(целевой модели) наставничества для образовательных организаций Большемуртинского района"
    )


def test_seed_000_item_keeps_its_deadline_responsible_and_result(parse_seed) -> None:
    item = by_number(parse_seed("000"), "1.1")

    assert item.title == "Утверждение состава муниципальной рабочей группы по внедрению ЦМН в 2021 г."
    assert item.parent == "1"
    assert item.deadline_text == "До 15.03.2021г."
    assert (item.deadline.kind, item.deadline.end) == (K.BY_DATE, date(2021, 3, 15))
    assert item.responsible == "С.Г. Максименко"
    assert item.result == "Приказ УО"


def test_seed_000_row_cut_by_a_page_break_is_joined_to_its_item(parse_seed) -> None:
    item = by_number(parse_seed("000"), "2.5")

    assert item.title == (
        "Разработка программно-методических материалов на уровне образовательных "
        "организаций, необходимых для реализации целевой модели наставничества"
    )


def test_seed_000_unnumbered_row_after_7_1_1_is_its_own_item_in_7_1(parse_seed) -> None:
    parsed = parse_seed("000")
    item = by_title(parsed, "на уровне муниципалитетов")

    assert (item.number, item.parent, item.kind) == ("", "7.1", ItemKind.ACTIVITY)
    assert item.deadline_text == "С сентября по декабрь 2021 г."
    assert item.responsible == "УО"
    assert parsed.items.index(item) == parsed.items.index(by_number(parsed, "7.1.1")) + 1


def test_seed_000_list_in_a_title_cell_becomes_the_content_line_by_line(parse_seed) -> None:
    item = by_number(parse_seed("000"), "1.9")

    assert item.title.endswith("о внедрении ЦМН на уровне образовательных организаций, включающие:")
    assert item.content.splitlines()[0] == "- сроки внедрения ЦМН в образовательной организации;"
    assert len(item.content.splitlines()) == 6


def test_seed_000_months_without_a_year_are_flagged_when_the_period_is_unknown(parse_seed, fmt: str) -> None:
    parsed = parse_seed("000")
    row = 21 if fmt == "docx" else 54  # Excel counts the 33 heading lines above the table too
    expected = f"Строка {row}, столбец «Сроки»: В сроке «март-апрель» не указан год"

    assert parsed.ok
    assert by_number(parsed, "2.5").deadline.needs_review
    assert by_number(parsed, "2.5").row == row
    assert any(str(problem).startswith(expected) for problem in parsed.warnings)


def test_seed_000_months_take_the_year_of_the_period_given(parse_seed) -> None:
    parsed = parse_seed("000", period_start=date(2021, 1, 1), period_end=date(2021, 12, 31))

    assert parsed.warnings == []
    assert (parsed.period_start, parsed.period_end) == (date(2021, 1, 1), date(2021, 12, 31))
    deadline = by_number(parsed, "2.5").deadline
    assert (deadline.kind, deadline.start, deadline.end) == (K.MONTH_RANGE, date(2021, 3, 1), date(2021, 4, 30))


# --- seed 001: one cell per line, goal and tasks above the table ------------------------


def test_seed_001_reads_title_period_goal_and_tasks(parse_seed) -> None:
    parsed = parse_seed("001")

    assert parsed.title.startswith('Комплекс мер ("Дорожная карта") по внедрению и реализации системы')
    assert parsed.title.endswith("на 2023 – 2025 гг.")
    assert (parsed.period_start, parsed.period_end) == (date(2023, 1, 1), date(2025, 12, 31))
    assert parsed.goal.startswith("успешное закрепление на месте работы или в должности молодого педагога")
    assert len(parsed.tasks) == 5
    assert parsed.tasks[-1] == "ускорить процесс профессионального становления учителя."


def test_seed_001_reads_twenty_seven_activities_in_six_sections(parse_seed) -> None:
    parsed = parse_seed("001")

    assert len(activities(parsed)) == 27
    assert sections(parsed) == ["1", "2", "3", "4", "5", "6"]
    assert by_number(parsed, "6").title == 'Целевые индикаторы реализации "Дорожной карты"'


def test_seed_001_multi_line_cells_keep_their_lines(parse_seed) -> None:
    parsed = parse_seed("001")
    item = by_number(parsed, "1.1")

    assert item.responsible == "Ростовская Е.В.\nМалинина Я.Н."
    assert item.result == 'Наличие муниципальной "Дорожной карты"'
    assert (item.deadline.kind, item.deadline.start) == (K.MONTH, date(2023, 2, 1))
    assert (
        by_number(parsed, "6.1").content
        == "- 2023 год – не менее 25;\n- 2024 год – не менее 35;\n- 2025 год – не менее 45"
    )


def test_seed_001_only_the_ambiguous_deadline_is_a_warning(parse_seed) -> None:
    parsed = parse_seed("001")

    assert parsed.ok
    assert [(problem.row is not None, problem.column) for problem in parsed.warnings] == [(True, "Сроки")]
    assert "В течение года, август-сентябрь" in str(parsed.warnings[0])


# --- seed 002: a two-row header, plan dates, whom and when to inform ---------------------


def test_seed_002_reads_thirty_activities_in_six_sections(parse_seed) -> None:
    parsed = parse_seed("002")

    assert len(activities(parsed)) == 30
    assert sections(parsed) == ["1", "2", "3", "4", "5", "6"]
    assert (parsed.period_start, parsed.period_end) == (date(2023, 1, 1), date(2024, 12, 31))


def test_seed_002_duplicate_number_3_2_blocks_the_import_naming_both_rows(parse_seed, fmt: str) -> None:
    parsed = parse_seed("002")
    first, second = (26, 24) if fmt == "docx" else (32, 30)

    assert not parsed.ok
    assert [str(error) for error in parsed.errors] == [
        f"Строка {first}, столбец «№»: номер «3.2» повторяется: он уже есть в строке {second}. "
        "Исправьте нумерацию в файле."
    ]


def test_seed_002_reads_document_type_and_whom_and_when_to_inform(parse_seed) -> None:
    item = by_number(parse_seed("002"), "1.4")

    assert item.result.startswith("Работа куратора в соответствии с общими требованиями")
    assert item.document_type == "Приказ"
    assert (item.inform_whom, item.inform_when) == ("МКУ «ИМЦ»", "11.09.2023")
    assert item.responsible == "Руководители ОО"


def test_seed_002_plan_dates_come_from_the_start_and_end_column(parse_seed) -> None:
    item = by_number(parse_seed("002"), "2.3")

    assert item.deadline_text == "2023-2024"
    assert (item.plan_start, item.plan_end) == (date(2023, 1, 1), date(2024, 12, 31))


def test_seed_002_cells_cut_by_a_page_break_are_joined(parse_seed) -> None:
    parsed = parse_seed("002")
    item = by_number(parsed, "1.6")

    assert item.title == "Организация работы муниципального наставнического центра"
    assert item.deadline_text == "Сентябрь\n2023"
    assert (item.deadline.kind, item.deadline.start) == (K.MONTH, date(2023, 9, 1))
    assert item.result == "График заседаний муниципального\nнаставнического центра"
    assert by_number(parsed, "5.2").deadline.kind is K.CONTINUOUS


def test_seed_002_unnumbered_case_after_3_4_belongs_to_section_3(parse_seed) -> None:
    item = by_title(parse_seed("002"), "Проектный интенсив")

    assert (item.number, item.parent) == ("", "3")
    assert (item.deadline.kind, item.deadline.end) == (K.EXACT_DATE, date(2023, 9, 27))


# --- seed 003: stages, activities and their content, a school year --------------------


def test_seed_003_stages_become_sections_and_activities_their_items(parse_seed) -> None:
    parsed = parse_seed("003")

    assert sections(parsed) == ["1", "2", "3", "4", "5", "6", "7"]
    assert len(activities(parsed)) == 24
    assert all(item.number == "" for item in activities(parsed))
    first = by_title(parsed, "Изучение и систематизация")
    assert first.parent == "1"
    assert first.content.startswith("1. Изучение Распоряжения Министерства просвещения")


def test_seed_003_period_is_the_school_year_of_the_title(parse_seed) -> None:
    parsed = parse_seed("003")

    assert parsed.title.endswith("на2023– 2024учебный год")
    assert (parsed.period_start, parsed.period_end) == (date(2023, 9, 1), date(2024, 8, 31))
    deadline = by_title(parsed, "Выбор форм и программ").deadline
    assert (deadline.kind, deadline.start, deadline.end) == (K.CONTINUOUS, date(2023, 9, 1), date(2024, 8, 31))


def test_seed_003_step_with_its_own_deadline_is_an_item_titled_by_the_step(parse_seed) -> None:
    item = by_title(parse_seed("003"), "2. Проведение административного совещания")

    assert item.parent == "1"
    assert item.deadline_text == "Апрель\n2023год"


def test_seed_003_content_cut_by_a_page_break_is_joined(parse_seed) -> None:
    parsed = parse_seed("003")

    assert by_title(parsed, "Подготовка нормативной базы").content.endswith("(издание\nприказа).")
    joined = by_title(parsed, "Организация текущего контроля")
    assert joined.title == "Организация текущего контроля достижения планируемых результатов наставниками"


# --- seed 004: no number column, three columns ------------------------------------------


def test_seed_004_numbers_come_from_the_title_cells(parse_seed) -> None:
    parsed = parse_seed("004")

    assert [item.number for item in parsed.items] == [str(n) for n in range(1, 20)]
    assert sections(parsed) == []
    assert parsed.ok
    assert parsed.warnings == []
    assert by_number(parsed, "1").title.startswith("Определить перечень общеобразовательных организаций")


def test_seed_004_recurring_deadline_and_responsible_bodies(parse_seed) -> None:
    item = by_number(parse_seed("004"), "6")

    assert item.responsible == "Министерство образования и науки РБ,\nГАУ ДПО ИРО РБ"
    assert (item.deadline.kind, item.deadline.recurrence) == (K.RECURRING, Recurrence.YEARLY)
    assert item.deadline.start == date(2020, 7, 1)


def test_seed_004_target_values_of_item_18_are_its_content(parse_seed) -> None:
    item = by_number(parse_seed("004"), "18")

    assert item.title.endswith("в различные формы сопровождения и наставничества:")
    assert item.content.splitlines()[-1] == "до конца 2024 г. - не менее 70% обучающихся;"


def test_item_as_dict_is_json_ready_for_the_dry_run(parse_seed) -> None:
    line = json.dumps(by_number(parse_seed("004"), "1").as_dict(), ensure_ascii=False)
    read_back = json.loads(line)

    assert read_back["number"] == "1"
    assert read_back["title"].startswith("Определить перечень общеобразовательных организаций")
    assert read_back["deadline_text"] == "до 1 мая 2020 г. (далее ежегодно)"
    assert read_back["deadline"]["kind"] == "recurring"
    assert read_back["deadline"]["end"] == "2020-05-01"
    assert read_back["responsible"].startswith("Руководители органов местного самоуправления")
    assert read_back["result"] == ""


# --- layouts beyond the seeds ------------------------------------------------------------


def test_file_type_is_told_by_content_not_by_extension(tmp_path: Path) -> None:
    path = write_docx("004", tmp_path / "004.docx")

    parsed = parse_bytes(path.read_bytes(), filename="карта.xlsx")

    assert parsed.file_type == "docx"
    assert len(parsed.items) == 19


def test_vertically_merged_number_and_stage_cells_count_once() -> None:
    document = docx.Document()
    table = document.add_table(rows=3, cols=5)
    for cell, text in zip(table.rows[0].cells, ["№", "Этап", "Мероприятия", "Сроки", "Ответственные"], strict=True):
        cell.text = text
    table.cell(1, 0).merge(table.cell(2, 0)).text = "1."
    table.cell(1, 1).merge(table.cell(2, 1)).text = "Подготовка"
    for row, (title, when) in zip(table.rows[1:], [("Приказ", "Апрель 2023"), ("Положение", "Май 2023")], strict=True):
        row.cells[2].text, row.cells[3].text, row.cells[4].text = title, when, "Директор"
    buffer = io.BytesIO()
    document.save(buffer)

    parsed = parse_bytes(buffer.getvalue())

    assert parsed.ok
    assert [(item.kind, item.number, item.title, item.parent) for item in parsed.items] == [
        (ItemKind.SECTION, "1", "Подготовка", None),
        (ItemKind.ACTIVITY, "", "Приказ", "1"),
        (ItemKind.ACTIVITY, "", "Положение", "1"),
    ]


def test_header_repeated_after_a_page_break_and_column_numbers_are_skipped() -> None:
    rows = [
        HEADER,
        ["1", "2", "3", "4", "5"],
        ["1.1", "Приказ", "до 01.03.2021", "УО", "Приказ"],
        ["№ п/п", "Наименование мероприятия", "Сроки", "Ответственный исполнитель", "Результат"],
        ["1.2", "Положение", "до 01.04.2021", "ОО", "Положение"],
    ]

    parsed = parse_bytes(docx_bytes(rows, heading=("УТВЕРЖДАЮ", "Директор", "")))

    assert parsed.ok
    assert parsed.problems == []
    assert [item.number for item in parsed.items] == ["1.1", "1.2"]


def test_headers_match_whatever_their_case_spacing_and_punctuation() -> None:
    rows = [
        ["N", "МЕРОПРИЯТИЕ", "срок  реализации", "Ответственные исполнители:", "форма представления результата"],
        ["", "Приказ", "март 2021", "УО", "Приказ УО"],
    ]

    parsed = parse_bytes(docx_bytes(rows))

    (item,) = parsed.items
    assert (item.title, item.deadline_text, item.responsible, item.result) == ("Приказ", "март 2021", "УО", "Приказ УО")


# --- bad input ---------------------------------------------------------------------------


def test_renamed_text_file_is_refused_as_not_word_or_excel() -> None:
    message = only_error(parse_bytes("1. Приказ\tдо 01.03.2021".encode(), filename="карта.docx"))

    assert message.startswith("Файл «карта.docx» не является документом Word (.docx) или Excel (.xlsx).")


def test_empty_file_is_refused() -> None:
    assert only_error(parse_bytes(b"")) == "Файл пуст."


def test_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    path = write_docx("004", tmp_path / "004.docx")

    from_disk = only_error(parse_roadmap_file(path, filename="004.docx", max_bytes=2048))
    uploaded = only_error(parse_bytes(path.read_bytes(), max_bytes=2048))

    assert from_disk == uploaded == ("Файл больше 2 КБ: загрузите дорожную карту без вложенных картинок и приложений.")


@override_settings(IMPORT_MAX_FILE_SIZE=3 * 1024 * 1024)
def test_the_size_limit_is_the_uploads_setting() -> None:
    assert only_error(parse_bytes(bytes(3 * 1024 * 1024 + 1))).startswith("Файл больше 3 МБ")
    assert "больше" not in only_error(parse_bytes(bytes(3 * 1024 * 1024)))


def test_corrupt_zip_is_refused_as_damaged(tmp_path: Path) -> None:
    data = write_docx("004", tmp_path / "004.docx").read_bytes()

    message = only_error(parse_bytes(data[: len(data) // 2]))

    assert message.startswith("Файл «карта.docx» повреждён")


def test_docx_with_damaged_xml_is_refused_without_an_exception() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document><unclosed>")

    message = only_error(parse_bytes(buffer.getvalue()))

    assert message.startswith("Файл «карта.docx» повреждён")


def test_zip_that_is_not_an_office_document_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "не дорожная карта")

    assert "архив, но не документ Word" in only_error(parse_bytes(buffer.getvalue()))


def test_password_protected_file_is_refused_with_advice() -> None:
    # What Word writes for an encrypted .docx: an OLE container holding an «EncryptionInfo» stream.
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "EncryptionInfo".encode("utf-16-le") + bytes(64)

    assert only_error(parse_bytes(data)) == (
        "Файл защищён паролем. Снимите пароль в Word или Excel и загрузите файл ещё раз."
    )


def test_old_doc_file_is_refused_with_advice_to_save_as_docx() -> None:
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024)

    assert "старого формата (.doc или .xls)" in only_error(parse_bytes(data, filename="карта.doc"))


def test_zip_bomb_is_refused_before_unpacking() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as member:
            for _ in range(60):
                member.write(bytes(1024 * 1024))

    assert len(buffer.getvalue()) < 1024 * 1024
    assert "слишком большой объём данных" in only_error(parse_bytes(buffer.getvalue()))


@override_settings(ROADMAP_IMPORT_MAX_UNPACKED_SIZE=1024 * 1024)
def test_the_unpacked_limit_is_the_roadmap_setting() -> None:
    data = docx_bytes(
        [["№", "Наименование мероприятия", "Сроки"], ["1", "Приказ " + "о наставничестве " * 70_000, "2024"]]
    )

    assert "слишком большой объём данных" in only_error(parse_bytes(data))


def test_sheet_claiming_a_million_rows_stops_at_the_row_limit() -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(["1", "Приказ", "до 01.03.2021", "УО", "Приказ"])
    sheet.cell(row=1_000_000, column=1, value="конец")
    buffer = io.BytesIO()
    workbook.save(buffer)

    message = only_error(parse_bytes(buffer.getvalue(), filename="карта.xlsx"))

    assert (
        message
        == f"В таблице больше {importing.MAX_ROWS} строк: это не похоже на дорожную карту, файл не импортирован."
    )


def test_word_table_past_the_row_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importing, "MAX_ROWS", 3)
    rows = [HEADER] + [[f"{n}", f"Пункт {n}", "до 01.03.2021", "УО", ""] for n in range(1, 5)]

    assert "больше 3 строк" in only_error(parse_bytes(docx_bytes(rows)))


def test_table_without_recognisable_columns_names_the_expected_ones() -> None:
    rows = [["Фамилия", "Класс", "Телефон"], ["Иванов", "5А", "123"]]

    message = only_error(parse_bytes(docx_bytes(rows)))

    assert message.startswith("Не найдены столбцы дорожной карты: ожидаются «Наименование мероприятия»")
    assert "«Сроки»" in message


def test_duplicate_numbers_are_an_error_naming_the_row_and_column() -> None:
    rows = [HEADER, ["1.1", "Приказ", "до 01.03.2021", "УО", ""], ["1.1.", "Положение", "до 01.04.2021", "УО", ""]]

    parsed = parse_bytes(docx_bytes(rows))

    assert not parsed.ok
    assert [str(error) for error in parsed.errors] == [
        "Строка 3, столбец «№ п/п»: номер «1.1» повторяется: он уже есть в строке 2. Исправьте нумерацию в файле."
    ]


def test_unparseable_deadline_is_kept_and_flagged_as_a_warning_that_does_not_block() -> None:
    rows = [HEADER, ["1", "Приказ", "когда получится", "УО", ""]]

    parsed = parse_bytes(docx_bytes(rows))

    (item,) = parsed.items
    (warning,) = parsed.problems
    assert parsed.ok
    assert item.deadline_text == "когда получится"
    assert item.deadline.needs_review
    assert item.deadline.end is None
    assert warning.severity is Severity.WARNING
    assert str(warning).startswith("Строка 2, столбец «Сроки»: Не удалось распознать срок «когда получится».")


def test_item_without_a_title_is_an_error() -> None:
    rows = [HEADER, ["1.1", "", "до 01.03.2021", "УО", "Приказ"]]

    parsed = parse_bytes(docx_bytes(rows))

    assert [str(error) for error in parsed.errors] == [
        "Строка 2, столбец «Наименование мероприятия»: не указано наименование мероприятия."
    ]
