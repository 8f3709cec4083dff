"""The trail of a workflow: one row per step of a roadmap's approval, a period report's check or an order."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class WorkflowEvent(models.Model):
    """Событие процесса (согласование, проверка, подписание): who moved an object on, when, with what comment.

    Abstract, so each workflow keeps its own table: a concrete event adds the foreign key to its
    object and redeclares ``kind`` with its own choices. Rows are written by
    ``mentorship.workflow.status_transition`` (or ``event_record``) and kept for good.
    """

    kind = models.CharField("событие", max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name="кто"
    )
    comment = models.TextField("комментарий", blank=True)
    created_at = models.DateTimeField("когда", auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.created_at:%d.%m.%Y})"
