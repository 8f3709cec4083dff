from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from mentorship.admin import AdministratorsOnlyMixin

from .models import ItemEvidence, ResponsibleParty, Roadmap, RoadmapEvent, RoadmapItem, TargetIndicator, TargetValue


class RoadmapEventInline(AdministratorsOnlyMixin, admin.TabularInline):
    model = RoadmapEvent
    extra = 0
    readonly_fields = ["kind", "actor", "comment", "created_at"]


class TargetIndicatorInline(AdministratorsOnlyMixin, admin.TabularInline):
    model = TargetIndicator
    extra = 0


@admin.register(Roadmap)
class RoadmapAdmin(AdministratorsOnlyMixin, SimpleHistoryAdmin):
    list_display = ["title", "region", "municipality", "organisation", "period_start", "period_end", "status"]
    list_filter = ["status"]
    search_fields = ["title"]
    list_select_related = ["region", "municipality", "organisation"]
    autocomplete_fields = ["region", "municipality", "organisation"]
    inlines = [TargetIndicatorInline, RoadmapEventInline]


class ResponsiblePartyInline(AdministratorsOnlyMixin, admin.TabularInline):
    model = ResponsibleParty
    extra = 0
    autocomplete_fields = ["user", "body"]


class ItemEvidenceInline(AdministratorsOnlyMixin, admin.TabularInline):
    model = ItemEvidence
    extra = 0


@admin.register(RoadmapItem)
class RoadmapItemAdmin(AdministratorsOnlyMixin, SimpleHistoryAdmin):
    list_display = ["number", "title", "roadmap", "deadline_text", "deadline_due", "status"]
    list_filter = ["status", "kind", "deadline_needs_review"]
    search_fields = ["title", "number", "roadmap__title"]
    list_select_related = ["roadmap"]
    raw_id_fields = ["roadmap", "parent", "cascaded_from"]
    inlines = [ResponsiblePartyInline, ItemEvidenceInline]


@admin.register(TargetValue)
class TargetValueAdmin(AdministratorsOnlyMixin, SimpleHistoryAdmin):
    list_display = ["indicator", "year", "value"]
    list_select_related = ["indicator"]
