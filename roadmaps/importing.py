"""Reading an existing roadmap from a Word (.docx) or Excel (.xlsx) file: parsing only, no database.

:func:`parse_roadmap_file` turns the file people already have into a :class:`ParsedRoadmap`:
the heading (title, period, «Цель:», «Задачи:»), every table row as a :class:`ParsedItem`
with its deadline parsed, and every problem found as an :class:`ImportProblem` naming the row
and column in Russian. It never raises on bad input and never writes: the preview and the
``import_roadmap`` command show the result, and the service that saves it refuses a result
that is not :attr:`ParsedRoadmap.ok` (any problem of severity «error»), so import is
all-or-nothing.

The layouts are those of the five seed roadmaps:

* header lines above the table («УТВЕРЖДАЮ…», an order, the title) are skipped; the title is
  the last heading block that names a plan or a roadmap, the period is read from it
  («на 2023 – 2025 гг.», «на 2023-2024 учебный год»);
* the header row is the first row naming a title column and a deadline or responsible column,
  by Russian header and its synonyms, ignoring case, spaces and punctuation; a second header
  row of sub-columns («кого» / «когда» under «Информирование о результате») refines it;
* a row of column numbers («1 2 3 4 5»), repeated header rows, empty rows are skipped;
* a numbered row whose other cells are empty, or merged with the title (python-docx repeats a
  merged cell: it counts once), is a section when it is top-level or has sub-items;
* a row without a number whose every filled cell carries on the text of the cell above it
  (lower-case or digits after an unfinished sentence) is the same row cut by a page break:
  its cells are appended to the previous item's (seed 000 item 2.5, seed 002 items 1.6, 2.5,
  3.2, 5.2, seed 003). Any other row without a number is an item of its own with no number,
  in the same section (seed 000 after 7.1.1, seed 002 after 3.4, seed 003's steps);
* seed 003's «Наименование этапа» column opens a section on the rows that fill it, the
  «Мероприятия» column gives the items and «Содержание деятельности» their content; a step
  with its own deadline but no «Мероприятия» cell is an item titled by the step's first line;
* without a number column (seed 004) the number is the leading «1.» of the title cell;
* a title cell holding a list («включающие: - …; - …») keeps its first line as the title and
  the list, one entry per line with its marker, as the content.

Plan dates come from a «Даты начала и окончания (план/факт)» column, as the span of its
parsed deadline; no seed writes actual («факт») dates, so they are never filled here.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings

from mentorship.imports.reading import Container, FileRefused, check_container, max_file_size

from .choices import ItemKind
from .deadlines import Deadline, parse_deadline

logger = logging.getLogger(__name__)

# Far beyond any roadmap (the largest seed has under 100 rows); stops a sheet claiming a million.
MAX_ROWS = 5000
# Columns read from a sheet: a roadmap has under a dozen, a sheet may claim 16 384.
MAX_COLUMNS = 30
# The header row is near the top of a table or sheet, under at most a few dozen heading lines.
HEADER_SEARCH_ROWS = 40


class Severity(StrEnum):
    """An error blocks the import; a warning is shown in the preview and imported as is."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class ImportProblem:
    """Something wrong with the file, or with one cell: «Строка 12, столбец «Сроки»: …»."""

    row: int | None
    column: str
    message: str
    severity: Severity = Severity.ERROR
    table: int | None = None

    def __str__(self) -> str:
        where = []
        if self.table:
            where.append(f"Таблица {self.table}")
        if self.row is not None:
            where.append(f"строка {self.row}" if where else f"Строка {self.row}")
        if self.column:
            where.append(f"столбец «{self.column}»")
        return f"{', '.join(where)}: {self.message}" if where else self.message

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "severity": str(self.severity),
            "message": self.message,
            "text": str(self),
        }


@dataclass(slots=True)
class ParsedItem:
    """One table row read as a roadmap item (пункт): a section or an activity."""

    row: int
    number: str
    parent: str | None
    kind: ItemKind
    title: str
    position: int = 0
    content: str = ""
    deadline_text: str = ""
    deadline: Deadline | None = None
    responsible: str = ""
    result: str = ""
    document_type: str = ""
    inform_whom: str = ""
    inform_when: str = ""
    plan_start: date | None = None
    plan_end: date | None = None
    table: int | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, one object per item for ``import_roadmap --dry-run``."""
        return {
            "row": self.row,
            "number": self.number,
            "parent": self.parent,
            "kind": str(self.kind),
            "title": self.title,
            "content": self.content,
            "deadline_text": self.deadline_text,
            "deadline": self.deadline.as_dict() if self.deadline else None,
            "responsible": self.responsible,
            "result": self.result,
            "document_type": self.document_type,
            "inform_whom": self.inform_whom,
            "inform_when": self.inform_when,
            "plan_start": self.plan_start.isoformat() if self.plan_start else None,
            "plan_end": self.plan_end.isoformat() if self.plan_end else None,
        }


@dataclass(slots=True)
class ParsedRoadmap:
    """What a file holds, and what is wrong with it. Import only when :attr:`ok`."""

    title: str = ""
    period_start: date | None = None
    period_end: date | None = None
    goal: str = ""
    tasks: list[str] = field(default_factory=list)
    items: list[ParsedItem] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    file_type: str = ""

    @property
    def errors(self) -> list[ImportProblem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[ImportProblem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]

    @property
    def ok(self) -> bool:
        """True when nothing blocks the import: items were found and no problem is an error."""
        return bool(self.items) and not self.errors


class _Refused(Exception):
    """The file cannot be read at all; the message is shown to the user."""


# --- entry point -------------------------------------------------------------------------


def parse_roadmap_file(
    uploaded: BinaryIO | Path,
    *,
    filename: str,
    period_start: date | None = None,
    period_end: date | None = None,
    max_bytes: int | None = None,
) -> ParsedRoadmap:
    """Parse a roadmap from a .docx or .xlsx file; never raises on bad input.

    The type is told by the content, not by ``filename`` (used in messages only). The period
    given resolves deadlines written without a year; without it, the period in the title is
    used. A file that cannot be read gives a result with one error and no items. The file is
    checked first by the uploads' shared guard (``mentorship.imports.reading.check_container``),
    with the size limit of ``settings.IMPORT_MAX_FILE_SIZE`` unless ``max_bytes`` is given.
    """
    try:
        data, file_type = _read_checked(uploaded, filename, max_bytes)
        if file_type == "docx":
            heading, tables = _read_docx(data)
        else:
            heading, tables = _read_xlsx(data)
    except _Refused as refused:
        return ParsedRoadmap(problems=[ImportProblem(None, "", str(refused))])
    except Exception:
        # python-docx, openpyxl, lxml and zipfile raise a zoo of exception types on damaged
        # content; whatever the library, the user's answer is the same and nothing is imported.
        logger.warning("Cannot read roadmap file %r", filename, exc_info=True)
        return ParsedRoadmap(problems=[ImportProblem(None, "", _DAMAGED.format(name=filename))])
    return _Builder(heading, tables, file_type, period_start, period_end).build()


_DAMAGED = (
    "Файл «{name}» повреждён и не читается как документ Word или Excel. "
    "Откройте его в Word или Excel, сохраните заново как .docx или .xlsx и загрузите ещё раз."
)


def _size_text(size: int) -> str:
    return f"{size // (1024 * 1024)} МБ" if size >= 1024 * 1024 else f"{size // 1024} КБ"


#: what a roadmap file must be: the shared guard's checks, with the limits from settings and the roadmap's words
ROADMAP_FILE = Container(
    formats={"word/document.xml": "docx", "xl/workbook.xml": "xlsx"},
    max_size=max_file_size,
    max_unpacked=lambda: settings.ROADMAP_IMPORT_MAX_UNPACKED_SIZE,
    too_big="Файл больше {limit}: загрузите дорожную карту без вложенных картинок и приложений.",
    empty="Файл пуст.",
    encrypted="Файл защищён паролем. Снимите пароль в Word или Excel и загрузите файл ещё раз.",
    old_format="Это файл старого формата (.doc или .xls). Сохраните его в Word или Excel как .docx или .xlsx.",
    not_zip=(
        "Файл «{name}» не является документом Word (.docx) или Excel (.xlsx). "
        "Загрузите дорожную карту в одном из этих форматов."
    ),
    damaged=_DAMAGED,
    not_office=(
        "Файл «{name}» — архив, но не документ Word (.docx) или Excel (.xlsx). "
        "Загрузите дорожную карту в одном из этих форматов."
    ),
    bomb="Файл «{name}» распаковывается в слишком большой объём данных: это не похоже на дорожную карту.",
    size_text=_size_text,
)


def _read_checked(uploaded: BinaryIO | Path, filename: str, max_bytes: int | None) -> tuple[bytes, str]:
    """The file's bytes and its format («docx» or «xlsx»), told by the content; refuses anything else."""
    container = ROADMAP_FILE if max_bytes is None else replace(ROADMAP_FILE, max_size=lambda: max_bytes)
    if isinstance(uploaded, Path):
        with uploaded.open("rb") as handle:
            return _checked(handle, filename, container)
    if hasattr(uploaded, "seekable") and uploaded.seekable():
        return _checked(uploaded, filename, container)
    # A stream that cannot seek: read one byte past the limit, enough to tell it is too big.
    return _checked(io.BytesIO(uploaded.read(container.max_size() + 1)), filename, container)


def _checked(handle: BinaryIO, filename: str, container: Container) -> tuple[bytes, str]:
    try:
        file_type = check_container(handle, filename, container)
    except FileRefused as refused:
        raise _Refused(refused.message) from refused
    handle.seek(0)
    return handle.read(), file_type


# --- reading the containers into plain text grids --------------------------------------


@dataclass(slots=True)
class _Table:
    """A table as text: each row its source row number and its cells, merged cells counted once."""

    rows: list[tuple[int, list[str]]]
    number: int
    too_long: bool = False


def _read_docx(data: bytes) -> tuple[list[str], list[_Table]]:
    import docx
    from docx.table import Table

    document = docx.Document(io.BytesIO(data))
    heading: list[str] = []
    tables: list[_Table] = []
    total_rows = 0
    for block in document.iter_inner_content():
        if not isinstance(block, Table):
            if not tables:
                heading.append(block.text)
            continue
        rows: list[tuple[int, list[str]]] = []
        above: list[Any] = []
        too_long = False
        for row_number, row in enumerate(block.rows, 1):
            total_rows += 1
            if total_rows > MAX_ROWS:
                too_long = True
                break
            cells = row.cells
            tcs = [None] * row.grid_cols_before + [cell._tc for cell in cells]
            texts = [""] * row.grid_cols_before
            for cell in cells:
                index = len(texts)
                tc = cell._tc
                # python-docx yields a merged cell once per grid column it spans, and the top
                # cell again for each row of a vertical merge: the text belongs to the first only.
                if (index and tcs[index - 1] is tc) or (index < len(above) and above[index] is tc):
                    texts.append("")
                else:
                    texts.append(cell.text)
            rows.append((row_number, texts))
            above = tcs
        tables.append(_Table(rows, len(tables) + 1, too_long))
        if too_long:
            break
    return heading, tables


def _read_xlsx(data: bytes) -> tuple[list[str], list[_Table]]:
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        first: tuple[list[str], list[_Table]] | None = None
        for sheet in workbook.worksheets:
            rows: list[tuple[int, list[str]]] = []
            too_long = False
            for row_number, values in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), 1):
                if row_number > MAX_ROWS:
                    too_long = True
                    break
                rows.append((row_number, [_cell_text(value) for value in values]))
            found = _find_header(rows)
            heading_rows = rows[: found[0]] if found else []
            heading = [" ".join(cell.strip() for cell in cells if cell.strip()) for _, cells in heading_rows]
            result = (heading, [_Table(rows[len(heading_rows) :], 1, too_long)])
            if found or too_long:
                return result
            first = first or result
        # No sheet has a header: the first sheet's rows give the «columns not found» message.
        return first or ([], [])
    finally:
        workbook.close()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --- columns -----------------------------------------------------------------------------


class _Col(StrEnum):
    NUMBER = "number"
    STAGE = "stage"
    TITLE = "title"
    CONTENT = "content"
    DEADLINE = "deadline"
    RESPONSIBLE = "responsible"
    RESULT = "result"
    DOCUMENT = "document"
    INFORM_WHOM = "inform_whom"
    INFORM_WHEN = "inform_when"


def _norm(text: str) -> str:
    """A header as compared: lower case, «ё» as «е», «№» as «номер», no spaces or punctuation."""
    text = text.lower().replace("ё", "е").replace("№", "номер")
    return re.sub(r"[\W_]+", "", text)


_SYNONYMS: dict[_Col, tuple[str, ...]] = {
    _Col.NUMBER: ("№", "№ п/п", "№ п.п.", "п/п", "номер", "номер пункта"),
    _Col.STAGE: ("Наименование этапа", "Этап", "Этапы", "Этап реализации"),
    _Col.TITLE: (
        "Наименование мероприятия",
        "Наименование мероприятий",
        "Мероприятие",
        "Мероприятия",
        "Основное направление деятельности Мероприятия (кейс)",
        "Основное направление деятельности",
        "Наименование",
    ),
    _Col.CONTENT: ("Содержание деятельности", "Содержание", "Содержание работы"),
    _Col.DEADLINE: (
        "Сроки",
        "Срок",
        "Сроки реализации",
        "Срок реализации",
        "Сроки реализации мероприятий",
        "Сроки исполнения",
        "Срок исполнения",
        "Сроки проведения",
        "Срок проведения",
        "Сроки выполнения",
        "Даты начала и окончания (план/факт)",
        "Даты начала и окончания",
    ),
    _Col.RESPONSIBLE: (
        "Ответственный исполнитель",
        "Ответственные исполнители",
        "Ответственные",
        "Ответственный",
        "Исполнители",
        "Исполнитель",
    ),
    _Col.RESULT: (
        "Результат",
        "Результаты",
        "Результат. Вид документа",
        "Форма представления результата",
        "Ожидаемый результат",
        "Ожидаемые результаты",
    ),
    _Col.DOCUMENT: ("Вид документа",),
    # Seed 002: «Информирование о результате» over two sub-columns «кого» and «когда».
    _Col.INFORM_WHOM: ("Информирование о результате", "Информирование о результате (кого / когда)", "кого"),
    _Col.INFORM_WHEN: ("когда",),
}
_ROLE_BY_HEADER = {_norm(text): role for role, texts in _SYNONYMS.items() for text in texts}
_SUBHEADERS = {_norm("кого"): _Col.INFORM_WHOM, _norm("когда"): _Col.INFORM_WHEN}
_EXPECTED = "«Наименование мероприятия» (или «Мероприятие»), «Сроки», «Ответственный исполнитель», «Результат»"


@dataclass(slots=True)
class _Columns:
    index: dict[_Col, int]
    names: dict[_Col, str]
    header_norm: list[str]
    plan_dates: bool

    def name(self, role: _Col) -> str:
        return self.names.get(role, "")


def _header_roles(cells: list[str]) -> dict[_Col, int]:
    roles: dict[_Col, int] = {}
    for index, cell in enumerate(cells):
        role = _ROLE_BY_HEADER.get(_norm(cell))
        if role and role not in roles and _norm(cell) not in _SUBHEADERS:
            roles[role] = index
    if _Col.TITLE not in roles and _Col.STAGE in roles:
        # A table of stages only: the stage is the item.
        roles[_Col.TITLE] = roles.pop(_Col.STAGE)
    return roles


def _is_header(roles: dict[_Col, int]) -> bool:
    return _Col.TITLE in roles and (_Col.DEADLINE in roles or _Col.RESPONSIBLE in roles)


def _find_header(rows: list[tuple[int, list[str]]]) -> tuple[int, dict[_Col, int]] | None:
    for position, (_, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        roles = _header_roles(cells)
        if _is_header(roles):
            return position, roles
    return None


def _columns(header: list[str], roles: dict[_Col, int], subheader: list[str] | None) -> _Columns:
    names = {role: _one_line(header[index]) for role, index in roles.items()}
    if subheader:
        for index, cell in enumerate(subheader):
            role = _SUBHEADERS.get(_norm(cell))
            if role:
                roles[role] = index
                names[role] = f"{_one_line(header[index]) or names.get(_Col.INFORM_WHOM, '')}: {cell.strip()}".lstrip(
                    ": "
                )
    plan_dates = _Col.DEADLINE in roles and _norm(header[roles[_Col.DEADLINE]]).startswith("даты")
    return _Columns(roles, names, [_norm(cell) for cell in header], plan_dates)


def _is_subheader(cells: list[str]) -> bool:
    filled = [_norm(cell) for cell in cells if cell.strip()]
    return bool(filled) and all(cell in _SUBHEADERS for cell in filled)


def _is_column_numbers(cells: list[str]) -> bool:
    filled = [cell.strip().rstrip(".") for cell in cells if cell.strip()]
    return len(filled) >= 2 and filled == [str(n) for n in range(1, len(filled) + 1)]


# --- text --------------------------------------------------------------------------------

_SPACES = re.compile(r"[ \t\u00a0]+")
_LIST_MARKER = re.compile(r"^(?:[-–—•·▪*]|\d{1,2}[.)]\s)")
# «…включающие: - сроки…; - назначение…» flattened into one line: a list after «:» or «;».
_INLINE_LIST = re.compile(r"(?<=[:;])\s+[-–—]\s+(?=\S)")
_NUMBER = re.compile(r"\d{1,3}(?:\.\d{1,3})*")
# The leading «1.» / «1.2» / «1.2.» of a title cell, when the table has no number column.
_LEADING_NUMBER = re.compile(r"^\s*(\d{1,3}(?:\.\d{1,3})*)(?:[.)]\s*|(?<=\d)\s+(?=\D))")
_UNFINISHED = re.compile(r"[.!?;]\s*$")
_CARRIES_ON = re.compile(r"^(?:[a-zа-яё(«\"]|\d+(?![.)]\s))")
_BOOKMARK = re.compile(r"\[bookmark: [^\]]*\]")


def _lines(text: str) -> list[str]:
    return [line for line in (_SPACES.sub(" ", raw).strip() for raw in text.splitlines()) if line]


def _clean(text: str) -> str:
    """A cell's lines, spaces tidied, blank lines dropped: lists stay one entry per line."""
    return "\n".join(_lines(text))


def _one_line(text: str) -> str:
    return " ".join(_lines(text))


def _split_title(text: str) -> tuple[str, str]:
    """A title cell → (title, content): a list under the first line becomes the content."""
    lines = _lines(_INLINE_LIST.sub("\n- ", text))
    for index in range(1, len(lines)):
        if _LIST_MARKER.match(lines[index]) or lines[index - 1].endswith(":"):
            return " ".join(lines[:index]), "\n".join(lines[index:])
    return " ".join(lines), ""


def _carries_on(previous: str, text: str) -> bool:
    """Whether ``text`` is the rest of ``previous`` cut off by a page break."""
    previous, text = previous.strip(), text.strip()
    return bool(previous) and not _UNFINISHED.search(previous) and bool(_CARRIES_ON.match(text))


def _normal_number(raw: str) -> str | None:
    """«1.», «1.1.», « 6. » → «1», «1.1», «6»; None if it is not a number."""
    compact = re.sub(r"\s+", "", raw).rstrip(".")
    return compact if _NUMBER.fullmatch(compact) else None


def _parent_number(number: str) -> str:
    return number.rpartition(".")[0]


# --- heading -----------------------------------------------------------------------------

_TITLE_WORDS = re.compile(r"дорожн|план|комплекс\s+мер|мероприят|программ", re.IGNORECASE)
_GOAL = re.compile(r"^цел[ьи]\s*:\s*", re.IGNORECASE)
_TASKS = re.compile(r"^задачи\s*:\s*", re.IGNORECASE)
_PERIOD = re.compile(
    r"\bна\s*(?P<y1>(?:19|20)\d\d)\s*(?:[-–—]\s*(?P<y2>(?:19|20)\d\d))?\s*"
    r"(?P<unit>учебн\w*\s*год\w*|г\.?\s*г\.?|гг\.?|год\w*|г\.)?",
    re.IGNORECASE,
)


def _blocks(lines: list[str]) -> list[list[str]]:
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            blocks[-1].append(_SPACES.sub(" ", line).strip())
        elif blocks[-1]:
            blocks.append([])
    return [block for block in blocks if block]


def _read_heading(lines: list[str]) -> tuple[str, str, list[str]]:
    """(title, goal, tasks) from the paragraphs above the table."""
    goal = ""
    tasks: list[str] = []
    in_tasks = False
    title_blocks = []
    for block in _blocks(lines):
        rest = []
        for line in block:
            if m := _GOAL.match(line):
                goal, in_tasks = line[m.end() :].strip(), False
            elif m := _TASKS.match(line):
                in_tasks = True
                if line[m.end() :].strip():
                    tasks.append(line[m.end() :].strip())
            elif in_tasks and _LIST_MARKER.match(line):
                tasks.append(re.sub(r"^[-–—•·▪*]\s*", "", line).rstrip(";").strip())
            else:
                in_tasks = False
                rest.append(line)
        if rest:
            title_blocks.append(rest)
    named = [block for block in title_blocks if _TITLE_WORDS.search(" ".join(block))]
    chosen = (named or title_blocks or [[]])[-1]
    return " ".join(chosen), goal, tasks


def _period_in(title: str) -> tuple[date, date] | None:
    """The period a title states: «на 2023 – 2025 гг.», «на2023– 2024учебный год»."""
    m = _PERIOD.search(title)
    if not m or not (m["y2"] or m["unit"]):
        return None
    years = f"{m['y1']}-{m['y2']}" if m["y2"] else m["y1"]
    phrase = f"{years} учебный год" if m["unit"] and m["unit"].lower().startswith("учебн") else f"{years} гг."
    parsed = parse_deadline(phrase)
    if parsed.needs_review or not parsed.start or not parsed.end:
        return None
    return parsed.start, parsed.end


# --- rows into items ---------------------------------------------------------------------


@dataclass(slots=True)
class _Draft:
    """An item while its rows are read: raw cell texts by column, joined across page breaks."""

    row: int
    table: int
    number: str
    kind: ItemKind
    cells: dict[_Col, str]
    columns: _Columns
    parent: str | None = None
    section_candidate: bool = False
    title_from_content: bool = False


class _Builder:
    def __init__(
        self,
        heading: list[str],
        tables: list[_Table],
        file_type: str,
        period_start: date | None,
        period_end: date | None,
    ) -> None:
        self.heading = [_BOOKMARK.sub("", line) for line in heading]
        self.tables = tables
        self.result = ParsedRoadmap(file_type=file_type)
        self.given_period = (period_start, period_end) if period_start and period_end else None
        self.drafts: list[_Draft] = []
        self.several_tables = False

    def problem(
        self,
        row: int | None,
        column: str,
        message: str,
        severity: Severity = Severity.ERROR,
        table: int | None = None,
    ) -> None:
        self.result.problems.append(
            ImportProblem(row, column, message, severity, table if self.several_tables else None)
        )

    def build(self) -> ParsedRoadmap:
        result = self.result
        result.title, result.goal, result.tasks = _read_heading(self.heading)
        found = _period_in(result.title)
        period = self.given_period or found
        if period:
            result.period_start, result.period_end = period

        columns: _Columns | None = None
        to_read: list[tuple[_Table, _Columns, int]] = []
        for table in self.tables:
            start = 0
            found_header = _find_header(table.rows)
            if found_header:
                position, roles = found_header
                header = table.rows[position][1]
                following = table.rows[position + 1][1] if position + 1 < len(table.rows) else None
                subheader = following if following and _is_subheader(following) else None
                columns = _columns(header, roles, subheader)
                start = position + 1 + (1 if subheader else 0)
            elif columns is None or not table.rows or len(table.rows[0][1]) != len(columns.header_norm):
                # A table before the roadmap's, or one of another shape after it (signatures).
                continue
            # else: a table of the same shape after the roadmap's, its continuation.
            to_read.append((table, columns, start))
            if table.too_long:
                self.problem(
                    None,
                    "",
                    f"В таблице больше {MAX_ROWS} строк: это не похоже на дорожную карту, файл не импортирован.",
                )
                return result
        self.several_tables = len(to_read) > 1
        for table, table_columns, start in to_read:
            self.read_rows(table, table.rows[start:], table_columns)

        if columns is None:
            result.problems.append(
                ImportProblem(None, "", f"Не найдены столбцы дорожной карты: ожидаются {_EXPECTED}.")
            )
            return result
        self.finish(period)
        if not result.items and not result.errors:
            self.problem(None, "", "В таблице нет ни одного пункта дорожной карты.")
        return result

    # -- one table

    def read_rows(self, table: _Table, rows: list[tuple[int, list[str]]], columns: _Columns) -> None:
        index = columns.index
        for row_number, raw in rows:
            cells = [_BOOKMARK.sub("", cell) for cell in raw]
            cells += [""] * (len(columns.header_norm) - len(cells))
            if not any(cell.strip() for cell in cells) or _is_column_numbers(cells):
                continue
            if [_norm(cell) for cell in cells[: len(columns.header_norm)]] == columns.header_norm or _is_subheader(
                cells
            ):
                continue  # the header repeated after a page break
            values = {role: cells[i] for role, i in index.items() if role is not _Col.NUMBER}
            number_text = cells[index[_Col.NUMBER]].strip() if _Col.NUMBER in index else ""
            # No number column (seed 004), or a whole row merged into its number cell.
            if _Col.NUMBER not in index or _normal_number(number_text) is None:
                carrier = _Col.TITLE if _Col.NUMBER not in index else None
                source = values.get(_Col.TITLE, "") if carrier else number_text
                if m := _LEADING_NUMBER.match(source):
                    number_text = m[1]
                    rest = source[m.end() :]
                    if carrier or not values.get(_Col.TITLE, "").strip():
                        values[_Col.TITLE] = rest
                elif not carrier and number_text:
                    if not values.get(_Col.TITLE, "").strip():
                        values[_Col.TITLE], number_text = number_text, ""
                    else:
                        self.problem(
                            row_number,
                            columns.name(_Col.NUMBER),
                            f"номер «{number_text}» не распознан: пункт прочитан без номера.",
                            Severity.WARNING,
                            table.number,
                        )
                        number_text = ""
            number = _normal_number(number_text) or ""
            self.read_row(table.number, row_number, number, values, columns)

    def read_row(self, table: int, row: int, number: str, values: dict[_Col, str], columns: _Columns) -> None:
        filled = {role: text for role, text in values.items() if text.strip()}
        stage = filled.pop(_Col.STAGE, "")
        if stage:
            # Seed 003: a stage opens a section; the same row may carry its first item.
            self.drafts.append(_Draft(row, table, number, ItemKind.SECTION, {_Col.TITLE: stage}, columns))
            number = ""
            if not filled:
                return
        if not number and not stage and self.drafts and self.continues(filled):
            previous = self.drafts[-1]
            for role, text in filled.items():
                previous.cells[role] = f"{previous.cells.get(role, '').rstrip()}\n{text.strip()}".strip()
            return
        others = {role for role in filled if role is not _Col.TITLE}
        draft = _Draft(row, table, number, ItemKind.ACTIVITY, filled, columns)
        if number and _Col.TITLE in filled and not others:
            draft.section_candidate = True
        if not filled.get(_Col.TITLE, "").strip() and filled.get(_Col.CONTENT, "").strip():
            draft.title_from_content = True
        self.drafts.append(draft)

    def continues(self, filled: dict[_Col, str]) -> bool:
        previous = self.drafts[-1]
        if previous.kind is ItemKind.SECTION and not previous.section_candidate:
            return False
        return bool(filled) and all(_carries_on(previous.cells.get(role, ""), text) for role, text in filled.items())

    # -- all tables read: kinds, parents, deadlines, duplicates

    def finish(self, period: tuple[date, date] | None) -> None:
        numbers = {draft.number for draft in self.drafts if draft.number}
        has_children = {_parent_number(number) for number in numbers}
        for draft in self.drafts:
            if draft.section_candidate and ("." not in draft.number or draft.number in has_children):
                draft.kind = ItemKind.SECTION

        seen: dict[str, _Draft] = {}
        section: str | None = None
        previous: ParsedItem | None = None
        for position, draft in enumerate(self.drafts):
            item = self.item(draft, position, period)
            if draft.number:
                parent = _parent_number(draft.number)
                while parent and parent not in seen:
                    parent = _parent_number(parent)
                item.parent = parent or None
                if draft.number in seen:
                    first = seen[draft.number]
                    self.problem(
                        draft.row,
                        draft.columns.name(_Col.NUMBER),
                        f"номер «{draft.number}» повторяется: он уже есть в строке {first.row}. "
                        "Исправьте нумерацию в файле.",
                        table=draft.table,
                    )
                else:
                    seen[draft.number] = draft
            elif draft.kind is ItemKind.ACTIVITY:
                # An item without a number sits where the row does: beside the item above it.
                if previous is None or previous.kind is ItemKind.SECTION:
                    item.parent = previous.number or None if previous else section
                else:
                    item.parent = previous.parent
            if item.kind is ItemKind.SECTION:
                section = item.number or section
            self.result.items.append(item)
            previous = item

    def item(self, draft: _Draft, position: int, period: tuple[date, date] | None) -> ParsedItem:
        cells = draft.cells
        title_text = cells.get(_Col.CONTENT, "") if draft.title_from_content else cells.get(_Col.TITLE, "")
        if draft.kind is ItemKind.SECTION:
            title, content = _one_line(title_text), ""
        elif draft.title_from_content or _Col.CONTENT not in cells:
            title, content = _split_title(title_text)
        else:
            title, content = _one_line(title_text), _clean(cells[_Col.CONTENT])
        item = ParsedItem(
            row=draft.row,
            number=draft.number,
            parent=None,
            kind=draft.kind,
            title=title,
            position=position,
            content=content,
            responsible=_clean(cells.get(_Col.RESPONSIBLE, "")),
            result=_clean(cells.get(_Col.RESULT, "")),
            document_type=_clean(cells.get(_Col.DOCUMENT, "")),
            inform_whom=_clean(cells.get(_Col.INFORM_WHOM, "")),
            inform_when=_clean(cells.get(_Col.INFORM_WHEN, "")),
            table=draft.table if self.several_tables else None,
        )
        columns = draft.columns
        if not title:
            self.problem(draft.row, columns.name(_Col.TITLE), "не указано наименование мероприятия.", table=draft.table)
        deadline_text = cells.get(_Col.DEADLINE, "").strip()
        item.deadline_text = deadline_text
        if deadline_text:
            start, end = period or (None, None)
            item.deadline = parse_deadline(deadline_text, period_start=start, period_end=end)
            if item.deadline.needs_review:
                self.problem(
                    draft.row, columns.name(_Col.DEADLINE), item.deadline.problem, Severity.WARNING, draft.table
                )
            elif columns.plan_dates:
                item.plan_start, item.plan_end = item.deadline.start, item.deadline.end
        elif item.kind is ItemKind.ACTIVITY:
            self.problem(
                draft.row,
                columns.name(_Col.DEADLINE) or "Сроки",
                "срок не указан: пункт импортируется без срока.",
                Severity.WARNING,
                draft.table,
            )
        return item
