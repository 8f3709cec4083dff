from django.contrib import admin

from .models import DocumentJob, Order, OrderCounter, OrderEvent


class OrderEventInline(admin.TabularInline):
    model = OrderEvent
    extra = 0
    can_delete = False
    readonly_fields = ("kind", "actor", "comment", "created_at")


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    """Read-only: the register changes only through the services (numbers, the stored PDF)."""

    list_display = ("organisation", "year", "number", "date", "title", "status")
    list_filter = ("status", "kind", "year")
    search_fields = ("title", "organisation__short_name")
    inlines = [OrderEventInline]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(OrderCounter)
class OrderCounterAdmin(admin.ModelAdmin):
    list_display = ("organisation", "year", "last_number")

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(DocumentJob)
class DocumentJobAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "requested_by", "status", "created_at", "finished_at")
    list_filter = ("status", "kind")
