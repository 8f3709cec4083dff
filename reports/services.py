"""Writes of the order register and of rendered documents.

- ``order_create`` builds a draft's text from the portal's data (``content.py``); ``order_update``
  and ``order_refresh`` change drafts only.
- ``order_sign`` is the one place numbers are given: inside one transaction it locks the order
  (compare-and-swap from «Проект»), locks the organisation-year counter row and takes the next
  number, then renders and stores the PDF from the frozen text. A failure rolls all of it back, so
  no number is ever lost. An order with a large appendix (over ``LARGE_ROWS`` rows, ~10 pages) is
  numbered at once and its PDF is rendered by a Celery task queued on commit; it renders the same
  frozen text, so it does not matter when it runs.
- signing an order on pairs approves the forming pairs its appendix lists (``_pairs_approve``, through
  ``participants.services.pairs_confirm``); pairs approved already are named, not changed.
- ``order_scan_attach`` keeps the scan of the signed paper; ``order_link_item`` ties an order to
  the roadmap item whose result it is.
- ``document_job_request``/``document_job_run``: large previews and roadmaps, rendered in the
  background for the user who asked.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from mentorship import access
from mentorship.errors import DomainError
from mentorship.models import Organisation
from mentorship.workflow import actor_user, event_record, status_transition
from notifications.services import notification_create
from participants.choices import PairStatus
from participants.models import Pair
from participants.services import pairs_confirm
from roadmaps.choices import ItemKind
from roadmaps.models import Roadmap, RoadmapItem

from . import content, rendering
from .choices import DocumentKind, OrderEventKind, OrderKind, OrderStatus, RenderStatus
from .models import DocumentJob, Order, OrderCounter, OrderEvent

logger = logging.getLogger(__name__)

#: Appendix rows beyond which a document runs over ~10 pages and is rendered in the background.
LARGE_ROWS = 120

SCAN_MAX_BYTES = 10 * 1024 * 1024
#: Accepted scans, recognised by their first bytes (the name and the browser's type can lie).
SCAN_SIGNATURES = {b"%PDF-": "pdf", b"\xff\xd8\xff": "jpg", b"\x89PNG\r\n\x1a\n": "png"}

EDITABLE_FIELDS = (
    "date",
    "place",
    "issuer_name",
    "issuer_genitive",
    "title",
    "basis",
    "points",
    "signatory_position",
    "signatory_name",
)


def _event(order: Order, kind: OrderEventKind, actor: Any, comment: str = "") -> None:
    event_record(OrderEvent, order, kind=kind, actor=actor, comment=comment)


def _ensure_draft(order: Order) -> None:
    if order.status != OrderStatus.DRAFT:
        raise DomainError("Приказ уже подписан: его текст и номер изменить нельзя.")


# --- drafts -----------------------------------------------------------------------------------


@transaction.atomic
def order_create(
    *,
    actor: Any,
    organisation: Organisation,
    kind: str,
    date: date,
    place: str = "",
    school_year: int | None = None,
    roadmap: Roadmap | None = None,
    event_date: date | None = None,
    pair_ids: Collection[int] | None = None,
) -> Order:
    """A draft order of ``organisation`` with its text built from the portal's data.

    ``pair_ids`` (an order on pairs) puts only those of the pairs not yet approved in its appendix.
    """
    if kind not in OrderKind.values:
        raise DomainError("Неизвестный вид приказа.", field="kind")
    if kind == OrderKind.ROADMAP:
        if roadmap is None:
            raise DomainError("Выберите дорожную карту, которую утверждает приказ.", field="roadmap")
        if roadmap.organisation_id != organisation.pk:
            raise DomainError("Приказ организации утверждает только её собственную дорожную карту.", field="roadmap")
        if not Roadmap.objects.restrict(actor, "view").filter(pk=roadmap.pk).exists():
            raise PermissionDenied("Недостаточно прав для этой дорожной карты.")
    school_year = school_year or (date.year if date.month >= 9 else date.year - 1)
    built = content.build(
        kind,
        user=actor,
        organisation=organisation,
        day=date,
        school_year=school_year,
        roadmap=roadmap,
        event_date=event_date,
        pair_ids=pair_ids,
    )
    if kind == OrderKind.PAIRS and pair_ids is not None and not built.appendix["rows"]:
        raise DomainError("Среди отмеченных нет пар (групп), ещё не утверждённых приказом.", field="pairs")
    position, name = content.default_signatory(organisation)
    order = Order(
        organisation=organisation,
        kind=kind,
        date=date,
        place=place.strip() or content.place_from_address(organisation.address),
        issuer_name=organisation.full_name,
        issuer_genitive=f"{position.lower()}а {organisation.short_name}"
        if position == "Директор"
        else organisation.short_name,
        title=built.title,
        basis=built.basis,
        points=built.points,
        appendix=built.appendix,
        school_year=school_year,
        roadmap=roadmap if kind == OrderKind.ROADMAP else None,
        signatory_position=position,
        signatory_name=name,
        created_by=actor_user(actor),
    )
    order.full_clean()
    order.save()
    access.ensure_can(actor, order, "add")
    _event(order, OrderEventKind.CREATED, actor)
    return order


@transaction.atomic
def order_update(*, actor: Any, order: Order, data: dict[str, Any]) -> Order:
    """Change a draft's text; a signed order refuses."""
    access.ensure_can(actor, order, "change")
    order = Order.objects.select_for_update().get(pk=order.pk)
    _ensure_draft(order)
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(f"Эти поля приказа не меняются: {', '.join(sorted(unknown))}.")
    points = data.get("points", order.points)
    if not isinstance(points, list) or not all(isinstance(p, str) and p.strip() for p in points):
        raise DomainError("Пункты приказа — непустые строки.", field="points")
    for name, value in data.items():
        setattr(order, name, [p.strip() for p in value] if name == "points" else value)
    if not order.points:
        raise DomainError("В приказе должен быть хотя бы один распорядительный пункт.", field="points")
    order.full_clean()
    order.save()
    _event(order, OrderEventKind.UPDATED, actor)
    return order


@transaction.atomic
def order_refresh(*, actor: Any, order: Order) -> Order:
    """Rebuild a draft's appendix (pairs, roadmap, lists) from the current data; the points stay as edited."""
    access.ensure_can(actor, order, "change")
    order = Order.objects.select_for_update().get(pk=order.pk)
    _ensure_draft(order)
    built = content.build(
        order.kind,
        user=actor,
        organisation=order.organisation,
        day=order.date,
        school_year=order.school_year,
        roadmap=order.roadmap,
        pair_ids=(order.appendix or {}).get("chosen"),
    )
    order.appendix = built.appendix
    order.save(update_fields=["appendix", "updated_at"])
    _event(order, OrderEventKind.REFRESHED, actor, comment=f"Строк в приложении: {order.appendix_rows}.")
    return order


@transaction.atomic
def order_delete(*, actor: Any, order: Order) -> None:
    access.ensure_can(actor, order, "delete")
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.status != OrderStatus.DRAFT:
        raise DomainError("Подписанный приказ из реестра не удаляется.")
    order.delete()


# --- signing and the register -------------------------------------------------------------------


def next_number(*, organisation_id: int, year: int) -> int:
    """Take the next number of an organisation's register for ``year``; call inside a transaction.

    The counter row is created if missing (``ON CONFLICT DO NOTHING``: two first signings of a
    year do not collide) and locked until the transaction ends, so concurrent signings queue here.
    """
    OrderCounter.objects.bulk_create([OrderCounter(organisation_id=organisation_id, year=year)], ignore_conflicts=True)
    counter = OrderCounter.objects.select_for_update().get(organisation_id=organisation_id, year=year)
    counter.last_number = F("last_number") + 1
    counter.save(update_fields=["last_number"])
    counter.refresh_from_db(fields=["last_number"])
    return counter.last_number


@transaction.atomic
def order_sign(*, actor: Any, order: Order) -> Order:
    """Sign a draft: give it the next number of the year and store its PDF (now, or by a task if large)."""
    access.ensure_can(actor, order, "sign")
    locked = Order.objects.select_for_update().filter(pk=order.pk).first()
    if locked is None:
        raise DomainError("Приказ не найден: возможно, проект удалён.")
    if locked.status != OrderStatus.DRAFT:
        raise DomainError(_signed_already(locked))
    if not locked.signatory_name.strip():
        raise DomainError("Укажите, кто подписывает приказ (И.О. Фамилия), и подпишите снова.", field="signatory_name")
    if not locked.points:
        raise DomainError("В приказе нет ни одного распорядительного пункта.")
    if locked.kind == OrderKind.PAIRS and not locked.appendix_rows:
        raise DomainError("В приложении нет ни одной пары: обновите приложение по данным портала.")
    number = next_number(organisation_id=locked.organisation_id, year=locked.date.year)
    comment = f"№ {number} от {locked.date:%d.%m.%Y}"
    if locked.kind == OrderKind.PAIRS:
        locked.pairs_outcome = _pairs_approve(actor, locked, number)
        comment = f"{comment}. {locked.pairs_outcome}"
    now = timezone.now()
    large = locked.appendix_rows > LARGE_ROWS
    locked = status_transition(
        locked,
        allowed=(OrderStatus.DRAFT,),
        new=OrderStatus.SIGNED,
        event_model=OrderEvent,
        kind=OrderEventKind.SIGNED,
        actor=actor,
        # the row is locked as a draft above; the guard stays so that nothing can renumber a signed order
        refused=lambda current: _signed_already(locked),
        comment=comment,
        number=number,
        year=locked.date.year,
        signed_at=now,
        signed_by=actor_user(actor),
        pdf_status=RenderStatus.PENDING if large else RenderStatus.NONE,
        updated_at=now,
    )
    if large:
        from .tasks import order_pdf_store_task

        order_id = locked.pk
        transaction.on_commit(lambda: order_pdf_store_task.delay(order_id))
    else:
        order_pdf_store(order_id=locked.pk)
        locked.refresh_from_db()
    if locked.kind == OrderKind.PAIRS:
        locked.pairs_outcome = comment.split(". ", 1)[1]
    return locked


def order_pair_ids(order: Order) -> list[int]:
    """The pairs an order on pairs lists in its appendix, in its order."""
    return [row["pair"] for row in (order.appendix or {}).get("rows", ()) if "pair" in row]


def _pair_state(pair: Pair) -> str:
    if pair.confirmed_on:
        return f"утверждена {pair.confirmed_on:%d.%m.%Y}"
    return pair.get_status_display().lower()


def _pairs_approve(actor: Any, order: Order, number: int) -> str:
    """Approve the forming pairs of a pairs order being signed, through ``pairs_confirm``; say what changed.

    A pair approved already (by an earlier order) or no longer open is left as it is and named.
    """
    ids = order_pair_ids(order)
    if not ids:
        # a draft made before appendices named their pairs: nothing to approve, and the register says so
        return (
            "Приложение составлено без ссылок на пары портала: пары не утверждены, обновите проект перед подписанием."
        )
    pairs = list(Pair.objects.filter(pk__in=ids, organisation_id=order.organisation_id).order_by("pk"))
    forming = [pair for pair in pairs if pair.status == PairStatus.FORMING]
    if forming:
        pairs_confirm(actor=actor, pairs=forming, on=order.date, reason=f"Приказ № {number} от {order.date:%d.%m.%Y}")
    parts = [f"Утверждено пар (групп): {len(forming)}"]
    if skipped := [pair for pair in pairs if pair.status != PairStatus.FORMING]:
        names = ", ".join(f"«{pair}» ({_pair_state(pair)})" for pair in skipped)
        parts.append(f"без изменений, уже утверждены или не формируются: {names}")
    if missing := len(ids) - len(pairs):
        parts.append(f"удалены из портала: {missing}")
    return "; ".join(parts) + "."


def _signed_already(order: Order) -> str:
    return f"Приказ уже подписан (№ {order.number}); обновите страницу."


def order_html(order: Order) -> str:
    return render_to_string("reports/pdf/order.html", {"order": order})


def order_render(order: Order) -> rendering.RenderedPdf:
    """The PDF of an order from its stored text: a draft's preview, or what signing stores."""
    return rendering.html_to_pdf(order_html(order))


@transaction.atomic
def order_pdf_store(*, order_id: int) -> bool:
    """Render a signed order and store its PDF, once: a stored PDF is never replaced.

    Idempotent (the Celery task may run twice): returns False when the PDF is already there.
    """
    order = Order.objects.select_for_update().get(pk=order_id)
    if order.status != OrderStatus.SIGNED or order.pdf:
        return False
    try:
        pdf = order_render(order)
    except Exception:
        Order.objects.filter(pk=order.pk).update(pdf_status=RenderStatus.FAILED)
        raise
    name = f"prikaz-{order.organisation_id}-{order.year}-{order.number}.pdf"
    order.pdf.save(name, ContentFile(pdf.content), save=False)
    Order.objects.filter(pk=order.pk, pdf="").update(
        pdf=order.pdf.name, pdf_pages=pdf.pages, pdf_status=RenderStatus.READY, updated_at=timezone.now()
    )
    _event(order, OrderEventKind.PDF_STORED, None, comment=f"Страниц: {pdf.pages}.")
    # Rendered in the background (a large order): tell the signatory it is ready.
    if order.pdf_status == RenderStatus.PENDING and order.signed_by_id is not None:
        notification_create(
            user=order.signed_by,
            title=f"PDF приказа № {order.number} готов",
            text=order.title,
            url=order.get_absolute_url(),
        )
    return True


# --- scan and links -----------------------------------------------------------------------------


def validate_scan(upload: Any) -> str:
    """The scan's kind (pdf, jpg, png), or a ValidationError in Russian."""
    if upload is None:
        raise ValidationError("Выберите файл скана.")
    if upload.size == 0:
        raise ValidationError("Файл пустой.")
    if upload.size > SCAN_MAX_BYTES:
        raise ValidationError(
            f"Файл больше {SCAN_MAX_BYTES // (1024 * 1024)} МБ ({upload.size / 1024 / 1024:.1f} МБ): "
            "отсканируйте с меньшим разрешением."
        )
    head = upload.read(8)
    upload.seek(0)
    for signature, kind in SCAN_SIGNATURES.items():
        if head.startswith(signature):
            return kind
    raise ValidationError("Скан должен быть в формате PDF, JPEG или PNG.")


@transaction.atomic
def order_scan_attach(*, actor: Any, order: Order, upload: Any) -> Order:
    """Keep the scan of the signed paper; a later scan replaces an earlier one, the PDF stays."""
    access.ensure_can(actor, order, "change")
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.status != OrderStatus.SIGNED:
        raise DomainError("Скан прикладывается к подписанному приказу: сначала подпишите приказ.")
    try:
        kind = validate_scan(upload)
    except ValidationError as exc:
        raise DomainError(exc.messages[0], field="scan") from exc
    order.scan.save(f"prikaz-{order.organisation_id}-{order.year}-{order.number}-scan.{kind}", upload, save=False)
    order.scan_uploaded_at = timezone.now()
    Order.objects.filter(pk=order.pk).update(scan=order.scan.name, scan_uploaded_at=order.scan_uploaded_at)
    _event(order, OrderEventKind.SCAN_ATTACHED, actor, comment=getattr(upload, "name", ""))
    return order


@transaction.atomic
def order_link_item(*, actor: Any, order: Order, item: RoadmapItem) -> Order:
    """Record the order as the result of a roadmap item whose result names an order («Приказ ОО» …)."""
    access.ensure_can(actor, order, "change")
    if not RoadmapItem.objects.restrict(actor, "view").filter(pk=item.pk).exists():
        raise PermissionDenied("Недостаточно прав для этого пункта дорожной карты.")
    if item.kind != ItemKind.ACTIVITY:
        raise DomainError("Связать приказ можно с мероприятием, а не с разделом.", field="item")
    roadmap = item.roadmap
    if (
        roadmap.organisation_id not in (None, order.organisation_id)
        or (roadmap.municipality_id and roadmap.municipality_id != order.organisation.municipality_id)
        or (roadmap.region_id and roadmap.region_id != order.organisation.municipality.region_id)
    ):
        raise DomainError("Пункт относится к дорожной карте другой организации или территории.", field="item")
    result = f"{item.expected_result} {item.document_type}".lower()
    if "приказ" not in result:
        raise DomainError(
            f"В результате пункта {item.number or item.title[:40]} приказ не указан: связать можно только "
            "документ, который пункт называет своим результатом.",
            field="item",
        )
    if order.roadmap_items.filter(pk=item.pk).exists():
        raise DomainError("Приказ уже связан с этим пунктом.", field="item")
    order.roadmap_items.add(item)
    _event(order, OrderEventKind.ITEM_LINKED, actor, comment=str(item)[:500])
    return order


# --- background documents -----------------------------------------------------------------------


@transaction.atomic
def document_job_request(*, actor: Any, kind: DocumentKind, object_id: int, title: str) -> DocumentJob:
    """Queue a large document for ``actor``; a pending job for the same document is reused."""
    existing = DocumentJob.objects.filter(
        requested_by=actor, kind=kind, object_id=object_id, status=RenderStatus.PENDING
    ).first()
    if existing:
        return existing
    job = DocumentJob.objects.create(requested_by=actor, kind=kind, object_id=object_id, title=title[:1000])
    from .tasks import document_job_task

    transaction.on_commit(lambda: document_job_task.delay(job.pk))
    return job


def document_job_run(*, job_id: int) -> bool:
    """Render a queued document as the user who asked (their scope today); once only.

    The status moves from «Формируется» by a compare-and-swap update, so a second run does nothing.
    """
    job = DocumentJob.objects.select_related("requested_by").filter(pk=job_id).first()
    if job is None or job.status != RenderStatus.PENDING:
        return False
    try:
        from .documents import render_for_job

        pdf, filename = render_for_job(job)
    except (DomainError, PermissionDenied, LookupError) as exc:
        DocumentJob.objects.filter(pk=job.pk, status=RenderStatus.PENDING).update(
            status=RenderStatus.FAILED,
            error=str(getattr(exc, "message", exc)) or "Документ недоступен.",
            finished_at=timezone.now(),
        )
        return False
    job.file.save(filename, ContentFile(pdf.content), save=False)
    ready = DocumentJob.objects.filter(pk=job.pk, status=RenderStatus.PENDING).update(
        status=RenderStatus.READY, file=job.file.name, pages=pdf.pages, finished_at=timezone.now()
    )
    if ready and job.requested_by_id is not None:
        notification_create(user=job.requested_by, title=f"Документ готов: {job.title}", url=job.get_absolute_url())
    return bool(ready)
