"""Background rendering of large documents: thin tasks that take ids and call a service."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="reports.order_pdf_store")
def order_pdf_store_task(order_id: int) -> bool:
    """Store a signed order's PDF; a rerun finds it stored and does nothing."""
    return services.order_pdf_store(order_id=order_id)


@shared_task(name="reports.document_job")
def document_job_task(job_id: int) -> bool:
    """Render a queued document for its requester; a rerun finds the job finished and does nothing."""
    return services.document_job_run(job_id=job_id)
