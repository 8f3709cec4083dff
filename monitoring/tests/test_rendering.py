"""The dashboards' place rows: every value escaped, the cells in the header's order."""

from __future__ import annotations

from decimal import Decimal

from monitoring.dashboards import PlaceLine
from monitoring.rendering import municipality_rows, region_rows

HOSTILE = '<script>alert("школа")</script>'


def _line(**changes) -> PlaceLine:
    data = {
        "pk": 7,
        "name": HOSTILE,
        "figures": {"students_count": 1200, "students_involved": 300, "programmes": 2, "pairs": 40},
        "value": Decimal("25"),
        "target": Decimal("30"),
        "met": False,
        "teachers_share": Decimal("12.5"),
        "report": "",
        "url": '/monitoring/organisations/7/"onclick="x',
    }
    return PlaceLine(**(data | changes))


def test_a_schools_row_escapes_its_name_and_link_and_says_when_no_report_came() -> None:
    rows = municipality_rows([_line()], suffix="?year=2026&x=<y>")
    assert "<script>" not in rows
    assert "&lt;script&gt;alert(&quot;школа&quot;)&lt;/script&gt;" in rows
    assert 'href="/monitoring/organisations/7/&quot;onclick=&quot;x?year=2026&amp;x=&lt;y&gt;"' in rows
    assert '<td class="text-number">1\u00a0200</td>' in rows
    assert '<td class="text-number fw-semibold text-danger">25,0</td>' in rows
    assert '<span class="text-danger">нет отчёта</span>' in rows


def test_a_municipalitys_row_counts_its_reports_with_the_missing_ones_marked() -> None:
    report = {"total": 12, "accepted": 9, "submitted": 1, "missing": 2}
    rows = region_rows([_line(report=report, met=True), _line(pk=8, report=report | {"missing": 0})], suffix="")
    assert rows.count("<tr ") == 2
    assert "<script>" not in rows
    assert 'принято 9, на проверке 1, <span class="text-danger">нет отчёта: 2</span>' in rows
    assert "принято 9, на проверке 1</td>" in rows
