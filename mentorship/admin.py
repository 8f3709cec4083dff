"""The Django admin, for administrators only (superusers see everything)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Body,
    ImportJob,
    Municipality,
    Organisation,
    Partner,
    Region,
    RoleAssignment,
    SecurityEvent,
    User,
)


class AdministratorsOnlyMixin:
    """Staff who are not superusers get no admin pages: their work happens in the portal."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request, *args):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


class ReadOnlyAdminMixin:
    """A record kept as it happened (the import log, the security event log): nobody adds, changes or deletes one."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RoleAssignmentInline(AdministratorsOnlyMixin, admin.TabularInline):
    model = RoleAssignment
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["region", "municipality", "organisation"]


@admin.register(User)
class UserAdmin(AdministratorsOnlyMixin, DjangoUserAdmin, SimpleHistoryAdmin):
    inlines = [RoleAssignmentInline]
    list_display = ["username", "last_name", "first_name", "patronymic", "email", "is_active", "is_superuser"]
    search_fields = ["username", "last_name", "first_name", "email"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Личные данные", {"fields": ("last_name", "first_name", "patronymic", "email", "phone", "position")}),
        ("Доступ", {"fields": ("is_active", "is_staff", "is_superuser")}),
        ("Даты", {"fields": ("last_login", "date_joined")}),
    )


@admin.register(Region)
class RegionAdmin(AdministratorsOnlyMixin, SimpleHistoryAdmin):
    list_display = ["code", "name", "is_active"]
    search_fields = ["code", "name"]


@admin.register(Municipality)
class MunicipalityAdmin(AdministratorsOnlyMixin, SimpleHistoryAdmin):
    list_display = ["code", "name", "kind", "region", "is_active"]
    list_filter = ["region", "kind", "is_active"]
    search_fields = ["code", "name"]
    list_select_related = ["region"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("region")

    @staticmethod
    def autocomplete_label(obj: Municipality) -> str:
        return f"{obj.name}, {obj.region.name}"


@admin.register(Organisation)
class OrganisationAdmin(AdministratorsOnlyMixin, SimpleHistoryAdmin):
    list_display = ["code", "short_name", "kind", "municipality", "students_count", "teachers_count", "is_active"]
    list_filter = ["kind", "is_active", "municipality__region"]
    search_fields = ["code", "short_name", "full_name", "inn"]
    list_select_related = ["municipality__region"]
    autocomplete_fields = ["municipality"]

    def get_queryset(self, request):
        # The autocomplete labels name the municipality and the region: read them with the schools.
        return super().get_queryset(request).select_related("municipality__region")

    @staticmethod
    def autocomplete_label(obj: Organisation) -> str:
        return f"{obj.short_name} — {obj.municipality.name}, {obj.municipality.region.name}"


@admin.register(Body)
class BodyAdmin(AdministratorsOnlyMixin, SimpleHistoryAdmin):
    list_display = ["code", "short_name", "kind", "region", "municipality", "is_active"]
    list_filter = ["kind", "region"]
    search_fields = ["code", "short_name", "full_name"]
    list_select_related = ["region", "municipality"]
    autocomplete_fields = ["region", "municipality"]


@admin.register(Partner)
class PartnerAdmin(AdministratorsOnlyMixin, SimpleHistoryAdmin):
    list_display = ["code", "short_name", "kind", "region", "municipality", "is_active"]
    list_filter = ["kind", "region"]
    search_fields = ["code", "short_name", "full_name", "inn"]
    list_select_related = ["region", "municipality"]
    autocomplete_fields = ["region", "municipality"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(AdministratorsOnlyMixin, SimpleHistoryAdmin):
    list_display = ["user", "role", "region", "municipality", "organisation"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__last_name"]
    list_select_related = ["user", "region", "municipality", "organisation"]
    autocomplete_fields = ["user", "region", "municipality", "organisation"]


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdminMixin, AdministratorsOnlyMixin, admin.ModelAdmin):
    """The import log: who loaded which file and what it wrote; read-only, since it is a record."""

    list_display = [
        "created_at",
        "user",
        "kind",
        "file_name",
        "status",
        "created_count",
        "updated_count",
        "error_count",
    ]
    list_filter = ["kind", "status"]
    search_fields = ["file_name", "sha256", "user__username", "organisation_code"]
    date_hierarchy = "created_at"
    exclude = ["rows"]


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyAdminMixin, AdministratorsOnlyMixin, admin.ModelAdmin):
    """The security event log, read-only for everyone: a row is never changed or deleted."""

    list_display = ["at", "kind", "actor_name", "subject_name", "username", "ip", "region", "what", "people"]
    list_filter = ["kind", "region"]
    search_fields = ["actor_name", "subject_name", "username", "what"]
    date_hierarchy = "at"
    list_select_related = ["region"]
