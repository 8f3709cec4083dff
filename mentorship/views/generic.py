"""Base views every page of the portal builds on.

Each view names its ``model``; the base obtains objects only through
``Model.objects.restrict(user, action)``, so no view can forget the scope:
an object outside the user's scope answers 404, a visible object the user may
not change answers 403. Writes go through the services in ``services.py``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import QuerySet
from django.forms import Form, ModelForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, FormView, ListView, TemplateView

from .. import access, services
from ..errors import DomainError, DuplicateSubmission
from ..forms import SUBMISSION_FIELD, attach_submission_token
from ..search import search


class ScopedMixin(LoginRequiredMixin):
    """Obtains ``model`` objects through the scoping queryset, and nothing else."""

    model: type[models.Model] | None = None
    #: joins a page needs, applied to every queryset the view builds
    select_related: tuple[str, ...] = ()

    def restricted(self, action: str = "view") -> QuerySet:
        qs = self.model.objects.restrict(self.request.user, action)
        return qs.select_related(*self.select_related) if self.select_related else qs

    def get_queryset(self) -> QuerySet:
        return self.restricted("view")

    def get_scoped_object(self, action: str = "view") -> models.Model:
        """The object named in the URL: 404 outside the view scope, 403 if ``action`` is not allowed."""
        obj = get_object_or_404(self.restricted("view"), pk=self.kwargs["pk"])
        if action != "view" and not access.can(self.request.user, obj, action):
            raise PermissionDenied("Недостаточно прав для этого действия.")
        return obj

    def permitted_actions(self, obj: models.Model) -> dict[str, bool]:
        user = self.request.user
        return {action: access.can(user, obj, action) for action in ("change", "delete")}


class ObjectListView(ScopedMixin, ListView):
    """A paginated, searchable list of objects in scope."""

    paginate_by = 50
    search_fields: tuple[str, ...] = ()
    filterset_class: Any = None
    title = ""

    def get_queryset(self) -> QuerySet:
        qs = self.base_queryset()
        if getattr(qs, "restricted_action", None) != "view":
            raise ImproperlyConfigured(f"{type(self).__name__}.base_queryset() must come from restrict(user, 'view').")
        qs = search(qs, self.search_fields, self.request.GET.get("q", ""))
        if self.filterset_class is not None:
            self.filterset = self.filterset_class(self.request.GET or None, queryset=qs, request=self.request)
            qs = self.filterset.qs
        return qs

    def base_queryset(self) -> QuerySet:
        return super().get_queryset()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            title=self.title or self.model._meta.verbose_name_plural.capitalize(),
            query=self.request.GET.get("q", ""),
            filterset=getattr(self, "filterset", None),
            can_add=access.may_add_anywhere(self.request.user, self.model),
            model_meta=self.model._meta,
        )
        params = self.request.GET.copy()
        params.pop("page", None)
        context["querystring"] = params.urlencode()
        return context


class ObjectDetailView(ScopedMixin, DetailView):
    def get_object(self, queryset: QuerySet | None = None) -> models.Model:
        return self.get_scoped_object("view")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["permitted"] = self.permitted_actions(self.object)
        return context


class OnceOnlyFormMixin:
    """Every form carries a one-time token; posting the same form twice changes nothing.

    A repeated post is answered before the form is even validated: the user is
    sent where the first post led, with a warning. Concurrent duplicates race
    on the token's unique constraint inside the write's transaction.
    """

    def get_form(self, form_class: Any = None) -> Form:
        form = super().get_form(form_class)
        attach_submission_token(form)
        return form

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        previous = services.submission_previous(token=request.POST.get(SUBMISSION_FIELD), user=request.user)
        if previous is not None:
            return self.duplicate_response(previous.result_url)
        return super().post(request, *args, **kwargs)

    def duplicate_response(self, result_url: str = "") -> HttpResponse:
        messages.warning(self.request, DuplicateSubmission().message)
        return HttpResponseRedirect(result_url or self.get_duplicate_url())

    def run_once(self, form: Form, write: Any) -> Any:
        """Run ``write()`` in one transaction with the form's token; map domain errors onto the form."""
        try:
            with transaction.atomic():
                submission = services.submission_register(
                    token=self.request.POST.get(SUBMISSION_FIELD), user=self.request.user
                )
                result = write()
                self.object = result
                services.submission_complete(submission=submission, result_url=self.get_success_url())
                return result
        except DuplicateSubmission:
            raise
        except DomainError as exc:
            form.add_error(exc.field, exc.message)
        except ValidationError as exc:
            _add_validation_error(form, exc)
        except IntegrityError:
            form.add_error(None, "Запись с такими данными уже есть (например, совпадает код). Проверьте поля.")
        return None

    def form_valid(self, form: Form) -> HttpResponse:
        try:
            self.run_once(form, lambda: self.perform(form))
        except DuplicateSubmission:
            return self.duplicate_response()
        if form.errors:
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return HttpResponseRedirect(self.get_success_url())


class ObjectEditView(OnceOnlyFormMixin, ScopedMixin, FormView):
    """Create (no ``pk`` in the URL) or change one object through the services."""

    template_name = "generic/object_form.html"
    form_class: type[ModelForm]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if "pk" in kwargs:
            self.object = self.get_scoped_object("change")
        else:
            self.object = None
            if not access.may_add_anywhere(request.user, self.model):
                raise PermissionDenied("Недостаточно прав, чтобы добавлять такие записи.")
        return super().dispatch(request, *args, **kwargs)

    @property
    def success_message(self) -> str:
        return "Изменения сохранены." if self.kwargs.get("pk") else "Запись добавлена."

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.object
        kwargs["user"] = self.request.user
        return kwargs

    def perform(self, form: ModelForm) -> models.Model:
        data = {name: form.cleaned_data[name] for name in form.cleaned_data if name != SUBMISSION_FIELD}
        if self.object is None:
            return services.object_create(actor=self.request.user, model=self.model, data=data)
        fresh = get_object_or_404(self.restricted("view"), pk=self.object.pk)
        return services.object_update(actor=self.request.user, obj=fresh, data=data)

    def run_once(self, form: Form, write: Any) -> Any:
        try:
            return super().run_once(form, write)
        except PermissionDenied as exc:
            if self.object is not None:
                raise
            # Creating: the chosen parent is outside what the user may add to.
            form.add_error(None, str(exc) or "Недостаточно прав, чтобы добавить запись сюда.")
            return None

    def get_success_url(self) -> str:
        return self.object.get_absolute_url()

    def get_duplicate_url(self) -> str:
        return self.object.get_absolute_url() if self.object is not None else self.request.path

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        meta = self.model._meta
        context.update(
            object=self.object,
            model_meta=meta,
            title=(f"Изменение: {self.object}" if self.object else f"Новая запись: {meta.verbose_name}"),
        )
        return context


class ObjectDeleteView(OnceOnlyFormMixin, ScopedMixin, FormView):
    template_name = "generic/object_confirm_delete.html"
    form_class = Form
    success_message = "Запись удалена."
    success_url_name = "home"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.object = self.get_scoped_object("delete")
        return super().dispatch(request, *args, **kwargs)

    def perform(self, form: Form) -> None:
        services.object_delete(actor=self.request.user, obj=self.object)

    def get_success_url(self) -> str:
        from django.urls import reverse

        return reverse(self.success_url_name)

    def get_duplicate_url(self) -> str:
        return self.get_success_url()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(object=self.object, title=f"Удаление: {self.object}")
        return context


class ObjectHistoryView(ScopedMixin, TemplateView):
    """Who changed what and when (django-simple-history), for an object in scope."""

    template_name = "generic/object_history.html"
    paginate_by = 50

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from ..history import history_entries

        obj = self.get_scoped_object("view")
        context = super().get_context_data(**kwargs)
        context.update(object=obj, title=f"История изменений: {obj}", entries=history_entries(obj, limit=200))
        return context


def _add_validation_error(form: Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)
