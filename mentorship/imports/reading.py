"""Reading an uploaded .xlsx safely: checks before parsing, then a streaming read of one sheet.

Nothing here trusts the file. Before any XML is parsed: the size, the ZIP signature (an OLE file
is a password-protected workbook or an old .xls), the archive's table of contents (corrupt
archives, a zip bomb whose parts unpack to gigabytes) and the sheet's declared size. Then the
sheet is streamed (``xlsx.py``), so memory does not grow with the file; the row cap is
enforced again while reading, since the declared dimension may lie or be absent.
"""

from __future__ import annotations

import itertools
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings

from mentorship.errors import DomainError

from .xlsx import SheetUnreadable, Workbook

ZIP_SIGNATURE = b"PK\x03\x04"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An encrypted OOXML workbook is an OLE container with these streams (MS-OFFCRYPTO).
OLE_ENCRYPTION_MARKERS = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))
#: how many rows above the header may hold a title, a date, notes
HEADER_SEARCH_ROWS = 15


def max_file_size() -> int:
    return settings.IMPORT_MAX_FILE_SIZE


def max_unpacked_size() -> int:
    return settings.IMPORT_MAX_UNPACKED_SIZE


def max_rows() -> int:
    return settings.IMPORT_MAX_ROWS


class FileRefused(DomainError):
    """The file as a whole cannot be read; nothing in it was looked at row by row."""


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} МБ"


@dataclass(frozen=True)
class Container:
    """What an uploaded Office file must be, and how a refusal is worded for the people who upload it.

    The checks and their order are the same for every upload (``check_container``); the limits are
    read from settings when a file is checked, and each message is a template over ``name``,
    ``size``, ``limit``, ``unpacked``, ``unpacked_limit`` (sizes already worded: «20 МБ»).
    """

    #: an archive member that tells a format → the format's name («xl/workbook.xml» → «xlsx»)
    formats: dict[str, str]
    max_size: Callable[[], int]
    max_unpacked: Callable[[], int]
    too_big: str
    empty: str
    encrypted: str
    old_format: str
    not_zip: str
    damaged: str
    not_office: str
    bomb: str
    #: how a size is worded in the messages
    size_text: Callable[[int], str] = _mb


#: the Excel import's files (``mentorship/imports``)
XLSX = Container(
    formats={"xl/workbook.xml": "xlsx"},
    max_size=max_file_size,
    max_unpacked=max_unpacked_size,
    too_big="Файл «{name}» слишком большой: {size}, допускается не больше {limit}.",
    empty="Файл «{name}» пустой.",
    encrypted=("Файл «{name}» защищён паролем. Снимите защиту (Файл → Сведения → Защита книги) и загрузите снова."),
    old_format=(
        "Файл «{name}» сохранён в старом формате Excel 97–2003 (.xls). "
        "Откройте его в Excel и сохраните как «Книга Excel (.xlsx)»."
    ),
    not_zip=(
        "Файл «{name}» не является книгой Excel (.xlsx). Скачайте шаблон, заполните его и загрузите в формате .xlsx."
    ),
    damaged="Файл «{name}» повреждён: архив .xlsx не читается. Сохраните файл в Excel заново.",
    not_office="Файл «{name}» — архив, но не книга Excel (.xlsx): в нём нет листов.",
    bomb=(
        "Файл «{name}» распаковывается в {unpacked} — это больше допустимых {unpacked_limit} "
        "или похоже на «архивную бомбу». Загрузите файл поменьше или разделите его на части."
    ),
)


def check_container(handle: IO[bytes], name: str, container: Container = XLSX) -> str:
    """Refuse what is not a sound, reasonably sized Office file, before any XML is parsed; return its format."""
    handle.seek(0, 2)
    size = handle.tell()
    handle.seek(0)
    limit, unpacked_limit = container.max_size(), container.max_unpacked()
    words = {"name": name, "size": container.size_text(size), "limit": container.size_text(limit)}
    if size > limit:
        raise FileRefused(container.too_big.format(**words))
    if size == 0:
        raise FileRefused(container.empty.format(**words))
    head = handle.read(8)
    handle.seek(0)
    if head.startswith(OLE_SIGNATURE):
        content = handle.read(min(size, 4 * 1024 * 1024))
        handle.seek(0)
        if any(marker in content for marker in OLE_ENCRYPTION_MARKERS):
            raise FileRefused(container.encrypted.format(**words))
        raise FileRefused(container.old_format.format(**words))
    if not head.startswith(ZIP_SIGNATURE):
        raise FileRefused(container.not_zip.format(**words))
    try:
        with zipfile.ZipFile(handle) as archive:
            members = archive.infolist()
            names = {member.filename for member in members}
            unpacked = sum(member.file_size for member in members)
            compressed = sum(member.compress_size for member in members)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise FileRefused(container.damaged.format(**words)) from exc
    finally:
        handle.seek(0)
    # The sizes in the central directory are what the readers will unpack (zipfile stops reading a
    # member at its declared size), so checking them first defuses a zip bomb. A real Office file
    # compresses 5–20 times; a bomb compresses thousands of times.
    if unpacked > unpacked_limit or (unpacked > 10 * 1024 * 1024 and unpacked > 200 * max(compressed, 1)):
        words |= {"unpacked": container.size_text(unpacked), "unpacked_limit": container.size_text(unpacked_limit)}
        raise FileRefused(container.bomb.format(**words))
    for member, kind in container.formats.items():
        if member in names:
            return kind
    raise FileRefused(container.not_office.format(**words))


def normalise_header(value: Any) -> str:
    """«  Дата   рождения* » → «дата рождения»: case, spaces, ё and the required-column star do not matter."""
    text = "" if value is None else str(value)
    text = text.replace("ё", "е").replace("Ё", "Е").replace("*", " ").replace("\n", " ")
    return re.sub(r"\s+", " ", text).strip().lower()


def column_letter(index: int) -> str:
    """0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass
class Sheet:
    """The header found in a sheet and the stream of its data rows."""

    #: column index → field name
    columns: dict[int, str]
    #: field name → the column's title as written in the file, and its letter
    titles: dict[str, str]
    header_row: int
    declared_rows: int | None
    rows: Iterator[tuple[int, list[Any]]] = field(repr=False)


def open_sheet(
    handle: IO[bytes],
    name: str,
    *,
    expected: dict[str, str],
    required: set[str],
    labels: dict[str, str],
    mapper: Callable[[list[Any]], dict[int, str]] | None = None,
) -> tuple[Any, Sheet]:
    """Open the first sheet and find its header row.

    ``expected`` maps a normalised column title (and its synonyms) to the field name; ``required``
    are the fields whose column must be there; ``labels`` are the template's titles of the fields.
    With ``mapper`` (a kind that maps the file's own columns, such as a form's questions) the header
    is the first non-empty row and ``mapper(header values)`` says which column is which field
    (column index → name; columns left out are not read); it may raise ``FileRefused``.
    Returns the archive (close it when done) and the sheet.
    """
    check_container(handle, name)
    archive = zipfile.ZipFile(handle)
    try:
        book = Workbook(archive)
    except (SheetUnreadable, zipfile.BadZipFile, zlib.error, EOFError) as exc:
        archive.close()
        raise FileRefused(
            f"Файл «{name}» не удаётся прочитать как книгу Excel. Сохраните файл в Excel заново."
        ) from exc
    declared: dict[str, int] = {}

    def on_dimension(rows: int) -> None:
        declared["rows"] = rows
        if rows > max_rows() + HEADER_SEARCH_ROWS:
            raise FileRefused(
                f"Лист «{book.sheet_title}» содержит {_number(rows)} строк — больше допустимых {_number(max_rows())}. "
                "Разделите файл на части."
            )

    try:
        stream = _guarded(book.rows(on_dimension), name)
        if mapper is None:
            sheet = _find_header(stream, book.sheet_title, expected, required, labels, declared)
        else:
            sheet = _mapped_header(stream, book.sheet_title, mapper, declared)
    except FileRefused:
        archive.close()
        raise
    return archive, sheet


def _number(value: int) -> str:
    return f"{value:,}".replace(",", " ")


def _guarded(rows: Iterator[tuple[int, list[Any]]], name: str) -> Iterator[tuple[int, list[Any]]]:
    """The sheet's rows; a sheet broken mid-way is refused as a whole, whatever was read before."""
    try:
        yield from rows
    except (SheetUnreadable, zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise FileRefused(
            f"Файл «{name}» повреждён: лист прочитан не до конца. Сохраните файл в Excel заново."
        ) from exc


def _find_header(
    stream: Iterator[tuple[int, list[Any]]],
    title: str,
    expected: dict[str, str],
    required: set[str],
    labels: dict[str, str],
    declared: dict[str, int],
) -> Sheet:
    best: tuple[int, int, list[Any]] | None = None
    buffered: list[tuple[int, list[Any]]] = []
    for number, values in stream:
        if number > HEADER_SEARCH_ROWS:
            buffered.append((number, values))
            break
        buffered.append((number, values))
        names = {expected.get(normalise_header(value)) for value in values if value is not None}
        names.discard(None)
        if names and (best is None or len(names) > best[1]):
            best = (number, len(names), values)
        if names and required <= names:
            break
    if best is None:
        raise FileRefused(
            f"На листе «{title}» не найдена строка заголовков: в первых {HEADER_SEARCH_ROWS} строках нет ни одного "
            "столбца шаблона. Скачайте шаблон и перенесите данные в него."
        )
    header_row, _, values = best
    columns: dict[int, str] = {}
    titles: dict[str, str] = {}
    problems: list[str] = []
    for index, value in enumerate(values):
        text = normalise_header(value)
        if not text:
            continue
        letter = column_letter(index)
        field_name = expected.get(text)
        if field_name is None:
            problems.append(f"Лишний столбец «{value}» (столбец {letter}): такого столбца нет в шаблоне.")
        elif field_name in titles:
            problems.append(f"Столбец «{value}» повторяется (столбец {letter}).")
        else:
            columns[index] = field_name
            titles[field_name] = f"{letter} «{str(value).strip()}»"
    if missing := [name for name in sorted(required) if name not in titles]:
        wanted = ", ".join(f"«{labels.get(name, name)}»" for name in missing)
        problems.append(
            f"Строка заголовков ({header_row}): нет обязательных столбцов {wanted}. Каждый столбец должен быть "
            "подписан в своей ячейке (без объединённых ячеек), как в шаблоне."
        )
    if problems:
        raise FileRefused(" ".join(problems))
    rest = [(number, row) for number, row in buffered if number > header_row]
    return Sheet(
        columns=columns,
        titles=titles,
        header_row=header_row,
        declared_rows=max(declared["rows"] - header_row, 0) if "rows" in declared else None,
        rows=_data_rows(itertools.chain(rest, stream), title),
    )


def _mapped_header(
    stream: Iterator[tuple[int, list[Any]]],
    title: str,
    mapper: Callable[[list[Any]], dict[int, str]],
    declared: dict[str, int],
) -> Sheet:
    """The first non-empty row is the header (an export of a web form has it on top); ``mapper`` names the columns."""
    for number, values in stream:
        if number > HEADER_SEARCH_ROWS:
            break
        if any(normalise_header(value) for value in values):
            columns = mapper(values)
            titles = {
                field_name: f"{column_letter(index)} «{str(values[index]).strip()}»"
                for index, field_name in columns.items()
            }
            return Sheet(
                columns=columns,
                titles=titles,
                header_row=number,
                declared_rows=max(declared["rows"] - number, 0) if "rows" in declared else None,
                rows=_data_rows(stream, title),
            )
    raise FileRefused(f"На листе «{title}» не найдена строка заголовков: первые {HEADER_SEARCH_ROWS} строк пусты.")


def _data_rows(stream: Iterator[tuple[int, list[Any]]], title: str) -> Iterator[tuple[int, list[Any]]]:
    limit = max_rows()
    seen = 0
    for number, values in stream:
        if all(value is None or (isinstance(value, str) and not value.strip()) for value in values):
            continue
        seen += 1
        if seen > limit:
            raise FileRefused(f"На листе «{title}» больше {_number(limit)} строк с данными. Разделите файл на части.")
        yield number, values
