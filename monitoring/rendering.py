"""The rows of the dashboards' place tables, built with ``format_html``.

A municipality of 300 schools has a table of 300 rows of a dozen cells; Django's template engine
spends about a tenth of a millisecond per variable it prints, which made those rows most of a
cold request. The rows are therefore assembled here, escaped by ``format_html`` like the
template would, and the template prints them as one value.
"""

from __future__ import annotations

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from .dashboards import PlaceLine

VALUE_CLASS = {True: " text-success", False: " text-danger", None: ""}


def region_rows(lines: list[PlaceLine], *, suffix: str) -> SafeString:
    """One row per municipality: name (a link to its dashboard), organisations, pupils, involved,
    share, target, verdict, teachers' share, programmes, pairs and the period's reports."""
    return format_html_join(
        "\n",
        '<tr data-municipality="{}" data-status="{}"><th scope="row" class="fw-normal"><a href="{}{}">{}</a></th>'
        '<td class="text-number">{}</td><td class="text-number">{}</td><td class="text-number">{}</td>'
        '<td class="text-number fw-semibold{}">{}</td><td class="text-number">{}</td>'
        '<td><span class="badge {}">{}</span></td><td class="text-number">{}</td><td class="text-number">{}</td>'
        '<td class="text-number">{}</td><td class="small">{}</td></tr>',
        (
            (
                line.pk,
                line.status,
                line.url,
                suffix,
                line.name,
                line.report["total"],
                line.students_count_text,
                line.students_involved_text,
                VALUE_CLASS[line.met],
                line.value_text,
                line.target_text,
                *line.badge,
                line.teachers_text,
                line.programmes_text,
                line.pairs_text,
                _reports(line.report),
            )
            for line in lines
        ),
    )


def _reports(report: dict[str, int]) -> SafeString:
    text = format_html("принято {}, на проверке {}", report["accepted"], report["submitted"])
    if report["missing"]:
        text = format_html('{}, <span class="text-danger">нет отчёта: {}</span>', text, report["missing"])
    return text


def municipality_rows(lines: list[PlaceLine], *, suffix: str) -> SafeString:
    """One row per school, with the status of its report for the period."""
    return format_html_join(
        "\n",
        '<tr data-organisation="{}" data-status="{}"><th scope="row" class="fw-normal"><a href="{}{}">{}</a></th>'
        '<td class="text-number">{}</td><td class="text-number">{}</td>'
        '<td class="text-number fw-semibold{}">{}</td><td class="text-number">{}</td>'
        '<td><span class="badge {}">{}</span></td><td class="text-number">{}</td><td class="text-number">{}</td>'
        '<td class="text-number">{}</td><td class="small">{}</td></tr>',
        (
            (
                line.pk,
                line.status,
                line.url,
                suffix,
                line.name,
                line.students_count_text,
                line.students_involved_text,
                VALUE_CLASS[line.met],
                line.value_text,
                line.target_text,
                *line.badge,
                line.teachers_text,
                line.programmes_text,
                line.pairs_text,
                line.report_label or format_html('<span class="text-danger">{}</span>', "нет отчёта"),
            )
            for line in lines
        ),
    )
