"""The roadmap table's rows, built in Python with ``mentorship.html`` (why, and the figures, there).

The markup is the one the template wrote: sections span the table, overdue and unclear deadlines
are said in words, not by colour alone. Every value from the database goes through ``text`` or
``lines``; the cells are f-strings of those and constant markup, and ``join`` hands the rows over.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.text import Truncator

from mentorship.html import join, lines, text
from mentorship.views.files import file_name

from .choices import ItemKind, ItemStatus
from .models import RoadmapItem

STATUS_BADGES = {ItemStatus.DONE: "text-bg-success", ItemStatus.IN_PROGRESS: "text-bg-primary"}
STATUS_LABELS = dict(ItemStatus.choices)
REVIEW_NOTE = (
    '<div class="small text-warning-emphasis"><i class="bi bi-question-circle" aria-hidden="true"></i> '
    "срок требует уточнения</div>"
)
OVERDUE_NOTE = (
    '<div class="small text-danger fw-semibold"><i class="bi bi-exclamation-triangle" aria-hidden="true">'
    "</i> просрочено</div>"
)


def roadmap_item_rows(
    items: Iterable[RoadmapItem], *, item_url: str, can_edit: bool, can_progress: bool, can_cascade: bool = False
) -> SafeString:
    """The ``<tr>`` rows of the table; ``item_url`` is the prefix «/roadmaps/items/» the links extend.

    ``can_cascade``: the roadmap is a municipality's or a region's and the user keeps it, so its
    activities may be passed down to schools and their progress followed.
    """
    url = text(item_url)
    rows = [
        _section(item, url, can_edit)
        if item.kind == ItemKind.SECTION
        else _activity(item, url, can_edit, can_progress, can_cascade)
        for item in items
    ]
    return join(rows)


def _edit_links(item: RoadmapItem, url: str) -> str:
    return f'<a href="{url}{item.pk}/edit/">изменить</a> · <a href="{url}{item.pk}/delete/">удалить</a>'


def _section(item: RoadmapItem, url: str, can_edit: bool) -> str:
    links = f'<span class="ms-2 small fw-normal">{_edit_links(item, url)}</span>' if can_edit else ""
    return (
        f'<tr id="item-{item.pk}" class="table-secondary"><th scope="rowgroup" colspan="6" class="text-wrap">'
        f"{text(item.number)} {lines(item.title)}{links}</th></tr>"
    )


def _activity(item: RoadmapItem, url: str, can_edit: bool, can_progress: bool, can_cascade: bool) -> str:
    overdue = getattr(item, "is_overdue", False)
    row_class = ' class="table-danger"' if overdue else ""
    return (
        f'<tr id="item-{item.pk}"{row_class}>'
        f'<td class="text-nowrap">{text(item.number)}</td>'
        f'<td class="text-wrap">{_title_cell(item, url, can_edit, can_progress, can_cascade)}</td>'
        f"<td>{_deadline_cell(item, overdue)}</td>"
        f'<td class="text-wrap">{lines(item.responsible_text) or "—"}</td>'
        f'<td class="text-wrap">{_result_cell(item)}</td>'
        f"<td>{_status_cell(item, overdue)}</td></tr>"
    )


def _title_cell(item: RoadmapItem, url: str, can_edit: bool, can_progress: bool, can_cascade: bool) -> str:
    parts = [lines(item.title)]
    if item.content:
        parts.append(f'<div class="small mt-1">{lines(item.content)}</div>')
    if item.cascaded_from_id:
        source = Truncator(item.cascaded_from.roadmap.title).chars(60)
        parts.append(f'<div class="small text-body-secondary">Поручение вышестоящего уровня: «{text(source)}»</div>')
    if getattr(item, "cascaded_count", 0):
        parts.append(f'<div class="small text-body-secondary">Передано в организации: {item.cascaded_count}</div>')
    links = []
    if can_edit:
        links.append(_edit_links(item, url))
    if can_progress:
        links.append(f'<a href="{url}{item.pk}/complete/">выполнение</a>')
    if can_cascade:
        links.append(f'<a href="{url}{item.pk}/cascade/">передать в организации и ход исполнения</a>')
    if links:
        parts.append(f'<div class="small mt-1">{" · ".join(links)}</div>')
    return "".join(parts)


def _deadline_cell(item: RoadmapItem, overdue: bool) -> str:
    parts = [lines(item.deadline_text) if item.deadline_text else "—"]
    if item.deadline_needs_review:
        parts.append(REVIEW_NOTE)
    elif item.deadline_due and item.deadline_text:
        parts.append(f'<div class="small text-body-secondary">до {item.deadline_due:%d.%m.%Y}</div>')
    if overdue:
        parts.append(OVERDUE_NOTE)
    return "".join(parts)


def _result_cell(item: RoadmapItem) -> str:
    parts = [lines(item.expected_result)]
    if item.document_type:
        parts.append(f'<div class="small text-body-secondary">{text(item.document_type)}</div>')
    if item.inform_whom:
        when = f", {text(item.inform_when_text)}" if item.inform_when_text else ""
        parts.append(f'<div class="small">Информировать: {text(item.inform_whom)}{when}</div>')
    evidence = getattr(item, "evidence_list", ())
    if evidence:
        links = "".join(f"<li>{_evidence_link(ev)}</li>" for ev in evidence)
        parts.append(f'<ul class="small list-unstyled mt-1 mb-0">{links}</ul>')
    return "".join(parts)


def _evidence_link(evidence) -> str:
    """One attachment named by its own file name or link; the description, shared by a batch, is its title.

    A file goes through the scoped file view, never through its public /media/ address.
    """
    icon = '<i class="bi bi-paperclip" aria-hidden="true"></i> '
    title = f' title="{text(evidence.description)}"' if evidence.description else ""
    if evidence.url:
        return f'{icon}<a href="{text(evidence.url)}" rel="noopener noreferrer"{title}>{text(evidence.url)}</a>'
    href = reverse("roadmaps:evidence_file", args=[evidence.pk])
    return f'{icon}<a href="{href}"{title}>{text(file_name(evidence.file))}</a>'


def _status_cell(item: RoadmapItem, overdue: bool) -> str:
    if overdue:
        badge = '<span class="badge text-bg-danger">Просрочено</span>'
    else:
        css = STATUS_BADGES.get(item.status, "text-bg-light border")
        badge = f'<span class="badge {css}">{text(STATUS_LABELS.get(item.status, item.status))}</span>'
    if item.fact_end:
        return f'{badge}<div class="small text-body-secondary">{item.fact_end:%d.%m.%Y}</div>'
    return badge
