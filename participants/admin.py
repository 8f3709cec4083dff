"""The Django admin for participants' records, for administrators only.

The school's staff work in the portal's own pages, whose services enforce the domain's rules;
the admin is the administrators' tool for looking into records and their change log.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from mentorship.admin import AdministratorsOnlyMixin

from .models import (
    BaseEntry,
    Consent,
    CooperationAgreement,
    DevelopmentPlan,
    MatchRun,
    MatchSuggestion,
    Meeting,
    Pair,
    PairMember,
    Person,
    PlanTask,
    Programme,
    Question,
    Questionnaire,
    Response,
)


@admin.register(Person)
class PersonAdmin(AdministratorsOnlyMixin, SimpleHistoryAdmin):
    list_display = ["surname", "name", "patronymic", "kind", "organisation", "birth_date", "anonymised_at"]
    list_filter = ["kind", "organisation__municipality__region"]
    search_fields = ["surname", "name", "external_id"]
    list_select_related = ["organisation"]
    raw_id_fields = ["organisation", "partner", "user"]


@admin.register(BaseEntry)
class BaseEntryAdmin(AdministratorsOnlyMixin, SimpleHistoryAdmin):
    list_display = ["person", "role", "school_year", "organisation", "mentee_category", "mentor_kind", "is_active"]
    list_filter = ["role", "school_year", "is_active"]
    search_fields = ["person__surname", "person__name"]
    list_select_related = ["person", "organisation"]
    raw_id_fields = ["person", "organisation"]


@admin.register(Consent)
class ConsentAdmin(AdministratorsOnlyMixin, SimpleHistoryAdmin):
    list_display = ["person", "signer", "signed_on", "valid_until", "withdrawn_on", "organisation"]
    list_filter = ["signer"]
    search_fields = ["person__surname"]
    list_select_related = ["person", "organisation"]
    raw_id_fields = ["person", "organisation"]


@admin.register(CooperationAgreement)
class CooperationAgreementAdmin(AdministratorsOnlyMixin, SimpleHistoryAdmin):
    list_display = ["person", "number", "signed_on", "valid_until", "partner", "organisation"]
    search_fields = ["person__surname", "number"]
    list_select_related = ["person", "partner", "organisation"]
    raw_id_fields = ["person", "partner", "organisation"]


class QuestionInline(AdministratorsOnlyMixin, admin.TabularInline):
    model = Question
    extra = 0


@admin.register(Questionnaire)
class QuestionnaireAdmin(AdministratorsOnlyMixin, SimpleHistoryAdmin):
    list_display = ["title", "audience", "moment", "form", "organisation", "is_active"]
    list_filter = ["audience", "moment", "is_active"]
    search_fields = ["title"]
    list_select_related = ["organisation"]
    raw_id_fields = ["organisation"]
    inlines = [QuestionInline]


@admin.register(Response)
class ResponseAdmin(AdministratorsOnlyMixin, SimpleHistoryAdmin):
    list_display = ["questionnaire", "person", "pair", "filled_on"]
    list_select_related = ["questionnaire", "person", "pair"]
    raw_id_fields = ["questionnaire", "person", "pair", "organisation"]


@admin.register(Programme)
class ProgrammeAdmin(AdministratorsOnlyMixin, SimpleHistoryAdmin):
    list_display = ["title", "form", "school_year", "organisation", "is_published", "is_good_practice", "is_active"]
    list_filter = ["form", "school_year", "is_published", "is_good_practice"]
    search_fields = ["title"]
    list_select_related = ["organisation"]
    raw_id_fields = ["organisation", "source"]


class PairMemberInline(AdministratorsOnlyMixin, admin.TabularInline):
    model = PairMember
    extra = 0
    raw_id_fields = ["person", "programme"]


@admin.register(Pair)
class PairAdmin(AdministratorsOnlyMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "form", "programme", "organisation", "school_year", "stage", "status", "started_on"]
    list_filter = ["status", "stage", "form", "school_year"]
    search_fields = ["title", "programme__title", "members__person__surname"]
    list_select_related = ["programme", "organisation"]
    raw_id_fields = ["organisation", "programme", "created_by"]
    inlines = [PairMemberInline]


class PlanTaskInline(AdministratorsOnlyMixin, admin.TabularInline):
    model = PlanTask
    extra = 0


@admin.register(DevelopmentPlan)
class DevelopmentPlanAdmin(AdministratorsOnlyMixin, SimpleHistoryAdmin):
    list_display = ["mentee", "pair"]
    list_select_related = ["mentee", "pair"]
    raw_id_fields = ["pair", "mentee"]
    inlines = [PlanTaskInline]


@admin.register(Meeting)
class MeetingAdmin(AdministratorsOnlyMixin, SimpleHistoryAdmin):
    list_display = ["pair", "kind", "planned_on", "held_on", "mentor_rating", "mentee_rating"]
    list_filter = ["kind"]
    list_select_related = ["pair"]
    raw_id_fields = ["pair"]


class MatchSuggestionInline(AdministratorsOnlyMixin, admin.TabularInline):
    model = MatchSuggestion
    extra = 0
    raw_id_fields = ["mentor", "mentee", "decided_by", "pair"]


@admin.register(MatchRun)
class MatchRunAdmin(AdministratorsOnlyMixin, admin.ModelAdmin):
    list_display = ["__str__", "programme", "organisation", "mentees_count", "mentors_count", "total_score"]
    list_select_related = ["programme", "organisation"]
    raw_id_fields = ["organisation", "programme", "created_by"]
    inlines = [MatchSuggestionInline]
