"""Upload → preview → confirm: a Word or Excel roadmap imported in the browser.

The uploaded file is kept in the default storage between the preview and the
confirmation (the session remembers where, and its checksum), re-read on
confirmation and imported by ``services.roadmap_import``: all or nothing.
"""

from __future__ import annotations

import hashlib
import io
import uuid
from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.generic import FormView

from mentorship import access
from mentorship.forms import attach_submission_token
from mentorship.views.generic import OnceOnlyFormMixin

from . import services
from .forms import DATE_WIDGET, own_places
from .importing import ParsedRoadmap, parse_roadmap_file
from .models import Roadmap

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
SESSION_KEY = "roadmap_import"
PERIOD_KEYS = ("period_start", "period_end")


class RoadmapImportForm(forms.Form):
    file = forms.FileField(label="Файл дорожной карты", help_text="Word (.docx) или Excel (.xlsx), до 10 МБ.")
    place = forms.ChoiceField(label="Чья дорожная карта")
    title = forms.CharField(label="Наименование", required=False, help_text="Если пусто — берётся из файла.")
    period_start = forms.DateField(
        label="Начало периода", required=False, widget=DATE_WIDGET, help_text="Если пусто — из заголовка документа."
    )
    period_end = forms.DateField(label="Окончание периода", required=False, widget=DATE_WIDGET)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.places = own_places(user)
        self.fields["place"].choices = [("", "— выберите —"), *((k, label) for k, (label, _) in self.places.items())]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("Файл больше 10 МБ: такие дорожные карты не загружаются.")
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if bool(start) != bool(end):
            raise forms.ValidationError("Укажите обе даты периода или ни одной.")
        if start and end and end < start:
            self.add_error("period_end", "Окончание периода раньше начала.")
        return data


class RoadmapImportConfirmForm(forms.Form):
    pending = forms.UUIDField(widget=forms.HiddenInput)


def _ensure_may_import(request: HttpRequest) -> None:
    if not access.may_add_anywhere(request.user, Roadmap):
        raise PermissionDenied("Загружать дорожные карты может тот, кто ведёт дорожную карту своего уровня.")


class RoadmapImportView(LoginRequiredMixin, FormView):
    """Step 1 and 2: upload the file, then see every parsed item and every problem before anything is written."""

    form_class = RoadmapImportForm
    template_name = "roadmaps/roadmap_import.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            _ensure_may_import(request)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"user": self.request.user}

    def form_valid(self, form: RoadmapImportForm) -> HttpResponse:
        data = form.cleaned_data["file"].read()
        period = {key: form.cleaned_data[key] for key in PERIOD_KEYS}
        parsed = parse_roadmap_file(io.BytesIO(data), filename=form.cleaned_data["file"].name, **period)
        pending = None
        if parsed.ok:
            pending = uuid.uuid4()
            path = default_storage.save(f"imports/roadmaps/{pending}.bin", ContentFile(data))
            self.request.session[SESSION_KEY] = {
                "pending": str(pending),
                "path": path,
                "filename": form.cleaned_data["file"].name,
                "checksum": hashlib.sha256(data).hexdigest(),
                "place": form.cleaned_data["place"],
                "title": form.cleaned_data["title"],
                **{key: value.isoformat() if value else "" for key, value in period.items()},
            }
        confirm = RoadmapImportConfirmForm(initial={"pending": pending}) if pending else None
        if confirm is not None:
            attach_submission_token(confirm)
        return render(
            self.request,
            "roadmaps/roadmap_import_preview.html",
            {
                "parsed": parsed,
                "place_label": form.places[form.cleaned_data["place"]][0],
                "filename": form.cleaned_data["file"].name,
                "confirm": confirm,
                "title": "Предпросмотр загрузки дорожной карты",
            },
        )


class RoadmapImportConfirmView(OnceOnlyFormMixin, LoginRequiredMixin, FormView):
    """Step 3: import what the preview showed; a repeated confirmation changes nothing."""

    form_class = RoadmapImportConfirmForm
    template_name = "roadmaps/roadmap_import.html"
    success_message = "Дорожная карта загружена."
    http_method_names = ["post"]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            _ensure_may_import(request)
        return super().dispatch(request, *args, **kwargs)

    def perform(self, form: RoadmapImportConfirmForm) -> Roadmap:
        pending = self.request.session.get(SESSION_KEY) or {}
        if pending.get("pending") != str(form.cleaned_data["pending"]):
            raise services.DomainError("Предпросмотр устарел: загрузите файл ещё раз.")
        places = own_places(self.request.user)
        if pending["place"] not in places:
            raise PermissionDenied("Загружать дорожную карту сюда вы не можете.")
        with default_storage.open(pending["path"], "rb") as stream:
            data = stream.read()
        if hashlib.sha256(data).hexdigest() != pending["checksum"]:
            raise services.DomainError("Файл изменился после предпросмотра: загрузите его ещё раз.")
        period = {key: date.fromisoformat(pending[key]) if pending[key] else None for key in PERIOD_KEYS}
        parsed: ParsedRoadmap = parse_roadmap_file(io.BytesIO(data), filename=pending["filename"], **period)
        roadmap = services.roadmap_import(
            actor=self.request.user, place=places[pending["place"]][1], parsed=parsed, title=pending["title"], **period
        )
        default_storage.delete(pending["path"])
        self.request.session.pop(SESSION_KEY, None)
        return roadmap

    def form_invalid(self, form: forms.Form) -> HttpResponse:
        for error in form.non_field_errors() or ["Загрузка не удалась: загрузите файл ещё раз."]:
            messages.error(self.request, error)
        return HttpResponseRedirect(reverse("roadmaps:import"))

    def get_success_url(self) -> str:
        return reverse("roadmaps:detail", args=[self.object.pk])

    def get_duplicate_url(self) -> str:
        return reverse("roadmaps:list")
