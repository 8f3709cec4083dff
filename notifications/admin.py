"""Administrators' log of reminders: what was sent to whom and when, and what failed."""

from django.contrib import admin

from mentorship.admin import AdministratorsOnlyMixin

from .models import Notification, Reminder, ReminderPreference


class ReadOnlyLogMixin(AdministratorsOnlyMixin):
    """A log is read, not edited: the job writes it."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyLogMixin, admin.ModelAdmin):
    list_display = [
        "created_at", "recipient", "topic", "kind", "title", "due_date",
        "on_portal", "email_state", "sent_at", "attempts",
    ]  # fmt: skip
    list_filter = ["email_state", "portal", "topic", "kind", "due_date", "sent_at"]
    search_fields = ["recipient__username", "recipient__last_name", "recipient__email", "title", "subject_key"]
    date_hierarchy = "created_at"
    list_select_related = ["recipient", "notification"]
    readonly_fields = [field.name for field in Reminder._meta.fields]

    @admin.display(description="на портале", boolean=True)
    def on_portal(self, obj: Reminder) -> bool | None:
        if not obj.portal:
            return None  # switched off by the user
        return hasattr(obj, "notification")


@admin.register(Notification)
class NotificationAdmin(ReadOnlyLogMixin, admin.ModelAdmin):
    list_display = ["created_at", "user", "title", "read_at"]
    list_filter = [("read_at", admin.EmptyFieldListFilter), "created_at"]
    search_fields = ["user__username", "user__last_name", "title"]
    list_select_related = ["user"]
    readonly_fields = [field.name for field in Notification._meta.fields]


@admin.register(ReminderPreference)
class ReminderPreferenceAdmin(AdministratorsOnlyMixin, admin.ModelAdmin):
    list_display = ["user", "email_digest", "portal", "updated_at"]
    list_filter = ["email_digest", "portal"]
    search_fields = ["user__username", "user__last_name"]
    autocomplete_fields = ["user"]
