"""Documents other than orders: the roadmap as a landscape table, certificates and letters of thanks.

Each ``*_render`` takes the user and obtains everything through ``restrict()`` or the owning app's
selectors, so a document can show only what its reader may see.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string

from mentorship.errors import DomainError
from participants.choices import BaseRole
from participants.models import Pair, Person
from roadmaps.models import Roadmap

from . import content, rendering
from .choices import AwardKind, DocumentKind, OrderKind, OrderStatus
from .models import DocumentJob, Order


def roadmap_item_count(roadmap: Roadmap) -> int:
    return roadmap.items.count()


def roadmap_render(*, user: Any, roadmap_id: int) -> rendering.RenderedPdf:
    """The roadmap as seed 000 prints it: landscape A4, five numbered columns, header on every page."""
    roadmap = get_object_or_404(
        Roadmap.objects.restrict(user, "view").select_related(
            "region", "municipality", "organisation", "organisation__municipality"
        ),
        pk=roadmap_id,
    )
    approval = (
        Order.objects.restrict(user, "view")
        .filter(roadmap=roadmap, kind=OrderKind.ROADMAP, status=OrderStatus.SIGNED)
        .order_by("-date", "-number")
        .first()
    )
    table = content.roadmap_table(user=user, roadmap=roadmap)
    html = render_to_string("reports/pdf/roadmap.html", {"roadmap": roadmap, "table": table, "approval": approval})
    return rendering.html_to_pdf(html)


# --- certificates -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Certificate:
    award: AwardKind
    organisation: Any
    recipients: list[str]
    reason: str
    day: date
    place: str
    signatory_position: str
    signatory_name: str

    @property
    def heading(self) -> str:
        return "БЛАГОДАРСТВЕННОЕ ПИСЬМО" if self.award == AwardKind.THANKS else "ГРАМОТА"


def certificate_build(
    *,
    user: Any,
    award: str,
    person_id: int | None = None,
    pair_id: int | None = None,
    day: date,
    reason: str = "",
    place: str = "",
) -> Certificate:
    """A certificate for a mentor (or, for «Лучшая пара», a pair) the user may see."""
    if award not in AwardKind.values:
        raise DomainError("Выберите вид награды.", field="award")
    award = AwardKind(award)
    if award == AwardKind.BEST_PAIR:
        if not pair_id:
            raise DomainError("Для награды «Лучшая пара» выберите пару.", field="pair")
        pair = (
            Pair.objects.restrict(user, "view")
            .select_related("organisation", "programme")
            .prefetch_related("members__person")
            .filter(pk=pair_id)
            .first()
        )
        if pair is None:
            raise DomainError("Пара недоступна.", field="pair")
        members = sorted(pair.members.all(), key=lambda m: (m.role != BaseRole.MENTOR, m.person.surname))
        recipients = [
            f"{m.person.full_name} ({'наставник' if m.role == BaseRole.MENTOR else 'наставляемый'})" for m in members
        ]
        organisation = pair.organisation
        default_reason = f"за лучшие результаты совместной работы в программе «{pair.programme.title}»"
    else:
        if not person_id:
            raise DomainError("Выберите наставника.", field="person")
        person = Person.objects.restrict(user, "view").select_related("organisation").filter(pk=person_id).first()
        if person is None:
            raise DomainError("Участник недоступен.", field="person")
        if person.anonymised_at:
            raise DomainError("Данные этого участника скрыты по его отзыву согласия: наградить его по имени нельзя.")
        recipients = [person.full_name]
        organisation = person.organisation
        default_reason = (
            "за активное участие в реализации целевой модели наставничества и высокие результаты наставляемых"
        )
    position, name = content.default_signatory(organisation)
    return Certificate(
        award=award,
        organisation=organisation,
        recipients=recipients,
        reason=reason.strip() or default_reason,
        day=day,
        place=place,
        signatory_position=position,
        signatory_name=name,
    )


def certificate_render(certificate: Certificate) -> rendering.RenderedPdf:
    return rendering.html_to_pdf(render_to_string("reports/pdf/certificate.html", {"certificate": certificate}))


# --- people named in the PDFs ------------------------------------------------------------------
#
# A PDF that names people (152-ФЗ) leaves a row in the security event log when it is downloaded
# (``views.PdfDownloadMixin``, whose ``personal_data`` each document's view declares). Which do:
# - orders whose appendix lists people: the pairs' mentors and mentees (PAIRS), the mentor school's
#   listeners (MENTOR_SCHOOL), those put forward for thanks (AWARDS). The other orders name only the
#   officials acting in their posts (the signatory, the appointed curator or coordinator), as every
#   act the organisation publishes does; they are not recorded;
# - certificates and letters of thanks (their recipients);
# - background jobs' files, as the order they hold; the scan of a signed order's paper, as the order.
# The roadmap (activities, deadlines, the responsible by their posts) and the monitoring report
# (figures and shares per place) name nobody and are not recorded.


@dataclass(frozen=True)
class PeopleNamed:
    """What a downloaded PDF disclosed, for the security event log: «PDF: …» and how many people it names."""

    what: str
    people: int


def _listed_people(order: Order) -> int:
    return order.appendix_rows


def _pair_members(order: Order) -> int:
    """The mentors and mentees of the appendix's pairs (columns 2 and 3, one per line); someone in two pairs once."""
    lines = {
        line
        for row in (order.appendix or {}).get("rows", ())
        if "span" not in row
        for cell in row["cells"][1:3]
        for line in str(cell).splitlines()
        if line.strip()
    }
    return len(lines)


#: the orders whose appendix lists people, and how to count them
ORDERS_NAMING_PEOPLE = {
    OrderKind.PAIRS: _pair_members,
    OrderKind.MENTOR_SCHOOL: _listed_people,
    OrderKind.AWARDS: _listed_people,
}


def order_people(order: Order) -> PeopleNamed | None:
    count = ORDERS_NAMING_PEOPLE.get(order.kind)
    return None if count is None else PeopleNamed(f"PDF: {order}", count(order))


def certificate_people(certificate: Certificate) -> PeopleNamed:
    award = certificate.award.label
    return PeopleNamed(
        f"PDF: {certificate.heading.capitalize()} «{award}», {certificate.organisation.short_name}",
        len(certificate.recipients),
    )


def job_people(job: DocumentJob) -> PeopleNamed | None:
    """A background job's file names whom its document names (an order; a roadmap names nobody)."""
    if job.kind != DocumentKind.ORDER:
        return None
    order = Order.objects.restrict(job.requested_by, "view").filter(pk=job.object_id).first()
    return None if order is None else order_people(order)


# --- background jobs ----------------------------------------------------------------------------


def render_for_job(job: DocumentJob) -> tuple[rendering.RenderedPdf, str]:
    """The PDF a queued job asked for, rendered as its requester (``documents.document_job_run``)."""
    user = job.requested_by
    if job.kind == DocumentKind.ORDER:
        from .services import order_render

        order = Order.objects.restrict(user, "view").filter(pk=job.object_id).first()
        if order is None:
            raise DomainError("Приказ недоступен.")
        return order_render(order), f"prikaz-{order.pk}.pdf"
    if job.kind == DocumentKind.ROADMAP:
        if not Roadmap.objects.restrict(user, "view").filter(pk=job.object_id).exists():
            raise DomainError("Дорожная карта недоступна.")
        return roadmap_render(user=user, roadmap_id=job.object_id), f"dorozhnaya-karta-{job.object_id}.pdf"
    raise LookupError(job.kind)
