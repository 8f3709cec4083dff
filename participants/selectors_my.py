"""Reads of «Моя пара»: a participant's own pairs, with what each of them may see there."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from mentorship import access

from .choices import BaseRole, PairStatus
from .models import DevelopmentPlan, Guardianship, Meeting, Pair, PairMember, PlanTask

#: the most pairs «Моя пара» lists (a mentor leads a few; an administrator, who reaches every pair, sees the newest)
MY_PAIRS_LIMIT = 50


def my_pairs(*, user: Any) -> QuerySet:
    """The pairs the user takes part in (as a mentor, a mentee or a consenting parent), newest first."""
    return (
        Pair.objects.restrict(user, "take_part")
        .select_related("programme")
        .prefetch_related(Prefetch("members", queryset=_current_members()))
        .order_by("-started_on", "pk")
    )


def _current_members() -> QuerySet:
    return (
        PairMember.objects.filter(left_on__isnull=True)
        .select_related("person")
        .order_by("role", "person__surname", "person__name")
    )


@dataclass(frozen=True)
class MyPair:
    """One pair as a participant sees it: names only, the plans and meetings their scope allows."""

    pair: Pair
    #: "mentor", "mentee" or "parent"
    role: str
    mentors: list[PairMember]
    mentees: list[PairMember]
    plans: list[DevelopmentPlan]
    meetings: list[Meeting]
    can_lead: bool
    rateable: frozenset[int]

    @property
    def is_open(self) -> bool:
        return self.pair.status in PairStatus.open()

    @property
    def is_group(self) -> bool:
        return len(self.mentees) > 1

    @property
    def planned(self) -> list[Meeting]:
        return [m for m in self.meetings if m.held_on is None]

    @property
    def held(self) -> list[Meeting]:
        return sorted(
            (m for m in self.meetings if m.held_on is not None), key=lambda m: (m.held_on, m.pk), reverse=True
        )


def my_pair(*, user: Any, pk: int) -> MyPair:
    """The user's own pair ``pk`` (404 for anyone else's) with its members, plans and meetings.

    A fixed number of queries, whatever the number of meetings and tasks.
    """
    pair = get_object_or_404(my_pairs(user=user), pk=pk)
    members = list(pair.members.all())
    own = next((m for m in members if m.person.user_id == user.pk), None)
    role = own.role if own is not None else "parent"
    plans = list(
        DevelopmentPlan.objects.restrict(user, "view")
        .filter(pair=pair)
        .select_related("mentee")
        .prefetch_related(Prefetch("tasks", queryset=PlanTask.objects.order_by("deadline", "pk")))
    )
    meetings = list(
        Meeting.objects.restrict(user, "view")
        .filter(pair=pair)
        .select_related("recorded_by")
        .order_by("planned_on", "pk")
    )
    rateable = (
        frozenset(Meeting.objects.restrict(user, "rate").filter(pair=pair).values_list("pk", flat=True))
        if role == BaseRole.MENTEE
        else frozenset()
    )
    mentees = [m for m in members if m.role == BaseRole.MENTEE]
    if role == "parent":
        # A parent's consent covers their own child: the other mentees of a group are minors too,
        # and their names are not the parent's to see.
        children = set(Guardianship.children_of(user.pk).values_list("person_id", flat=True))
        mentees = [m for m in mentees if m.person_id in children]
    return MyPair(
        pair=pair,
        role=role,
        mentors=[m for m in members if m.role == BaseRole.MENTOR],
        mentees=mentees,
        plans=plans,
        meetings=meetings,
        can_lead=role == BaseRole.MENTOR and access.can(user, pair, "lead"),
        rateable=rateable,
    )


def calendar_meetings(*, user: Any) -> QuerySet:
    """The planned meetings of open pairs the user sees, for their calendar feed (the nearest 500)."""
    return (
        Meeting.objects.restrict(user, "view")
        .filter(held_on__isnull=True, pair__status__in=PairStatus.open())
        .select_related("pair__programme")
        .order_by("planned_on", "pk")[:500]
    )
