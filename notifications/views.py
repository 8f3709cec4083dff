"""The user's own notifications and reminder choices: nothing here is scoped to anyone else."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import FormView, ListView

from mentorship.errors import DomainError

from . import selectors, services
from .forms import PreferenceForm
from .models import Notification


class NotificationListView(LoginRequiredMixin, ListView):
    model = Notification
    template_name = "notifications/notification_list.html"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[Notification]:
        return selectors.notification_list(user=self.request.user)


class NotificationReadView(LoginRequiredMixin, View):
    """POST: mark one notification read, then follow its link (or go back to the list)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            notification = services.notification_mark_read(actor=request.user, notification_id=pk)
        except DomainError as error:
            raise Http404(str(error)) from error
        if request.POST.get("follow") and url_has_allowed_host_and_scheme(
            notification.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return HttpResponseRedirect(notification.url)
        return redirect("notifications:list")


class NotificationReadAllView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        marked = services.notifications_mark_all_read(actor=request.user)
        messages.success(request, f"Отмечено прочитанными: {marked}.")
        return redirect("notifications:list")


class PreferenceView(LoginRequiredMixin, FormView):
    form_class = PreferenceForm
    template_name = "notifications/preferences.html"

    def get_initial(self) -> dict[str, Any]:
        preference = selectors.preference_of(user=self.request.user)
        return {
            "topics": [key for key, _ in selectors.topic_choices() if key not in preference.disabled_topics],
            "email_digest": preference.email_digest,
            "portal": preference.portal,
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(has_email=bool(self.request.user.email), **kwargs)

    def form_valid(self, form: PreferenceForm) -> HttpResponse:
        try:
            services.preference_update(
                actor=self.request.user,
                disabled_topics=form.disabled_topics(),
                email_digest=form.cleaned_data["email_digest"],
                portal=form.cleaned_data["portal"],
            )
        except DomainError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, "Настройки напоминаний сохранены.")
        return redirect(reverse("notifications:preferences"))
