"""The text of each kind of order, built from the portal's data (seed 000 for the layout, seed 003 for the list).

Each builder returns the title, basis, points and appendix of a new draft; people come from the
organisation's role assignments (director, curator, coordinator), pairs and the mentor base from
the participants' selectors, the roadmap from the roadmaps' selectors, always read as the user
who creates the order, so nothing outside their scope can end up in it.

An appendix is a table: ``{"title", "columns", "rows": [{"cells": [...], "section": bool}],
"approved_suffix", "landscape", "numbered_columns"}``.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from mentorship import access
from mentorship.choices import Role
from mentorship.models import Organisation, User
from participants.choices import BaseRole, PairStatus
from participants.models import school_year_label
from participants.selectors import base_entries, pairs_list
from roadmaps.choices import ItemKind
from roadmaps.models import Roadmap
from roadmaps.selectors import roadmap_items

from .choices import OrderKind
from .dates import date_numeric

#: The legal basis every mentorship order of a school cites (seed 000, seed 003).
BASIS_R145 = (
    "На основании распоряжения Министерства просвещения Российской Федерации от 25.12.2019 № Р-145 "
    "«Об утверждении методологии (целевой модели) наставничества обучающихся для организаций, "
    "осуществляющих образовательную деятельность по общеобразовательным, дополнительным "
    "общеобразовательным и программам среднего профессионального образования, в том числе с применением "
    "лучших практик обмена опытом между обучающимися»"
)
BASIS_REGULATION = f"{BASIS_R145}, Положения о наставничестве"


@dataclass
class OrderContent:
    title: str
    basis: str
    points: list[str]
    appendix: dict[str, Any] = field(default_factory=dict)


SETTLEMENT_PREFIXES = (
    "с.",
    "г.",
    "пгт.",
    "пгт ",
    "д.",
    "п.",
    "пос.",
    "ст-ца",
    "ст.",
    "аул",
    "х.",
    "рп.",
    "село",
    "город",
)


def place_from_address(address: str) -> str:
    """The settlement of an address, as an order's place of issue: «368390, …, с. Хосрех» → «с. Хосрех»."""
    for part in reversed([p.strip() for p in address.split(",")]):
        if part.lower().startswith(SETTLEMENT_PREFIXES):
            return part
    return ""


def initials_surname(user: User) -> str:
    """«С.Г. Максименко», as a signature line writes a name."""
    initials = "".join(f"{part[0]}." for part in (user.first_name, user.patronymic) if part)
    return f"{initials} {user.last_name}".strip() if user.last_name else user.get_full_name()


def role_holders(organisation: Organisation, role: Role) -> list[User]:
    assignments = access.holders(roles=[role]).filter(organisation=organisation).select_related("user")
    return [a.user for a in assignments.order_by("user__last_name", "user__first_name") if a.user.is_active]


def default_signatory(organisation: Organisation) -> tuple[str, str]:
    """The director signs: (position, «И.О. Фамилия»), blanks where no director is registered."""
    directors = role_holders(organisation, Role.DIRECTOR)
    if not directors:
        return "Директор", ""
    director = directors[0]
    return (director.position or "Директор"), initials_surname(director)


def _full_with_position(user: User) -> str:
    return f"{user.get_full_name()}, {user.position}" if user.position else user.get_full_name()


def _year_phrase(school_year: int) -> str:
    return f"в {school_year_label(school_year)} учебном году"


def build_implementation(
    *, user: Any, organisation: Organisation, day: date, school_year: int, **_: Any
) -> OrderContent:
    curators = role_holders(organisation, Role.CURATOR)
    points = [
        f"Внедрить целевую модель наставничества в {organisation.short_name} {_year_phrase(school_year)}.",
        "Утвердить Положение о наставничестве (приложение 1).",
        "Утвердить формы наставничества: «ученик – ученик», «учитель – учитель», «учитель – ученик».",
    ]
    if curators:
        points.append(
            "Назначить куратором внедрения целевой модели наставничества: "
            f"{'; '.join(_full_with_position(c) for c in curators)}."
        )
    points.append(
        "Куратору внедрения целевой модели наставничества разработать дорожную карту внедрения "
        "целевой модели наставничества и представить её на утверждение."
    )
    points.append("Разместить настоящий приказ на официальном сайте организации.")
    return OrderContent(
        title="О внедрении целевой модели наставничества",
        basis=BASIS_R145,
        points=points,
    )


def build_curator(*, user: Any, organisation: Organisation, day: date, school_year: int, **_: Any) -> OrderContent:
    curators = role_holders(organisation, Role.CURATOR)
    coordinators = role_holders(organisation, Role.COORDINATOR)
    points = []
    if coordinators:
        points.append(
            "Назначить координатором внедрения целевой модели наставничества: "
            f"{'; '.join(_full_with_position(c) for c in coordinators)}."
        )
    if curators:
        points.append(
            "Назначить куратором (кураторами) внедрения целевой модели наставничества: "
            f"{'; '.join(_full_with_position(c) for c in curators)}."
        )
    if not points:
        points.append("Назначить куратором внедрения целевой модели наставничества ____________________.")
    points += [
        "Куратору внедрения целевой модели наставничества: формировать базы наставников и наставляемых, "
        "организовать обучение наставников, контролировать работу наставнических пар и групп, "
        "проводить мониторинг реализации программ наставничества.",
        "Куратору ежеквартально представлять информацию о ходе внедрения целевой модели наставничества.",
    ]
    return OrderContent(
        title="О назначении куратора (координатора) внедрения целевой модели наставничества",
        basis=BASIS_REGULATION,
        points=points,
    )


def build_roadmap(
    *, user: Any, organisation: Organisation, day: date, roadmap: Roadmap | None, **_: Any
) -> OrderContent:
    title = roadmap.title if roadmap else "План мероприятий (дорожная карта) по внедрению целевой модели наставничества"
    return OrderContent(
        title="Об утверждении плана мероприятий (дорожной карты) по внедрению целевой модели наставничества",
        basis=BASIS_R145,
        points=[f"Утвердить {_lower_first(title)} согласно приложению."],
        appendix=roadmap_table(user=user, roadmap=roadmap) if roadmap else {},
    )


def roadmap_table(*, user: Any, roadmap: Roadmap) -> dict[str, Any]:
    """The roadmap as seed 000 draws it: five numbered columns, sections in bold."""
    rows = []
    for item in roadmap_items(user=user, roadmap=roadmap):
        section = item.kind == ItemKind.SECTION
        text = item.title if not item.content else f"{item.title}\n{item.content}"
        result = "\n".join(part for part in (item.expected_result, item.document_type) if part)
        rows.append(
            {
                "cells": [item.number, text, item.deadline_text, item.responsible_text, result],
                "section": section,
            }
        )
    return {
        "title": roadmap.title,
        "columns": [
            "№ п/п",
            "Наименование мероприятия",
            "Сроки",
            "Ответственный исполнитель",
            "Результат. Вид документа",
        ],
        "rows": rows,
        "approved_suffix": "",
        "landscape": True,
        "numbered_columns": True,
    }


def build_pairs(
    *,
    user: Any,
    organisation: Organisation,
    day: date,
    school_year: int,
    pair_ids: Collection[int] | None = None,
    **_: Any,
) -> OrderContent:
    return OrderContent(
        title="Об утверждении наставнических пар/групп",
        basis=f"{BASIS_REGULATION}, по результатам формирования наставнических пар и групп",
        points=[
            f"Утвердить наставнические пары (группы) {_year_phrase(school_year)} согласно приложению.",
            "Наставникам совместно с наставляемыми разработать индивидуальные планы развития в течение месяца "
            "со дня издания приказа.",
            "Куратору внедрения целевой модели наставничества организовать работу наставнических пар (групп) "
            "и вести персонифицированный учёт участников.",
        ],
        appendix=pairs_table(user=user, organisation=organisation, school_year=school_year, pair_ids=pair_ids),
    )


def pairs_table(
    *, user: Any, organisation: Organisation, school_year: int, pair_ids: Collection[int] | None = None
) -> dict[str, Any]:
    """One row per pair or group of the school year not yet approved (forming), grouped under their programme.

    ``rows`` counts the pairs only (numbered 1…n across the table); a programme's heading is a
    spanning row (``span``). Each pair's row keeps its id (``pair``): signing the order approves
    exactly those pairs. ``pair_ids`` (the pairs ticked on the list) narrows the table to them and
    is kept as ``chosen``, so that refreshing the draft keeps to them.
    """
    pairs = (
        pairs_list(user=user)
        .filter(organisation=organisation, school_year=school_year, status=PairStatus.FORMING)
        .order_by("programme__title", "programme_id", "started_on", "pk")
    )
    if pair_ids is not None:
        pairs = pairs.filter(pk__in=pair_ids)
    rows: list[dict[str, Any]] = []
    programme_id = None
    for index, pair in enumerate(pairs, start=1):
        if pair.programme_id != programme_id:
            programme_id = pair.programme_id
            rows.append({"span": f"Программа «{pair.programme.title}», форма «{pair.get_form_display()}»"})
        members = [m for m in pair.members.all() if m.left_on is None]
        mentors = [_member_line(m.person) for m in members if m.role == BaseRole.MENTOR]
        mentees = [_member_line(m.person) for m in members if m.role == BaseRole.MENTEE]
        period = f"с {date_numeric(pair.started_on)}"
        if pair.planned_end:
            period += f"\nпо {date_numeric(pair.planned_end)}"
        rows.append(
            {"cells": [f"{index}.", "\n".join(mentors), "\n".join(mentees), period], "section": False, "pair": pair.pk}
        )
    return {
        "title": (
            f"Наставнические пары (группы) {organisation.short_name} на {school_year_label(school_year)} учебный год"
        ),
        "columns": ["№ п/п", "Наставник", "Наставляемый (наставляемые)", "Срок"],
        "widths": [8, 38, 38, 16],
        "rows": rows,
        "approved_suffix": "ы",
        "landscape": False,
        "numbered_columns": False,
        "chosen": sorted(pair_ids) if pair_ids is not None else None,
    }


def _member_line(person: Any) -> str:
    detail = (person.class_name and f"{person.class_name} класс") or person.position or person.workplace
    return f"{person.full_name}, {detail}" if detail else person.full_name


def build_mentor_school(
    *, user: Any, organisation: Organisation, day: date, school_year: int, **_: Any
) -> OrderContent:
    mentors = (
        base_entries(user=user, role=BaseRole.MENTOR, school_year=school_year)
        .filter(organisation=organisation)
        .order_by("person__surname", "person__name")
    )
    rows = [
        {
            "cells": [f"{i}.", e.person.full_name, e.person.position or e.person.workplace or e.person.class_name],
            "section": False,
        }
        for i, e in enumerate(mentors, start=1)
    ]
    curators = role_holders(organisation, Role.CURATOR)
    responsible = ", ".join(c.get_short_name() for c in curators) or "куратора внедрения целевой модели наставничества"
    return OrderContent(
        title="Об организации «Школы наставников»",
        basis=BASIS_REGULATION,
        points=[
            f"Организовать «Школу наставников» {_year_phrase(school_year)} для обучения наставников.",
            "Утвердить программу и график обучения наставников.",
            "Утвердить список слушателей «Школы наставников» согласно приложению.",
            f"Ответственный за организацию обучения — {responsible}.",
            "По итогам обучения выдать наставникам сертификаты.",
        ],
        appendix={
            "title": f"Список слушателей «Школы наставников» на {school_year_label(school_year)} учебный год",
            "columns": ["№ п/п", "Ф.И.О. наставника", "Должность (место работы, учёбы)"],
            "widths": [10, 45, 45],
            "rows": rows,
            "approved_suffix": "",
            "landscape": False,
            "numbered_columns": False,
        },
    )


def build_awards(*, user: Any, organisation: Organisation, day: date, school_year: int, **_: Any) -> OrderContent:
    """Mentors of the year's completed (else open) pairs, to be thanked; the list is edited in the draft."""
    pairs = pairs_list(user=user).filter(organisation=organisation, school_year=school_year)
    completed = pairs.filter(status=PairStatus.COMPLETED)
    chosen = completed if completed.exists() else pairs.filter(status__in=PairStatus.open())
    seen: dict[int, Any] = {}
    for pair in chosen.order_by("pk"):
        for member in pair.members.all():
            if member.role == BaseRole.MENTOR:
                seen.setdefault(member.person_id, member.person)
    people = sorted(seen.values(), key=lambda p: (p.surname, p.name))
    rows = [
        {"cells": [f"{i}.", p.full_name, p.position or p.workplace or p.class_name, "Благодарность"], "section": False}
        for i, p in enumerate(people, start=1)
    ]
    return OrderContent(
        title="О поощрении участников наставнической деятельности",
        basis=f"{BASIS_REGULATION}, по итогам реализации программ наставничества {_year_phrase(school_year)}",
        points=[
            "Объявить благодарность участникам наставнической деятельности согласно приложению.",
            "Наградить победителей в номинациях «Лучший наставник», «Наставник года», «Лучшая пара» "
            "благодарственными письмами и грамотами.",
            "Разместить информацию о поощрении на официальном сайте организации.",
        ],
        appendix={
            "title": "Список участников наставнической деятельности, представленных к поощрению",
            "columns": ["№ п/п", "Ф.И.О.", "Должность (место работы, учёбы)", "Вид поощрения"],
            "widths": [8, 37, 35, 20],
            "rows": rows,
            "approved_suffix": "",
            "landscape": False,
            "numbered_columns": False,
        },
    )


def build_final_event(
    *, user: Any, organisation: Organisation, day: date, school_year: int, event_date: date | None = None, **_: Any
) -> OrderContent:
    when = date_numeric(event_date) if event_date else "____________"
    curators = role_holders(organisation, Role.CURATOR)
    responsible = ", ".join(c.get_short_name() for c in curators) or "куратора внедрения целевой модели наставничества"
    return OrderContent(
        title="О проведении итогового мероприятия в рамках реализации целевой модели наставничества",
        basis=BASIS_REGULATION,
        points=[
            f"Провести {when} итоговое открытое публичное мероприятие по завершении программ наставничества "
            f"{_year_phrase(school_year)}.",
            f"Ответственный за подготовку и проведение мероприятия — {responsible}.",
            "Пригласить на мероприятие наставников, наставляемых, родителей (законных представителей) "
            "и организации-партнёров.",
            "Подвести итоги реализации программ наставничества и представить лучшие практики.",
        ],
    )


BUILDERS: dict[str, Callable[..., OrderContent]] = {
    OrderKind.IMPLEMENTATION: build_implementation,
    OrderKind.CURATOR: build_curator,
    OrderKind.ROADMAP: build_roadmap,
    OrderKind.PAIRS: build_pairs,
    OrderKind.MENTOR_SCHOOL: build_mentor_school,
    OrderKind.AWARDS: build_awards,
    OrderKind.FINAL_EVENT: build_final_event,
}


def build(kind: str, **kwargs: Any) -> OrderContent:
    return BUILDERS[kind](**kwargs)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text
