"""Excel imports in the browser: template → upload → preview (every row, every error) → confirm → result.

Thin views over ``mentorship.imports.services``. An import job is seen only by the user who
uploaded it (administrators see all); the rows it writes are scoped by the engine, row by row.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from ..access import organisations_where
from ..errors import DomainError
from ..exports import export_for
from ..imports import services
from ..imports.engine import OUTCOME_LABELS, Context, ImportKind
from ..imports.reading import max_file_size
from ..imports.registry import kind_for, kinds_for
from ..imports.workbook import XLSX_CONTENT_TYPE, template_bytes
from ..models import ImportJob, ImportStatus

PREVIEW_PAGE = 200


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Файл Excel (.xlsx)",
        help_text="Заполненный шаблон. Строки с заголовком и пояснениями над таблицей допускаются.",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
    organisation = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Организация для строк без кода организации",
        empty_label="— код указан в каждой строке —",
    )

    def __init__(self, *args: Any, kind: ImportKind, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind, self.user = kind, user
        if kind.takes_organisation:
            self.fields["organisation"].queryset = organisations_where(user, kind.permission).order_by("short_name")
        else:
            del self.fields["organisation"]
        if kind.upload_help:
            self.fields["file"].help_text = kind.upload_help
        self.fields.update(kind.upload_fields(user))
        self.options: dict[str, Any] = {}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not self.errors:
            self.options = self.kind.upload_options(self.user, cleaned)
        return cleaned

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > max_file_size():
            raise forms.ValidationError(
                f"Файл слишком большой: допускается не больше {max_file_size() // 1024 // 1024} МБ."
            )
        return upload


class MappingForm(forms.Form):
    """Which field or question each column of the file is (a kind with ``maps_columns``)."""

    def __init__(self, *args: Any, columns: list[dict[str, Any]], targets: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        choices = [("", "— не загружать —"), *targets]
        for column in columns:
            self.fields[f"column_{column['index']}"] = forms.ChoiceField(
                label=f"Столбец {column['letter']} «{column['title']}»",
                choices=choices,
                required=False,
                initial=column["target"],
            )

    def mapping(self) -> dict[str, str]:
        return {name.removeprefix("column_"): value for name, value in self.cleaned_data.items()}


def _mapping_form(request: HttpRequest, job: ImportJob, data: Any = None) -> MappingForm | None:
    """The mapping form of a checked file whose columns the user maps; ``None`` for other jobs."""
    try:
        kind = kind_for(job.kind)
    except KeyError:
        return None
    columns = job.options.get("columns")
    if not kind.maps_columns or not columns or not job.file:
        return None
    if job.status not in (ImportStatus.VALIDATED, ImportStatus.INVALID):
        return None
    context = Context(user=request.user, file_name=job.file_name, options=dict(job.options))
    try:
        targets = kind.column_targets(context)
    except DomainError:
        # What the upload named (a questionnaire) is gone or out of reach: the errors say so.
        return None
    return MappingForm(data, columns=columns, targets=targets)


def _kind_or_404(user: Any, key: str) -> ImportKind:
    for kind in kinds_for(user):
        if kind.key == key:
            return kind
    raise Http404("Такого импорта нет или он вам недоступен.")


def _job_or_404(request: HttpRequest, pk: int) -> ImportJob:
    return get_object_or_404(ImportJob.objects.restrict(request.user, "view"), pk=pk)


class ImportIndexView(LoginRequiredMixin, TemplateView):
    """What the user may import, the templates, and their own import log."""

    template_name = "imports/index.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["title"] = "Загрузка из Excel"
        context["kinds"] = kinds_for(user)
        # The user's own log, administrators' included (they may open anyone's job by its page).
        context["jobs"] = ImportJob.objects.restrict(user, "view").filter(user=user)[:20]
        return context


class TemplateDownloadView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, kind: str) -> HttpResponse:
        import_kind = _kind_or_404(request.user, kind)
        response = HttpResponse(template_bytes(import_kind), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="template_{import_kind.key}.xlsx"'
        return response


class UploadView(LoginRequiredMixin, TemplateView):
    template_name = "imports/upload.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            self.kind = _kind_or_404(request.user, kwargs["kind"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.setdefault("form", UploadForm(kind=self.kind, user=self.request.user))
        context["kind"] = self.kind
        context["title"] = f"Загрузка из Excel: {self.kind.title}"
        context["columns"] = [
            (resource_field.column_name, resource_field.attribute in self.kind.required)
            for resource_field in self.kind.fields()
        ]
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = UploadForm(request.POST, request.FILES, kind=self.kind, user=request.user)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        organisation = form.cleaned_data.get("organisation")
        try:
            job = services.import_upload(
                actor=request.user,
                kind=self.kind.key,
                upload=form.cleaned_data["file"],
                organisation_code=organisation.code if organisation else "",
                options=form.options,
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
            return self.render_to_response(self.get_context_data(form=form))
        return HttpResponseRedirect(reverse("imports:job", args=[job.pk]))


class JobView(LoginRequiredMixin, TemplateView):
    """The preview before confirmation, then the result: counts, errors, every row."""

    template_name = "imports/job.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        job = _job_or_404(self.request, kwargs["pk"])
        page = Paginator(job.rows, PREVIEW_PAGE).get_page(self.request.GET.get("page"))
        context.update(
            job=job,
            title=f"Импорт «{job.file_name}»",
            page_obj=page,
            is_paginated=page.has_other_pages(),
            rows=[(number, outcome, OUTCOME_LABELS.get(outcome, outcome), label) for number, outcome, label in page],
            can_confirm=job.status == ImportStatus.VALIDATED,
            is_done=job.status == ImportStatus.DONE,
            mapping_form=kwargs.get("mapping_form") or _mapping_form(self.request, job),
        )
        return context


class RemapView(LoginRequiredMixin, View):
    """A new mapping of the file's columns: saved on the job, and the file is checked again."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = _job_or_404(request, pk)
        form = _mapping_form(request, job, request.POST)
        if form is None:
            messages.error(request, "Столбцы этого файла больше нельзя сопоставить: загрузите файл снова.")
        elif form.is_valid():
            try:
                services.import_remap(actor=request.user, job=job, mapping=form.mapping())
            except DomainError as exc:
                messages.error(request, exc.message)
        else:
            messages.error(request, "Выберите для каждого столбца поле из списка.")
        return HttpResponseRedirect(reverse("imports:job", args=[job.pk]))


class JobStatusView(LoginRequiredMixin, View):
    """The progress of a running check or write, polled by the page (static/imports/progress.js)."""

    def get(self, request: HttpRequest, pk: int) -> JsonResponse:
        job = _job_or_404(request, pk)
        return JsonResponse(
            {
                "status": job.status,
                "status_label": job.get_status_display(),
                "running": job.is_running,
                "processed": job.processed_rows,
                "total": job.total_rows,
            }
        )


class ConfirmView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = _job_or_404(request, pk)
        try:
            services.import_confirm(actor=request.user, job=job)
        except DomainError as exc:
            messages.error(request, exc.message)
        return HttpResponseRedirect(reverse("imports:job", args=[job.pk]))


class ExportView(LoginRequiredMixin, View):
    """A list page's rows as .xlsx: the same selector, search and filters, so the same scope."""

    def get(self, request: HttpRequest, key: str) -> HttpResponse:
        try:
            export = export_for(key)(request)
        except KeyError as exc:
            raise Http404("Такой выгрузки нет.") from exc
        response = HttpResponse(export.workbook(), content_type=XLSX_CONTENT_TYPE)
        stamp = timezone.localdate().strftime("%Y-%m-%d")
        response["Content-Disposition"] = f'attachment; filename="{export.key}-{stamp}.xlsx"'
        return response
