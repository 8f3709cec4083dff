"""Writes of monitoring: the figures' refresh, targets, hand-entered values and the period reports' workflow."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from mentorship import access
from mentorship.errors import DomainError
from mentorship.models import Municipality, Organisation, Region
from mentorship.workflow import actor_user, event_record, status_transition
from participants.choices import (
    BaseRole,
    MentorshipForm,
    PairStatus,
    PersonKind,
    QuestionKind,
    QuestionnaireAudience,
    QuestionnaireMoment,
)
from participants.models import (
    Answer,
    Pair,
    PairMember,
    Programme,
    QuestionnaireLink,
    Response,
    school_year_of,
)

from . import selectors
from .choices import (
    IndicatorCode,
    ManualIndicator,
    PeriodKind,
    ReportEventKind,
    ReportStatus,
    period_due,
    period_label,
    period_opens,
    period_school_year,
)
from .indicators import DEFINITIONS, FIGURE_FIELDS, PERCENT, SCORE, indicator_rows, with_derived
from .models import FormFigures, IndicatorValue, OrganisationFigures, PeriodReport, PeriodReportEvent, Target

#: the pairs whose people count as involved: working now or through the full cycle
COUNTED_STATUSES = [PairStatus.ACTIVE, PairStatus.COMPLETED]
BATCH_SIZE = 1000

ORGANISATION_COLUMNS = (
    "participants",
    "mentors",
    "mentees",
    "students_involved",
    "teachers_involved",
    "young_teachers_involved",
    "novice_teachers_involved",
    "completed_mentees",
)
FORM_PEOPLE_COLUMNS = ("mentors", "mentees", "students", "teachers", "externals", "completed_mentees")
#: the columns the records are counted into, from zero (the headcounts come with the organisation)
COUNTED_COLUMNS = tuple(name for name in FIGURE_FIELDS if name not in ("students_count", "teachers_count"))


# --- Figures ---------------------------------------------------------------------------------------


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _school_year_span(school_year: int) -> tuple[date, date]:
    return date(school_year, 9, 1), date(school_year + 1, 8, 31)


def figures_compute(
    *, school_year: int, organisations: Iterable[int] | None = None
) -> tuple[dict[int, dict[str, Any]], list[dict[str, Any]]]:
    """The figures of ``organisations`` (pks; all active ones if ``None``) for a school year, computed now.

    A fixed handful of grouped queries whatever the number of organisations or people:

    - people: distinct persons among the members of active or completed pairs of the school
      year, per organisation (a person in two pairs counts once) and per form;
    - pairs: by status per organisation and form, groups being pairs of more than two members;
    - programmes of the school year; entry and exit questionnaires' scale answers (growth and
      satisfaction) and their response rates (``response_rates``);
    - hand-entered values: the latest period's within the school year.

    Age and service are taken on 1 September of the school year: «under 35» is a birth date after
    that day 35 years earlier, «under 3 years' service» a service start after it 3 years earlier.
    Returns ``({organisation pk: columns}, [form rows])``.
    """
    ids = None if organisations is None else list(organisations)
    start, end = _school_year_span(school_year)
    young_after, novice_after = _years_before(start, 35), _years_before(start, 3)

    org_qs = Organisation.objects.filter(is_active=True)
    if ids is not None:
        org_qs = org_qs.filter(pk__in=ids)
    base = {
        row["pk"]: {
            "organisation_id": row["pk"],
            "municipality_id": row["municipality_id"],
            "region_id": row["municipality__region_id"],
            "school_year": school_year,
            "students_count": row["students_count"],
            "teachers_count": row["teachers_count"],
        }
        for row in org_qs.values("pk", "municipality_id", "municipality__region_id", "students_count", "teachers_count")
    }
    rows = {pk: {**values, **dict.fromkeys(COUNTED_COLUMNS, 0)} for pk, values in base.items()}

    def scoped(qs: Any, lookup: str) -> Any:
        return qs if ids is None else qs.filter(**{f"{lookup}__in": ids})

    members = scoped(
        PairMember.objects.filter(pair__school_year=school_year, pair__status__in=COUNTED_STATUSES),
        "pair__organisation_id",
    )
    teacher = Q(person__kind=PersonKind.TEACHER)
    people_counts = {
        "participants": Count("person_id", distinct=True),
        "mentors": Count("person_id", distinct=True, filter=Q(role=BaseRole.MENTOR)),
        "mentees": Count("person_id", distinct=True, filter=Q(role=BaseRole.MENTEE)),
        "completed_mentees": Count(
            "person_id", distinct=True, filter=Q(role=BaseRole.MENTEE, pair__status=PairStatus.COMPLETED)
        ),
    }
    for row in (
        members.values("pair__organisation_id")
        .annotate(
            **people_counts,
            students_involved=Count("person_id", distinct=True, filter=Q(person__kind=PersonKind.STUDENT)),
            teachers_involved=Count("person_id", distinct=True, filter=teacher),
            young_teachers_involved=Count(
                "person_id", distinct=True, filter=teacher & Q(person__birth_date__gt=young_after)
            ),
            novice_teachers_involved=Count(
                "person_id", distinct=True, filter=teacher & Q(person__service_start__gt=novice_after)
            ),
        )
        .order_by()
    ):
        target = rows.get(row["pair__organisation_id"])
        if target is not None:
            target.update({name: row[name] for name in ORGANISATION_COLUMNS})

    forms: dict[tuple[int, str], dict[str, Any]] = {}

    def form_row(org_id: int, form: str) -> dict[str, Any] | None:
        if org_id not in rows:
            return None
        key = (org_id, form)
        if key not in forms:
            place = base[org_id]
            forms[key] = {
                "organisation_id": org_id,
                "municipality_id": place["municipality_id"],
                "region_id": place["region_id"],
                "school_year": school_year,
                "form": form,
                **dict.fromkeys(("pairs", "groups", *FORM_PEOPLE_COLUMNS), 0),
            }
        return forms[key]

    for row in (
        members.values("pair__organisation_id", "pair__form")
        .annotate(
            **{k: v for k, v in people_counts.items() if k != "participants"},
            students=Count("person_id", distinct=True, filter=Q(person__kind=PersonKind.STUDENT)),
            teachers=Count("person_id", distinct=True, filter=teacher),
            externals=Count("person_id", distinct=True, filter=Q(person__kind=PersonKind.EXTERNAL)),
        )
        .order_by()
    ):
        target = form_row(row["pair__organisation_id"], row["pair__form"])
        if target is not None:
            target.update({name: row[name] for name in FORM_PEOPLE_COLUMNS})

    size = PairMember.objects.filter(pair=OuterRef("pk")).order_by().values("pair").annotate(n=Count("pk")).values("n")
    counted = Q(status__in=COUNTED_STATUSES)
    for row in (
        scoped(Pair.objects.filter(school_year=school_year), "organisation_id")
        .annotate(size=Subquery(size))
        .values("organisation_id", "form")
        .annotate(
            forming=Count("pk", filter=Q(status=PairStatus.FORMING)),
            active=Count("pk", filter=Q(status=PairStatus.ACTIVE)),
            completed=Count("pk", filter=Q(status=PairStatus.COMPLETED)),
            groups=Count("pk", filter=counted & Q(size__gt=2)),
        )
        .order_by()
    ):
        target = rows.get(row["organisation_id"])
        if target is None:
            continue
        target["pairs_forming"] += row["forming"]
        target["pairs_active"] += row["active"]
        target["pairs_completed"] += row["completed"]
        target["groups"] += row["groups"]
        if row["form"] == MentorshipForm.MANAGER_YOUNG_MANAGER:
            target["manager_pairs"] += row["active"] + row["completed"]
        per_form = form_row(row["organisation_id"], row["form"])
        if per_form is not None and row["active"] + row["completed"]:
            per_form["groups"] = row["groups"]
            per_form["pairs"] = row["active"] + row["completed"] - row["groups"]

    for row in (
        scoped(Programme.objects.filter(school_year=school_year, is_active=True), "organisation_id")
        .values("organisation_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        if row["organisation_id"] in rows:
            rows[row["organisation_id"]]["programmes"] = row["n"]

    columns = {QuestionnaireMoment.ENTRY: "entry", QuestionnaireMoment.EXIT: "satisfaction"}
    for row in (
        scoped(
            Answer.objects.filter(
                response__questionnaire__moment__in=list(columns),
                response__questionnaire__audience__in=RATED_AUDIENCES,
                response__filled_on__range=(start, end),
                question__kind=QuestionKind.SCALE,
                number__isnull=False,
            ),
            "response__organisation_id",
        )
        .values("response__organisation_id", "response__questionnaire__moment")
        .annotate(total=Sum("number"), n=Count("number"))
        .order_by()
    ):
        target = rows.get(row["response__organisation_id"])
        if target is not None:
            column = columns[row["response__questionnaire__moment"]]
            target.update({f"{column}_sum": row["total"], f"{column}_count": row["n"]})

    for (org_id, moment), (asked, answered) in response_rates(school_year=school_year, organisations=ids).items():
        if org_id in rows and moment in columns:
            rows[org_id].update({f"{columns[moment]}_asked": asked, f"{columns[moment]}_answered": answered})

    latest: dict[tuple[int, str], tuple[tuple[date, bool], int]] = {}
    for row in scoped(IndicatorValue.objects.filter(year__in=[school_year, school_year + 1]), "organisation_id").values(
        "organisation_id", "indicator", "year", "period", "value"
    ):
        if period_school_year(row["year"], row["period"]) != school_year:
            continue
        key = (row["organisation_id"], row["indicator"])
        order = (period_due(row["year"], row["period"]), row["period"] == PeriodKind.ANNUAL)
        if key not in latest or latest[key][0] < order:
            latest[key] = (order, row["value"])
    for (org_id, indicator), (_, value) in latest.items():
        if org_id in rows:
            rows[org_id][indicator] = value

    # Drop forms with nothing left in them (a form whose pairs are all terminated, say).
    form_rows = [row for row in forms.values() if any(row[name] for name in ("pairs", "groups", *FORM_PEOPLE_COLUMNS))]
    return rows, form_rows


#: whose questionnaires feed growth and satisfaction (the curator's own questionnaire does not)
RATED_AUDIENCES = [QuestionnaireAudience.MENTOR, QuestionnaireAudience.MENTEE]


def response_rates(
    *, school_year: int, organisations: Iterable[int] | None = None
) -> dict[tuple[int, str], tuple[int, int]]:
    """``{(organisation pk, moment): (asked, answered)}``: the response rate behind growth and satisfaction.

    The rule (distinct people, per organisation and questionnaire moment, mentors' and mentees'
    questionnaires only, within the school year 1 September – 31 August):

    - **asked** are the people who were sent a personal link (``QuestionnaireLink``) in the school
      year — the link's letter, else its printed sheet, else its deadline dates it;
    - **answered** are those of them whose link was answered, or who answered anyway through a
      response without a link in the school year;
    - a response without a link (imported from Яндекс Формы or Google Формы, or typed in by the
      staff), filled in within the school year, from someone who had no link in the school year,
      counts the person as both asked and answered: the form was put to them elsewhere.

    Another organisation's links and responses never count. Two grouped queries, whatever the size
    (``selectors.rate_counts``, which the quality page uses too).
    """
    ids = None if organisations is None else list(organisations)
    links = QuestionnaireLink.objects.filter(questionnaire__audience__in=RATED_AUDIENCES)
    responses = Response.objects.filter(questionnaire__audience__in=RATED_AUDIENCES)
    if ids is not None:
        links, responses = links.filter(organisation_id__in=ids), responses.filter(organisation_id__in=ids)
    return selectors.rate_counts(
        links=links, responses=responses, school_year=school_year, group=["organisation_id", "questionnaire__moment"]
    )


@transaction.atomic
def figures_refresh(*, school_year: int | None = None, organisations: Iterable[int] | None = None) -> int:
    """Rebuild the summary rows of a school year (the current one by default) from the records.

    Set-based: ``figures_compute``'s grouped queries, then the year's rows of those organisations
    are replaced in bulk, in one transaction (readers see the old rows until it commits).
    Idempotent: running it twice leaves the same rows. Returns the number of organisations.
    """
    school_year = school_year_of(timezone.localdate()) if school_year is None else school_year
    ids = None if organisations is None else list(organisations)
    rows, form_rows = figures_compute(school_year=school_year, organisations=ids)
    now = timezone.now()
    stale = OrganisationFigures.objects.filter(school_year=school_year)
    stale_forms = FormFigures.objects.filter(school_year=school_year)
    if ids is not None:
        stale, stale_forms = stale.filter(organisation_id__in=ids), stale_forms.filter(organisation_id__in=ids)
    stale.delete()
    stale_forms.delete()
    OrganisationFigures.objects.bulk_create(
        [OrganisationFigures(**row, refreshed_at=now) for row in rows.values()], batch_size=BATCH_SIZE
    )
    FormFigures.objects.bulk_create([FormFigures(**row) for row in form_rows], batch_size=BATCH_SIZE)
    _changed()
    return len(rows)


# --- Targets ---------------------------------------------------------------------------------------

TARGET_BOUNDS = {PERCENT: Decimal(100), SCORE: Decimal(10)}


def _place_kwargs(place: Region | Municipality | Organisation) -> dict[str, Any]:
    if isinstance(place, Organisation):
        return {"organisation": place}
    if isinstance(place, Municipality):
        return {"municipality": place}
    if isinstance(place, Region):
        return {"region": place}
    raise DomainError("Целевое значение устанавливается для региона, муниципалитета или организации.")


def targets_above(place: Region | Municipality | Organisation, indicator: str, year: int) -> list[tuple[Any, Decimal]]:
    """The targets set above ``place`` for the indicator and year: ``[(place above, value)]``, one query."""
    if isinstance(place, Region):
        return []
    if isinstance(place, Municipality):
        q, places = Q(region_id=place.region_id), {("region", place.region_id): place.region}
    else:
        municipality = place.municipality
        q = Q(region_id=municipality.region_id) | Q(municipality_id=municipality.pk)
        places = {
            ("region", municipality.region_id): municipality.region,
            ("municipality", municipality.pk): municipality,
        }
    found = []
    for target in Target.objects.filter(q, indicator=indicator, year=year):
        key = ("region", target.region_id) if target.region_id else ("municipality", target.municipality_id)
        found.append((places[key], target.value))
    return found


@transaction.atomic
def target_save(
    *,
    actor: Any,
    place: Region | Municipality | Organisation,
    indicator: str,
    year: int,
    value: Any,
    source: str = "",
) -> Target:
    """Set (or change) the yearly target of an indicator at a place.

    A municipality or an organisation may be stricter than the levels above, never weaker: for a
    share or an average a value below a target set above is refused with the place and value.
    """
    if indicator not in IndicatorCode.values:
        raise DomainError("Такого показателя нет.", field="indicator")
    definition = DEFINITIONS[indicator]
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise DomainError("Целевое значение должно быть числом.", field="value") from None
    if amount < 0:
        raise DomainError("Целевое значение не может быть отрицательным.", field="value")
    bound = TARGET_BOUNDS.get(definition.unit)
    if bound is not None and amount > bound:
        unit = "процентов" if definition.unit == PERCENT else "баллов"
        raise DomainError(f"Целевое значение не может быть больше {bound} {unit}.", field="value")
    if definition.unit not in TARGET_BOUNDS and amount != amount.to_integral_value():
        raise DomainError("Для количества целевое значение — целое число.", field="value")
    if definition.relative:
        for above, above_value in targets_above(place, indicator, year):
            if amount < above_value:
                raise DomainError(
                    f"Целевое значение не может быть ниже установленного вышестоящим уровнем: {above} — "
                    f"не менее {above_value.normalize():f} на {year} год. Можно установить такое же или строже.",
                    field="value",
                )
    where = _place_kwargs(place)
    target = Target.objects.select_for_update().filter(**where, indicator=indicator, year=year).first()
    action = "change" if target is not None else "add"
    if target is None:
        target = Target(**where, indicator=indicator, year=year, created_by=actor_user(actor))
    target.value = amount
    target.source = source.strip()
    target.full_clean()
    try:
        with transaction.atomic():
            target.save()
    except IntegrityError:
        raise DomainError(
            "Целевое значение на этот год только что установил другой пользователь; обновите страницу."
        ) from None
    access.ensure_can(actor, target, action)
    _changed()
    return target


def targets_from_roadmap(*, actor: Any, roadmap: Any) -> int:
    """Copy a roadmap's target indicators whose code is a monitoring indicator into monitoring's targets.

    Returns how many values were saved; each goes through ``target_save`` (so the «never weaker»
    rule and the scope hold).
    """
    saved = 0
    for indicator in roadmap.indicators.prefetch_related("values"):
        if indicator.code not in IndicatorCode.values:
            continue
        for item in indicator.values.all():
            target_save(
                actor=actor,
                place=roadmap.place,
                indicator=indicator.code,
                year=item.year,
                value=item.value,
                source=f"Дорожная карта «{roadmap}»",
            )
            saved += 1
    return saved


# --- Hand-entered values ---------------------------------------------------------------------------


@transaction.atomic
def indicator_value_save(
    *,
    actor: Any,
    organisation: Organisation,
    indicator: str,
    year: int,
    period: str,
    value: Any,
    evidence: str,
    evidence_url: str = "",
) -> tuple[IndicatorValue, bool]:
    """Enter (or correct) an indicator that cannot be computed, with its evidence; upsert by the natural key
    (organisation, indicator, year, period). Returns ``(value, created)``.

    Refused for a period not begun yet and for a period whose report is on check or accepted (its
    figures are frozen in the report).
    """
    if indicator not in ManualIndicator.values:
        raise DomainError("Этот показатель вычисляется по записям портала и вручную не вводится.", field="indicator")
    if period not in PeriodKind.values:
        raise DomainError("Неизвестный отчётный период.", field="period")
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise DomainError("Значение должно быть целым числом.", field="value") from None
    if number < 0:
        raise DomainError("Значение не может быть отрицательным.", field="value")
    if not (evidence or "").strip():
        raise DomainError("Укажите подтверждение: документ, отчёт или публикацию.", field="evidence")
    opens = period_opens(year, period)
    if timezone.localdate() < opens:
        raise DomainError(
            f"Период «{period_label(year, period)}» ещё не начался: значения за него вводятся с {opens:%d.%m.%Y}.",
            field="period",
        )
    report = PeriodReport.objects.filter(organisation=organisation, year=year, period=period).first()
    if report is not None and report.status != ReportStatus.RETURNED:
        raise DomainError(
            f"Отчёт за {period_label(year, period)} {report.get_status_display().lower()}: "
            "значения за этот период изменить нельзя."
        )
    key = {"organisation": organisation, "indicator": indicator, "year": year, "period": period}
    obj = IndicatorValue.objects.select_for_update().filter(**key).first()
    created = obj is None
    if created:
        obj = IndicatorValue(**key)
    obj.value = number
    obj.evidence = evidence.strip()
    obj.evidence_url = (evidence_url or "").strip()
    obj.entered_by = actor_user(actor)
    obj.full_clean()
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        raise DomainError("Значение за этот период только что ввёл другой пользователь; обновите страницу.") from None
    access.ensure_can(actor, obj, "add" if created else "change")
    _changed()
    return obj, created


# --- Period reports --------------------------------------------------------------------------------


def organisation_snapshot(*, organisation: Organisation, school_year: int) -> dict[str, Any]:
    """The organisation's figures and indicators now, with the targets that apply: what a report freezes."""
    from .selectors import targets_for_organisation

    rows, form_rows = figures_compute(school_year=school_year, organisations=[organisation.pk])
    targets = targets_for_organisation(organisation=organisation, year=school_year)
    return snapshot_build(
        school_year=school_year, row=rows.get(organisation.pk, {}), form_rows=form_rows, targets=targets
    )


def snapshot_build(
    *, school_year: int, row: dict[str, Any], form_rows: Iterable[dict[str, Any]], targets: dict[str, Any]
) -> dict[str, Any]:
    """A report's frozen content from one organisation's computed figures (JSON-ready)."""
    figures = with_derived(row)
    return {
        "school_year": school_year,
        "computed_at": timezone.now().isoformat(),
        "figures": figures,
        "forms": {
            item["form"]: {name: item[name] for name in ("pairs", "groups", *FORM_PEOPLE_COLUMNS)} for item in form_rows
        },
        "indicators": [
            {
                "code": item.code,
                "label": item.label,
                "unit": item.unit,
                "value": None if item.value is None else str(item.value),
                "target": None if item.target is None else str(item.target),
                "met": item.met,
            }
            for item in indicator_rows(figures, targets)
        ],
    }


@transaction.atomic
def period_report_submit(
    *, actor: Any, organisation: Organisation, year: int, period: str, comment: str = ""
) -> PeriodReport:
    """Submit the organisation's report for a period (or resubmit a returned one) with a fresh snapshot."""
    if period not in PeriodKind.values:
        raise DomainError("Неизвестный отчётный период.", field="period")
    if not 2019 <= int(year) <= 2100:
        raise DomainError("Год отчёта — от 2019 до 2100.", field="year")
    opens = period_opens(year, period)
    if timezone.localdate() < opens:
        raise DomainError(f"Отчёт за {period_label(year, period)} можно отправить с {opens:%d.%m.%Y}.", field="period")
    school_year = period_school_year(year, period)
    now = timezone.now()
    snapshot = organisation_snapshot(organisation=organisation, school_year=school_year)
    report = (
        PeriodReport.objects.select_for_update().filter(organisation=organisation, year=year, period=period).first()
    )
    if report is None:
        report = PeriodReport(
            organisation=organisation,
            year=year,
            period=period,
            school_year=school_year,
            status=ReportStatus.SUBMITTED,
            snapshot=snapshot,
            submitted_at=now,
        )
        report.full_clean()
        try:
            with transaction.atomic():
                report.save()
        except IntegrityError:
            raise DomainError("Отчёт за этот период уже отправлен; обновите страницу.") from None
        _ensure(actor, report, "submit")
        event_record(PeriodReportEvent, report, kind=ReportEventKind.SUBMITTED, actor=actor, comment=comment.strip())
    else:
        report = status_transition(
            report,
            allowed=(ReportStatus.RETURNED,),
            new=ReportStatus.SUBMITTED,
            event_model=PeriodReportEvent,
            kind=ReportEventKind.SUBMITTED,
            actor=actor,
            refused=lambda current: _already(report, current),
            comment=comment.strip(),
            snapshot=snapshot,
            submitted_at=now,
        )
        # after the write, as for a new report: a refusal rolls the transition back
        _ensure(actor, report, "submit")
    _changed()
    return report


@transaction.atomic
def period_report_accept(*, actor: Any, report: PeriodReport, comment: str = "") -> PeriodReport:
    """Accept a submitted report: its snapshot is frozen for good."""
    _ensure(actor, report, "accept")
    report = status_transition(
        report,
        allowed=(ReportStatus.SUBMITTED,),
        new=ReportStatus.ACCEPTED,
        event_model=PeriodReportEvent,
        kind=ReportEventKind.ACCEPTED,
        actor=actor,
        refused=lambda current: _already(report, current),
        comment=comment.strip(),
        accepted_at=timezone.now(),
    )
    _changed()
    return report


@transaction.atomic
def period_report_return(*, actor: Any, report: PeriodReport, comment: str) -> PeriodReport:
    """Return a submitted report for rework; the comment saying what to fix is required."""
    _ensure(actor, report, "accept")
    if not (comment or "").strip():
        raise DomainError("Напишите, что нужно исправить: без комментария вернуть отчёт нельзя.", field="comment")
    report = status_transition(
        report,
        allowed=(ReportStatus.SUBMITTED,),
        new=ReportStatus.RETURNED,
        event_model=PeriodReportEvent,
        kind=ReportEventKind.RETURNED,
        actor=actor,
        refused=lambda current: _already(report, current),
        comment=comment.strip(),
    )
    _changed()
    return report


def _already(report: PeriodReport, current: str | None) -> str:
    label = ReportStatus(current).label.lower() if current else "удалён"
    return f"Отчёт за {report.label} сейчас «{label}»: это действие для него недоступно. Обновите страницу."


def _ensure(actor: Any, report: PeriodReport, action: str) -> None:
    if not access.can(actor, report, action):
        raise PermissionDenied(
            "Отчёт организации отправляет сама организация, а принимает или возвращает муниципалитет."
            if action == "submit"
            else "Принимать и возвращать отчёты может только муниципалитет (или регион) этой организации."
        )


def _changed() -> None:
    """After the commit, make the cached dashboard bodies stale."""
    from .dashboards import data_changed

    transaction.on_commit(data_changed)
