"""Celery tasks of imports: thin, taking the job's id; the job's status makes a rerun harmless."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="imports.check")
def import_check_task(job_id: int) -> str:
    return services.import_check(job_id=job_id).status


@shared_task(name="imports.commit")
def import_commit_task(job_id: int) -> str:
    return services.import_commit(job_id=job_id).status
