"""Demo orders for ``load_demo``: the register of the Хосрехская school (seed 003's list of orders).

The orders seed 003 names for stage 1 (2023: introduction, curators, the roadmap) are signed in
the 2023 register; those of 2026/2027 (pairs, the Школа наставников) are signed in the 2026
register; the rewards and the final event stay drafts for the curator to finish. Everything goes
through ``reports.services`` as the school's curator (drafts) and director (signing). Idempotent:
a school that has orders already is skipped.
"""

from __future__ import annotations

from datetime import date

from demodata.demo import DemoReport
from mentorship.errors import DomainError
from mentorship.models import Organisation, User
from reports import services
from reports.choices import OrderKind
from reports.models import Order
from reports.selectors import linkable_items
from roadmaps.models import Roadmap

SCHOOL = "05-kulinsky-khosreh"
CURATOR = "curator_khosreh"
DIRECTOR = "director_khosreh"

#: (kind, date, school year, sign?)
ORDERS = (
    (OrderKind.IMPLEMENTATION, date(2023, 4, 10), 2023, True),
    (OrderKind.CURATOR, date(2023, 4, 10), 2023, True),
    (OrderKind.ROADMAP, date(2023, 4, 24), 2023, True),
    (OrderKind.MENTOR_SCHOOL, date(2026, 9, 14), 2026, True),
    # the pairs at work were approved on 25.09 (participants loader); the draft lists the forming ones
    (OrderKind.PAIRS, date(2026, 11, 20), 2026, False),
    (OrderKind.AWARDS, date(2026, 11, 20), 2026, False),
    (OrderKind.FINAL_EVENT, date(2026, 11, 20), 2026, False),
)


def reports_demo_load() -> DemoReport:
    report = DemoReport("Приказы (реестр МКОУ «Хосрехская СОШ»)")
    school = Organisation.objects.filter(code=SCHOOL).first()
    curator = User.objects.filter(username=CURATOR).first()
    director = User.objects.filter(username=DIRECTOR).first()
    if school is None or curator is None or director is None:
        report.add(f"пропущено: нет организации «{SCHOOL}» или пользователей «{CURATOR}», «{DIRECTOR}»")
        return report
    if Order.objects.filter(organisation=school).exists():
        report.add("уже загружены")
        return report
    roadmap = Roadmap.objects.filter(organisation=school).order_by("period_start").first()
    for kind, day, school_year, sign in ORDERS:
        if kind == OrderKind.ROADMAP and roadmap is None:
            report.add("приказ об утверждении дорожной карты пропущен: у школы нет дорожной карты")
            continue
        order = services.order_create(
            actor=curator,
            organisation=school,
            kind=kind,
            date=day,
            school_year=school_year,
            roadmap=roadmap if kind == OrderKind.ROADMAP else None,
            event_date=date(2027, 5, 20) if kind == OrderKind.FINAL_EVENT else None,
        )
        if sign and (kind != OrderKind.PAIRS or order.appendix_rows):
            order = services.order_sign(actor=director, order=order)
            report.add(f"№ {order.number} от {order.date:%d.%m.%Y} «{order.title}»")
        else:
            report.add(f"проект «{order.title}»")
        if kind in (OrderKind.IMPLEMENTATION, OrderKind.CURATOR, OrderKind.ROADMAP):
            _link_first(curator, order, report)
    return report


def _link_first(curator: User, order: Order, report: DemoReport) -> None:
    """Tie the order to the first item of the school's roadmap whose result names an order, if any."""
    words = {OrderKind.IMPLEMENTATION: "внедрени", OrderKind.CURATOR: "куратор", OrderKind.ROADMAP: "дорожн"}
    for item in linkable_items(user=curator, order=order):
        if words[order.kind] in item.title.lower() or words[order.kind] in item.content.lower():
            try:
                services.order_link_item(actor=curator, order=order, item=item)
            except DomainError:
                continue
            report.add(f"  связан с пунктом «{str(item)[:80]}»")
            return
