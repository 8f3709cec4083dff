"""Upload → preview → confirm: a Word or Excel roadmap imported in the browser.

Thin views over ``import_jobs``: the upload is logged as an import job (the file kept with it
until the confirmation), the preview shows every parsed item and every problem, and the
confirmation imports the kept file through ``services.roadmap_import``: all or nothing.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.generic import FormView

from mentorship import access
from mentorship.forms import attach_submission_token
from mentorship.views.generic import OnceOnlyFormMixin, ScopedMixin

from . import import_jobs
from .forms import DATE_WIDGET, own_places
from .importing import ROADMAP_FILE
from .models import Roadmap

PERIOD_KEYS = ("period_start", "period_end")


class RoadmapImportForm(forms.Form):
    file = forms.FileField(label="Файл дорожной карты")
    place = forms.ChoiceField(label="Чья дорожная карта")
    title = forms.CharField(label="Наименование", required=False, help_text="Если пусто — берётся из файла.")
    period_start = forms.DateField(
        label="Начало периода", required=False, widget=DATE_WIDGET, help_text="Если пусто — из заголовка документа."
    )
    period_end = forms.DateField(label="Окончание периода", required=False, widget=DATE_WIDGET)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit = ROADMAP_FILE.size_text(ROADMAP_FILE.max_size())
        self.fields["file"].help_text = f"Word (.docx) или Excel (.xlsx), до {limit}."
        self.places = own_places(user)
        self.fields["place"].choices = [("", "— выберите —"), *((k, label) for k, (label, _) in self.places.items())]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if bool(start) != bool(end):
            raise forms.ValidationError("Укажите обе даты периода или ни одной.")
        if start and end and end < start:
            self.add_error("period_end", "Окончание периода раньше начала.")
        return data

    def choices(self) -> import_jobs.Choices:
        data = self.cleaned_data
        return import_jobs.Choices(data["place"], data["title"], data["period_start"], data["period_end"])


class RoadmapImportConfirmForm(forms.Form):
    pending = forms.CharField(widget=forms.HiddenInput)


class MayAddMixin(ScopedMixin, PermissionRequiredMixin):
    """403 unless one of the user's roles may add ``model`` somewhere (anonymous users go to the login page).

    Written here because ``mentorship/views/generic.py`` has this guard only inside ``ObjectEditView``.
    """

    permission_denied_message = "Недостаточно прав, чтобы добавлять такие записи."

    def has_permission(self) -> bool:
        return access.may_add_anywhere(self.request.user, self.model)


class RoadmapImportView(MayAddMixin, FormView):
    """Step 1 and 2: upload the file, then see every parsed item and every problem before anything is written."""

    model = Roadmap
    permission_denied_message = "Загружать дорожные карты может тот, кто ведёт дорожную карту своего уровня."
    form_class = RoadmapImportForm
    template_name = "roadmaps/roadmap_import.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"user": self.request.user}

    def form_valid(self, form: RoadmapImportForm) -> HttpResponse:
        preview = import_jobs.roadmap_upload(
            actor=self.request.user, upload=form.cleaned_data["file"], choices=form.choices()
        )
        confirm = None
        if preview.pending is not None:
            confirm = RoadmapImportConfirmForm(initial={"pending": preview.pending})
            attach_submission_token(confirm)
        return render(
            self.request,
            "roadmaps/roadmap_import_preview.html",
            {
                "parsed": preview.parsed,
                "place_label": form.places[form.cleaned_data["place"]][0],
                "filename": preview.job.file_name,
                "confirm": confirm,
                "title": "Предпросмотр загрузки дорожной карты",
            },
        )


class RoadmapImportConfirmView(OnceOnlyFormMixin, MayAddMixin, FormView):
    """Step 3: import what the preview showed; a repeated confirmation changes nothing."""

    model = Roadmap
    permission_denied_message = RoadmapImportView.permission_denied_message
    form_class = RoadmapImportConfirmForm
    template_name = "roadmaps/roadmap_import.html"
    success_message = "Дорожная карта загружена."
    http_method_names = ["post"]

    def perform(self, form: RoadmapImportConfirmForm) -> Roadmap:
        return import_jobs.roadmap_upload_confirm(actor=self.request.user, pending=form.cleaned_data["pending"])

    def form_invalid(self, form: forms.Form) -> HttpResponse:
        for error in form.non_field_errors() or ["Загрузка не удалась: загрузите файл ещё раз."]:
            messages.error(self.request, error)
        return HttpResponseRedirect(reverse("roadmaps:import"))

    def get_success_url(self) -> str:
        return reverse("roadmaps:detail", args=[self.object.pk])

    def get_duplicate_url(self) -> str:
        return reverse("roadmaps:list")
