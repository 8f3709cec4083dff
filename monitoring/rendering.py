"""The rows of the dashboards' place tables, built with ``mentorship.html``.

A municipality of 300 schools has a table of 300 rows of a dozen cells; Django's template engine
spends about a tenth of a millisecond per variable it prints, which made those rows most of a
cold request. The rows are therefore assembled here, one ``fragment`` per row with every value
escaped, and the template prints them as one value (the figures are in ``mentorship.html``).
"""

from __future__ import annotations

from django.utils.safestring import SafeString

from mentorship.html import fragment, join

from .dashboards import PlaceLine

VALUE_CLASS = {True: " text-success", False: " text-danger", None: ""}

REGION_ROW = (
    '<tr data-municipality="{}" data-status="{}"><th scope="row" class="fw-normal"><a href="{}{}">{}</a></th>'
    '<td class="text-number">{}</td><td class="text-number">{}</td><td class="text-number">{}</td>'
    '<td class="text-number fw-semibold{}">{}</td><td class="text-number">{}</td>'
    '<td><span class="badge {}">{}</span></td><td class="text-number">{}</td><td class="text-number">{}</td>'
    '<td class="text-number">{}</td><td class="small">{}</td></tr>'
)
MUNICIPALITY_ROW = (
    '<tr data-organisation="{}" data-status="{}"><th scope="row" class="fw-normal"><a href="{}{}">{}</a></th>'
    '<td class="text-number">{}</td><td class="text-number">{}</td>'
    '<td class="text-number fw-semibold{}">{}</td><td class="text-number">{}</td>'
    '<td><span class="badge {}">{}</span></td><td class="text-number">{}</td><td class="text-number">{}</td>'
    '<td class="text-number">{}</td><td class="small">{}</td></tr>'
)
NO_REPORT = fragment('<span class="text-danger">{}</span>', "нет отчёта")


def region_rows(lines: list[PlaceLine], *, suffix: str) -> SafeString:
    """One row per municipality: name (a link to its dashboard), organisations, pupils, involved,
    share, target, verdict, teachers' share, programmes, pairs and the period's reports."""
    return join(
        (
            fragment(
                REGION_ROW,
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
        "\n",
    )


def _reports(report: dict[str, int]) -> SafeString:
    counts = fragment("принято {}, на проверке {}", report["accepted"], report["submitted"])
    if report["missing"]:
        return fragment('{}, <span class="text-danger">нет отчёта: {}</span>', counts, report["missing"])
    return counts


def municipality_rows(lines: list[PlaceLine], *, suffix: str) -> SafeString:
    """One row per school, with the status of its report for the period."""
    return join(
        (
            fragment(
                MUNICIPALITY_ROW,
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
                line.report_label or NO_REPORT,
            )
            for line in lines
        ),
        "\n",
    )
