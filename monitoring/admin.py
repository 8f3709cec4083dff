"""Administrators' view of monitoring: read-mostly; writes belong to the services and the pages."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from mentorship.admin import AdministratorsOnlyMixin

from .models import IndicatorValue, OrganisationFigures, PeriodReport, PeriodReportEvent, Target


class PeriodReportEventInline(AdministratorsOnlyMixin, admin.TabularInline):
    model = PeriodReportEvent
    extra = 0
    readonly_fields = ["kind", "actor", "comment", "created_at"]
    can_delete = False


@admin.register(PeriodReport)
class PeriodReportAdmin(AdministratorsOnlyMixin, SimpleHistoryAdmin):
    list_display = ["organisation", "year", "period", "status", "submitted_at", "accepted_at"]
    list_filter = ["status", "year", "period"]
    search_fields = ["organisation__short_name", "organisation__code"]
    list_select_related = ["organisation"]
    readonly_fields = [
        "organisation",
        "year",
        "period",
        "school_year",
        "status",
        "snapshot",
        "submitted_at",
        "accepted_at",
    ]
    inlines = [PeriodReportEventInline]


@admin.register(Target)
class TargetAdmin(AdministratorsOnlyMixin, SimpleHistoryAdmin):
    list_display = ["indicator", "year", "value", "region", "municipality", "organisation"]
    list_filter = ["indicator", "year"]
    list_select_related = ["region", "municipality", "organisation"]
    autocomplete_fields = ["region", "municipality", "organisation"]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(AdministratorsOnlyMixin, SimpleHistoryAdmin):
    list_display = ["organisation", "indicator", "year", "period", "value"]
    list_filter = ["indicator", "year", "period"]
    search_fields = ["organisation__short_name", "organisation__code"]
    list_select_related = ["organisation"]


@admin.register(OrganisationFigures)
class OrganisationFiguresAdmin(AdministratorsOnlyMixin, admin.ModelAdmin):
    list_display = ["organisation", "school_year", "students_involved", "students_count", "refreshed_at"]
    list_filter = ["school_year"]
    search_fields = ["organisation__short_name", "organisation__code"]
    list_select_related = ["organisation"]

    def has_add_permission(self, request) -> bool:  # derived data: rebuilt by figures_refresh
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
