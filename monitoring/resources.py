"""Excel import of hand-entered indicator values (network projects, events) with their evidence.

Such files are short (a row per school and period), and the rule set of
``services.indicator_value_save`` reads the database (an open period, a report not yet frozen,
scope), so each row is checked by the service itself inside a savepoint that is rolled back;
the write calls the same service again, row by row, in the import's single transaction.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from import_export import resources

from mentorship import access
from mentorship.errors import DomainError
from mentorship.imports.engine import CREATED, UNCHANGED, UPDATED, ImportKind, Plan, RowInvalid, validation_problems
from mentorship.imports.registry import register
from mentorship.imports.widgets import ChoiceWidget, CodeWidget, IntegerWidget, TextWidget, column
from mentorship.models import Organisation

from .choices import ManualIndicator, PeriodKind
from .models import IndicatorValue
from .services import indicator_value_save


class _DryRun(Exception):
    """Rolls back a row's trial save."""


class IndicatorValueResource(resources.ModelResource):
    """Значения показателей: organisation by code, indicator and period by their Russian names."""

    organisation = column("organisation", "Код организации", CodeWidget(Organisation))
    indicator = column("indicator", "Показатель", ChoiceWidget(ManualIndicator.choices))
    year = column("year", "Год", IntegerWidget())
    period = column("period", "Отчётный период", ChoiceWidget(PeriodKind.choices))
    value = column("value", "Значение", IntegerWidget())
    evidence = column("evidence", "Подтверждение", TextWidget())
    evidence_url = column("evidence_url", "Ссылка на подтверждение", TextWidget())

    class Meta:
        model = IndicatorValue
        fields = ("organisation", "indicator", "year", "period", "value", "evidence", "evidence_url")
        import_order = fields
        import_id_fields = ("organisation", "indicator", "year", "period")


class IndicatorValuePlan(Plan):
    def __init__(self, kind: ImportKind, context: Any) -> None:
        super().__init__(kind, context)
        self.visible = Organisation.objects.restrict(context.user, "view")
        self.organisations: dict[str, Organisation | None] = {}
        self.seen: dict[tuple[Any, ...], int] = {}
        self.saves: list[dict[str, Any]] = []

    def add(self, number: int, values: dict[str, Any]) -> tuple[str, str]:
        code = values.pop("organisation", "") or self.context.organisation_code
        if code not in self.organisations:
            self.organisations[code] = self.visible.filter(code=code).first()
        organisation = self.organisations[code]
        if organisation is None:
            raise RowInvalid.one("organisation", f"организация с кодом «{code}» не найдена среди доступных вам.")
        for name in ("indicator", "year", "period", "value"):
            if values.get(name) in (None, ""):
                raise RowInvalid.one(name, "заполните ячейку.")
        key = (organisation.pk, values["indicator"], values["year"], values["period"])
        if key in self.seen:
            raise RowInvalid.one("period", f"значение за этот период уже есть в файле в строке {self.seen[key]}.")
        self.seen[key] = number
        arguments = {
            "organisation": organisation,
            "indicator": values["indicator"],
            "year": values["year"],
            "period": values["period"],
            "value": values["value"],
            "evidence": values.get("evidence", ""),
            "evidence_url": values.get("evidence_url", ""),
        }
        label = f"{organisation.code}: {ManualIndicator(values['indicator']).label}, {values['year']}"
        existing = IndicatorValue.objects.filter(
            organisation=organisation, indicator=key[1], year=key[2], period=key[3]
        ).first()
        if existing is not None and (existing.value, existing.evidence, existing.evidence_url) == (
            arguments["value"],
            arguments["evidence"].strip(),
            arguments["evidence_url"].strip(),
        ):
            return UNCHANGED, label
        message = f"вносить значения показателей в организацию «{code}» вам не разрешено."
        try:
            with transaction.atomic(), access.refusal_as(lambda _: RowInvalid.one("organisation", message)):
                indicator_value_save(actor=self.context.user, **arguments)
                raise _DryRun
        except _DryRun:
            pass
        except ValidationError as exc:
            raise RowInvalid(validation_problems(exc)) from exc
        except DomainError as exc:
            raise RowInvalid.one(exc.field, exc.message) from exc
        self.saves.append(arguments)
        return (CREATED if existing is None else UPDATED), label

    def write(self) -> None:
        for arguments in self.saves:
            indicator_value_save(actor=self.context.user, **arguments)


@register
class IndicatorValueImport(ImportKind):
    key = "indicator-values"
    title = "Значения показателей (сетевые проекты, мероприятия)"
    resource_class = IndicatorValueResource
    plan_class = IndicatorValuePlan
    permission = "monitoring.add_indicatorvalue"
    takes_organisation = True
    required = frozenset({"organisation", "indicator", "year", "period", "value", "evidence"})
    example = {
        "organisation": "A1",
        "indicator": ManualIndicator.NETWORK_PROJECTS.label,
        "year": 2026,
        "period": PeriodKind.Q3.label,
        "value": 2,
        "evidence": "Приказ № 112 от 15.10.2026 «О сетевом проекте „Наставник рядом“»",
    }
