"""A roadmap uploaded in the browser, kept as an Excel-style import job between the preview and the confirmation.

The upload is one ``ImportJob`` (``mentorship/models/imports.py``) of kind ``roadmap``: the file
(only when it can be imported), its name, checksum and size, what the preview found (one row per
item, every blocking problem) and the status, which moves forward by compare-and-swap as the
Excel import's does. What the upload form chose (the place, the title, the period) travels with
the preview's confirmation form, signed, so no session holds anything. The confirmation re-reads
the kept file, checks it is the one previewed, and imports it through ``services.roadmap_import``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core import signing
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from mentorship import access
from mentorship.errors import DomainError
from mentorship.imports.engine import CREATED, ERROR, sha256_of
from mentorship.models import ImportJob, ImportStatus

from . import services
from .forms import place_of
from .importing import ParsedRoadmap, parse_roadmap_file
from .models import Roadmap

KIND = "roadmap"
STALE = "Предпросмотр устарел: загрузите файл ещё раз."
_SALT = "roadmaps.import"


@dataclass(frozen=True)
class Choices:
    """What the upload form chose besides the file."""

    place: str
    title: str = ""
    period_start: date | None = None
    period_end: date | None = None

    @property
    def period(self) -> dict[str, date | None]:
        return {"period_start": self.period_start, "period_end": self.period_end}


@dataclass(frozen=True)
class Preview:
    job: ImportJob
    parsed: ParsedRoadmap
    #: the signed job and choices the confirmation posts back; none when the file cannot be imported
    pending: str | None


def _sign(job: ImportJob, choices: Choices) -> str:
    period = [day.isoformat() if day else "" for day in (choices.period_start, choices.period_end)]
    return signing.dumps({"job": job.pk, "place": choices.place, "title": choices.title, "period": period}, salt=_SALT)


def _unsign(pending: str) -> tuple[int, Choices]:
    try:
        data = signing.loads(pending, salt=_SALT)
        start, end = (date.fromisoformat(day) if day else None for day in data["period"])
        return int(data["job"]), Choices(data["place"], data["title"], start, end)
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise DomainError(STALE) from exc


def _preview_rows(parsed: ParsedRoadmap) -> list[list[Any]]:
    """The job's rows as the Excel import keeps them: ``[row number, outcome, label]`` per item."""
    blocked = {problem.row for problem in parsed.errors}
    return [[item.row, ERROR if item.row in blocked else CREATED, item.title] for item in parsed.items]


@transaction.atomic
def roadmap_upload(*, actor: Any, upload: UploadedFile, choices: Choices) -> Preview:
    """Read the file for the preview and log the upload; the file is kept only when it can be imported."""
    name = os.path.basename(upload.name or "файл")[:255]
    parsed = parse_roadmap_file(upload, filename=name, **choices.period)
    job = ImportJob(
        kind=KIND,
        user=actor,
        file_name=name,
        sha256=sha256_of(upload),
        size=upload.size or 0,
        status=ImportStatus.VALIDATED if parsed.ok else ImportStatus.INVALID,
        total_rows=len(parsed.items),
        processed_rows=len(parsed.items),
        created_count=len(parsed.items) if parsed.ok else 0,
        error_count=len(parsed.errors),
        errors=[str(problem) for problem in parsed.errors],
        rows=_preview_rows(parsed),
    )
    if parsed.ok:
        extension = ".xlsx" if parsed.file_type == "xlsx" else ".docx"
        job.file.save(f"{KIND}{extension}", upload, save=False)
    else:
        job.finished_at = timezone.now()
    job.save()
    return Preview(job, parsed, _sign(job, choices) if parsed.ok else None)


@transaction.atomic
def roadmap_upload_confirm(*, actor: Any, pending: str) -> Roadmap:
    """Import the previewed file, all or nothing; a second confirmation of the same preview writes nothing."""
    job_id, choices = _unsign(pending)
    started = ImportJob.objects.filter(pk=job_id, user=actor, kind=KIND, status=ImportStatus.VALIDATED).update(
        status=ImportStatus.COMMITTING
    )
    if not started:
        raise DomainError(STALE)
    place = place_of(choices.place)
    if place is None:
        raise DomainError(STALE)
    access.ensure_holds_at(
        actor, place, access.permission_name(Roadmap, "add"), "Загружать дорожную карту сюда вы не можете."
    )
    job = ImportJob.objects.get(pk=job_id)
    with job.file.open("rb") as stream:
        if sha256_of(stream) != job.sha256:
            raise DomainError("Файл изменился после предпросмотра: загрузите его ещё раз.")
        parsed = parse_roadmap_file(stream, filename=job.file_name, **choices.period)
    roadmap = services.roadmap_import(actor=actor, place=place, parsed=parsed, title=choices.title, **choices.period)
    path, storage = job.file.name, job.file.storage
    job.file = ""
    job.status = ImportStatus.DONE
    job.finished_at = timezone.now()
    job.save(update_fields=["file", "status", "finished_at"])
    # The file goes only once the roadmap is written: a refusal above keeps it for another try.
    transaction.on_commit(lambda: storage.delete(path))
    return roadmap
