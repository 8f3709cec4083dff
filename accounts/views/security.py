"""«Журнал безопасности»: the security event log, read by administrators and each region's security officer.

The page only reads: it answers GET alone (any other method is 405), and the portal has no form
that changes or deletes a row (the admin shows them read-only; on PostgreSQL a trigger refuses).
Rows come through ``SecurityEvent.objects.restrict(user)``: a region's officer sees the region's
events. Someone who may read no part of the log gets 404, as for an import kind not offered to them.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from mentorship import access
from mentorship.models import SecurityEvent
from mentorship.views.generic import ObjectListView

from ..filters_security import SecurityEventFilter

#: who reads the log: the security officer's role grants it in its region; administrators everywhere
VIEW_PERMISSION = "mentorship.view_securityevent"


class SecurityEventListView(ObjectListView):
    model = SecurityEvent
    template_name = "accounts/security/event_list.html"
    title = "Журнал безопасности"
    filterset_class = SecurityEventFilter
    paginate_by = 50
    http_method_names = ["get", "head", "options"]

    def base_queryset(self) -> QuerySet[SecurityEvent]:
        if not access.holds(self.request.user, VIEW_PERMISSION):
            raise Http404("Журнал безопасности вам недоступен.")
        return SecurityEvent.objects.restrict(self.request.user, "view").select_related("region")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        # Nobody adds a row by hand: the «Добавить» button of the base lists has no place here.
        return super().get_context_data(**kwargs) | {"can_add": False}
