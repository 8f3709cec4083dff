"""Writes to roadmaps: the roadmap and its items, evidence, approval, cascade and target indicators.

Views, forms, imports and commands all call these. Two kinds of refusal:

* ``PermissionDenied`` — the actor may not act on this roadmap at all (outside their scope, or
  not the level the roadmap belongs to); views answer 403 (or 404 where the object is invisible);
* ``DomainError`` — the actor may act, but a rule of the workflow says no (an approved roadmap is
  frozen, returning needs a comment, done needs evidence…); its Russian message is shown as is.

``full_clean()`` errors are let through as ``ValidationError`` so that forms show them by field,
as ``mentorship.services.object_create`` does.

Who does what:

* the roadmap's own level (the keepers holding a role AT its place: a school's director, curator
  or coordinator; the municipal officer; the regional coordinator) edits the roadmap and its items,
  submits it and starts a new revision. An officer above sees and approves a school's roadmap, but
  does not edit its items (``roadmap_ensure_keeper``);
* the level directly above approves or returns it: a school's roadmap by its municipality's
  officer, a municipal one by the regional coordinator (``roadmap_ensure_approver``). Nobody approves
  their own level's roadmap; a regional roadmap is approved outside the portal (by order of the
  ministry), so only an administrator may record its approval.

Status changes of a roadmap are compare-and-swap ``update()`` calls on the expected status, each
with its ``RoadmapEvent`` row in the same transaction (``mentorship.workflow.status_transition``):
a double click or two approvers at once make one transition, the second caller gets «Дорожная
карта уже …».
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from mentorship import access
from mentorship.choices import BodyKind, Level
from mentorship.errors import DomainError
from mentorship.models import Body, Municipality, Organisation, Region, User
from mentorship.workflow import actor_user, status_transition

from .choices import ItemKind, ItemStatus, ResponsibleKind, RoadmapEventKind, RoadmapStatus
from .deadlines import Deadline, DeadlineKind, parse_deadline
from .importing import ImportProblem, ParsedItem, ParsedRoadmap
from .models import (
    ItemEvidence,
    ResponsibleParty,
    Roadmap,
    RoadmapEvent,
    RoadmapItem,
    TargetIndicator,
    TargetValue,
)
from .responsible import ParsedResponsible, responsible_parse

Place = Region | Municipality | Organisation

EDITABLE_STATUSES = (RoadmapStatus.DRAFT, RoadmapStatus.RETURNED)

#: «Дорожная карта уже …»: what the roadmap turned out to be when a transition found it elsewhere.
ALREADY = {
    RoadmapStatus.DRAFT: "снова в работе у составителя",
    RoadmapStatus.SUBMITTED: "отправлена на согласование",
    RoadmapStatus.RETURNED: "возвращена на доработку",
    RoadmapStatus.APPROVED: "согласована",
}

ROADMAP_FIELDS = frozenset({"title", "period_start", "period_end", "goal", "tasks"})
# What an item says, in the columns' order: the item form shows these, a cascade copies them.
ITEM_CONTENT_FIELDS = (
    "title",
    "content",
    "deadline_text",
    "responsible_text",
    "expected_result",
    "document_type",
    "inform_whom",
    "inform_when_text",
    "plan_start",
    "plan_end",
)
ITEM_FIELDS = frozenset({"number", "kind", "position", *ITEM_CONTENT_FIELDS})

EVIDENCE_MAX_BYTES = 20 * 1024 * 1024
EVIDENCE_EXTENSIONS = (
    "pdf",
    "doc",
    "docx",
    "odt",
    "rtf",
    "txt",
    "xls",
    "xlsx",
    "ods",
    "ppt",
    "pptx",
    "odp",
    "jpg",
    "jpeg",
    "png",
)
EVIDENCE_REQUIRED = (
    "Чтобы отметить пункт выполненным, приложите хотя бы одно подтверждение: файл (приказ, справку, фото) "
    "или ссылку на публикацию."
)

#: An item's evidence as given by a form: a file or a link, and what it shows.
EvidenceInput = tuple[File | str, str]


# --- roadmaps -----------------------------------------------------------------------------------


@transaction.atomic
def roadmap_create(
    *,
    actor: Any,
    place: Place,
    title: str,
    period_start: date,
    period_end: date,
    goal: str = "",
    tasks: str = "",
) -> Roadmap:
    """Create a draft roadmap of ``place``; it must fall inside the actor's ``add`` scope."""
    roadmap = Roadmap(
        title=title,
        period_start=period_start,
        period_end=period_end,
        goal=goal,
        tasks=tasks,
        created_by=actor_user(actor),
    )
    setattr(roadmap, access.level_of_place(place).value, place)
    roadmap.full_clean()
    roadmap.save()
    if not access.can(actor, roadmap, "add"):
        # Rolls the insert back: the roadmap would belong to a place outside the actor's reach.
        raise PermissionDenied("Недостаточно прав, чтобы создать дорожную карту здесь.")
    return roadmap


@transaction.atomic
def roadmap_update(*, actor: Any, roadmap: Roadmap, data: dict[str, Any]) -> Roadmap:
    """Change the title, period, goal or tasks of a draft or returned roadmap.

    A new period re-parses every item's deadline: a month written without a year takes its year
    from the period.
    """
    _check_fields(data, ROADMAP_FIELDS)
    roadmap = _lock_editable(actor, roadmap)
    period_changed = any(
        field in data and data[field] != getattr(roadmap, field) for field in ("period_start", "period_end")
    )
    for field, value in data.items():
        setattr(roadmap, field, value)
    roadmap.full_clean()
    roadmap.save()
    if period_changed:
        items = list(RoadmapItem.objects.filter(roadmap=roadmap).exclude(deadline_text=""))
        for item in items:
            _apply_deadline(item, roadmap)
        RoadmapItem.objects.bulk_update(items, DEADLINE_FIELDS)
    return roadmap


# --- items --------------------------------------------------------------------------------------


DEADLINE_FIELDS = [
    "deadline_kind",
    "deadline_start",
    "deadline_due",
    "deadline_recurrence",
    "deadline_needs_review",
    "deadline_problem",
]


@transaction.atomic
def roadmap_item_create(
    *,
    actor: Any,
    roadmap: Roadmap,
    data: dict[str, Any],
    responsible: Sequence[ParsedResponsible] | None = None,
) -> RoadmapItem:
    """Add a numbered item (or a section) to a draft or returned roadmap of the actor's own level.

    ``responsible`` None parses ``data["responsible_text"]``; a list (an import's confirmed
    preview, a form's choices) is used as given and its names become the text when none is given.
    The parent is found from the number: «1.2» goes under «1.» or «1».
    """
    _check_fields(data, ITEM_FIELDS)
    roadmap = _lock_editable(actor, roadmap)
    item = _item_insert(roadmap=roadmap, data=data, responsible=responsible)
    access.ensure_can(actor, item, "add")
    return item


def _item_insert(
    *,
    roadmap: Roadmap,
    data: dict[str, Any],
    responsible: Sequence[ParsedResponsible] | None,
    directory: _Directory | None = None,
    numbered: dict[str, RoadmapItem] | None = None,
) -> RoadmapItem:
    """Validate and insert one item of a roadmap the caller has locked and checked.

    An import passes the region's ``directory`` read once and the items it has ``numbered``
    so far: a file lists sections before their items, so parents are found there and no
    earlier item waits for this one as its parent.
    """
    item = RoadmapItem(roadmap=roadmap, **data)
    if responsible is not None and not item.responsible_text:
        item.responsible_text = "\n".join(party.name for party in responsible)
    if "position" not in data:
        item.position = _next_position(roadmap)
    if numbered is None:
        item.parent = _parent_for(roadmap, item.number)
    else:
        item.parent = next((numbered[n] for n in _parent_number_candidates(item.number) if n in numbered), None)
    _apply_deadline(item, roadmap)
    # The parent was just read from the roadmap: no need to check it exists. (Excluding the
    # roadmap too would also skip the unique-number constraint, which names it.)
    item.full_clean(exclude=["parent", "cascaded_from"])
    item.save()
    if numbered is None:
        _adopt_orphans(item)
    parties = responsible_parse(item.responsible_text) if responsible is None else responsible
    _responsible_replace(item, parties, directory=directory, fresh=True)
    return item


@transaction.atomic
def roadmap_item_update(
    *,
    actor: Any,
    item: RoadmapItem,
    data: dict[str, Any],
    responsible: Sequence[ParsedResponsible] | None = None,
) -> RoadmapItem:
    """Change an item of a draft or returned roadmap; a new deadline text or number is re-parsed."""
    _check_fields(data, ITEM_FIELDS)
    item = _lock_item(item)
    roadmap = _lock_editable(actor, item.roadmap)
    access.ensure_can(actor, item, "change")
    old_number, old_responsible_text = item.number, item.responsible_text
    for field, value in data.items():
        setattr(item, field, value)
    if responsible is not None and "responsible_text" not in data:
        item.responsible_text = "\n".join(party.name for party in responsible)
    if item.number != old_number:
        item.parent = _parent_for(roadmap, item.number, exclude=item)
    _apply_deadline(item, roadmap)
    item.full_clean()
    item.save()
    if item.number != old_number:
        _adopt_orphans(item)
    if responsible is not None:
        _responsible_replace(item, responsible)
    elif item.responsible_text != old_responsible_text:
        _responsible_replace(item, responsible_parse(item.responsible_text))
    return item


@transaction.atomic
def roadmap_item_delete(*, actor: Any, item: RoadmapItem) -> None:
    """Delete an item of a draft or returned roadmap, with its sub-items.

    Refused while the item (or a sub-item) has been passed down to organisations: their linked
    items and progress would lose their origin.
    """
    item = _lock_item(item)
    _lock_editable(actor, item.roadmap)
    access.ensure_can(actor, item, "delete")
    subtree = _subtree_ids(item)
    passed = RoadmapItem.objects.filter(cascaded_from__in=subtree).count()
    if passed:
        raise DomainError(
            f"Пункт «{item}» передан в подчинённые организации ({passed}); удалить его нельзя, "
            "пока в их дорожных картах есть связанные пункты."
        )
    item.delete()


@transaction.atomic
def roadmap_item_set_status(
    *,
    actor: Any,
    item: RoadmapItem,
    status: str,
    fact_start: date | None = None,
    fact_end: date | None = None,
) -> RoadmapItem:
    """Record progress: not started, in progress, or done (done needs evidence, see ``roadmap_item_complete``).

    Progress is tracked whatever the roadmap's status: approval freezes the plan, not its execution.
    """
    status = ItemStatus(status)
    if status == ItemStatus.DONE:
        return roadmap_item_complete(
            actor=actor, item=item, evidence=[], fact_end=fact_end or timezone.localdate(), fact_start=fact_start
        )
    item = _lock_item(item)
    roadmap_ensure_keeper(actor, item.roadmap)
    _ensure_activity(item)
    today = timezone.localdate()
    if status == ItemStatus.IN_PROGRESS:
        item.fact_start = fact_start or item.fact_start or today
        item.fact_end = None
    else:
        item.fact_start = item.fact_end = None
    _ensure_not_future(item.fact_start, today)
    item.status = status
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def roadmap_item_complete(
    *,
    actor: Any,
    item: RoadmapItem,
    evidence: Sequence[EvidenceInput],
    fact_end: date,
    fact_start: date | None = None,
) -> RoadmapItem:
    """Mark an item done with its evidence: at least one file or link, new or attached before.

    Files: at most 20 МБ, of the types in ``EVIDENCE_EXTENSIONS``; links: http(s) addresses.
    """
    item = _lock_item(item)
    roadmap_ensure_keeper(actor, item.roadmap)
    _ensure_activity(item)
    if item.status == ItemStatus.DONE:
        raise DomainError(f"Пункт «{item}» уже отмечен выполненным.")
    _ensure_not_future(fact_end, timezone.localdate())
    if not evidence and not item.evidence.exists():
        raise DomainError(EVIDENCE_REQUIRED)
    rows = [_evidence_row(item, source, description, actor) for source, description in evidence]
    for row in rows:
        row.full_clean()
        row.save()
    item.status = ItemStatus.DONE
    item.fact_end = fact_end
    item.fact_start = fact_start or item.fact_start or fact_end
    item.full_clean()
    item.save()
    return item


def _evidence_row(item: RoadmapItem, source: File | str, description: str, actor: Any) -> ItemEvidence:
    if isinstance(source, str):
        url = source.strip()
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError as exc:
            raise DomainError(f"Ссылка «{url}» не похожа на адрес страницы: укажите её полностью, с https://.") from exc
        return ItemEvidence(item=item, url=url, description=description, added_by=actor_user(actor))
    name = PurePath(source.name or "").name
    extension = PurePath(name).suffix.lower().lstrip(".")
    if extension not in EVIDENCE_EXTENSIONS:
        raise DomainError(
            f"Файл «{name}»: такой тип файла не принимается. Допустимы: {', '.join(EVIDENCE_EXTENSIONS)}."
        )
    if source.size is None or source.size > EVIDENCE_MAX_BYTES:
        limit = EVIDENCE_MAX_BYTES // (1024 * 1024)
        raise DomainError(f"Файл «{name}» больше {limit} МБ: уменьшите его или дайте ссылку.")
    if source.size == 0:
        raise DomainError(f"Файл «{name}» пуст.")
    row = ItemEvidence(item=item, file=source, description=description, added_by=actor_user(actor))
    # A folder of its own, so that a second «Приказ.pdf» keeps its name instead of the storage's
    # «Приказ_x7Kq2Zb.pdf»: the link and the download show the name the file was uploaded under.
    row.file.name = f"{secrets.token_hex(4)}/{name}"
    return row


# --- approval -----------------------------------------------------------------------------------


@transaction.atomic
def roadmap_submit(*, actor: Any, roadmap: Roadmap, comment: str = "") -> Roadmap:
    """Send a draft or returned roadmap to the level above for approval (согласование).

    It needs at least one activity. Items whose deadline needs review do not block it: the
    SUBMITTED event lists them so that the approver sees what is still unclear.
    """
    roadmap_ensure_keeper(actor, roadmap, action="submit")
    activities = RoadmapItem.objects.filter(roadmap=roadmap, kind=ItemKind.ACTIVITY)
    if not activities.exists():
        raise DomainError("В дорожной карте нет ни одного мероприятия: добавьте пункты и отправьте её снова.")
    unclear = [str(item.number or item.title[:40]) for item in activities.filter(deadline_needs_review=True)]
    note = f"Сроки требуют уточнения: {', '.join(unclear)}." if unclear else ""
    return status_transition(
        roadmap,
        allowed=EDITABLE_STATUSES,
        new=RoadmapStatus.SUBMITTED,
        event_model=RoadmapEvent,
        kind=RoadmapEventKind.SUBMITTED,
        actor=actor,
        refused=_refusal(RoadmapStatus.SUBMITTED),
        comment="\n".join(part for part in (comment.strip(), note) if part),
        submitted_at=timezone.now(),
    )


@transaction.atomic
def roadmap_return(*, actor: Any, roadmap: Roadmap, comment: str) -> Roadmap:
    """Return a submitted roadmap for rework; the comment saying what to fix is required."""
    roadmap_ensure_approver(actor, roadmap)
    if not comment.strip():
        raise DomainError("Напишите, что нужно доработать: без комментария вернуть дорожную карту нельзя.")
    return status_transition(
        roadmap,
        allowed=(RoadmapStatus.SUBMITTED,),
        new=RoadmapStatus.RETURNED,
        event_model=RoadmapEvent,
        kind=RoadmapEventKind.RETURNED,
        actor=actor,
        refused=_refusal(RoadmapStatus.RETURNED),
        comment=comment.strip(),
    )


@transaction.atomic
def roadmap_approve(*, actor: Any, roadmap: Roadmap, comment: str = "") -> Roadmap:
    """Approve a submitted roadmap: from now on it is frozen until a new revision is started."""
    roadmap_ensure_approver(actor, roadmap)
    return status_transition(
        roadmap,
        allowed=(RoadmapStatus.SUBMITTED,),
        new=RoadmapStatus.APPROVED,
        event_model=RoadmapEvent,
        kind=RoadmapEventKind.APPROVED,
        actor=actor,
        refused=_refusal(RoadmapStatus.APPROVED),
        comment=comment.strip(),
        approved_at=timezone.now(),
    )


@transaction.atomic
def roadmap_revise(*, actor: Any, roadmap: Roadmap, comment: str = "") -> Roadmap:
    """Start a new revision of an approved roadmap: it becomes a draft again, to be submitted anew.

    Only from «approved»: a returned roadmap is editable already. The previous revision stays in
    the events (who approved it, when) and in the change log of every item.
    """
    roadmap_ensure_keeper(actor, roadmap)
    return status_transition(
        roadmap,
        allowed=(RoadmapStatus.APPROVED,),
        new=RoadmapStatus.DRAFT,
        event_model=RoadmapEvent,
        kind=RoadmapEventKind.REVISED,
        actor=actor,
        refused=_refusal(RoadmapStatus.DRAFT),
        comment=comment.strip(),
        submitted_at=None,
        approved_at=None,
    )


def _refusal(new: RoadmapStatus) -> Callable[[str | None], str]:
    """The message for a transition to ``new`` that found the roadmap in ``current`` status."""

    def message(current: str | None) -> str:
        if current is None:
            return "Дорожная карта не найдена: возможно, её удалили. Обновите страницу."
        if current == new:
            return f"Дорожная карта уже {ALREADY[new]}; обновите страницу."
        return (
            f"Дорожная карта сейчас «{RoadmapStatus(current).label.lower()}»: это действие для неё недоступно. "
            "Обновите страницу."
        )

    return message


# --- cascade ------------------------------------------------------------------------------------


@transaction.atomic
def roadmap_item_cascade(
    *, actor: Any, item: RoadmapItem, organisations: Sequence[Organisation] | None = None
) -> list[RoadmapItem]:
    """Pass a municipal or regional activity down to subordinate organisations (all, or those listed).

    Each organisation gets a linked item (``cascaded_from``) in its roadmap covering the source
    roadmap's period; an organisation without one gets a new draft roadmap for that period. The
    linked item is added whatever that roadmap's status: it is an instruction from above, not the
    school's own edit. Idempotent: organisations that already have the linked item are skipped.
    Returns the items created by this call.
    """
    item = _lock_item(item)
    source = item.roadmap
    roadmap_ensure_keeper(actor, source)
    if source.level == Level.ORGANISATION:
        raise DomainError("У образовательной организации нет подчинённых: пункт её дорожной карты передать некому.")
    _ensure_activity(item)
    below = Organisation.objects.restrict(actor, "view").filter(is_active=True)
    if source.level == Level.MUNICIPALITY:
        below = below.filter(municipality_id=source.municipality_id)
    else:
        below = below.filter(municipality__region_id=source.region_id)
    if organisations is not None:
        wanted = {org.pk for org in organisations}
        below = below.filter(pk__in=wanted)
        found = set(below.values_list("pk", flat=True))
        if missing := [org for org in organisations if org.pk not in found]:
            names = ", ".join(f"«{org}»" for org in missing)
            raise DomainError(
                f"Передать пункт можно только подчинённым организациям в ваших правах; не подходят: {names}."
            )
    targets = list(below.order_by("short_name"))
    if not targets:
        raise DomainError("Нет подчинённых организаций, которым можно передать этот пункт.")
    already = set(RoadmapItem.objects.filter(cascaded_from=item).values_list("roadmap__organisation_id", flat=True))
    parties = list(item.responsible.all())
    created = []
    for organisation in targets:
        if organisation.pk in already:
            continue
        roadmap = _roadmap_covering(actor=actor, organisation=organisation, source=source)
        child = RoadmapItem(
            roadmap=roadmap,
            cascaded_from=item,
            kind=ItemKind.ACTIVITY,
            position=_next_position(roadmap),
            **{field: getattr(item, field) for field in ITEM_CONTENT_FIELDS},
        )
        _apply_deadline(child, roadmap)
        child.full_clean()
        child.save()
        ResponsibleParty.objects.bulk_create(
            ResponsibleParty(
                item=child,
                kind=party.kind,
                name=party.name,
                user=party.user,
                body=party.body,
                role=party.role,
                position=party.position,
            )
            for party in parties
        )
        created.append(child)
    return created


def _roadmap_covering(*, actor: Any, organisation: Organisation, source: Roadmap) -> Roadmap:
    found = (
        Roadmap.objects.filter(
            organisation=organisation, period_start__lte=source.period_end, period_end__gte=source.period_start
        )
        .order_by("-period_start", "-pk")
        .first()
    )
    if found is not None:
        return found
    years = f"{source.period_start.year}–{source.period_end.year}"
    if source.period_start.year == source.period_end.year:
        years = str(source.period_start.year)
    return roadmap_create(
        actor=actor,
        place=organisation,
        title=f"Дорожная карта внедрения целевой модели наставничества: {organisation} ({years})",
        period_start=source.period_start,
        period_end=source.period_end,
    )


# --- target indicators --------------------------------------------------------------------------


@transaction.atomic
def target_indicator_set(
    *,
    actor: Any,
    roadmap: Roadmap,
    code: str,
    name: str,
    unit: str,
    values: dict[int, Decimal],
) -> TargetIndicator:
    """Create or update the indicator ``code`` of a draft or returned roadmap with exactly these yearly values.

    Years left out of ``values`` are removed: the call states the whole row of the table.
    """
    roadmap = _lock_editable(actor, roadmap)
    indicator = TargetIndicator.objects.filter(roadmap=roadmap, code=code).first()
    if indicator is None:
        last = TargetIndicator.objects.filter(roadmap=roadmap).aggregate(last=Max("position"))["last"]
        indicator = TargetIndicator(roadmap=roadmap, code=code, position=0 if last is None else last + 1)
    indicator.name, indicator.unit = name, unit
    indicator.full_clean()
    indicator.save()
    existing = {value.year: value for value in indicator.values.all()}
    for year, amount in sorted(values.items()):
        row = existing.pop(year, None) or TargetValue(indicator=indicator, year=year)
        if row.pk is not None and row.value == amount:
            continue
        row.value = amount
        row.full_clean()
        row.save()
    for stale in existing.values():
        stale.delete()
    return indicator


# --- shared checks ------------------------------------------------------------------------------


def _check_fields(data: dict[str, Any], allowed: frozenset[str]) -> None:
    if unknown := set(data) - allowed:
        raise ValueError(f"Fields that cannot be set here: {sorted(unknown)}")


def roadmap_ensure_keeper(actor: Any, roadmap: Roadmap, action: str = "change") -> None:
    """The actor may ``action`` the roadmap, and holds such a role AT its place (not above it).

    One query: the restricted roadmap must also be at one of the places where the actor holds the
    permission (the restriction alone would let the level above through).
    """
    places = access.places_where(actor, access.permission_name(Roadmap, action))
    if places is None:
        return
    level = roadmap.level
    if level not in places or not (
        Roadmap.objects.restrict(actor, action).filter(pk=roadmap.pk, **{f"{level.value}__in": places[level]}).exists()
    ):
        raise PermissionDenied(
            f"Дорожную карту «{roadmap}» ведёт {roadmap.place}: менять её и отправлять на согласование может "
            "только этот уровень, а вышестоящий её согласует или возвращает с комментарием."
        )


def roadmap_ensure_approver(actor: Any, roadmap: Roadmap) -> None:
    """The actor holds an approving role at the place directly above the roadmap's."""
    access.ensure_can(actor, roadmap, "approve")
    if access.is_administrator(actor) or access.directly_above(
        actor, roadmap.place, access.permission_name(Roadmap, "approve")
    ):
        return
    if access.assignments_of(actor).filter(**{roadmap.level.value: roadmap.place}).exists():
        raise DomainError("Свою дорожную карту согласовать нельзя: её согласует вышестоящий уровень.")
    above = access.parent_of(roadmap.place)
    if above is None:
        raise DomainError("Региональную дорожную карту утверждает министерство; на портале это отмечает администратор.")
    raise DomainError(f"Эту дорожную карту согласует {above}, а не вы.")


def _lock_editable(actor: Any, roadmap: Roadmap) -> Roadmap:
    """Lock the roadmap's row and check that the actor's level may edit it in its current status."""
    roadmap_ensure_keeper(actor, roadmap)
    locked = Roadmap.objects.select_for_update().get(pk=roadmap.pk)
    if locked.status == RoadmapStatus.APPROVED:
        raise DomainError(
            "Согласованную дорожную карту нельзя изменить; чтобы внести изменения, начните новую редакцию "
            "(«Взять на доработку») и отправьте её на согласование снова."
        )
    if locked.status == RoadmapStatus.SUBMITTED:
        raise DomainError(
            "Дорожная карта на согласовании: изменить её можно после решения вышестоящего уровня "
            "(если её вернут на доработку)."
        )
    return locked


def _lock_item(item: RoadmapItem) -> RoadmapItem:
    return RoadmapItem.objects.select_for_update().select_related("roadmap").get(pk=item.pk)


def _ensure_activity(item: RoadmapItem) -> None:
    if item.kind == ItemKind.SECTION:
        raise DomainError(f"«{item}» — раздел: он не выполняется сам, отмечайте его пункты.")


def _ensure_not_future(day: date | None, today: date) -> None:
    if day is not None and day > today:
        raise DomainError(f"Фактическая дата {day:%d.%m.%Y} ещё не наступила.")


def _apply_deadline(item: RoadmapItem, roadmap: Roadmap) -> None:
    """Store the parsed deadline; unclear text is kept and flagged, never given a guessed date.

    The stored due date is the end of the whole span: for recurring deadlines («до 1 мая
    (далее ежегодно)», «ежеквартально») the last repetition within the roadmap's period; the
    next concrete date comes from ``Deadline.next_due`` of the text.
    """
    text = item.deadline_text.strip()
    if not text:
        item.deadline_kind, item.deadline_start, item.deadline_due = "", None, None
        item.deadline_recurrence, item.deadline_needs_review, item.deadline_problem = "", False, ""
        return
    parsed: Deadline = parse_deadline(text, period_start=roadmap.period_start, period_end=roadmap.period_end)
    item.deadline_kind = str(parsed.kind)
    item.deadline_start = parsed.start or (parsed.dates[0] if parsed.dates else None)
    if parsed.kind == DeadlineKind.RECURRING or parsed.recurrence:
        item.deadline_due = parsed.until or parsed.end
    else:
        item.deadline_due = parsed.end
    item.deadline_recurrence = str(parsed.recurrence) if parsed.recurrence else ""
    item.deadline_needs_review = parsed.needs_review
    item.deadline_problem = parsed.problem[:500]


def _next_position(roadmap: Roadmap) -> int:
    last = RoadmapItem.objects.filter(roadmap=roadmap).aggregate(last=Max("position"))["last"]
    return 0 if last is None else last + 1


def _parent_number_candidates(number: str) -> list[str]:
    """«1.2» → «1», «1.»; «7.1.1.» → «7.1», «7.1.»; a top-level number has none."""
    parts = re.findall(r"\d+", number)
    if len(parts) < 2:
        return []
    stem = ".".join(parts[:-1])
    return [stem, f"{stem}."]


def _parent_for(roadmap: Roadmap, number: str, exclude: RoadmapItem | None = None) -> RoadmapItem | None:
    candidates = _parent_number_candidates(number)
    if not candidates:
        return None
    parents = RoadmapItem.objects.filter(roadmap=roadmap, number__in=candidates)
    if exclude is not None:
        parents = parents.exclude(pk=exclude.pk)
    return parents.order_by("pk").first()


def _adopt_orphans(item: RoadmapItem) -> None:
    """Items numbered under this one but added before it («1.1» before «1.») move under it."""
    if not item.number:
        return
    own = set(_parent_number_candidates(f"{item.number}.0"))
    orphans = [
        orphan
        for orphan in RoadmapItem.objects.filter(roadmap_id=item.roadmap_id, parent__isnull=True).exclude(pk=item.pk)
        if orphan.number and set(_parent_number_candidates(orphan.number)) == own
    ]
    for orphan in orphans:
        orphan.parent = item
    if orphans:
        RoadmapItem.objects.bulk_update(orphans, ["parent"])


def _subtree_ids(item: RoadmapItem) -> list[int]:
    ids, frontier = [item.pk], [item.pk]
    while frontier:
        frontier = list(RoadmapItem.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        ids.extend(frontier)
    return ids


@dataclass(frozen=True, slots=True)
class _Directory:
    """What matching responsible parties needs of a roadmap's region, read once per roadmap."""

    region_id: int
    municipality_id: int | None
    bodies: list[Body]


def _directory_of(roadmap: Roadmap) -> _Directory:
    region_id, municipality_id = _region_and_municipality(roadmap)
    return _Directory(region_id, municipality_id, list(Body.objects.filter(region_id=region_id, is_active=True)))


def _responsible_replace(
    item: RoadmapItem,
    parsed: Sequence[ParsedResponsible],
    *,
    directory: _Directory | None = None,
    fresh: bool = False,
) -> None:
    """Replace the item's responsible parties with ``parsed``, linking users and bodies where one matches.

    A person «Фамилия И.О.» becomes a portal user when exactly one user holding a role in the
    roadmap's region has that surname and those initials (a namesake leaves the person unlinked);
    a body is linked by its short name in the region, or by its kind in the roadmap's
    municipality («УО», «МКУ «ИМЦ»») when only one such body is there.
    """
    if not fresh:
        item.responsible.all().delete()
    if not parsed:
        return
    directory = directory or _directory_of(item.roadmap)
    region_id, municipality_id = directory.region_id, directory.municipality_id
    in_region = (
        Q(role_assignments__region_id=region_id)
        | Q(role_assignments__municipality__region_id=region_id)
        | Q(role_assignments__organisation__municipality__region_id=region_id)
    )
    surnames = {party.surname for party in parsed if party.kind == ResponsibleKind.PERSON}
    people: dict[str, list[User]] = {}
    if surnames:
        for user in User.objects.filter(in_region, last_name__in=surnames, is_active=True).distinct():
            people.setdefault(user.last_name, []).append(user)
    bodies = directory.bodies
    rows = []
    for position, party in enumerate(parsed):
        row = ResponsibleParty(item=item, kind=party.kind, name=party.name[:500], role=party.role, position=position)
        if party.kind == ResponsibleKind.PERSON:
            matches = [user for user in people.get(party.surname, []) if _initials(user) == party.initials]
            if len(matches) == 1:
                row.kind, row.user = ResponsibleKind.USER, matches[0]
        elif party.kind == ResponsibleKind.BODY:
            row.body = _match_body(party, bodies, municipality_id)
        rows.append(row)
    ResponsibleParty.objects.bulk_create(rows)


def _initials(user: User) -> str:
    return "".join(f"{part[0]}." for part in (user.first_name, user.patronymic) if part)


def _match_body(party: ParsedResponsible, bodies: list[Body], municipality_id: int | None) -> Body | None:
    squeezed = " ".join(party.name.split())
    by_name = [body for body in bodies if squeezed in (body.short_name, body.full_name)]
    if len(by_name) == 1:
        return by_name[0]
    if not party.body_kind:
        return None
    municipal = party.body_kind in BodyKind.municipal()
    by_kind = [
        body
        for body in bodies
        if body.kind == party.body_kind and (body.municipality_id == municipality_id if municipal else True)
    ]
    return by_kind[0] if len(by_kind) == 1 else None


def _region_and_municipality(roadmap: Roadmap) -> tuple[int, int | None]:
    if roadmap.organisation_id:
        municipality = Municipality.objects.only("region_id").get(organisations=roadmap.organisation_id)
        return municipality.region_id, municipality.pk
    if roadmap.municipality_id:
        return roadmap.municipality.region_id, roadmap.municipality_id
    return roadmap.region_id, None


@transaction.atomic
def roadmap_import(
    *,
    actor: Any,
    place: Place,
    parsed: ParsedRoadmap,
    title: str = "",
    period_start: date | None = None,
    period_end: date | None = None,
) -> Roadmap:
    """Create a draft roadmap of ``place`` from a Word or Excel file read by ``parse_roadmap_file``.

    All or nothing: a file with any blocking problem writes nothing, and every
    item goes through ``roadmap_item_create``, so an import validates exactly
    like the item form. The period given wins over the one read from the title.
    """
    if not parsed.ok:
        problems = parsed.errors or [ImportProblem(row=None, column="", message="В файле не найдено ни одного пункта.")]
        listed = "; ".join(str(problem) for problem in problems[:20])
        more = f" (и ещё {len(problems) - 20})" if len(problems) > 20 else ""
        raise DomainError(f"Дорожная карта не загружена, ничего не записано. {listed}{more}")
    period_start = period_start or parsed.period_start
    period_end = period_end or parsed.period_end
    if period_start is None or period_end is None:
        raise DomainError("Не удалось определить период дорожной карты из файла: укажите даты начала и окончания.")
    roadmap = roadmap_create(
        actor=actor,
        place=place,
        title=(title or parsed.title or "Дорожная карта")[:1000],
        period_start=period_start,
        period_end=period_end,
        goal=parsed.goal,
        tasks="\n".join(parsed.tasks),
    )
    # Scope and status are checked once for the whole batch; every row then goes through the
    # same validated insert as the item form (roadmap_item_create), without re-checking them.
    roadmap = _lock_editable(actor, roadmap)
    directory = _directory_of(roadmap)
    numbered: dict[str, RoadmapItem] = {}
    item = None
    for row in parsed.items:
        try:
            item = _item_insert(
                roadmap=roadmap,
                data=_imported_item_data(row),
                responsible=None,
                directory=directory,
                numbered=numbered,
            )
        except ValidationError as exc:
            raise DomainError(f"Строка {row.row}: {' '.join(exc.messages)}") from exc
        if item.number:
            numbered[item.number] = item
        elif row.parent and row.parent in numbered:
            # Unnumbered rows (seed 003's activities under each stage) belong to the section above them.
            item.parent = numbered[row.parent]
            item.save(update_fields=["parent", "sort_key"])
    if item is not None:
        # Every item shares the roadmap, so one of them stands for the batch.
        access.ensure_can(actor, item, "add")
    return roadmap


def _imported_item_data(row: ParsedItem) -> dict[str, Any]:
    return {
        "number": row.number,
        "kind": row.kind,
        "position": row.position,
        "title": row.title,
        "content": row.content,
        "deadline_text": row.deadline_text,
        "responsible_text": row.responsible,
        "expected_result": row.result,
        "document_type": row.document_type,
        "inform_whom": row.inform_whom,
        "inform_when_text": row.inform_when,
        "plan_start": row.plan_start,
        "plan_end": row.plan_end,
    }


# --- handover (the user's card in accounts) -------------------------------------------------------


@transaction.atomic
def responsible_transfer(*, actor: Any, user: User, to_user: User, pks: Sequence[int], request: Any = None) -> int:
    """«Передать другому»: ``user`` stops answering for the items ``pks``, ``to_user`` answers instead.

    ``to_user`` must be another active user of one of ``user``'s places (``accounts.selectors.colleagues``);
    the actor must keep each item's roadmap at its own level. The parties' change history names the
    actor; where ``to_user`` already answers for an item, ``user``'s party is simply taken off it.
    Returns the number of items handed over.
    """
    from accounts.selectors import colleagues

    if not to_user.is_active or to_user.pk == user.pk:
        raise DomainError("Передать можно только другому активному пользователю.", field="to_user")
    if not colleagues(viewer=actor, user=user).filter(pk=to_user.pk).exists():
        raise DomainError("Передать можно только активному пользователю того же места.", field="to_user")
    wanted = set(pks)
    items = list(RoadmapItem.objects.restrict(actor, "change").filter(pk__in=wanted).select_related("roadmap"))
    if len(items) != len(wanted):
        raise PermissionDenied("Некоторые из этих пунктов вы менять не можете.")
    for roadmap in {item.roadmap_id: item.roadmap for item in items}.values():
        roadmap_ensure_keeper(actor, roadmap)
    already = set(ResponsibleParty.objects.filter(item__in=items, user=to_user).values_list("item_id", flat=True))
    parties = list(ResponsibleParty.objects.select_for_update().filter(item__in=items, user=user).order_by("pk"))
    moved = set()
    for party in parties:
        party._history_user = actor
        if party.item_id in already:
            party.delete()
        else:
            party.user = to_user
            if party.kind in (ResponsibleKind.USER, ResponsibleKind.PERSON):
                party.name = to_user.get_short_name()
            party.full_clean()
            party.save()
            already.add(party.item_id)
        moved.add(party.item_id)
    return len(moved)
