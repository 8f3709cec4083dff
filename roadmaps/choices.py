"""Vocabularies of roadmaps, with Russian labels."""

from django.db import models


class RoadmapStatus(models.TextChoices):
    """Where a roadmap is in its approval (согласование) by the level above."""

    DRAFT = "draft", "Черновик"
    SUBMITTED = "submitted", "На согласовании"
    RETURNED = "returned", "Возвращена на доработку"
    APPROVED = "approved", "Согласована"


class ItemKind(models.TextChoices):
    SECTION = "section", "Раздел"
    ACTIVITY = "activity", "Мероприятие"


class ItemStatus(models.TextChoices):
    """Typed by people; «просрочено» is never typed, it is computed from the due date."""

    NOT_STARTED = "not_started", "Не начато"
    IN_PROGRESS = "in_progress", "В работе"
    DONE = "done", "Выполнено"


class ResponsibleKind(models.TextChoices):
    USER = "user", "Пользователь портала"
    PERSON = "person", "Названное лицо"
    ROLE = "role", "Должность или роль"
    BODY = "body", "Орган или учреждение"


class RoadmapEventKind(models.TextChoices):
    SUBMITTED = "submitted", "Отправлена на согласование"
    RETURNED = "returned", "Возвращена на доработку"
    APPROVED = "approved", "Согласована"
    REVISED = "revised", "Взята на доработку"


class IndicatorUnit(models.TextChoices):
    PERCENT = "percent", "%"
    COUNT = "count", "ед."
