"""What roadmaps remind about (registered with notifications' registry, found by autodiscovery).

* Item deadlines: an open activity due in a week, tomorrow, today, or overdue. The window is
  a range, not an exact day, so a day the job did not run loses nothing: an item due in five
  days when first seen is reminded «через 5 дн.», then tomorrow, today and once when late;
  the unique (recipient, kind, item, due date) keeps each of these to one reminder.
  Recurring deadlines («до 1 мая (далее ежегодно)», «ежеквартально», «Март, июнь, сентябрь,
  декабрь») are expanded from the text with ``parse_deadline`` and the roadmap's period, the
  same parse that filled the stored fields, so each repetition is reminded on its own date.
* A deadline the parser could not read (``deadline_needs_review``) is never reminded on a
  guessed date: the roadmap's author (or, when unknown, its keepers) is told once that the
  deadline needs fixing; a later, still unclear text is told again.
* A roadmap submitted for approval more than ``REMINDER_APPROVAL_DAYS`` days ago reminds the
  approvers of the level above (``services.roadmap_ensure_approver``'s rule).

Recipients of an item: its responsible parties that are portal users; without any, the
keepers of its roadmap's place (the roles that may change items, assigned AT that place).
Every source runs a fixed number of queries whatever the number of items.
"""

from __future__ import annotations

import zlib
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from mentorship import access
from notifications.registry import Due, register

from .choices import ItemKind, ItemStatus, RoadmapStatus
from .deadlines import DeadlineKind, parse_deadline
from .models import ResponsibleParty, Roadmap, RoadmapItem
from .selectors import overdue_q

# How far ahead a deadline is reminded, and how far back a missed one is still worth telling.
AHEAD_DAYS = 7
KIND_AHEAD = "roadmap_item_week"
KIND_TOMORROW = "roadmap_item_tomorrow"
KIND_TODAY = "roadmap_item_today"
KIND_OVERDUE = "roadmap_item_overdue"
KIND_UNCLEAR = "roadmap_item_deadline_unclear"
KIND_APPROVAL = "roadmap_approval_waiting"

# Deadlines with more than one due point: expanded from the text rather than the stored end.
_REPEATING_KINDS = [DeadlineKind.MONTH_LIST, DeadlineKind.RECURRING, DeadlineKind.QUARTERLY]
_UNDATED_KINDS = [DeadlineKind.CONTINUOUS, DeadlineKind.BY_SCHEDULE, DeadlineKind.ON_REQUEST, DeadlineKind.EXTERNAL]
_FIELDS = (
    "pk",
    "number",
    "title",
    "deadline_text",
    "deadline_kind",
    "deadline_due",
    "deadline_needs_review",
    "deadline_recurrence",
    "created_at",
    "roadmap_id",
    "roadmap__title",
    "roadmap__region_id",
    "roadmap__municipality_id",
    "roadmap__organisation_id",
    "roadmap__period_start",
    "roadmap__period_end",
    "roadmap__created_by_id",
)


def _overdue_lookback() -> int:
    return getattr(settings, "REMINDER_OVERDUE_DAYS", 30)


def item_due_kind(due: date, day: date) -> str | None:
    """Which reminder a due date makes on ``day`` (None: none yet, or too long ago)."""
    delta = (due - day).days
    if delta == 0:
        return KIND_TODAY
    if delta == 1:
        return KIND_TOMORROW
    if 1 < delta <= AHEAD_DAYS:
        return KIND_AHEAD
    if -_overdue_lookback() <= delta < 0:
        return KIND_OVERDUE
    return None


def _headline(kind: str, due: date, day: date) -> str:
    if kind == KIND_TODAY:
        return "Срок сегодня"
    if kind == KIND_TOMORROW:
        return "Срок завтра"
    if kind == KIND_AHEAD:
        return f"Срок через {(due - day).days} дн."
    return "Срок прошёл"


def _place_key(row: dict[str, Any], prefix: str = "roadmap__") -> tuple[str, int]:
    for level in ("organisation", "municipality", "region"):
        if row[f"{prefix}{level}_id"]:
            return level, row[f"{prefix}{level}_id"]
    raise ValueError("A roadmap has exactly one place")


def _keepers() -> dict[tuple[str, int], list[int]]:
    """Users holding a role that keeps roadmap items, by the place they hold it AT: one query."""
    keepers: dict[tuple[str, int], list[int]] = defaultdict(list)
    rows = (
        access.holders(permission=access.permission_name(RoadmapItem, "change"))
        .filter(user__is_active=True)
        .values("user_id", "region_id", "municipality_id", "organisation_id")
    )
    for row in rows:
        keepers[_place_key(row, prefix="")].append(row["user_id"])
    return keepers


_PLACEHOLDER = 987654321


def _url_pattern(name: str) -> str:
    """``reverse()`` once per run, not once per item (it costs ~0.3 ms): a ``str.format`` pattern."""
    return reverse(name, args=[_PLACEHOLDER]).replace(str(_PLACEHOLDER), "{}")


def _item_name(row: dict[str, Any]) -> str:
    name = " ".join(f"{row['number']} {row['title']}".split())
    return name if len(name) <= 300 else name[:299] + "…"


@register(
    "roadmap_deadlines", "Сроки пунктов дорожных карт (за неделю, накануне, в день срока и при просрочке)", order=10
)
def item_deadlines(day: date) -> Iterator[Due]:
    """Open activities with a due point in the reminder window on ``day``; three queries."""
    ahead = day + timedelta(days=AHEAD_DAYS)
    back = day - timedelta(days=_overdue_lookback())
    repeating = ~Q(deadline_recurrence="") | Q(deadline_kind__in=_REPEATING_KINDS)
    single_due = Q(deadline_due__range=(day, ahead)) & ~repeating & ~Q(deadline_kind__in=_UNDATED_KINDS)
    repeating_due = (
        repeating
        & ~Q(deadline_kind__in=_UNDATED_KINDS)
        & (Q(deadline_start__lte=ahead) | Q(deadline_start__isnull=True))
        & (Q(deadline_due__gte=day) | Q(deadline_due__isnull=True))
    )
    late = overdue_q(day) & Q(deadline_due__gte=back)
    candidates = (
        RoadmapItem.objects.filter(kind=ItemKind.ACTIVITY, deadline_needs_review=False)
        .exclude(status=ItemStatus.DONE)
        .filter(single_due | repeating_due | late)
    )
    yield from _item_reminders(candidates, day, ahead)


def _item_reminders(candidates: Any, day: date, ahead: date) -> Iterator[Due]:
    responsible = _responsible_users(candidates)
    keepers = _keepers()
    roadmap_url = _url_pattern("roadmaps:detail")
    parsed: dict[tuple[str, date, date], Any] = {}
    for row in candidates.values(*_FIELDS).order_by():
        dues: set[date] = set()
        due = row["deadline_due"]
        if due is not None and due < day:
            dues.add(due)  # overdue: the stored end, as «просрочено» everywhere on the portal
        elif row["deadline_recurrence"] or row["deadline_kind"] in _REPEATING_KINDS:
            key = (row["deadline_text"], row["roadmap__period_start"], row["roadmap__period_end"])
            if key not in parsed:
                parsed[key] = parse_deadline(key[0], period_start=key[1], period_end=key[2])
            dues.update(parsed[key].due_dates(day, ahead))
        elif due is not None:
            dues.add(due)
        recipients = responsible.get(row["pk"]) or keepers.get(_place_key(row), [])
        url = f"{roadmap_url.format(row['roadmap_id'])}#item-{row['pk']}"
        for due_date in sorted(dues):
            kind = item_due_kind(due_date, day)
            if kind is None:
                continue
            title = f"{_headline(kind, due_date, day)}: {_item_name(row)}"
            text = (
                f"Срок: {row['deadline_text'] or '—'} ({due_date:%d.%m.%Y}). Дорожная карта: {row['roadmap__title']}."
            )
            for user_id in recipients:
                yield Due(
                    recipient_id=user_id,
                    kind=kind,
                    subject_key=f"roadmaps.roadmapitem:{row['pk']}",
                    title=title,
                    url=url,
                    due_date=due_date,
                    text=text,
                )


def _responsible_users(items: Any) -> dict[int, list[int]]:
    """The portal users named responsible for each of ``items`` (a queryset): one query."""
    found: dict[int, list[int]] = defaultdict(list)
    rows = ResponsibleParty.objects.filter(
        item__in=items.values("pk"), user__isnull=False, user__is_active=True
    ).values_list("item_id", "user_id")
    for item_id, user_id in rows.order_by():
        if user_id not in found[item_id]:
            found[item_id].append(user_id)
    return found


@register("roadmap_deadline_unclear", "Нераспознанные сроки пунктов дорожных карт", order=20)
def unclear_deadlines(day: date) -> Iterator[Due]:
    """Open activities whose deadline text was not understood: tell the author, never guess a date.

    One notice per item and text: the subject carries a checksum of the text, and the due
    date is the day the item was created, so the notice is not repeated day after day.
    """
    items = RoadmapItem.objects.filter(kind=ItemKind.ACTIVITY, deadline_needs_review=True).exclude(
        status=ItemStatus.DONE
    )
    keepers = _keepers()
    edit_url = _url_pattern("roadmaps:item_edit")
    active = set(get_user_model().objects.filter(is_active=True).values_list("pk", flat=True))
    for row in items.values(*_FIELDS, "deadline_problem").order_by():
        author = row["roadmap__created_by_id"]
        recipients = [author] if author in active else keepers.get(_place_key(row), [])
        checksum = zlib.crc32(row["deadline_text"].encode())
        for user_id in recipients:
            yield Due(
                recipient_id=user_id,
                kind=KIND_UNCLEAR,
                subject_key=f"roadmaps.roadmapitem:{row['pk']}:{checksum:08x}",
                title=f"Срок не распознан: {_item_name(row)}",
                url=edit_url.format(row["pk"]),
                due_date=timezone.localtime(row["created_at"]).date(),
                text=(
                    f"{row['deadline_problem'] or 'Срок не удалось распознать.'} Напоминания по этому пункту "
                    f"не отправляются, пока срок не исправлен. Дорожная карта: {row['roadmap__title']}."
                ),
            )


@register("roadmap_approval", "Дорожные карты, ждущие вашего согласования", order=30)
def approvals_waiting(day: date) -> Iterator[Due]:
    """Roadmaps submitted more than ``REMINDER_APPROVAL_DAYS`` days ago → the approvers above them."""
    days = settings.REMINDER_APPROVAL_DAYS
    cutoff = timezone.make_aware(datetime.combine(day - timedelta(days=days), time.max))
    waiting = Roadmap.objects.filter(status=RoadmapStatus.SUBMITTED, submitted_at__lte=cutoff).values(
        "pk", "title", "submitted_at", "organisation__municipality_id", "municipality__region_id", "region_id"
    )
    waiting = list(waiting.order_by())
    if not waiting:
        return
    approvers: dict[tuple[str, int], list[int]] = defaultdict(list)
    holding = access.holders(permission=access.permission_name(Roadmap, "approve")).filter(user__is_active=True)
    for row in holding.values("user_id", "municipality_id", "region_id"):
        if row["municipality_id"]:
            approvers["municipality", row["municipality_id"]].append(row["user_id"])
        if row["region_id"]:
            approvers["region", row["region_id"]].append(row["user_id"])
    # A regional roadmap is approved by the ministry; on the portal an administrator records it.
    administrators = list(
        get_user_model().objects.filter(is_superuser=True, is_active=True).values_list("pk", flat=True)
    )
    for row in waiting:
        if row["organisation__municipality_id"]:
            recipients = approvers.get(("municipality", row["organisation__municipality_id"]), [])
        elif row["municipality__region_id"]:
            recipients = approvers.get(("region", row["municipality__region_id"]), [])
        else:
            recipients = administrators
        submitted = timezone.localtime(row["submitted_at"]).date()
        for user_id in recipients:
            yield Due(
                recipient_id=user_id,
                kind=KIND_APPROVAL,
                subject_key=f"roadmaps.roadmap:{row['pk']}",
                title=f"Ждёт согласования с {submitted:%d.%m.%Y}: {row['title']}",
                url=reverse("roadmaps:detail", args=[row["pk"]]),
                due_date=submitted + timedelta(days=days),
                text=f"Дорожная карта отправлена на согласование {(day - submitted).days} дн. назад; "
                "согласуйте её или верните на доработку с комментарием.",
            )
