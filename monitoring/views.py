"""Pages of monitoring: the dashboards of the three levels with their charts, targets, hand-entered values,
period reports, quality and growth, and the federal statistical form's export.

Places are opened only where the user holds a monitoring role at or above them (``dashboards.dashboard_place``);
anything else answers 404. Every figure comes through ``restrict(user, "view")`` in the selectors.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.cache import cache
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView

from mentorship import access
from mentorship.models import Municipality, Organisation, Region
from mentorship.views.generic import OnceOnlyFormMixin, ScopedMixin, ServiceErrorsMixin, TargetMixin
from participants.choices import MentorshipForm
from participants.models import school_year_label

from . import charts, dashboards, rendering, selectors, services, tasks
from .choices import ReportStatus, current_period
from .export import federal_workbook
from .filters import ReportFilter, period_choices
from .forms import IndicatorValueForm, ReportDecisionForm, ReportSubmitForm, TargetForm
from .indicators import DEFINITIONS
from .models import IndicatorValue, PeriodReport, Target
from .params import period_param, school_year_param

STALENESS_NOTE = (
    "Сводные показатели пересчитываются по расписанию (каждые 15 минут) и по кнопке «Обновить»: "
    "изменения в участниках и парах появляются здесь после ближайшего пересчёта. "
    "Анкеты школы (кому отправлены и кто ответил) учитываются сразу после отправки и каждого ответа."
)


class PlaceMixin(LoginRequiredMixin):
    """The place named by ``level`` and ``pk`` in the URL, if the user's monitoring roles reach it; else 404."""

    level = ""

    def get_place(self) -> Any:
        level = self.kwargs.get("level", self.level)
        place, self.reach = dashboards.dashboard_place(user=self.request.user, level=level, pk=self.kwargs["pk"])
        self.place_level = level
        return place

    def may_refresh(self) -> bool:
        return self.reach.grants("monitoring.refresh_organisationfigures")


class MonitoringIndexView(LoginRequiredMixin, TemplateView):
    """«Мониторинг»: straight to the user's own dashboard, or a choice when they have several places."""

    template_name = "monitoring/index.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        reach = access.holdings(request.user, dashboards.VIEW_PERMISSION)
        places = [("region", pk) for pk in sorted(reach.regions)]
        places += [("municipality", pk) for pk in sorted(reach.municipalities)]
        places += [("organisation", pk) for pk in sorted(reach.organisations)]
        if not reach.everywhere and len(places) == 1:
            level, pk = places[0]
            return HttpResponseRedirect(reverse(f"monitoring:{level}", args=[pk]))
        if reach.everywhere:
            regions = list(Region.objects.restrict(request.user, "view").order_by("name"))
            municipalities, organisations = [], []
        else:
            regions = list(Region.objects.restrict(request.user, "view").filter(pk__in=reach.regions))
            municipalities = list(
                Municipality.objects.restrict(request.user, "view").filter(pk__in=reach.municipalities)
            )
            organisations = list(Organisation.objects.restrict(request.user, "view").filter(pk__in=reach.organisations))
        return self.render_to_response(
            {
                "title": "Мониторинг",
                "regions": regions,
                "municipalities": municipalities,
                "organisations": organisations,
                "empty": reach.empty,
            }
        )


class DashboardView(PlaceMixin, TemplateView):
    """Common frame of the three dashboards; the body (figures, tables, chart links) is cached.

    The body depends only on the place, the school year and the period (see ``dashboards.body_key``),
    so it is rendered once per change of monitoring's data and served from the cache after that;
    what depends on the user (breadcrumbs, the «Обновить» button) stays outside it.
    """

    body_template = ""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        self.place = self.get_place()
        self.school_year = school_year_param(self.request)
        self.period_year, self.period = period_param(self.request)
        period_value = f"{self.period_year}-{self.period}"
        key = dashboards.body_key(self.place_level, self.place.pk, self.school_year, period_value)
        body = cache.get(key)
        if body is None:
            body = render_to_string(self.body_template, self.body_context(period_value))
            cache.set(key, body, dashboards.BODY_SECONDS)
        context.update(
            body=body,
            place=self.place,
            level=self.place_level,
            school_year=self.school_year,
            staleness_note=STALENESS_NOTE,
            can_refresh=self.may_refresh(),
            title=f"Мониторинг: {self.place}",
            **self.reach_flags(),
        )
        return context

    def body_context(self, period_value: str) -> dict[str, Any]:
        data = self.build()
        years = sorted({self.school_year, *(point["year"] for point in data["trend"])}, reverse=True)
        return {
            **data,
            "place": self.place,
            "level": self.place_level,
            "school_year": self.school_year,
            "year_label": school_year_label(self.school_year),
            "years": [(year, school_year_label(year)) for year in years],
            "period_value": period_value,
            "periods": period_choices(timezone.localdate()),
            "refreshed": selectors.refreshed_label(data["total"]["refreshed_at"]),
            "main_label": DEFINITIONS[dashboards.MAIN].label,
            "min_response_percent": settings.MONITORING_MIN_RESPONSE_PERCENT,
            "min_responses": settings.MONITORING_MIN_RESPONSES,
        }

    def reach_flags(self) -> dict[str, bool]:
        place = self.place
        if self.place_level == "municipality":
            return {"reach_region": self.reach.reaches(place.region)}
        if self.place_level == "organisation":
            return {
                "reach_region": self.reach.reaches(place.municipality.region),
                "reach_municipality": self.reach.reaches(place.municipality),
            }
        return {}


class RegionDashboardView(DashboardView):
    template_name = "monitoring/dashboard.html"
    body_template = "monitoring/_region_body.html"
    level = "region"

    def build(self) -> dict[str, Any]:
        data = dashboards.region_dashboard(
            user=self.request.user,
            region=self.place,
            school_year=self.school_year,
            year=self.period_year,
            period=self.period,
        )
        suffix = f"?year={self.school_year}&period={self.period_year}-{self.period}"
        return data | {"rows": rendering.region_rows(data["lines"], suffix=suffix)}


class MunicipalityDashboardView(DashboardView):
    template_name = "monitoring/dashboard.html"
    body_template = "monitoring/_municipality_body.html"
    level = "municipality"

    def build(self) -> dict[str, Any]:
        data = dashboards.municipality_dashboard(
            user=self.request.user,
            municipality=self.place,
            school_year=self.school_year,
            year=self.period_year,
            period=self.period,
        )
        return data | {"rows": rendering.municipality_rows(data["lines"], suffix=f"?year={self.school_year}")}


class OrganisationDashboardView(DashboardView):
    template_name = "monitoring/dashboard.html"
    body_template = "monitoring/_organisation_body.html"
    level = "organisation"

    def build(self) -> dict[str, Any]:
        user = self.request.user
        data = dashboards.organisation_dashboard(user=user, organisation=self.place, school_year=self.school_year)
        data["reports"] = list(selectors.organisation_reports(user=user, organisation=self.place)[:8])
        data["values"] = list(selectors.indicator_values(user=user, organisation=self.place)[:8])
        return data


class ChartView(PlaceMixin, View):
    """A dashboard's chart as SVG, computed from the same data as the page and cached by its hash."""

    CHARTS = {
        ("region", "coverage"),
        ("region", "trend"),
        ("municipality", "coverage"),
        ("municipality", "trend"),
        ("organisation", "stages"),
        ("organisation", "trend"),
        ("organisation", "forms"),
    }

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        level, name = kwargs["level"], kwargs["name"]
        if (level, name) not in self.CHARTS:
            raise Http404
        place = self.get_place()
        school_year = school_year_param(request)
        year, period = period_param(request)
        # Same key as the dashboard's body: a chart shown again before the data changes costs no query.
        key = f"{dashboards.body_key(level, place.pk, school_year, f'{year}-{period}')}:chart:{name}"
        svg = cache.get(key)
        if svg is None:
            svg = self.render(level, name, place, school_year, year, period)
            cache.set(key, svg, dashboards.BODY_SECONDS)
        response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
        response["Cache-Control"] = "private, max-age=300"
        return response

    def render(self, level: str, name: str, place: Any, school_year: int, year: int, period: str) -> str:
        request = self.request
        label = DEFINITIONS[dashboards.MAIN].label
        if level == "region":
            data = dashboards.region_dashboard(
                user=request.user, region=place, school_year=school_year, year=year, period=period
            )
        elif level == "municipality":
            data = dashboards.municipality_dashboard(
                user=request.user, municipality=place, school_year=school_year, year=year, period=period
            )
        else:
            data = dashboards.organisation_dashboard(user=request.user, organisation=place, school_year=school_year)
        if name == "coverage":
            svg = charts.cached(
                charts.coverage_bars,
                dashboards.coverage_rows(data["lines"]),
                title=f"{label}, {school_year_label(school_year)}",
                places="Муниципалитеты" if level == "region" else "Организации",
            )
        elif name == "trend":
            svg = charts.cached(charts.trend_line, dashboards.trend_rows(data["trend"]), title=f"{label}: по годам")
        elif name == "stages":
            svg = charts.cached(charts.count_bars, data["stages"], title="Пары и группы по этапам")
        else:
            forms = [(row["label"], int(row["pairs"] or 0) + int(row["groups"] or 0)) for row in data["forms"]]
            svg = charts.cached(charts.count_bars, forms, title="Пары и группы по формам наставничества")
        return svg


class RefreshView(TargetMixin, PlaceMixin, View):
    """«Обновить»: recompute the place's figures of the school year now (a Celery task after the commit)."""

    required_permission = "monitoring.refresh_organisationfigures"
    permission_message = "Обновлять сводные показатели могут регион и муниципалитет."

    def get_target(self) -> Any:
        return self.get_place()

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        place = self.target
        school_year = school_year_param(request)
        level = self.place_level
        lookup = {"region": "municipality__region_id", "municipality": "municipality_id", "organisation": "pk"}[level]
        ids = list(
            Organisation.objects.restrict(request.user, "view")
            .filter(**{lookup: place.pk})
            .values_list("pk", flat=True)
        )
        transaction.on_commit(lambda: tasks.figures_refresh_task.delay(school_year=school_year, organisation_ids=ids))
        messages.success(
            request,
            f"Пересчёт показателей за {school_year_label(school_year)} учебный год запущен "
            f"(организаций: {len(ids)}). Если данные не изменились, обновите страницу через минуту.",
        )
        return HttpResponseRedirect(f"{reverse(f'monitoring:{level}', args=[place.pk])}?year={school_year}")


class PlaceFormMixin(ServiceErrorsMixin, PlaceMixin, OnceOnlyFormMixin):
    """A form about the place in the URL: ``self.place`` is found (or 404) before the form is built.

    A refusal of the service is the form's error: ``refused_message``, or the service's own words.
    """

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.place = self.get_place()
        return super().dispatch(request, *args, **kwargs)


class PeriodFormMixin(PlaceFormMixin):
    """A form about a reporting period: the latest period whose reporting month has begun comes first."""

    def get_initial(self) -> dict[str, Any]:
        year, period = current_period(timezone.localdate())
        return {"year": year, "period": period}


# --- Targets --------------------------------------------------------------------------------------


class TargetsView(PlaceFormMixin, FormView):
    """The targets that apply at a place (its own and those above), and the form to set its own."""

    template_name = "monitoring/targets.html"
    form_class = TargetForm
    success_message = "Целевое значение сохранено."
    refused_message = "Устанавливать целевые значения здесь может только этот уровень или вышестоящий."

    def get_initial(self) -> dict[str, Any]:
        return {"year": timezone.localdate().year}

    def perform(self, form: TargetForm) -> Target:
        data = form.cleaned_data
        return services.target_save(
            actor=self.request.user,
            place=self.place,
            indicator=data["indicator"],
            year=data["year"],
            value=data["value"],
            source=data["source"],
        )

    def get_success_url(self) -> str:
        return reverse("monitoring:targets", args=[self.place_level, self.place.pk])

    get_duplicate_url = get_success_url

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        place = self.place
        if self.place_level == "region":
            chain = {"region": place}
        elif self.place_level == "municipality":
            chain = {"region": place.region, "municipality": place}
        else:
            chain = {"region": place.municipality.region, "municipality": place.municipality, "organisation": place}
        from django.db.models import Q

        q = Q(pk__in=[])
        for level, obj in chain.items():
            q |= Q(**{level: obj})
        targets = list(selectors.target_list(user=self.request.user).filter(q).order_by("indicator", "year"))
        context.update(
            title=f"Целевые значения: {place}",
            place=place,
            level=self.place_level,
            targets=targets,
            can_set=access.may_add_anywhere(self.request.user, Target),
        )
        return context


# --- Hand-entered values ------------------------------------------------------------------------


class IndicatorValuesView(PeriodFormMixin, FormView):
    """Values of an organisation that cannot be computed (network projects, events), with evidence."""

    template_name = "monitoring/indicator_values.html"
    form_class = IndicatorValueForm
    level = "organisation"
    success_message = "Значение показателя сохранено."
    refused_message = "Вводить значения за эту организацию вы не можете."

    def perform(self, form: IndicatorValueForm) -> IndicatorValue:
        data = form.cleaned_data
        value, _ = services.indicator_value_save(
            actor=self.request.user,
            organisation=self.place,
            **{name: data[name] for name in ("indicator", "year", "period", "value", "evidence", "evidence_url")},
        )
        return value

    def get_success_url(self) -> str:
        return reverse("monitoring:values", args=[self.place.pk])

    get_duplicate_url = get_success_url

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            title=f"Показатели, вводимые вручную: {self.place}",
            place=self.place,
            values=list(selectors.indicator_values(user=self.request.user, organisation=self.place)),
            can_enter=access.may_add_anywhere(self.request.user, IndicatorValue),
        )
        return context


# --- Period reports -----------------------------------------------------------------------------


class ReportSubmitView(PeriodFormMixin, FormView):
    """A school sends its report for a period: the figures are computed now and kept in the report."""

    template_name = "monitoring/report_submit.html"
    form_class = ReportSubmitForm
    level = "organisation"
    success_message = "Отчёт отправлен в муниципалитет на проверку."

    def perform(self, form: ReportSubmitForm) -> PeriodReport:
        data = form.cleaned_data
        return services.period_report_submit(
            actor=self.request.user,
            organisation=self.place,
            year=data["year"],
            period=data["period"],
            comment=data["comment"],
        )

    def get_success_url(self) -> str:
        return reverse("monitoring:report", args=[self.object.pk])

    def get_duplicate_url(self) -> str:
        return reverse("monitoring:organisation", args=[self.place.pk])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(title=f"Отчёт за период: {self.place}", place=self.place)
        return context


class ReportListView(ScopedMixin, ListView):
    """Period reports in scope, newest period first; filter by status and period."""

    model = PeriodReport
    template_name = "monitoring/report_list.html"
    paginate_by = 50

    def get_queryset(self) -> Any:
        self.filterset = ReportFilter(
            self.request.GET or None, queryset=selectors.report_list(user=self.request.user), request=self.request
        )
        return self.filterset.qs.order_by("-year", "-period", "organisation__short_name")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params.pop("page", None)
        context.update(title="Отчёты за периоды", filterset=self.filterset, querystring=params.urlencode())
        return context


class ReportDetailView(ScopedMixin, DetailView):
    model = PeriodReport
    template_name = "monitoring/report_detail.html"
    select_related = ("organisation__municipality",)

    def get_object(self, queryset: Any = None) -> PeriodReport:
        return self.get_scoped_object("view")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        report = self.object
        context.update(
            title=f"{report} — {report.organisation}",
            events=list(report.events.select_related("actor")),
            can_decide=report.status == ReportStatus.SUBMITTED and access.can(self.request.user, report, "accept"),
            can_resubmit=report.status == ReportStatus.RETURNED and access.can(self.request.user, report, "submit"),
            snapshot=report.snapshot,
            forms_labels=dict(MentorshipForm.choices),
        )
        return context


class ReportDecisionView(OnceOnlyFormMixin, ScopedMixin, FormView):
    """Accept or return (with a comment) a submitted report, through its service."""

    model = PeriodReport
    form_class = ReportDecisionForm
    template_name = "monitoring/report_decision.html"
    action = ""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.object = self.get_scoped_object("accept")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"comment_required": self.action == "return"}

    def perform(self, form: ReportDecisionForm) -> PeriodReport:
        step = services.period_report_accept if self.action == "accept" else services.period_report_return
        return step(actor=self.request.user, report=self.object, comment=form.cleaned_data["comment"])

    @property
    def success_message(self) -> str:
        return "Отчёт принят." if self.action == "accept" else "Отчёт возвращён на доработку."

    def get_success_url(self) -> str:
        return reverse("monitoring:report", args=[self.object.pk])

    get_duplicate_url = get_success_url

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        verb = "Принять отчёт" if self.action == "accept" else "Вернуть отчёт на доработку"
        context.update(object=self.object, action=self.action, title=f"{verb}: {self.object.organisation}")
        return context


# --- Federal form and quality -------------------------------------------------------------------


class FederalExportView(PlaceMixin, View):
    """Counts of participants by category and form for the federal statistical form, as .xlsx.

    Counts per organisation and form only, nobody named: unlike the lists' exports
    (``mentorship.exports``), its download is not recorded in the security event log.
    """

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        place = self.get_place()
        school_year = school_year_param(request)
        filters = {self.place_level: place}
        rows = selectors.federal_rows(user=request.user, school_year=school_year, **filters)
        content = federal_workbook(rows=rows, title=f"{place}", school_year=school_year)
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="fsn-{self.place_level}-{place.pk}-{school_year}.xlsx"'
        return response


class QualityView(PlaceMixin, TemplateView):
    """Quality and growth: average answers at entry, interim and exit per form (and per organisation)."""

    template_name = "monitoring/quality.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        place = self.get_place()
        school_year = school_year_param(self.request)
        filters = {
            "region": {"organisation__municipality__region": place},
            "municipality": {"organisation__municipality": place},
            "organisation": {"organisation": place},
        }[self.place_level]
        user = self.request.user
        by_form = selectors.growth(user=user, school_year=school_year, **filters)
        by_organisation = (
            selectors.growth(user=user, school_year=school_year, by_organisation=True, **filters)
            if self.place_level != "region"
            else []
        )
        chart = (
            charts.cached(
                charts.growth_bars,
                [(row["label"], _num(row.get("entry")), _num(row.get("exit"))) for row in by_form],
                title="Средняя оценка на входе и на выходе",
            )
            if by_form
            else ""
        )
        context.update(
            title=f"Качество и рост участников: {place}",
            place=place,
            level=self.place_level,
            school_year=school_year,
            year_label=school_year_label(school_year),
            by_form=by_form,
            by_organisation=by_organisation,
            chart=chart,
        )
        return context


def _num(value: Any) -> float | None:
    return None if value is None else float(value)
