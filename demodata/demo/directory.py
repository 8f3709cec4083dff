"""The directory and the personas of ``load_demo``: the first part of the demo data, the rest builds on it.

The data lives in ``fixtures/demo.json`` (regions from the seed roadmaps, their
municipalities, bodies, partners and schools, and the demo personas). Loading
is idempotent: directory records go through ``object_upsert_by_code``, which
skips unchanged rows, and users and role assignments are created only when
missing, so a second run writes nothing, not even history rows.

The apps' demo data (``demodata.demo.roadmaps`` and the rest) comes after, in the
order ``load_demo`` lists it, in the same transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.db import models, transaction

from accounts.two_factor import DEMO_EXEMPTION_REASON, two_factor_exemption_ensure
from mentorship import access
from mentorship.models import Body, Municipality, Organisation, Partner, Region, RoleAssignment, User
from mentorship.services import Outcome, object_upsert_by_code, role_ensure, user_ensure

DEMO_FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "demo.json"
DEMO_REASON = "Демонстрационные данные (load_demo)"

# The fields the fixture may give per model, with the value an omitted field means.
# Listing them all lets a later edit of the fixture clear a field, not only set one.
MUNICIPALITY_FIELDS = {"name": "", "kind": "district"}
ORGANISATION_FIELDS = {
    "full_name": "",
    "short_name": "",
    "kind": "school",
    "students_count": 0,
    "teachers_count": 0,
    "address": "",
    "inn": "",
    "ogrn": "",
}
BODY_FIELDS = {"full_name": "", "short_name": "", "kind": "", "address": "", "inn": "", "ogrn": ""}
PARTNER_FIELDS = {**BODY_FIELDS, "kind": "company", "contact": ""}
USER_FIELDS = {
    "first_name": "",
    "last_name": "",
    "patronymic": "",
    "position": "",
    "is_staff": False,
    "is_superuser": False,
}


@dataclass
class Tally:
    """How many records of one model a load created, updated or left as they were."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, outcome: Outcome) -> None:
        setattr(self, outcome.value, getattr(self, outcome.value) + 1)


class LoadReport(dict[str, Tally]):
    """Tallies keyed by the model's Russian plural name, in the order first met."""

    def add(self, model: type[models.Model], outcome: Outcome) -> None:
        self.setdefault(str(model._meta.verbose_name_plural), Tally()).add(outcome)

    def format(self) -> str:
        lines = [
            f"  {name}: создано {t.created}, изменено {t.updated}, без изменений {t.unchanged}"
            for name, t in self.items()
        ]
        return "\n".join(lines)


def _fields(item: dict[str, Any], defaults: dict[str, Any]) -> dict[str, Any]:
    return {field: item.get(field, default) for field, default in defaults.items()}


def record_upsert(*, model: type[models.Model], code: str, data: dict[str, Any], report: LoadReport) -> Any:
    """``object_upsert_by_code`` that also counts what happened to the record."""
    existed = model.objects.filter(code=code).exists()
    obj, changed = object_upsert_by_code(model=model, code=code, data=data, reason=DEMO_REASON)
    report.add(model, Outcome.UPDATED if existed and changed else Outcome.CREATED if changed else Outcome.UNCHANGED)
    return obj


def hierarchy_load(*, regions: Iterable[dict[str, Any]], report: LoadReport) -> None:
    """Regions with their bodies and partners, municipalities with theirs, and organisations."""
    for region_item in regions:
        region = record_upsert(
            model=Region, code=region_item["code"], data={"name": region_item["name"]}, report=report
        )
        for body in region_item.get("bodies", []):
            data = {**_fields(body, BODY_FIELDS), "region_id": region.pk, "municipality_id": None}
            record_upsert(model=Body, code=body["code"], data=data, report=report)
        for partner in region_item.get("partners", []):
            data = {**_fields(partner, PARTNER_FIELDS), "region_id": region.pk, "municipality_id": None}
            record_upsert(model=Partner, code=partner["code"], data=data, report=report)
        for municipality_item in region_item.get("municipalities", []):
            municipality = record_upsert(
                model=Municipality,
                code=municipality_item["code"],
                data={**_fields(municipality_item, MUNICIPALITY_FIELDS), "region_id": region.pk},
                report=report,
            )
            place = {"region_id": region.pk, "municipality_id": municipality.pk}
            for body in municipality_item.get("bodies", []):
                data = {**_fields(body, BODY_FIELDS), **place}
                record_upsert(model=Body, code=body["code"], data=data, report=report)
            for partner in municipality_item.get("partners", []):
                data = {**_fields(partner, PARTNER_FIELDS), **place}
                record_upsert(model=Partner, code=partner["code"], data=data, report=report)
            for organisation in municipality_item.get("organisations", []):
                data = {**_fields(organisation, ORGANISATION_FIELDS), "municipality_id": municipality.pk}
                record_upsert(model=Organisation, code=organisation["code"], data=data, report=report)


PLACE_MODELS: dict[str, type[Region | Municipality | Organisation]] = {
    "region": Region,
    "municipality": Municipality,
    "organisation": Organisation,
}


def _place(role_item: dict[str, Any]) -> Region | Municipality | Organisation:
    """The place a fixture's role entry names by code, under the key of the role's level."""
    level = access.level_of_role(role_item["role"]).value
    code = role_item.get(level)
    place = PLACE_MODELS[level].objects.filter(code=code).first() if code else None
    if place is None:
        raise CommandError(f"Роль «{role_item['role']}»: не найдено место «{code}» уровня «{level}».")
    return place


def personas_load(*, users: Iterable[dict[str, Any]], password: str, report: LoadReport) -> None:
    """One demo user per role, each with the role assignments the fixture lists."""
    for item in users:
        username = item["username"]
        user, outcome = user_ensure(
            reason=DEMO_REASON,
            username=username,
            password=item.get("password", password),
            email=item.get("email", f"{username}@example.ru"),
            **_fields(item, USER_FIELDS),
        )
        report.add(User, outcome)
        # The demo's passwords are published: its accounts sign in without a second factor (README).
        two_factor_exemption_ensure(user=user, reason=DEMO_EXEMPTION_REASON)
        for role_item in item.get("roles", []):
            _, outcome = role_ensure(user=user, role=role_item["role"], place=_place(role_item), reason=DEMO_REASON)
            report.add(RoleAssignment, outcome)


@transaction.atomic
def demo_load(*, path: Path = DEMO_FIXTURE) -> LoadReport:
    """Load the demonstration data from ``path``; all or nothing."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CommandError(f"Не удалось прочитать файл демонстрационных данных {path}: {exc}") from exc
    report = LoadReport()
    for model in (Region, Municipality, Body, Partner, Organisation, User, RoleAssignment):
        report.setdefault(str(model._meta.verbose_name_plural), Tally())
    hierarchy_load(regions=data.get("regions", []), report=report)
    personas_load(users=data.get("users", []), password=data["password"], report=report)
    return report
