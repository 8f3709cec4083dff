"""Base views every page of the portal builds on.

Each view names its ``model``; the base obtains objects only through
``Model.objects.restrict(user, action)``, so no view can forget the scope:
an object outside the user's scope answers 404, a visible object the user may
not change answers 403. Writes go through the services in ``services.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Prefetch, QuerySet
from django.forms import Form, ModelForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import DetailView, FormView, ListView, TemplateView

from .. import access, services
from ..errors import DomainError, DuplicateSubmission
from ..forms import SUBMISSION_FIELD, attach_submission_token
from ..search import search


class RestrictedPrefetch(Prefetch):
    """A ``Prefetch`` whose queryset is restricted for the user, as NetBox's of the same name.

    A detail page that lists the children of its object (a person's memberships, a programme's
    pairs) prefetches them through this, so the list holds only the children the reader may
    ``action`` even where a child is kept by another place than its parent.
    """

    def __init__(
        self, lookup: str, *, user: Any, queryset: QuerySet, action: str = "view", to_attr: str | None = None
    ) -> None:
        self.restrict_user, self.restrict_action = user, action
        super().__init__(lookup, queryset=queryset, to_attr=to_attr)

    def get_current_querysets(self, level: int) -> list[QuerySet] | None:
        querysets = super().get_current_querysets(level)
        if querysets is None:
            return None
        return [qs.restrict(self.restrict_user, self.restrict_action) for qs in querysets]


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
        self.ensure_permitted(obj, action)
        return obj

    def get_child_object(self, queryset: QuerySet, *, via: str, action: str = "view") -> models.Model:
        """A child record named in the URL, found only through its parent ``via`` (a foreign key).

        Tasks of a plan, suggestions of a matching run, members of a pair, indicators of a roadmap
        keep no place of their own: they hang from their parent by a cascading foreign key, and the
        services create a child only inside its parent (a task in its plan, a suggestion from its
        run's programme's base, a member in its pair's organisation). So whoever sees the parent may
        see its children, and whoever may change the parent may change them: *parent visible ⇒
        child visible*. This is the one place that relies on it. A child of a parent outside the
        view scope answers 404; ``action`` other than "view" is asked of the parent (403).
        """
        parent_model = queryset.model._meta.get_field(via).related_model
        parents = parent_model.objects.restrict(self.request.user, "view")
        child = get_object_or_404(queryset.select_related(via), pk=self.kwargs["pk"], **{f"{via}__in": parents})
        self.ensure_permitted(getattr(child, via), action)
        return child

    def ensure_permitted(self, obj: models.Model, action: str) -> None:
        """403 unless the user may ``action`` the visible ``obj`` ("view" is granted by having found it)."""
        if action != "view" and not access.can(self.request.user, obj, action):
            raise PermissionDenied("Недостаточно прав для этого действия.")

    def permitted_actions(self, obj: models.Model) -> dict[str, bool]:
        user = self.request.user
        return {action: access.can(user, obj, action) for action in ("change", "delete")}


class ObjectListView(ScopedMixin, ListView):
    """A paginated, searchable list of objects in scope."""

    paginate_by = 50
    search_fields: tuple[str, ...] = ()
    filterset_class: Any = None
    title = ""
    #: the action the list's records are restricted for: «view», or e.g. «approve» for an approval queue
    list_action = "view"

    def get_queryset(self) -> QuerySet:
        qs = self.base_queryset()
        if getattr(qs, "restricted_action", None) != self.list_action:
            raise ImproperlyConfigured(
                f"{type(self).__name__}.base_queryset() must come from restrict(user, {self.list_action!r})."
            )
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
    def get_children(self) -> list[Prefetch]:
        """The children the page lists, as ``RestrictedPrefetch``s: read with the object, restricted to its reader."""
        return []

    def restricted(self, action: str = "view") -> QuerySet:
        qs = super().restricted(action)
        children = self.get_children() if action == "view" else []
        return qs.prefetch_related(*children) if children else qs

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
            cancel_url=self.get_cancel_url(),
        )
        return context

    def get_cancel_url(self) -> str:
        return self.object.get_absolute_url() if self.object is not None else reverse("directory:index")


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
        return reverse(self.success_url_name)

    def get_duplicate_url(self) -> str:
        return self.get_success_url()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(object=self.object, title=f"Удаление: {self.object}")
        return context


class ServiceErrorsMixin:
    """A service's refusal becomes the form's error, and nothing is saved.

    A ``DomainError`` lands on the form field it names when the form has it (directly, with one of
    ``field_prefixes`` or by ``field_aliases``), on the whole form otherwise; a refused permission
    becomes a form error in its own words, or ``refused_message``.
    """

    #: a service's field name → the form's, where a form names the field otherwise
    field_aliases: dict[str, str] = {}
    #: prefixes a form puts before the service's field names (one form for a person and their consent)
    field_prefixes: tuple[str, ...] = ()
    #: the form's error when the service refuses the user; empty: the service's own words
    refused_message = ""

    def form_field(self, form: Form, field: str | None) -> str | None:
        if field is None:
            return None
        names = (field, *(f"{prefix}{field}" for prefix in self.field_prefixes), self.field_aliases.get(field, ""))
        return next((name for name in names if name in form.fields), None)

    def run_once(self, form: Form, write: Any) -> Any:
        def mapped() -> Any:
            try:
                return write()
            except DuplicateSubmission:
                raise
            except DomainError as exc:
                exc.field = self.form_field(form, exc.field)
                raise
            except PermissionDenied as exc:
                message = self.refused_message or str(exc) or "Недостаточно прав для этого действия."
                raise DomainError(message) from exc

        return super().run_once(form, mapped)


class TargetMixin:
    """The record a page acts on (``target``), found before anything else; then the permission it declares.

    ``get_target`` finds the record through the scope (404 outside, 403 for an action not allowed);
    ``required_permission`` (``app_label.codename``), when set, must be held somewhere by the user,
    or the page answers 403 with ``permission_message``: the pages that add records, for instance.
    """

    required_permission = ""
    permission_message = "Недостаточно прав для этого действия."

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if request.method.lower() not in self.http_method_names:
            # A wrong method (a GET on a button) is answered before anything is looked up.
            return self.http_method_not_allowed(request, *args, **kwargs)
        self.target = self.get_target()
        if self.required_permission and not access.holds(request.user, self.required_permission):
            raise PermissionDenied(self.permission_message)
        return super().dispatch(request, *args, **kwargs)

    def get_target(self) -> Any:
        return None


class ActionView(ServiceErrorsMixin, OnceOnlyFormMixin, TargetMixin, ScopedMixin, FormView):
    """One form about the object named in the URL (``target``), written by ``perform`` through a service.

    The target is fetched with ``restrict(user, "view")`` (404 outside) and must allow ``action``
    (403 otherwise); a child record overrides ``get_target`` with ``get_child_object``.
    ``get_success_url`` never depends on the service's return value.
    """

    template_name = "generic/object_form.html"
    action = "change"
    heading = ""
    button = "Сохранить"
    button_class = "btn-primary"
    #: shown above the form as a warning (an action that cannot be undone)
    warning = ""
    #: shown above the form as plain text (what the action will do)
    note = ""
    success_message = "Изменения сохранены."
    #: the form offers choices in the user's scope, so it takes the user
    form_takes_user = True

    def get_target(self) -> Any:
        return self.get_scoped_object(self.action)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        return kwargs | {"user": self.request.user} if self.form_takes_user else kwargs

    def back_url(self) -> str:
        return self.target.get_absolute_url()

    def get_success_url(self) -> str:
        return self.back_url()

    def get_duplicate_url(self) -> str:
        return self.back_url()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            target=self.target,
            title=f"{self.heading}: {self.target}" if self.target is not None else self.heading,
            button=self.button,
            button_class=self.button_class,
            warning=self.warning,
            note=self.note,
            cancel_url=self.back_url(),
        )
        return context


class CreateActionView(ActionView):
    """A form that creates ``add_model`` records: 403 for those who may add none anywhere."""

    add_model: type[models.Model]
    permission_message = "Недостаточно прав, чтобы добавлять такие записи."

    @property
    def required_permission(self) -> str:
        return access.permission_name(self.add_model, "add")

    def get_target(self) -> Any:
        return None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | {"title": self.heading}


class ButtonView(ActionView):
    """A button posted from a page: the outcome (or the domain error) is a message on the page it came from."""

    form_class = Form
    form_takes_user = False
    http_method_names = ["post"]

    def form_invalid(self, form: Form) -> HttpResponse:
        for errors in form.errors.values():
            for error in errors:
                messages.error(self.request, error)
        return HttpResponseRedirect(self.get_success_url())

    def get_duplicate_url(self) -> str:
        return self.get_success_url()


def allowed_by(guard: Callable[..., object], *args: Any, **kwargs: Any) -> bool:
    """Whether a service's guard (which refuses by raising) lets the user through.

    A page offers a button exactly when the service would accept its post.
    """
    try:
        guard(*args, **kwargs)
    except (PermissionDenied, DomainError):
        return False
    return True


def enforce(guard: Callable[..., object], *args: Any, **kwargs: Any) -> None:
    """Run a guard on opening a page: its refusal, a ``DomainError`` included, answers 403 in its own words."""
    try:
        guard(*args, **kwargs)
    except DomainError as exc:
        raise PermissionDenied(exc.message) from exc


class ObjectHistoryView(ScopedMixin, TemplateView):
    """Who changed what and when (django-simple-history), for an object in scope."""

    template_name = "generic/object_history.html"
    paginate_by = 50
    #: the action the history is read with: "view" (whoever sees the object), or "history" where a
    #: model's places above are seen by name only (the directory)
    history_action = "view"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from ..history import history_entries

        obj = get_object_or_404(self.restricted(self.history_action), pk=self.kwargs["pk"])
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
