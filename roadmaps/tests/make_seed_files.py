"""Word and Excel files rebuilt from the seed texts, for the import tests (written to a tmp dir, never committed).

The seeds in ``fixtures/seeds/`` are text renderings of real Word roadmaps in two layouts:

* «rows» (000, 002): one table row per line, cells separated by tabs; blank lines are page
  breaks of the rendering, not rows;
* «cells» (001, 003, 004): one cell per line, a cell starting with a tab and running on over
  the lines that do not; a blank line before a new cell ends the row once it has all its
  cells, or only two (a section row: number and a title merged across the table).

Where the table starts and ends is not something the text can tell (seed 003's table runs
straight into the regulation that follows it), so each :class:`SeedLayout` says it. The
rendering's artefacts are dropped on the way: ``[bookmark: …]`` marks and the HTML tags of
seed 000 (a paragraph end is a new line). Section rows (a number, a title, nothing else) are
merged across the table in both formats, as Word and Excel users write them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import docx
import openpyxl

#: the seed texts, kept in the repository so that a plain clone runs every test that reads them
SEEDS_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "seeds"


@dataclass(frozen=True)
class SeedLayout:
    filename: str
    layout: str  # «rows» or «cells»
    heading: tuple[int, int]  # first and last line (1-based) above the table
    table: tuple[int, int]  # first and last line of the table, header included
    columns: int
    after: tuple[int, int] | None = None  # paragraphs after the table (docx only)


SEED_LAYOUTS = {
    "000": SeedLayout("000_cf1546ac034ae8f8.txt", "rows", (1, 33), (34, 94), 5),
    "001": SeedLayout("001_2000984a5addcc1b.txt", "cells", (1, 17), (18, 277), 5),
    "002": SeedLayout("002_61c77388ad7892a2.txt", "rows", (1, 6), (7, 55), 8),
    "003": SeedLayout("003_a549bcac88716e9e.txt", "cells", (1, 4), (5, 283), 6, after=(284, 431)),
    "004": SeedLayout("004_9f951eea9fe66bf3.txt", "cells", (1, 2), (3, 117), 3),
}

_BOOKMARK = re.compile(r"\[bookmark: [^\]]*\]")
_PARAGRAPH_END = re.compile(r"</p>|<ul[^>]*>|</ul>|<li>|</li>")
_TAG = re.compile(r"<[^>]+>")


def _tidy(text: str) -> str:
    text = _BOOKMARK.sub("", text)
    text = _PARAGRAPH_END.sub("\n", text)
    return _TAG.sub("", text)


def seed_lines(seed: str) -> list[str]:
    return (SEEDS_DIR / SEED_LAYOUTS[seed].filename).read_text(encoding="utf-8").split("\n")


def seed_heading(seed: str) -> list[str]:
    first, last = SEED_LAYOUTS[seed].heading
    return [_tidy(line).strip() for line in seed_lines(seed)[first - 1 : last]]


def seed_rows(seed: str) -> list[list[str]]:
    """The seed's table, header included, as rows of cell texts (multi-line cells keep their lines)."""
    layout = SEED_LAYOUTS[seed]
    first, last = layout.table
    lines = [_tidy(line) for line in seed_lines(seed)[first - 1 : last]]
    if layout.layout == "rows":
        rows = [line.split("\t") for line in lines if line.strip()]
    else:
        rows = _cell_rows(lines, layout.columns)
    return [[cell.strip("\n").rstrip() for cell in row] + [""] * (layout.columns - len(row)) for row in rows]


def _cell_rows(lines: list[str], columns: int) -> list[list[str]]:
    rows: list[list[str]] = []
    row: list[str] = []
    for index, line in enumerate(lines):
        if line.startswith("\t"):
            if len(row) == columns:
                rows.append(row)
                row = []
            row.append(line[1:])
        elif not line.strip():
            following = next((later for later in lines[index + 1 :] if later.strip()), None)
            if row and (following is None or following.startswith("\t")) and len(row) in (2, columns):
                rows.append(row)
                row = []
            elif row:
                row[-1] += "\n"
        elif row:
            row[-1] += "\n" + line
    if row:
        rows.append(row)
    return rows


def is_section_row(cells: list[str]) -> bool:
    return bool(cells[0].strip()) and bool(cells[1].strip()) and not any(cell.strip() for cell in cells[2:])


def _merged_ranges(rows: list[list[str]]) -> list[tuple[int, int, int]]:
    """(row, first column, last column) of the cells to merge: section titles, seed 002's «Информирование»."""
    ranges = [(index, 1, len(cells) - 1) for index, cells in enumerate(rows) if index and is_section_row(cells)]
    header = rows[0]
    for column in range(len(header) - 1):
        if header[column].startswith("Информирование") and not header[column + 1].strip():
            ranges.append((0, column, column + 1))
    return ranges


def write_docx(seed: str, path: Path) -> Path:
    rows = seed_rows(seed)
    document = docx.Document()
    for line in seed_heading(seed):
        document.add_paragraph(line)
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for row, cells in zip(table.rows, rows, strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            _fill(cell, text)
    for index, first, last in _merged_ranges(rows):
        merged = table.cell(index, first).merge(table.cell(index, last))
        _fill(merged, rows[index][first])
    if after := SEED_LAYOUTS[seed].after:
        for line in seed_lines(seed)[after[0] - 1 : after[1]]:
            document.add_paragraph(_tidy(line))
    document.save(path)
    return path


def _fill(cell: docx.table._Cell, text: str) -> None:
    """One paragraph per line, as Word keeps a multi-line cell."""
    lines = text.split("\n")
    cell.text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)


def write_xlsx(seed: str, path: Path) -> Path:
    rows = seed_rows(seed)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Дорожная карта"
    heading = seed_heading(seed)
    for line in heading:
        sheet.append([line or None])
    for cells in rows:
        sheet.append([cell or None for cell in cells])
    for index, first, last in _merged_ranges(rows):
        excel_row = len(heading) + index + 1
        sheet.merge_cells(start_row=excel_row, start_column=first + 1, end_row=excel_row, end_column=last + 1)
    workbook.save(path)
    return path
