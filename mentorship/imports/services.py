"""Import jobs: upload, check (dry run), confirm, write. Views, tasks and commands call these."""

from __future__ import annotations

import os
from typing import IO, Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from mentorship.errors import DomainError
from mentorship.models import ImportJob, ImportStatus, User

from . import engine
from .reading import max_file_size
from .registry import kind_for


class SystemActor:
    """The actor of a command run by an administrator on the server: every organisation is in scope."""

    pk = None
    is_authenticated = True
    is_active = True
    is_superuser = True
    is_staff = True

    def __str__(self) -> str:
        return "командная строка"


def _kind(key: str) -> engine.ImportKind:
    try:
        return kind_for(key)
    except KeyError as exc:
        raise DomainError("Такого вида импорта нет.") from exc


def _record(job: ImportJob, report: engine.Report, status: str, *, remappable: bool = False) -> None:
    job.status = status
    job.total_rows = report.total
    job.processed_rows = report.total
    job.created_count = report.created
    job.updated_count = report.updated
    job.unchanged_count = report.unchanged
    job.error_count = report.error_count
    job.errors = report.errors
    job.rows = report.rows
    job.finished_at = timezone.now()
    if report.columns is not None:
        job.options = {**job.options, "columns": report.columns}
    # A file whose columns the user maps stays while its mapping may still change (checked, or refused
    # after its header was read); it goes once written, failed, or replaced by a new upload.
    keep = remappable and report.columns is not None and status == ImportStatus.INVALID
    if status in (ImportStatus.DONE, ImportStatus.INVALID, ImportStatus.FAILED) and job.file and not keep:
        # The upload holds personal data: once nothing more will be read from it, only its checksum stays.
        job.file.delete(save=False)
    job.save()


def _context(job: ImportJob, actor: Any) -> engine.Context:
    return engine.Context(
        user=actor, file_name=job.file_name, organisation_code=job.organisation_code, options=dict(job.options)
    )


def _progress(job_id: int) -> Any:
    def report(done: int, total: int | None) -> None:
        ImportJob.objects.filter(pk=job_id).update(processed_rows=done, total_rows=max(total or 0, done))

    return report


@transaction.atomic
def import_upload(
    *, actor: User, kind: str, upload: UploadedFile, organisation_code: str = "", options: dict[str, Any] | None = None
) -> ImportJob:
    """Keep the uploaded file and queue its check; the upload itself is in the import log at once."""
    import_kind = _kind(kind)
    name = os.path.basename(upload.name or "файл")[:255]
    if upload.size is not None and upload.size > max_file_size():
        job = ImportJob.objects.create(
            kind=import_kind.key, user=actor, file_name=name, sha256="", size=upload.size, status=ImportStatus.INVALID
        )
        message = f"Файл «{name}» слишком большой: допускается не больше {max_file_size() // 1024 // 1024} МБ."
        job.errors = [message]
        job.error_count = 1
        job.finished_at = timezone.now()
        job.save()
        return job
    job = ImportJob(
        kind=import_kind.key,
        user=actor,
        file_name=name,
        sha256=engine.sha256_of(upload),
        size=upload.size or 0,
        organisation_code=organisation_code,
        options=options or {},
    )
    job.file.save(f"{import_kind.key}.xlsx", upload, save=False)
    job.save()
    if import_kind.maps_columns:
        # The corrected file replaces the refused ones, which were kept only for a new mapping.
        stale = ImportJob.objects.filter(user=actor, kind=import_kind.key, status=ImportStatus.INVALID)
        for old in stale.exclude(pk=job.pk).exclude(file=""):
            old.file.delete(save=True)
    from .tasks import import_check_task

    transaction.on_commit(lambda: import_check_task.delay(job.pk))
    return job


def import_check(*, job_id: int) -> ImportJob:
    """The dry run of an uploaded file; a rerun after it finished does nothing."""
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    if job.status != ImportStatus.UPLOADED:
        return job
    kind = _kind(job.kind)
    with job.file.open("rb") as handle:
        report = engine.run(kind, handle, context=_context(job, job.user), commit=False, progress=_progress(job.pk))
    _record(job, report, ImportStatus.VALIDATED if report.ok else ImportStatus.INVALID, remappable=kind.maps_columns)
    return job


def import_remap(*, actor: User, job: ImportJob, mapping: dict[str, str]) -> ImportJob:
    """Map the file's columns anew (``{column index: target or ""}``) and check the file again (a dry run)."""
    kind = _kind(job.kind)
    if not kind.maps_columns:
        raise DomainError("Столбцы этого вида импорта сопоставляются по заголовкам шаблона.")
    known = {target for target, _ in kind.column_targets(_context(job, actor))} | {""}
    columns = {str(column["index"]) for column in job.options.get("columns", [])}
    if set(mapping) - columns or set(mapping.values()) - known:
        raise DomainError("Такого столбца или поля нет: обновите страницу и сопоставьте столбцы заново.")
    with transaction.atomic():
        options = {**job.options, "mapping": mapping}
        started = (
            ImportJob.objects.filter(pk=job.pk, user=actor, status__in=(ImportStatus.VALIDATED, ImportStatus.INVALID))
            .exclude(file="")
            .update(status=ImportStatus.UPLOADED, processed_rows=0, options=options)
        )
        if not started:
            raise DomainError("Этот файл уже импортирован или удалён: загрузите его снова.")
        from .tasks import import_check_task

        transaction.on_commit(lambda: import_check_task.delay(job.pk))
    job.refresh_from_db()
    return job


def import_confirm(*, actor: User, job: ImportJob) -> ImportJob:
    """Start writing a checked file. Compare-and-swap on the status: a second confirmation writes nothing."""
    # The log also holds uploads confirmed elsewhere (a roadmap's, in roadmaps/import_jobs.py): this
    # engine cannot write them, and must refuse before the status moves rather than in the task.
    _kind(job.kind)
    with transaction.atomic():
        started = ImportJob.objects.filter(pk=job.pk, user=actor, status=ImportStatus.VALIDATED).update(
            status=ImportStatus.COMMITTING, processed_rows=0
        )
        if not started:
            raise DomainError(
                "Этот файл уже импортирован или не прошёл проверку: повторное подтверждение ничего не изменило."
            )
        from .tasks import import_commit_task

        transaction.on_commit(lambda: import_commit_task.delay(job.pk))
    job.refresh_from_db()
    return job


def import_commit(*, job_id: int) -> ImportJob:
    """Check the file again (the data may have changed since the preview) and write it, all or nothing."""
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    if job.status != ImportStatus.COMMITTING:
        return job
    kind = _kind(job.kind)
    with job.file.open("rb") as handle:
        report = engine.run(
            kind, handle, context=_context(job, job.user), commit=True, keep_rows=False, progress=_progress(job.pk)
        )
    report.rows = job.rows
    _record(job, report, ImportStatus.DONE if report.written else ImportStatus.FAILED)
    return job


def import_file(
    *,
    kind: str,
    handle: IO[bytes],
    file_name: str,
    actor: Any,
    organisation_code: str = "",
    options: dict[str, Any] | None = None,
    commit: bool,
) -> tuple[ImportJob, engine.Report]:
    """A whole import in one call (commands): checked and, with ``commit``, written; logged either way."""
    import_kind = _kind(kind)
    user = actor if isinstance(actor, User) else None
    job = ImportJob.objects.create(
        kind=import_kind.key,
        user=user,
        file_name=file_name[:255],
        sha256=engine.sha256_of(handle),
        size=handle.seek(0, 2),
        organisation_code=organisation_code,
        options=options or {},
    )
    handle.seek(0)
    context = engine.Context(
        user=actor, file_name=file_name, organisation_code=organisation_code, options=dict(options or {})
    )
    report = engine.run(import_kind, handle, context=context, commit=commit, keep_rows=False)
    if commit:
        status = ImportStatus.DONE if report.written else ImportStatus.FAILED if report.ok else ImportStatus.INVALID
    else:
        status = ImportStatus.VALIDATED if report.ok else ImportStatus.INVALID
    _record(job, report, status)
    return job, report
