"""Справка о ходе внедрения целевой модели наставничества: the dashboard of a school, municipality or region as a PDF.

The figures are the dashboard's own (``monitoring.dashboards``, which reads through
``monitoring.selectors`` and ``restrict()``), and the charts are monitoring's SVG charts embedded
as ``data:`` URIs, the only inline resources the restricted fetcher accepts besides static files.
The place is opened exactly where the monitoring pages open it: visible to the user and within
the reach of their monitoring roles, otherwise 404.
"""

from __future__ import annotations

import base64
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from monitoring import charts, dashboards
from monitoring.choices import period_label
from monitoring.indicators import DEFINITIONS
from participants.models import school_year_label

from . import rendering

LEVEL_GENITIVE = {"region": "региона", "municipality": "муниципалитета", "organisation": "образовательной организации"}


def _data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def number_text(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, Decimal) and value != value.to_integral_value():
        return dashboards.share_text(value)
    return dashboards.int_text(value)


def monitoring_report_context(*, user: Any, level: str, pk: int, school_year: int, year: int, period: str) -> dict:
    place, _ = dashboards.dashboard_place(user=user, level=level, pk=pk)
    label = DEFINITIONS[dashboards.MAIN].label
    chart_list: list[tuple[str, str]] = []
    if level == "organisation":
        data = dashboards.organisation_dashboard(user=user, organisation=place, school_year=school_year)
        chart_list.append(
            ("Пары и группы по этапам", charts.count_bars(data["stages"], title="Пары и группы по этапам"))
        )
        forms = [(row["label"], int(row["pairs"] or 0) + int(row["groups"] or 0)) for row in data["forms"]]
        chart_list.append(("Пары и группы по формам", charts.count_bars(forms, title="Пары и группы по формам")))
        lines = []
    else:
        build = dashboards.region_dashboard if level == "region" else dashboards.municipality_dashboard
        data = build(user=user, **{level: place}, school_year=school_year, year=year, period=period)
        lines = data["lines"]
        chart_list.append(
            (
                label,
                charts.coverage_bars(
                    dashboards.coverage_rows(lines), title=f"{label}, {school_year_label(school_year)}"
                ),
            )
        )
    chart_list.append(
        (f"{label}: по годам", charts.trend_line(dashboards.trend_rows(data["trend"]), title=f"{label}: по годам"))
    )
    indicators = [
        {
            "label": row.label,
            "unit": row.unit_label,
            "value": number_text(row.value),
            "target": dashboards.decimal_text(row.target),
            "status": "мало ответов"
            if row.low
            else {True: "достигнут", False: "ниже цели", None: "цель не задана"}[row.met],
            "rate": row.rate.text if row.rate else "",
            "low": row.low,
        }
        for row in data["indicators"]
    ]
    answers = [
        {"label": label, "value": value, "rate": rate.text if rate else "", "low": low}
        for label, _, value, rate, low in data["growth"].items
    ]
    return {
        "place": place,
        "level": level,
        "level_genitive": LEVEL_GENITIVE[level],
        "school_year_label": school_year_label(school_year),
        "period_label": period_label(year, period) if level != "organisation" else "",
        "today": timezone.localdate(),
        "indicators": indicators,
        "answers": answers,
        "lines": [
            {
                "name": line.name,
                "students": line.students_count_text,
                "involved": line.students_involved_text,
                "share": line.value_text,
                "target": line.target_text,
                "pairs": line.pairs_text,
            }
            for line in lines
        ],
        "charts": [(title, _data_uri(svg)) for title, svg in chart_list],
        "main_label": label,
    }


def monitoring_report_render(**kwargs: Any) -> rendering.RenderedPdf:
    context = monitoring_report_context(**kwargs)
    return rendering.html_to_pdf(render_to_string("reports/pdf/monitoring.html", context))
