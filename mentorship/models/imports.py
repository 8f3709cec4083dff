"""The log of Excel imports: one row per uploaded file, from upload to the final write."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .base import OwnedModel


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", "Загружен, проверяется"
    VALIDATED = "validated", "Проверен, ждёт подтверждения"
    INVALID = "invalid", "Есть ошибки, ничего не записано"
    COMMITTING = "committing", "Записывается"
    DONE = "done", "Импортирован"
    FAILED = "failed", "Не импортирован: ошибки при записи"


class ImportJob(OwnedModel):
    """Импорт из Excel: who uploaded which file (name, SHA-256) of which kind, what the check found and wrote.

    The rows the import creates or changes are recorded by django-simple-history as usual; this
    row is the journal of the import itself. ``status`` moves only forward through compare-and-swap
    updates (``services.import_confirm``), so a confirmation posted twice writes once.
    """

    #: administrators read every upload's log (the pages of an import); each user their own
    administrators_see_all = True

    kind = models.CharField("что импортируется", max_length=32)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="кто"
    )
    organisation_code = models.CharField(
        "организация по умолчанию", max_length=64, blank=True, help_text="Для строк без кода организации."
    )
    created_at = models.DateTimeField("загружен", auto_now_add=True)
    finished_at = models.DateTimeField("завершён", null=True, blank=True)
    file = models.FileField("файл", upload_to="imports/%Y/%m/", blank=True)
    file_name = models.CharField("имя файла", max_length=255)
    sha256 = models.CharField("контрольная сумма SHA-256", max_length=64)
    size = models.PositiveBigIntegerField("размер, байт", default=0)
    status = models.CharField("состояние", max_length=16, choices=ImportStatus.choices, default=ImportStatus.UPLOADED)
    total_rows = models.PositiveIntegerField("строк в файле", default=0)
    processed_rows = models.PositiveIntegerField("проверено строк", default=0)
    created_count = models.PositiveIntegerField("будет создано / создано", default=0)
    updated_count = models.PositiveIntegerField("будет изменено / изменено", default=0)
    unchanged_count = models.PositiveIntegerField("без изменений", default=0)
    error_count = models.PositiveIntegerField("ошибок", default=0)
    #: «Строка N, столбец X: причина» — the file-level error (no row) first, at most IMPORT_MAX_ERRORS of them
    errors = models.JSONField("ошибки", default=list, blank=True)
    #: the preview: ``[row number, outcome, label]`` per row
    rows = models.JSONField("строки", default=list, blank=True)
    #: what a kind asks at upload (``ImportKind.upload_fields``) and, for a kind that maps the file's own
    #: columns (``ImportKind.maps_columns``): ``columns`` as read, ``mapping`` as the user chose it
    options = models.JSONField("параметры загрузки", default=dict, blank=True)

    class Meta:
        verbose_name = "импорт из Excel"
        verbose_name_plural = "журнал импорта из Excel"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"], name="importjob_user_created")]

    def __str__(self) -> str:
        return f"Импорт «{self.file_name}» от {self.created_at:%d.%m.%Y %H:%M}"

    @property
    def is_running(self) -> bool:
        return self.status in (ImportStatus.UPLOADED, ImportStatus.COMMITTING)
