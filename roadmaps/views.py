"""Roadmap pages: the list, the table as in the seeds, the timeline, «Мои задачи», the forms and the approval.

Objects come only through ``restrict()`` (the base views in ``mentorship.views.generic``) or the
selectors built on it: outside the scope is 404. Whether the user keeps a roadmap (its own level)
or approves it (the level above) is asked of the services' own rules, so a button is offered
exactly when the service would accept its post; anything else answers 403.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.db.models import Prefetch, QuerySet
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView

from mentorship.choices import Level
from mentorship.errors import DomainError
from mentorship.forms import SUBMISSION_FIELD, attach_submission_token, model_form_data
from mentorship.views.generic import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    OnceOnlyFormMixin,
    ScopedMixin,
    allowed_by,
    enforce,
)

from . import selectors, services
from .choices import ItemKind, ItemStatus, RoadmapStatus
from .filters import AwaitingFilter, ItemFilter, MyTaskFilter, RoadmapFilter
from .forms import (
    ItemCascadeForm,
    ItemCompleteForm,
    ItemProgressForm,
    RoadmapForm,
    RoadmapItemForm,
    TargetIndicatorForm,
    TransitionForm,
)
from .models import ItemEvidence, Roadmap, RoadmapItem
from .tables import roadmap_item_rows

PLACE_JOINS = ("region", "municipality__region", "organisation__municipality__region")


# --- who may press which button: the services' own rules -------------------------------------


def may_keep(user: Any, roadmap: Roadmap, action: str = "change") -> bool:
    """The user's level keeps this roadmap: edits it, its items, submits it, starts a revision."""
    return allowed_by(services.roadmap_ensure_keeper, user, roadmap, action)


def may_approve(user: Any, roadmap: Roadmap) -> bool:
    """The user approves or returns this roadmap (the level directly above it)."""
    return allowed_by(services.roadmap_ensure_approver, user, roadmap)


def ensure_keeper(user: Any, roadmap: Roadmap, action: str = "change") -> None:
    """403 for a user who sees the roadmap (or even may change it from above) but does not keep it."""
    services.roadmap_ensure_keeper(user, roadmap, action)


def ensure_approver(user: Any, roadmap: Roadmap) -> None:
    """403, in the service's words, for a user who does not approve this roadmap."""
    enforce(services.roadmap_ensure_approver, user, roadmap)


def ensure_cascadable(item: RoadmapItem) -> None:
    """Only an activity of a municipal or regional roadmap has organisations below to pass it to."""
    if item.roadmap.level == Level.ORGANISATION or item.kind != ItemKind.ACTIVITY:
        raise DomainError("Передать в организации можно мероприятие муниципальной или региональной карты.")


def deadline_summary(item: RoadmapItem) -> str:
    """The parsed deadline in words, for the message after saving an item."""
    if not item.deadline_text:
        return "срок не указан"
    if item.deadline_needs_review:
        return f"срок «{item.deadline_text}» требует уточнения: {item.deadline_problem or 'не удалось разобрать'}"
    parts = [item.get_deadline_kind_display().lower()]
    if item.deadline_start and item.deadline_start != item.deadline_due:
        parts.append(f"с {item.deadline_start:%d.%m.%Y}")
    if item.deadline_due:
        parts.append(f"до {item.deadline_due:%d.%m.%Y}")
    return f"срок «{item.deadline_text}» понят как: {' '.join(parts)}"


def roadmap_url(roadmap_id: int, anchor: str = "") -> str:
    url = reverse("roadmaps:detail", args=[roadmap_id])
    return f"{url}#{anchor}" if anchor else url


# --- lists ----------------------------------------------------------------------------------------


class RoadmapListView(ObjectListView):
    model = Roadmap
    template_name = "roadmaps/roadmap_list.html"
    title = "Дорожные карты"
    search_fields = ("title",)
    filterset_class = RoadmapFilter

    def base_queryset(self) -> QuerySet[Roadmap]:
        return selectors.roadmap_list(user=self.request.user)


class AwaitingApprovalView(ObjectListView):
    """«На согласовании»: the roadmaps waiting for this user's decision, by place and title."""

    model = Roadmap
    template_name = "roadmaps/roadmap_awaiting.html"
    title = "На согласовании"
    list_action = "approve"
    search_fields = ("title", "organisation__short_name", "municipality__name", "organisation__municipality__name")
    filterset_class = AwaitingFilter

    def base_queryset(self) -> QuerySet[Roadmap]:
        return selectors.roadmaps_awaiting_approval(user=self.request.user)


class MyTasksView(ObjectListView):
    """«Мои задачи»: open activities the user answers for, soonest deadline first."""

    model = RoadmapItem
    template_name = "roadmaps/my_tasks.html"
    title = "Мои задачи"
    paginate_by = 100
    filterset_class = MyTaskFilter

    def base_queryset(self) -> QuerySet[RoadmapItem]:
        return selectors.my_tasks(user=self.request.user)


# --- one roadmap ----------------------------------------------------------------------------------


class RoadmapDetailView(ObjectDetailView):
    """The roadmap as a table like the seeds; a fixed number of queries whatever its size."""

    model = Roadmap
    template_name = "roadmaps/roadmap_detail.html"

    def get_object(self, queryset: QuerySet | None = None) -> Roadmap:
        # roadmap_list is restrict(user, "view") with the place joined and the progress counted.
        return get_object_or_404(selectors.roadmap_list(user=self.request.user), pk=self.kwargs["pk"])

    def permitted_actions(self, obj: Roadmap) -> dict[str, bool]:
        user = self.request.user
        # Each rule costs queries: ask only those that the status leaves open.
        keeps = may_keep(user, obj)
        editable = obj.status in services.EDITABLE_STATUSES
        return {
            "edit": keeps and editable,
            "progress": keeps,
            "submit": keeps and editable and may_keep(user, obj, "submit"),
            "revise": keeps and obj.status == RoadmapStatus.APPROVED,
            "decide": obj.status == RoadmapStatus.SUBMITTED and may_approve(user, obj),
        }

    def items(self) -> QuerySet[RoadmapItem]:
        items = selectors.roadmap_items(user=self.request.user, roadmap=self.object, today=self.today)
        # The table shows the responsible parties as the document writes them (responsible_text), and
        # the evidence as a plain list: Django builds a queryset per item for a prefetched manager, which
        # for 300 items costs more than the whole query, a list (to_attr) costs nothing.
        return items.prefetch_related(None).prefetch_related(
            Prefetch("evidence", queryset=ItemEvidence.objects.order_by("created_at", "pk"), to_attr="evidence_list")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        self.today = timezone.localdate()
        context = super().get_context_data(**kwargs)
        roadmap = self.object
        self.filterset = ItemFilter(
            self.request.GET or None, queryset=self.items(), request=self.request, today=self.today
        )
        items = self.filterset.qs
        indicators = list(roadmap.indicators.prefetch_related("values"))
        years = sorted({value.year for indicator in indicators for value in indicator.values.all()})
        rows = []
        for indicator in indicators:
            by_year = {value.year: value.value for value in indicator.values.all()}
            rows.append((indicator, [by_year.get(year) for year in years]))
        context.update(
            title=roadmap.title,
            items=items,
            filterset=self.filterset,
            filtered=self.filterset.narrows,
            events=selectors.roadmap_events(user=self.request.user, roadmap=roadmap),
            tasks=[line.strip() for line in roadmap.tasks.splitlines() if line.strip()],
            indicator_years=years,
            indicator_rows=rows,
            today=self.today,
            tokens={name: uuid.uuid4() for name in ("submit", "approve", "revise")},
            submission_field=SUBMISSION_FIELD,
        )
        # «/roadmaps/items/»: the rows append «<pk>/edit/» themselves rather than reversing a URL per row.
        item_url = reverse("roadmaps:item_edit", args=[0]).removesuffix("0/edit/")
        context["item_url"] = item_url
        permitted = context["permitted"]
        context["item_rows"] = roadmap_item_rows(
            items,
            item_url=item_url,
            can_edit=permitted["edit"],
            can_progress=permitted["progress"],
            can_cascade=permitted["progress"] and roadmap.level != Level.ORGANISATION,
        )
        return context


class RoadmapTimelineView(RoadmapDetailView):
    """The activities month by month of their due date; those without a date listed after."""

    template_name = "roadmaps/roadmap_timeline.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        activities = context["items"].filter(kind=ItemKind.ACTIVITY)
        context.update(
            dated=activities.filter(deadline_due__isnull=False).order_by("deadline_due", "sort_key", "position"),
            undated=activities.filter(deadline_due__isnull=True),
        )
        return context


# --- roadmap forms ----------------------------------------------------------------------------------


class RoadmapEditView(ObjectEditView):
    model = Roadmap
    form_class = RoadmapForm
    template_name = "roadmaps/roadmap_form.html"
    select_related = PLACE_JOINS

    def get_scoped_object(self, action: str = "view") -> Roadmap:
        roadmap = super().get_scoped_object(action)
        ensure_keeper(self.request.user, roadmap)
        return roadmap

    def perform(self, form: RoadmapForm) -> Roadmap:
        data = {name: form.cleaned_data[name] for name in services.ROADMAP_FIELDS}
        if self.object is None:
            return services.roadmap_create(actor=self.request.user, place=form.cleaned_data["place"], **data)
        return services.roadmap_update(actor=self.request.user, roadmap=self.object, data=data)

    @property
    def success_message(self) -> str:
        return "Изменения сохранены." if self.kwargs.get("pk") else "Дорожная карта создана. Добавьте её пункты."

    def get_success_url(self) -> str:
        return roadmap_url(self.object.pk)

    def get_duplicate_url(self) -> str:
        return roadmap_url(self.object.pk) if self.object is not None else reverse("roadmaps:list")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = f"Изменение: {self.object}" if self.object else "Новая дорожная карта"
        return context

    def get_cancel_url(self) -> str:
        return self.get_duplicate_url()


class RoadmapTransitionView(OnceOnlyFormMixin, ScopedMixin, FormView):
    """One approval step (submit, approve, return, revise) through its service, with its event."""

    model = Roadmap
    form_class = TransitionForm
    template_name = "roadmaps/roadmap_transition.html"
    select_related = PLACE_JOINS
    action = ""

    STEPS = {
        "submit": ("Отправить на согласование", "Дорожная карта отправлена на согласование.", services.roadmap_submit),
        "approve": ("Согласовать", "Дорожная карта согласована.", services.roadmap_approve),
        "return": ("Вернуть на доработку", "Дорожная карта возвращена на доработку.", services.roadmap_return),
        "revise": ("Взять на доработку", "Начата новая редакция дорожной карты.", services.roadmap_revise),
    }

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.object = self.get_scoped_object("view")
        if self.action in ("approve", "return"):
            ensure_approver(request.user, self.object)
        else:
            ensure_keeper(request.user, self.object, "submit" if self.action == "submit" else "change")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"comment_required": self.action == "return"}

    def perform(self, form: TransitionForm) -> Roadmap:
        step = self.STEPS[self.action][2]
        return step(actor=self.request.user, roadmap=self.object, comment=form.cleaned_data["comment"])

    @property
    def success_message(self) -> str:
        return self.STEPS[self.action][1]

    def get_success_url(self) -> str:
        return roadmap_url(self.object.pk)

    get_duplicate_url = get_success_url

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(object=self.object, action=self.action, title=f"{self.STEPS[self.action][0]}: {self.object}")
        return context


# --- item forms ---------------------------------------------------------------------------------------


class ItemViewMixin:
    """An item's pages: the item only through restrict(), the user must keep its roadmap."""

    model = RoadmapItem
    select_related = ("roadmap",)

    def get_scoped_object(self, action: str = "view") -> RoadmapItem:
        item = super().get_scoped_object(action)
        ensure_keeper(self.request.user, item.roadmap)
        self.roadmap = item.roadmap
        return item

    def get_success_url(self) -> str:
        item = self.object
        return roadmap_url(item.roadmap_id, f"item-{item.pk}")

    def get_duplicate_url(self) -> str:
        return self.get_success_url()


class ItemEditView(ItemViewMixin, ObjectEditView):
    """Add an item to a roadmap (``roadmap_pk`` in the URL) or change one (``pk``)."""

    form_class = RoadmapItemForm
    template_name = "roadmaps/roadmapitem_form.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and "roadmap_pk" in kwargs:
            self.roadmap = get_object_or_404(Roadmap.objects.restrict(request.user, "view"), pk=kwargs["roadmap_pk"])
            ensure_keeper(request.user, self.roadmap)
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        return super().get_initial() | {"kind": ItemKind.ACTIVITY}

    def perform(self, form: RoadmapItemForm) -> RoadmapItem:
        data = model_form_data(form)
        if self.object is None:
            return services.roadmap_item_create(actor=self.request.user, roadmap=self.roadmap, data=data)
        return services.roadmap_item_update(actor=self.request.user, item=self.object, data=data)

    def form_valid(self, form: Form) -> HttpResponse:
        response = super().form_valid(form)
        item = self.object
        if item is not None and not form.errors and item.deadline_needs_review:
            messages.warning(self.request, deadline_summary(item).capitalize())
        return response

    @property
    def success_message(self) -> str:
        done = "Пункт изменён" if self.kwargs.get("pk") else "Пункт добавлен"
        item = self.object
        if item is None or item.deadline_needs_review:
            return f"{done}."
        return f"{done}: {deadline_summary(item)}."

    def get_duplicate_url(self) -> str:
        if self.object is None:
            return roadmap_url(self.roadmap.pk)
        return super().get_duplicate_url()

    def get_cancel_url(self) -> str:
        return self.get_duplicate_url()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        roadmap = self.object.roadmap if self.object else self.roadmap
        context.update(
            roadmap=roadmap,
            title=f"Изменение пункта {self.object.number}".strip() if self.object else "Новый пункт дорожной карты",
            deadline_summary=deadline_summary(self.object) if self.object else "",
        )
        return context


class ItemDeleteView(ItemViewMixin, ObjectDeleteView):
    template_name = "roadmaps/roadmapitem_confirm_delete.html"
    success_message = "Пункт удалён."

    def perform(self, form: Form) -> None:
        services.roadmap_item_delete(actor=self.request.user, item=self.object)

    def get_success_url(self) -> str:
        # The item is gone by now; its roadmap was kept when the item was looked up.
        return roadmap_url(self.roadmap.pk)


class ItemProgressMixin(ItemViewMixin, OnceOnlyFormMixin, ScopedMixin):
    """Progress is kept by the item's own level whatever the roadmap's status (approval freezes the plan only)."""

    template_name = "roadmaps/roadmapitem_progress.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.object = self.get_scoped_object("change")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        item = self.object
        context.update(
            object=item,
            roadmap=item.roadmap,
            title=f"Выполнение пункта {item.number}".strip(),
            evidence=item.evidence.select_related("added_by"),
            complete_form=context["form"] if isinstance(context["form"], ItemCompleteForm) else None,
            progress_form=context["form"] if isinstance(context["form"], ItemProgressForm) else None,
        )
        if context["complete_form"] is None and item.status != ItemStatus.DONE:
            complete = ItemCompleteForm(initial={"fact_end": timezone.localdate(), "fact_start": item.fact_start})
            context["complete_form"] = self.with_token(complete)
        if context["progress_form"] is None:
            progress = ItemProgressForm(
                initial={
                    "status": ItemStatus.IN_PROGRESS if item.status == ItemStatus.NOT_STARTED else item.status,
                    "fact_start": item.fact_start,
                }
            )
            context["progress_form"] = self.with_token(progress)
        return context

    @staticmethod
    def with_token(form: Form) -> Form:
        attach_submission_token(form)
        return form


class ItemCompleteView(ItemProgressMixin, FormView):
    form_class = ItemCompleteForm
    success_message = "Пункт отмечен выполненным, подтверждения приложены."

    def get_initial(self) -> dict[str, Any]:
        # The «выполнение» link opens this page: the date is today unless the curator says otherwise.
        return {"fact_end": timezone.localdate(), "fact_start": self.object.fact_start}

    def perform(self, form: ItemCompleteForm) -> RoadmapItem:
        return services.roadmap_item_complete(
            actor=self.request.user,
            item=self.object,
            evidence=form.evidence(),
            fact_end=form.cleaned_data["fact_end"],
            fact_start=form.cleaned_data["fact_start"],
        )


class ItemProgressView(ItemProgressMixin, FormView):
    form_class = ItemProgressForm
    success_message = "Статус пункта изменён."

    def perform(self, form: ItemProgressForm) -> RoadmapItem:
        return services.roadmap_item_set_status(
            actor=self.request.user,
            item=self.object,
            status=form.cleaned_data["status"],
            fact_start=form.cleaned_data["fact_start"],
        )


# --- cascade -------------------------------------------------------------------------------------------


class ItemCascadeView(ItemViewMixin, OnceOnlyFormMixin, ScopedMixin, FormView):
    """A municipal or regional activity passed down to schools, with its live progress and links to each copy."""

    form_class = ItemCascadeForm
    template_name = "roadmaps/roadmapitem_cascade.html"
    success_message = "Пункт передан в организации."

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.object = self.get_scoped_object("view")
        enforce(ensure_cascadable, self.object)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {
            "organisations": selectors.cascade_targets(user=self.request.user, item=self.object)
        }

    def perform(self, form: ItemCascadeForm) -> RoadmapItem:
        chosen = None if form.cleaned_data["everyone"] else list(form.cleaned_data["organisations"])
        services.roadmap_item_cascade(actor=self.request.user, item=self.object, organisations=chosen)
        return self.object

    def get_success_url(self) -> str:
        return reverse("roadmaps:item_cascade", args=[self.object.pk])

    get_duplicate_url = get_success_url

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            object=self.object,
            roadmap=self.roadmap,
            title=f"Передача в организации: {self.object}",
            progress=selectors.cascade_progress(user=user, item=self.object),
            children=selectors.cascade_children(user=user, item=self.object),
        )
        return context


# --- target indicators ---------------------------------------------------------------------------------


class TargetIndicatorEditView(OnceOnlyFormMixin, ScopedMixin, FormView):
    """Add a target indicator to a roadmap (no ``indicator_pk``) or change one, with its yearly values."""

    model = Roadmap
    form_class = TargetIndicatorForm
    template_name = "roadmaps/targetindicator_form.html"
    success_message = "Целевой показатель сохранён."

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.object = self.get_scoped_object("view")
        ensure_keeper(request.user, self.object)
        self.indicator = None
        if "indicator_pk" in kwargs:
            self.indicator = get_object_or_404(self.object.indicators.all(), pk=kwargs["indicator_pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        years = list(range(self.object.period_start.year, self.object.period_end.year + 1))
        return super().get_form_kwargs() | {"years": years}

    def get_initial(self) -> dict[str, Any]:
        if self.indicator is None:
            return {}
        initial = {"code": self.indicator.code, "name": self.indicator.name, "unit": self.indicator.unit}
        initial.update({f"year_{value.year}": value.value for value in self.indicator.values.all()})
        return initial

    def perform(self, form: TargetIndicatorForm) -> Roadmap:
        services.target_indicator_set(
            actor=self.request.user,
            roadmap=self.object,
            code=form.cleaned_data["code"],
            name=form.cleaned_data["name"],
            unit=form.cleaned_data["unit"],
            values=form.values(),
        )
        return self.object

    def get_success_url(self) -> str:
        return roadmap_url(self.object.pk, "indicators-heading")

    get_duplicate_url = get_success_url

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        verb = "Изменение показателя" if self.indicator else "Новый целевой показатель"
        context.update(roadmap=self.object, title=f"{verb}: {self.object}", cancel_url=roadmap_url(self.object.pk))
        return context
