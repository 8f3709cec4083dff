"""Individual development plans of mentees and their tasks."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from mentorship.errors import DomainError
from mentorship.services import object_create, object_update
from participants.choices import BaseRole
from participants.models import DevelopmentPlan, Pair, Person, PlanTask

from .common import _check_fields, _d, _ensure_not_future
from .pairs import _ensure_open, _lock_pair

TASK_FIELDS = frozenset({"title", "deadline", "done_on", "result"})
#: what ticking a task done changes: the school's staff and the pair's mentor may («lead» of the pair)
TICK_FIELDS = frozenset({"done_on", "result"})


@transaction.atomic
def plan_save(*, actor: Any, pair: Pair, mentee: Person, goals: str) -> DevelopmentPlan:
    """Create or change a mentee's individual development plan in a pair."""
    pair = _lock_pair(actor, pair)
    _ensure_open(pair)
    if not pair.members.filter(person=mentee, role=BaseRole.MENTEE, left_on__isnull=True).exists():
        raise DomainError("План развития составляется для наставляемого этой пары (группы).")
    if not goals.strip():
        raise DomainError("Опишите цели плана развития.", field="goals")
    plan = DevelopmentPlan.objects.filter(pair=pair, mentee=mentee).first()
    if plan is None:
        return object_create(
            actor=actor, model=DevelopmentPlan, data={"pair": pair, "mentee": mentee, "goals": goals.strip()}
        )
    return object_update(actor=actor, obj=plan, data={"goals": goals.strip()})


def _validate_task(task: PlanTask, pair: Pair) -> None:
    if task.deadline is None:
        raise DomainError("Укажите срок задачи.", field="deadline")
    if task.deadline < pair.started_on:
        raise DomainError(
            f"Срок задачи не может быть раньше начала работы пары ({_d(pair.started_on)}).", field="deadline"
        )
    _ensure_not_future(task.done_on, "Дата выполнения", "done_on")
    if task.done_on is not None and task.done_on < pair.started_on:
        raise DomainError("Задача не может быть выполнена раньше начала работы пары.", field="done_on")


@transaction.atomic
def plan_task_add(*, actor: Any, plan: DevelopmentPlan, data: dict[str, Any]) -> PlanTask:
    _check_fields(data, TASK_FIELDS)
    pair = _lock_pair(actor, plan.pair)
    _ensure_open(pair)
    task = PlanTask(plan=plan, **data)
    _validate_task(task, pair)
    task.full_clean()
    task.save()
    return task


@transaction.atomic
def plan_task_update(*, actor: Any, task: PlanTask, data: dict[str, Any]) -> PlanTask:
    """Change a task of a plan; ticking it done (``done_on``, ``result`` only) is the pair's mentor's too («lead»)."""
    _check_fields(data, TASK_FIELDS)
    action = "lead" if set(data) <= TICK_FIELDS else "change"
    pair = _lock_pair(actor, task.plan.pair, action)
    _ensure_open(pair)
    task = PlanTask.objects.select_for_update().get(pk=task.pk)
    for field, value in data.items():
        setattr(task, field, value)
    _validate_task(task, pair)
    task.full_clean()
    task.save()
    return task
