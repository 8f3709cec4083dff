"""The curator's screens: the overview, the bases, the people, the pairs and their work, programmes and matching.

Objects come only through ``restrict()`` (the base views in ``mentorship.views.generic``) or the
selectors built on it: outside the scope is 404, a visible object the user may not change is 403.
Every write is one service call; a ``DomainError`` becomes the form's Russian message and nothing is
saved. Municipal and regional users see the same lists across their scope, without the buttons.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Prefetch, QuerySet
from django.forms import Form
from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from mentorship import access
from mentorship.forms import SUBMISSION_FIELD, model_form_data
from mentorship.pagination import KeysFirstPaginator
from mentorship.search import search_q
from mentorship.views.generic import (
    ActionView,
    ButtonView,
    CreateActionView,
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
    RestrictedPrefetch,
    ScopedMixin,
    ServiceErrorsMixin,
)

from . import selectors, services, views_accounts
from .choices import BaseRole, MeetingKind, PairStatus
from .filters import (
    BankFilter,
    MenteeEntryFilter,
    MentorEntryFilter,
    PairFilter,
    PersonFilter,
    ProgrammeFilter,
)
from .forms import (
    AgreementForm,
    BaseEntryForm,
    ConsentForm,
    ConsentWithdrawForm,
    EnrolForm,
    MeetingForm,
    MeetingRecordForm,
    PairCompleteForm,
    PairForm,
    PairMemberAddForm,
    PairMemberRemoveForm,
    PairsConfirmForm,
    PairTerminateForm,
    PersonForm,
    PlanForm,
    PlanTaskForm,
    ProgrammeCopyForm,
    ProgrammeForm,
    SchoolYearCloseForm,
    StageForm,
    SuggestionDecisionForm,
    current_year,
    requested_year,
    school_year_choices,
)
from .models import (
    BaseEntry,
    Consent,
    CooperationAgreement,
    DevelopmentPlan,
    MatchRun,
    MatchSuggestion,
    Meeting,
    Pair,
    PairMember,
    Person,
    PlanTask,
    Programme,
    school_year_label,
)

PERSON_SEARCH = ("surname", "name", "patronymic", "external_id", "email")
ENTRY_SEARCH = ("person__surname", "person__name", "person__patronymic", "request")
LOOKUP_LIMIT = 20
DATALIST_LIMIT = 300


def manages(user: Any, model: type = Person) -> bool:
    """Whether to offer the add/change buttons: the user keeps such records somewhere (school staff)."""
    return access.may_add_anywhere(user, model)


# --- the overview ----------------------------------------------------------------------------------------


class IndexView(LoginRequiredMixin, TemplateView):
    """The curator's overview of a school year: the bases, the pairs by status, the mentees left without a pair."""

    template_name = "participants/index.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user, year = self.request.user, requested_year(self.request)
        summary = selectors.participants_summary(user=user, school_year=year)
        context.update(
            title="Наставничество: участники и пары",
            year=year,
            year_label=school_year_label(year),
            years=school_year_choices(),
            mentors_count=summary.mentors,
            mentees_count=summary.mentees,
            pairs_by_status=[(value, label, summary.pairs_by_status[value]) for value, label in PairStatus.choices],
            pairs_count=summary.pairs,
            unpaired_count=summary.unpaired,
            people_count=summary.people,
            programmes=selectors.programmes_list(user=user).filter(school_year=year, is_active=True)[:20],
            can_manage=manages(user),
        )
        return context


# --- lists -------------------------------------------------------------------------------------------------


class ParticipantsListView(ObjectListView):
    """A list of the participants app: the add buttons only for those who keep records.

    Its rows carry consent, membership and count subqueries, so a page is built from its keys.
    """

    paginator_class = KeysFirstPaginator

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_manage"] = manages(self.request.user, self.model)
        return context


class PeopleListView(ParticipantsListView):
    model = Person
    template_name = "participants/person_list.html"
    title = "Участники"
    search_fields = PERSON_SEARCH
    filterset_class = PersonFilter

    def base_queryset(self) -> QuerySet[Person]:
        return selectors.people_list(user=self.request.user)


class BaseListView(ParticipantsListView):
    """The mentor or mentee base of a school year (``?year=``)."""

    model = BaseEntry
    template_name = "participants/base_list.html"
    search_fields = ENTRY_SEARCH
    role = BaseRole.MENTEE

    def base_queryset(self) -> QuerySet[BaseEntry]:
        self.year = requested_year(self.request)
        return selectors.base_entries(user=self.request.user, role=self.role, school_year=self.year)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            role=self.role,
            year=self.year,
            year_label=school_year_label(self.year),
            years=school_year_choices(),
            add_url=reverse("participants:mentor_add" if self.role == BaseRole.MENTOR else "participants:mentee_add"),
            can_manage=manages(self.request.user, Person),
        )
        return context


class MentorsListView(BaseListView):
    role = BaseRole.MENTOR
    title = "База наставников"
    filterset_class = MentorEntryFilter


class MenteesListView(BaseListView):
    role = BaseRole.MENTEE
    title = "База наставляемых"
    filterset_class = MenteeEntryFilter


class UnpairedListView(BaseListView):
    """Mentees of the school year left without a pair."""

    title = "Наставляемые без пары"
    template_name = "participants/unpaired_list.html"
    filterset_class = MenteeEntryFilter

    def base_queryset(self) -> QuerySet[BaseEntry]:
        self.year = requested_year(self.request)
        return selectors.unpaired_mentees(user=self.request.user, school_year=self.year)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_pair"] = manages(self.request.user, Pair)
        return context


class PairsListView(ParticipantsListView):
    model = Pair
    template_name = "participants/pair_list.html"
    title = "Наставнические пары и группы"
    filterset_class = PairFilter

    def base_queryset(self) -> QuerySet[Pair]:
        return selectors.pairs_list(user=self.request.user)

    def get_queryset(self) -> QuerySet[Pair]:
        return selectors.pairs_search(super().get_queryset(), self.request.GET.get("q", ""))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(can_confirm=manages(user, Pair), forming=PairStatus.FORMING)
        return context


class ProgrammesListView(ParticipantsListView):
    model = Programme
    template_name = "participants/programme_list.html"
    title = "Программы наставничества"
    search_fields = ("title", "goals")
    filterset_class = ProgrammeFilter

    def base_queryset(self) -> QuerySet[Programme]:
        return selectors.programmes_list(user=self.request.user)


class BankListView(ParticipantsListView):
    model = Programme
    template_name = "participants/bank_list.html"
    title = "Банк программ и лучших практик"
    search_fields = ("title", "goals", "organisation__short_name")
    filterset_class = BankFilter

    def base_queryset(self) -> QuerySet[Programme]:
        return selectors.programmes_bank(user=self.request.user)


class PeopleLookupView(LoginRequiredMixin, View):
    """Autocomplete: people the user works with whose name contains ``q`` (JSON, at most 20)."""

    def get(self, request: HttpRequest) -> JsonResponse:
        query = request.GET.get("q", "").strip()
        if len(query) < 2:
            return JsonResponse({"results": []})
        people = (
            Person.objects.restrict(request.user, "change")
            .filter(anonymised_at__isnull=True)
            .filter(search_q(("surname", "name", "patronymic"), query))
            .select_related("organisation")
        )
        role = request.GET.get("role", "")
        if role in BaseRole.values:
            people = people.filter(base_entries__role=role, base_entries__school_year=current_year()).distinct()
        results = [{"id": person.pk, "label": person_label(person)} for person in people[:LOOKUP_LIMIT]]
        return JsonResponse({"results": results})


def person_label(person: Person) -> str:
    details = person.class_name or person.position or person.workplace
    return ", ".join(part for part in (person.full_name, details, person.organisation.short_name) if part)


# --- details -----------------------------------------------------------------------------------------------


class PersonDetailView(ObjectDetailView):
    model = Person
    template_name = "participants/person_detail.html"
    select_related = ("organisation", "partner")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        person, day = self.object, timezone.localdate()
        context.update(
            title=str(person) if not person.anonymised_at else f"Участник № {person.pk}",
            today=day,
            age=person.age_on(day),
            is_minor=person.is_minor_on(day),
            under_35=person.is_under_35_on(day),
            service_years=person.service_years_on(day),
            short_service=person.has_short_service_on(day),
            entries=person.base_entries.all(),
            consents=person.consents.all(),
            agreements=person.agreements.all(),
            memberships=person.memberships.all(),
            portal_access=views_accounts.portal_access(person, may_change=context["permitted"]["change"]),
        )
        return context

    def get_children(self) -> list[Prefetch]:
        # A person who moved school keeps the old school's records: only those the reader may see are listed.
        user = self.request.user
        return [
            RestrictedPrefetch("base_entries", user=user, queryset=BaseEntry.objects.order_by("-school_year", "role")),
            RestrictedPrefetch("consents", user=user, queryset=Consent.objects.order_by("-signed_on")),
            RestrictedPrefetch(
                "agreements", user=user, queryset=CooperationAgreement.objects.select_related("partner")
            ),
            RestrictedPrefetch(
                "memberships",
                user=user,
                queryset=PairMember.objects.select_related("pair__programme").order_by("-joined_on"),
            ),
        ]


class PairDetailView(ObjectDetailView):
    model = Pair
    template_name = "participants/pair_detail.html"

    def get_object(self, queryset: QuerySet | None = None) -> Pair:
        return selectors.pair_detail(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        pair = self.object
        members = list(pair.members.all())
        is_open = pair.status in PairStatus.open()
        context.update(
            title=f"{pair}",
            mentors=[m for m in members if m.role == BaseRole.MENTOR],
            mentees=[m for m in members if m.role == BaseRole.MENTEE],
            meetings=list(pair.meetings.all()),
            plans=list(pair.plans.all()),
            is_open=is_open,
            meeting_kinds=MeetingKind.choices,
        )
        return context


class ProgrammeDetailView(ObjectDetailView):
    model = Programme
    template_name = "participants/programme_detail.html"

    def get_object(self, queryset: QuerySet | None = None) -> Programme:
        return get_object_or_404(selectors.programmes_list(user=self.request.user), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            title=str(self.object),
            pairs=selectors.pairs_list(user=self.request.user).filter(programme=self.object)[:50],
            can_copy=manages(self.request.user, Programme),
            materials=[line.strip() for line in self.object.materials.splitlines() if line.strip()],
        )
        return context


class PairHistoryView(ObjectHistoryView):
    model = Pair


# --- people ----------------------------------------------------------------------------------------------


class EnrolView(CreateActionView):
    """«Добавить наставника» / «Добавить наставляемого»: the person, the base entry and the consent, one form."""

    model = add_model = Person
    select_related = ("organisation",)
    form_class = EnrolForm
    template_name = "participants/enrol_form.html"
    role = BaseRole.MENTEE
    # The services name the model's fields; the one form prefixes the consent's and calls the kind «category».
    field_prefixes = ("consent_",)
    field_aliases = {"mentor_kind": "category", "mentee_category": "category"}

    @property
    def heading(self) -> str:
        return "Добавить наставника" if self.role == BaseRole.MENTOR else "Добавить наставляемого"

    @property
    def button(self) -> str:
        return self.heading

    @property
    def success_message(self) -> str:
        base = "базу наставников" if self.role == BaseRole.MENTOR else "базу наставляемых"
        return f"Участник добавлен в {base}."

    def get_target(self) -> Person | None:
        """A person already known (``pk`` in the URL, one the user may change) or nobody: a new person."""
        return self.get_scoped_object("change") if "pk" in self.kwargs else None

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"role": self.role, "existing": self.target}

    def perform(self, form: EnrolForm) -> BaseEntry:
        existing = self.target
        self.entry = services.participant_enrol(
            actor=self.request.user,
            organisation=existing.organisation if existing else form.cleaned_data["organisation"],
            role=self.role,
            school_year=form.cleaned_data["school_year"],
            person=form.person_data(),
            existing=existing,
            entry=form.entry_data(),
            consent=form.consent_data(),
        )
        return self.entry

    def back_url(self) -> str:
        entry = getattr(self, "entry", None)
        if entry is not None:
            return reverse("participants:person", args=[entry.person_id])
        if self.target is not None:
            return self.target.get_absolute_url()
        return reverse("participants:mentors" if self.role == BaseRole.MENTOR else "participants:mentees")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = context["form"]
        if self.target is not None:
            context["title"] = f"{self.heading}: {self.target}"
        context["sections"] = [
            ("Где и когда", [form[name] for name in ("organisation", "school_year") if name in form.fields]),
            ("Участник", [form[name] for name in form.fields if name in PersonForm.Meta.fields]),
            (
                "Запись в базе",
                [
                    form[name]
                    for name in (
                        "category",
                        "form",
                        "request",
                        "capacity",
                        "preferred_age_min",
                        "preferred_age_max",
                        "availability",
                    )
                    if name in form.fields
                ],
            ),
            ("Согласие на обработку персональных данных", [form[name] for name in form.fields if "consent" in name]),
        ]
        return context


class PersonEditView(ActionView):
    model = Person
    form_class = PersonForm
    heading = "Изменение"

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"instance": self.target}

    def perform(self, form: PersonForm) -> Person:
        data = model_form_data(form)
        fresh = get_object_or_404(self.restricted("view"), pk=self.target.pk)
        return services.person_update(actor=self.request.user, person=fresh, data=data)


class ConsentAddView(ActionView):
    model = Person
    form_class = ConsentForm
    heading = "Согласие на обработку персональных данных"
    success_message = "Согласие записано."

    def perform(self, form: ConsentForm) -> Consent:
        data = model_form_data(form)
        return services.consent_record(actor=self.request.user, person=self.target, data=data)


class AgreementAddView(ActionView):
    model = Person
    form_class = AgreementForm
    heading = "Соглашение о сотрудничестве"
    success_message = "Соглашение записано."

    def perform(self, form: AgreementForm) -> Any:
        data = model_form_data(form)
        return services.agreement_record(actor=self.request.user, person=self.target, data=data)


class ConsentWithdrawView(ActionView):
    model = Consent
    form_class = ConsentWithdrawForm
    select_related = ("person",)
    heading = "Отзыв согласия"
    button = "Отозвать согласие"
    button_class = "btn-danger"
    warning = (
        "После отзыва согласия участник выйдет из всех действующих пар и групп, его фамилия, имя и контакты "
        "будут скрыты. В обезличенной статистике он останется."
    )
    success_message = "Согласие отозвано, персональные данные участника скрыты."

    def perform(self, form: ConsentWithdrawForm) -> None:
        services.consent_withdraw(actor=self.request.user, consent=self.target, on=form.cleaned_data["on"])

    def back_url(self) -> str:
        return reverse("participants:person", args=[self.target.person_id])


class BaseEntryEditView(ActionView):
    """A mentor's or mentee's record in a base: its category and wishes, or «в базе» unticked when they leave."""

    model = BaseEntry
    select_related = ("person",)
    form_class = BaseEntryForm
    form_takes_user = False
    heading = "Запись в базе"
    success_message = "Запись в базе сохранена."

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"instance": self.target}

    def perform(self, form: BaseEntryForm) -> BaseEntry:
        return services.base_entry_update(actor=self.request.user, entry=self.target, data=form.entry_data())


class BaseEntryRemoveView(ActionView):
    """A record taken out of a base (entered by mistake); the service refuses while the person is in an open pair."""

    model = BaseEntry
    select_related = ("person",)
    action = "delete"
    form_class = Form
    form_takes_user = False
    heading = "Исключение из базы"
    button = "Исключить из базы"
    button_class = "btn-danger"
    warning = (
        "Запись будет удалена из базы этого учебного года. Если участник выбыл, а запись нужна для истории, "
        "снимите отметку «в базе» на странице записи."
    )
    success_message = "Участник исключён из базы."

    def perform(self, form: Form) -> None:
        services.base_entry_remove(actor=self.request.user, entry=self.target)

    def back_url(self) -> str:
        return reverse("participants:person", args=[self.target.person_id])


# --- programmes ----------------------------------------------------------------------------------------------


class ProgrammeEditView(ServiceErrorsMixin, ObjectEditView):
    model = Programme
    form_class = ProgrammeForm

    def perform(self, form: ProgrammeForm) -> Programme:
        data = form.data_for_service()
        if self.object is None:
            return services.programme_create(actor=self.request.user, data=data)
        fresh = get_object_or_404(self.restricted("view"), pk=self.object.pk)
        return services.programme_update(actor=self.request.user, programme=fresh, data=data)

    @property
    def success_message(self) -> str:
        return "Изменения сохранены." if self.kwargs.get("pk") else "Программа создана."

    def get_duplicate_url(self) -> str:
        return self.object.get_absolute_url() if self.object is not None else reverse("participants:programmes")

    get_cancel_url = get_duplicate_url

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = f"Изменение: {self.object}" if self.object else "Новая программа наставничества"
        return context


class ProgrammeCopyView(ActionView):
    """«Скопировать в мою организацию»: a programme of the bank (or one's own) copied for a school year."""

    model = Programme
    form_class = ProgrammeCopyForm
    action = "view"
    heading = "Скопировать в мою организацию"
    button = "Скопировать"
    success_message = "Программа скопирована в вашу организацию. Проверьте и при необходимости измените её."
    required_permission = access.permission_name(Programme, "add")
    permission_message = "Копировать программы могут сотрудники образовательной организации."

    def perform(self, form: ProgrammeCopyForm) -> Programme:
        self.copy = services.programme_copy(
            actor=self.request.user,
            source=self.target,
            organisation=form.cleaned_data["organisation"],
            school_year=form.cleaned_data["school_year"],
        )
        return self.copy

    def get_success_url(self) -> str:
        copy = getattr(self, "copy", None)
        return copy.get_absolute_url() if copy is not None else self.back_url()


# --- pairs ----------------------------------------------------------------------------------------------------


class PairCreateView(CreateActionView):
    """«Создать пару (группу)»: people picked by name from a list (autocomplete) or by their number."""

    add_model = Pair
    form_class = PairForm
    template_name = "participants/pair_form.html"
    heading = "Создать пару (группу)"
    button = "Создать"
    success_message = "Пара (группа) создана. Утвердите её приказом и отметьте на странице пар."

    def people(self) -> QuerySet[Person]:
        return Person.objects.restrict(self.request.user, "change").filter(anonymised_at__isnull=True)

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"people": self.people()}

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        for name in ("programme", "mentors", "mentees"):
            values = self.request.GET.getlist(name)
            if values:
                initial[name] = values if name != "programme" else values[0]
        return initial

    def perform(self, form: PairForm) -> Pair:
        data = form.cleaned_data
        self.pair = services.pair_create(
            actor=self.request.user,
            programme=data["programme"],
            mentors=data["mentors"],
            mentees=data["mentees"],
            started_on=data["started_on"],
            title=data["title"],
            planned_end=data["planned_end"],
        )
        return self.pair

    def back_url(self) -> str:
        pair = getattr(self, "pair", None)
        return pair.get_absolute_url() if pair is not None else reverse("participants:pairs")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user, year = self.request.user, current_year()
        mentors = selectors.base_entries(user=user, role=BaseRole.MENTOR, school_year=year).filter(
            is_active=True, person__anonymised_at__isnull=True
        )
        mentees = selectors.unpaired_mentees(user=user, school_year=year).filter(person__anonymised_at__isnull=True)
        context.update(
            mentor_options=[(e.person_id, person_label(e.person)) for e in mentors[:DATALIST_LIMIT]],
            mentee_options=[(e.person_id, person_label(e.person)) for e in mentees[:DATALIST_LIMIT]],
            lookup_url=reverse("participants:people_lookup"),
        )
        return context


class PairActionView(ActionView):
    model = Pair
    select_related = ("programme", "organisation")


class PairStageView(PairActionView):
    form_class = StageForm
    heading = "Этап"
    success_message = "Этап изменён."

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"instance": self.target}

    def perform(self, form: StageForm) -> Pair:
        return services.pair_stage_set(actor=self.request.user, pair=self.target, stage=form.cleaned_data["stage"])


class PairCompleteView(PairActionView):
    form_class = PairCompleteForm
    heading = "Завершение работы"
    button = "Завершить"
    success_message = "Работа пары (группы) завершена."

    def perform(self, form: PairCompleteForm) -> Pair:
        data = form.cleaned_data
        return services.pair_complete(
            actor=self.request.user,
            pair=self.target,
            ended_on=data["ended_on"],
            results=data["results"],
            reflection=data["reflection"],
        )


class PairTerminateView(PairActionView):
    form_class = PairTerminateForm
    heading = "Прекращение работы"
    button = "Прекратить"
    button_class = "btn-danger"
    warning = "Пара (группа) будет прекращена досрочно; участники смогут войти в другие пары этой программы."
    success_message = "Работа пары (группы) прекращена."

    def perform(self, form: PairTerminateForm) -> Pair:
        data = form.cleaned_data
        return services.pair_terminate(
            actor=self.request.user, pair=self.target, ended_on=data["ended_on"], reason=data["reason"]
        )


class PairMemberAddView(PairActionView):
    """«Добавить участника»: a mentee (the pair becomes a group) or a co-mentor joins an open pair."""

    form_class = PairMemberAddForm
    template_name = "participants/member_form.html"
    heading = "Добавить участника"
    button = "Добавить"

    def people(self) -> QuerySet[Person]:
        return Person.objects.restrict(self.request.user, "change").filter(anonymised_at__isnull=True)

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"people": self.people()}

    def get_initial(self) -> dict[str, Any]:
        role = self.request.GET.get("role", "")
        return super().get_initial() | ({"role": role} if role in BaseRole.values else {})

    def perform(self, form: PairMemberAddForm) -> PairMember:
        data = form.cleaned_data
        self.member = services.pair_member_add(
            actor=self.request.user,
            pair=self.target,
            person=data["person"],
            role=data["role"],
            joined_on=data["joined_on"],
        )
        return self.member

    @property
    def success_message(self) -> str:
        role = "наставник" if self.member.role == BaseRole.MENTOR else "наставляемый"
        return f"В пару (группу) добавлен участник: {self.member.person.full_name} ({role})."

    def back_url(self) -> str:
        return f"{self.target.get_absolute_url()}#members"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        pair, user = self.target, self.request.user
        present = pair.members.filter(left_on__isnull=True).values("person")
        mentors = (
            selectors.base_entries(user=user, role=BaseRole.MENTOR, school_year=pair.school_year)
            .filter(organisation=pair.organisation, is_active=True, person__anonymised_at__isnull=True)
            .exclude(person__in=present)
        )
        mentees = selectors.unpaired_mentees(
            user=user, organisation=pair.organisation, school_year=pair.school_year
        ).filter(person__anonymised_at__isnull=True)
        context.update(
            title=f"{self.heading}: {pair}",
            pair=pair,
            mentor_options=[(e.person_id, person_label(e.person)) for e in mentors[:DATALIST_LIMIT]],
            mentee_options=[(e.person_id, person_label(e.person)) for e in mentees[:DATALIST_LIMIT]],
            lookup_url=reverse("participants:people_lookup"),
        )
        return context


class PairMemberRemoveView(ActionView):
    """«Исключить»: a member leaves an open pair (group); without its last mentor or mentee the pair is terminated."""

    form_class = PairMemberRemoveForm
    heading = "Исключение из пары (группы)"
    button = "Исключить"
    button_class = "btn-danger"

    def get_target(self) -> PairMember:
        return self.get_child_object(PairMember.objects.select_related("person"), via="pair", action="change")

    @property
    def warning(self) -> str:
        return (
            f"Участник выйдет из пары (группы) «{self.target.pair}» с указанной даты. Если это последний наставник "
            "или последний наставляемый, работа пары (группы) будет прекращена — тогда укажите причину."
        )

    def perform(self, form: PairMemberRemoveForm) -> Pair:
        data = form.cleaned_data
        self.pair = services.pair_member_remove(
            actor=self.request.user, member=self.target, left_on=data["left_on"], reason=data["reason"]
        )
        return self.pair

    @property
    def success_message(self) -> str:
        if self.pair.status == PairStatus.TERMINATED:
            return "Участник исключён. В паре (группе) не осталось наставника или наставляемого: её работа прекращена."
        return "Участник исключён из пары (группы)."

    def back_url(self) -> str:
        return f"{reverse('participants:pair', args=[self.target.pair_id])}#members"


class MeetingAddView(PairActionView):
    """«Записать встречу»: plan it, or log it as held in the same step."""

    form_class = MeetingForm
    heading = "Встреча"
    success_message = "Встреча записана."

    def get_initial(self) -> dict[str, Any]:
        kind = self.request.GET.get("kind", "")
        return super().get_initial() | ({"kind": kind} if kind in MeetingKind.values else {})

    def perform(self, form: MeetingForm) -> Meeting:
        data = form.data_for_service()
        if data["held_on"] is None:
            plan = {name: value for name, value in data.items() if name in services.MEETING_PLAN_FIELDS}
            return services.meeting_plan(actor=self.request.user, pair=self.target, data=plan)
        data.pop("planned_on")
        return services.meeting_log(actor=self.request.user, pair=self.target, data=data)

    def back_url(self) -> str:
        return f"{self.target.get_absolute_url()}#meetings"


class MeetingRecordView(ActionView):
    model = Meeting
    form_class = MeetingRecordForm
    select_related = ("pair",)
    heading = "Проведённая встреча"
    success_message = "Встреча отмечена проведённой."

    def get_initial(self) -> dict[str, Any]:
        # A held meeting opens with what was written, so a correction changes only what it changes.
        fields = MeetingRecordForm.Meta.fields
        return super().get_initial() | {name: getattr(self.target, name) for name in fields if self.target.held_on}

    def perform(self, form: MeetingRecordForm) -> Meeting:
        return services.meeting_record(actor=self.request.user, meeting=self.target, data=form.data_for_service())

    def back_url(self) -> str:
        return f"{reverse('participants:pair', args=[self.target.pair_id])}#meetings"


class PlanAddView(PairActionView):
    form_class = PlanForm
    heading = "Индивидуальный план развития"
    success_message = "План развития сохранён."

    def get_form_kwargs(self) -> dict[str, Any]:
        mentees = Person.objects.filter(
            memberships__pair=self.target, memberships__role=BaseRole.MENTEE, memberships__left_on__isnull=True
        )
        return super().get_form_kwargs() | {"mentees": mentees}

    def perform(self, form: PlanForm) -> DevelopmentPlan:
        return services.plan_save(
            actor=self.request.user,
            pair=self.target,
            mentee=form.cleaned_data["mentee"],
            goals=form.cleaned_data["goals"],
        )

    def back_url(self) -> str:
        return f"{self.target.get_absolute_url()}#plans"


class PlanTaskAddView(ActionView):
    model = DevelopmentPlan
    form_class = PlanTaskForm
    select_related = ("pair", "mentee")
    heading = "Новая задача"
    success_message = "Задача добавлена в план."

    def perform(self, form: PlanTaskForm) -> PlanTask:
        return services.plan_task_add(actor=self.request.user, plan=self.target, data=form.data_for_service())

    def back_url(self) -> str:
        return f"{reverse('participants:pair', args=[self.target.pair_id])}#plans"


class PlanTaskEditView(ActionView):
    """A task of a plan: found only through the plans the user sees, changed only where the plan may be."""

    form_class = PlanTaskForm
    heading = "Задача плана"
    success_message = "Задача сохранена."

    def get_target(self) -> PlanTask:
        return self.get_child_object(PlanTask.objects.all(), via="plan", action="change")

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"instance": self.target}

    def perform(self, form: PlanTaskForm) -> PlanTask:
        return services.plan_task_update(actor=self.request.user, task=self.target, data=form.data_for_service())

    def back_url(self) -> str:
        return f"{reverse('participants:pair', args=[self.target.plan.pair_id])}#plans"


# --- bulk actions ----------------------------------------------------------------------------------------------


class PairsConfirmView(CreateActionView):
    """Bulk: the forming pairs ticked on the list confirmed by the director's order (a confirmation page first)."""

    add_model = Pair
    form_class = PairsConfirmForm
    template_name = "participants/pairs_confirm.html"
    heading = "Утверждение пар и групп"
    button = "Утвердить"
    permission_message = "Утверждать пары могут сотрудники образовательной организации."

    def get_initial(self) -> dict[str, Any]:
        return super().get_initial() | {"pairs": self.request.GET.getlist("pairs")}

    def perform(self, form: PairsConfirmForm) -> int:
        self.confirmed = services.pairs_confirm(
            actor=self.request.user, pairs=list(form.cleaned_data["pairs"]), on=form.cleaned_data["on"]
        )
        return self.confirmed

    @property
    def success_message(self) -> str:
        return f"Утверждено пар и групп: {self.confirmed}."

    def back_url(self) -> str:
        return reverse("participants:pairs")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = context["form"]
        chosen = form.data.getlist("pairs") if form.is_bound else form.initial.get("pairs", [])
        ids = [value for value in chosen if str(value).isdigit()]
        context["chosen"] = selectors.pairs_list(user=self.request.user).filter(pk__in=ids)
        return context


class SchoolYearCloseView(CreateActionView):
    add_model = Pair
    form_class = SchoolYearCloseForm
    heading = "Закрыть учебный год"
    button = "Закрыть учебный год"
    button_class = "btn-danger"
    warning = (
        "Все формирующиеся и действующие пары и группы выбранного учебного года будут завершены датой, "
        "указанной ниже. Действие нельзя отменить."
    )

    def perform(self, form: SchoolYearCloseForm) -> int:
        data = form.cleaned_data
        self.closed = services.school_year_close(
            actor=self.request.user, organisation=data["organisation"], school_year=data["school_year"], on=data["on"]
        )
        return self.closed

    @property
    def success_message(self) -> str:
        return f"Учебный год закрыт, завершено пар и групп: {self.closed}."

    def back_url(self) -> str:
        return reverse("participants:pairs")


# --- matching -------------------------------------------------------------------------------------------------------


class MatchingView(ScopedMixin, TemplateView):
    """«Подбор пар» of a programme: the latest run's suggestions with score and reasons, to accept or reject."""

    model = Programme
    template_name = "participants/matching.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        programme = self.get_scoped_object("view")
        user = self.request.user
        run = (
            MatchRun.objects.restrict(user, "view")
            .filter(programme=programme)
            .select_related("created_by")
            .prefetch_related(
                Prefetch(
                    "suggestions",
                    queryset=MatchSuggestion.objects.select_related("mentor", "mentee", "pair").order_by(
                        "-score", "pk"
                    ),
                )
            )
            .order_by("-created_at", "-pk")
            .first()
        )
        can_decide = access.can(user, programme, "change")
        suggestions = list(run.suggestions.all()) if run is not None else []
        if can_decide:
            for suggestion in suggestions:
                suggestion.accept_token, suggestion.reject_token = uuid.uuid4(), uuid.uuid4()
        context.update(
            title=f"Подбор пар: {programme}",
            programme=programme,
            run=run,
            suggestions=suggestions,
            can_decide=can_decide,
            run_token=uuid.uuid4(),
            today=timezone.localdate(),
            submission_field=SUBMISSION_FIELD,
        )
        return context


class MatchRunView(ButtonView):
    model = Programme
    success_message = "Пары подобраны: проверьте предложения и примите подходящие."

    def perform(self, form: Form) -> MatchRun:
        from . import matching  # the solver (scipy) is loaded by the matching pages only

        return matching.match_run_create(actor=self.request.user, programme=self.target, on=timezone.localdate())

    def get_success_url(self) -> str:
        return reverse("participants:matching", args=[self.target.pk])


class SuggestionDecideView(ButtonView):
    """«Принять» (the suggestion becomes a pair) or «Отклонить»."""

    model = MatchRun
    form_class = SuggestionDecisionForm
    accept = True

    def get_target(self) -> MatchSuggestion:
        return self.get_child_object(
            MatchSuggestion.objects.select_related("mentor", "mentee"), via="run", action="change"
        )

    def perform(self, form: SuggestionDecisionForm) -> Any:
        from . import matching

        if self.accept:
            started_on = form.cleaned_data["started_on"] or timezone.localdate()
            return matching.suggestion_accept(actor=self.request.user, suggestion=self.target, started_on=started_on)
        matching.suggestion_reject(actor=self.request.user, suggestion=self.target)
        return None

    @property
    def success_message(self) -> str:
        if self.accept:
            return f"Пара создана: {self.target.mentor.short_name} и {self.target.mentee.short_name}."
        return "Предложение отклонено."

    def get_success_url(self) -> str:
        return reverse("participants:matching", args=[self.target.run.programme_id])
