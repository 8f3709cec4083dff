"""The questionnaires' pages: templates and own questionnaires, copies and versions, sending, «Кто ответил», and the
personal link's answer page (``/q/<token>/``), which needs no account.

Staff pages find their records only through ``restrict()`` (the base views, the selectors): outside
the scope 404, seen but not changeable 403. The answer page finds its link by the token's
fingerprint alone; a wrong, replaced or used token answers 404 in Russian and changes nothing. It
shows the questionnaire's title and questions only: never the person's name.
"""

from __future__ import annotations

import hashlib
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views import View
from django.views.generic import TemplateView

from mentorship import access
from mentorship.errors import DomainError
from mentorship.views.generic import (
    ActionView,
    ButtonView,
    ObjectDetailView,
    ObjectListView,
    ScopedMixin,
    TargetMixin,
)

from . import selectors, services
from .choices import QuestionnaireAudience
from .forms_questionnaires import (
    AnswerForm,
    QuestionFormSet,
    QuestionnaireCopyForm,
    QuestionnaireForm,
    QuestionnaireSendForm,
    question_initial,
    questions_from,
)
from .models import Pair, Programme, Questionnaire, Response
from .services.questionnaire_links import (
    LinkAnswered,
    LinkExpired,
    LinkNotFound,
    link_check,
    link_for_token,
    link_url,
)
from .services.questionnaires import curator_response_of, curator_response_submit

ANSWER_TEMPLATE = "participants/questionnaires/answer.html"
NOTICE_TEMPLATE = "participants/questionnaires/notice.html"


class QuestionnaireListView(ObjectListView):
    model = Questionnaire
    template_name = "participants/questionnaires/list.html"
    title = "Анкеты"
    paginate_by = 100

    def base_queryset(self) -> Any:
        return selectors.questionnaires_available(user=self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["sendings"] = list(selectors.questionnaire_sendings(user=self.request.user)[:100])
        context["can_fill_curator"] = access.holds(self.request.user, "participants.add_response")
        return context


class QuestionnaireDetailView(ObjectDetailView):
    model = Questionnaire
    template_name = "participants/questionnaires/detail.html"
    select_related = ("organisation", "region", "source")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        questionnaire = self.object
        user = self.request.user
        context.update(
            questions=list(questionnaire.questions.all()),
            has_responses=questionnaire.responses.exists(),
            can_copy=access.holds(user, "participants.add_questionnaire"),
            can_send=questionnaire.is_active
            and questionnaire.audience != QuestionnaireAudience.CURATOR
            and access.holds(user, "participants.add_questionnairelink"),
            title=str(questionnaire),
        )
        if questionnaire.audience == QuestionnaireAudience.CURATOR:
            context.update(
                can_fill=questionnaire.is_active and access.holds(user, "participants.add_response"),
                curator_responses=_curator_responses(user, questionnaire).count(),
            )
        return context


class QuestionnaireCopyView(ActionView):
    model = Questionnaire
    action = "view"
    form_class = QuestionnaireCopyForm
    required_permission = "participants.add_questionnaire"
    heading = "Копирование анкеты"
    button = "Скопировать"
    note = "Копия появится в вашей организации (или регионе): её вопросы можно изменить до первых ответов."
    success_message = "Анкета скопирована: измените её вопросы под свою программу."

    def perform(self, form: Form) -> Questionnaire:
        return services.questionnaire_copy(actor=self.request.user, questionnaire=self.target, **form.place())

    def get_success_url(self) -> str:
        copy = getattr(self, "object", None)
        return copy.get_absolute_url() if isinstance(copy, Questionnaire) else self.back_url()


class QuestionnaireEditView(ActionView):
    model = Questionnaire
    action = "change"
    form_class = QuestionnaireForm
    template_name = "participants/questionnaires/edit.html"
    heading = "Изменение анкеты"
    success_message = "Анкета сохранена."

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.target.responses.exists():
            messages.warning(request, "На эту анкету уже есть ответы, её нельзя изменить: создайте новую версию.")
            return HttpResponseRedirect(self.back_url())
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"instance": self.target}

    def get_formset(self) -> Any:
        if self.request.method == "POST":
            return QuestionFormSet(self.request.POST, prefix="questions")
        return QuestionFormSet(initial=question_initial(self.target), prefix="questions")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["formset"] = getattr(self, "formset", None) or self.get_formset()
        return context

    def form_valid(self, form: Form) -> HttpResponse:
        self.formset = self.get_formset()
        if not self.formset.is_valid():
            return self.form_invalid(form)
        self.questions = questions_from(self.formset)
        return super().form_valid(form)

    def form_invalid(self, form: Form) -> HttpResponse:
        self.formset = getattr(self, "formset", None) or self.get_formset()
        return super().form_invalid(form)

    def perform(self, form: Form) -> Questionnaire:
        data = {name: form.cleaned_data[name] for name in QuestionnaireForm.Meta.fields}
        return services.questionnaire_update(
            actor=self.request.user, questionnaire=self.target, data=data, questions=self.questions
        )


class QuestionnaireVersionView(ButtonView):
    model = Questionnaire
    action = "change"
    success_message = "Создана новая версия анкеты; прежняя осталась для полученных ответов."

    def perform(self, form: Form) -> Questionnaire:
        return services.questionnaire_new_version(actor=self.request.user, questionnaire=self.target)

    def get_success_url(self) -> str:
        version = getattr(self, "object", None)
        return version.get_absolute_url() if isinstance(version, Questionnaire) else self.back_url()


class QuestionnaireSendView(ActionView):
    model = Questionnaire
    action = "view"
    form_class = QuestionnaireSendForm
    required_permission = "participants.add_questionnairelink"
    template_name = "participants/questionnaires/send.html"
    heading = "Отправка анкеты"
    button = "Отправить"

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"questionnaire": self.target}

    def perform(self, form: Form) -> Any:
        data = form.cleaned_data
        self.programme = data["programme"]
        self.result = services.questionnaire_send(
            actor=self.request.user,
            questionnaire=self.target,
            programme=None if data["pair"] else data["programme"],
            pair=data["pair"],
            only_unanswered=data["only_unanswered"],
            deadline=data["deadline"],
        )
        return self.target

    @property
    def success_message(self) -> str:
        return self.result.summary()

    def get_success_url(self) -> str:
        programme = getattr(self, "programme", None)
        if programme is None:
            return self.back_url()
        return reverse("participants:questionnaire_follow_up", args=[self.target.pk, programme.pk])


class _SendingMixin(ScopedMixin):
    """The questionnaire and the programme (and the pair, from ``?pair=`` or the form) a follow-up page is about."""

    def sending(self, action: str = "view") -> tuple[Questionnaire, Programme, Pair | None]:
        user = self.request.user
        questionnaire = get_object_or_404(Questionnaire.objects.restrict(user, "view"), pk=self.kwargs["pk"])
        programme = get_object_or_404(
            Programme.objects.restrict(user, "view").select_related("organisation"), pk=self.kwargs["programme"]
        )
        self.ensure_permitted(programme, action)
        pair_id = self.request.POST.get("pair") or self.request.GET.get("pair")
        pair = None
        if pair_id:
            pair = get_object_or_404(
                Pair.objects.restrict(user, "view"), pk=pair_id if str(pair_id).isdigit() else 0, programme=programme
            )
        return questionnaire, programme, pair


class FollowUpView(_SendingMixin, TemplateView):
    """«Кто ответил»: answered out of asked, and the names of those who have not answered."""

    template_name = "participants/questionnaires/follow_up.html"
    paginate_by = 100

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        questionnaire, programme, pair = self.sending()
        user = self.request.user
        follow_up = selectors.questionnaire_follow_up(
            user=user, programme=programme, questionnaire=questionnaire, pair=pair
        )
        paginator = Paginator(follow_up.unanswered, self.paginate_by)
        # The counts are read already: no second COUNT for the paginator.
        paginator.__dict__["count"] = follow_up.asked - follow_up.answered
        page = paginator.get_page(self.request.GET.get("page"))
        context.update(
            questionnaire=questionnaire,
            programme=programme,
            pair=pair,
            follow_up=follow_up,
            unanswered=list(page.object_list),
            page_obj=page,
            is_paginated=page.has_other_pages(),
            querystring=f"pair={pair.pk}" if pair is not None else "",
            pairs=list(Pair.objects.restrict(user, "view").filter(programme=programme).order_by("pk")),
            can_change=access.can(user, programme, "change"),
            today=timezone.localdate(),
            now=timezone.now(),
            title=f"Кто ответил: {questionnaire}",
        )
        return context


class FollowUpRemindView(_SendingMixin, ButtonView):
    """«Напомнить остальным»."""

    def get_target(self) -> Any:
        self.questionnaire, self.programme, self.pair = self.sending("change")
        return self.programme

    def perform(self, form: Form) -> Any:
        self.result = services.questionnaire_remind(
            actor=self.request.user, questionnaire=self.questionnaire, programme=self.programme, pair=self.pair
        )
        return self.programme

    @property
    def success_message(self) -> str:
        return self.result.summary()

    def back_url(self) -> str:
        url = reverse("participants:questionnaire_follow_up", args=[self.questionnaire.pk, self.programme.pk])
        return f"{url}?pair={self.pair.pk}" if self.pair is not None else url


def qr_svg(url: str) -> str:
    return segno.make(url, error="m").svg_inline(scale=4, dark="#000", light="#fff", omitsize=True)


class SheetsView(_SendingMixin, View):
    """«Листы с QR-кодами»: a printable sheet per person without an e-mail, each with a fresh link.

    A POST, since printing draws new tokens (the sheets printed before stop working). The sheet
    names the person so that the curator can hand it out; the page the link opens does not.
    """

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        questionnaire, programme, pair = self.sending("change")
        issued = services.questionnaire_sheets_issue(
            actor=request.user, questionnaire=questionnaire, programme=programme, pair=pair
        )
        sheets = [
            {
                "person": link.person.full_name,
                "pair": link.pair,
                "url": link_url(token),
                "qr": mark_safe(qr_svg(link_url(token))),  # noqa: S308 - segno's own SVG markup
                "expires_at": timezone.localtime(link.expires_at),
            }
            for link, token in issued
        ]
        return render(
            request,
            "participants/questionnaires/sheets.html",
            {
                "questionnaire": questionnaire,
                "programme": programme,
                "pair": pair,
                "sheets": sheets,
                "title": "Листы с QR-кодами",
            },
        )


# --- the personal link (no account) ----------------------------------------------------------------


def _notice(request: HttpRequest, heading: str, message: str, status: int) -> HttpResponse:
    return render(request, NOTICE_TEMPLATE, {"heading": heading, "message": message, "title": heading}, status=status)


def _not_found(request: HttpRequest) -> HttpResponse:
    return _notice(
        request,
        "Ссылка недействительна",
        "Такой анкеты нет, ссылка заменена новой или анкета по ней уже заполнена. "
        "Если вы получили несколько писем, откройте ссылку из последнего.",
        404,
    )


class AnswerView(View):
    """``/q/<token>/``: the questionnaire of a personal link, answered without an account.

    The draft is kept in the browser (``static/participants/questionnaire.js``, localStorage under a
    key derived from the token, never the token itself): nothing is written on the server before the
    answer is sent, and what a person typed stays on their own device.
    """

    http_method_names = ["get", "post"]

    def refusal(self, request: HttpRequest, exc: DomainError, *, posted: bool) -> HttpResponse:
        if isinstance(exc, LinkAnswered):
            if posted:
                return _notice(
                    request, "Ответ уже получен, спасибо", "Ваши ответы сохранены. Страницу можно закрыть.", 200
                )
            return _not_found(request)
        if isinstance(exc, LinkNotFound):
            return _not_found(request)
        if isinstance(exc, LinkExpired):
            return _notice(request, "Срок заполнения истёк", exc.message, 410)
        return _notice(request, "Анкету нельзя заполнить", exc.message, 403)

    def page(self, request: HttpRequest, link: Any, form: AnswerForm, token: str) -> HttpResponse:
        questionnaire = link.questionnaire
        rows = [(form[name], field.question) for name, field in form.fields.items()]
        draft_key = "q-draft-" + hashlib.sha256(f"draft:{token}".encode()).hexdigest()[:32]
        return render(
            request,
            ANSWER_TEMPLATE,
            {
                "questionnaire_title": questionnaire.title,
                "rows": rows,
                "form": form,
                "draft_key": draft_key,
                "expires_at": timezone.localtime(link.expires_at),
                "title": questionnaire.title,
            },
        )

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        link = link_for_token(token)
        try:
            link_check(link)
        except DomainError as exc:
            return self.refusal(request, exc, posted=False)
        return self.page(request, link, AnswerForm(questions=list(link.questionnaire.questions.all())), token)

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        link = link_for_token(token)
        if link is None:
            return _not_found(request)
        form = AnswerForm(request.POST, questions=list(link.questionnaire.questions.all()))
        if form.is_valid():
            try:
                services.questionnaire_answer(token=token, answers=form.answers())
            except (LinkAnswered, LinkNotFound, LinkExpired) as exc:
                return self.refusal(request, exc, posted=True)
            except DomainError as exc:
                try:
                    link_check(link)
                except DomainError as refusal:
                    return self.refusal(request, refusal, posted=True)
                form.add_error(None, exc.message)
            else:
                return HttpResponseRedirect(reverse("questionnaire_done"))
        else:
            try:
                link_check(link)
            except DomainError as exc:
                return self.refusal(request, exc, posted=True)
        return self.page(request, link, form, token)


class AnswerDoneView(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return _notice(request, "Спасибо, ответ получен", "Ваши ответы сохранены. Страницу можно закрыть.", 200)


class OwnLinkView(LoginRequiredMixin, View):
    """``/q/mine/<id>/``, the digest's line: the signed-in participant's own link, opened with a fresh token."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        link = selectors.own_questionnaire_link(user=request.user, pk=pk)
        try:
            token = services.questionnaire_link_reopen(actor=request.user, link=link)
        except DomainError as exc:
            return AnswerView().refusal(request, exc, posted=True)
        return HttpResponseRedirect(reverse("questionnaire_answer", args=[token]))


# --- the curator's questionnaire, filled in by the school's staff themselves ------------------------

CURATOR_ANSWER_TEMPLATE = "participants/questionnaires/curator_answer.html"


def _curator_questionnaire(user: Any, pk: int) -> Questionnaire:
    """A questionnaire addressed to curators that the user sees; any other answers 404."""
    return get_object_or_404(
        Questionnaire.objects.restrict(user, "view").filter(audience=QuestionnaireAudience.CURATOR), pk=pk
    )


def _curator_responses(user: Any, questionnaire: Questionnaire) -> Any:
    return (
        Response.objects.restrict(user, "view")
        .filter(questionnaire=questionnaire, respondent__isnull=False)
        .select_related("programme", "respondent", "organisation")
        .order_by("-filled_on", "-pk")
    )


class CuratorProgrammesView(TargetMixin, ScopedMixin, TemplateView):
    """«Заполнить анкету куратора»: the programmes the user keeps, each to fill in or to look at, and the
    curators' responses in the user's scope."""

    template_name = "participants/questionnaires/curator_programmes.html"

    def get_target(self) -> Questionnaire:
        return _curator_questionnaire(self.request.user, self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        questionnaire = self.target
        responses = list(_curator_responses(user, questionnaire)[:200])
        mine = {response.programme_id: response for response in responses if response.respondent_id == user.pk}
        can_fill = questionnaire.is_active and access.holds(user, "participants.add_response")
        programmes = (
            list(
                Programme.objects.restrict(user, "change")
                .select_related("organisation")
                .order_by("-school_year", "title")
            )
            if can_fill
            else []
        )
        context.update(
            questionnaire=questionnaire,
            programmes=[(programme, mine.get(programme.pk)) for programme in programmes],
            responses=responses,
            title=f"Анкета куратора: {questionnaire}",
        )
        return context


class CuratorAnswerView(ActionView):
    """The curator's own answers to a curator's questionnaire about one programme of their school."""

    template_name = CURATOR_ANSWER_TEMPLATE
    form_class = AnswerForm
    form_takes_user = False
    required_permission = "participants.add_response"
    success_message = "Спасибо, анкета куратора заполнена."

    def get_target(self) -> Any:
        user = self.request.user
        self.questionnaire = _curator_questionnaire(user, self.kwargs["pk"])
        self.programme = get_object_or_404(
            Programme.objects.restrict(user, "view").select_related("organisation"), pk=self.kwargs["programme"]
        )
        self.ensure_permitted(self.programme, "change")
        return self.programme

    def given(self) -> Response | None:
        return curator_response_of(
            questionnaire=self.questionnaire, respondent=self.request.user, programme=self.target
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        given = self.given()
        if given is not None:
            messages.info(request, f"Вы уже заполнили эту анкету по программе «{self.target}»: вот ваши ответы.")
            return HttpResponseRedirect(reverse("participants:curator_response", args=[given.pk]))
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"questions": list(self.questionnaire.questions.all())}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = context["form"]
        draft = f"curator:{self.questionnaire.pk}:{self.target.pk}:{self.request.user.pk}"
        context.update(
            questionnaire=self.questionnaire,
            programme=self.target,
            rows=[(form[name], field.question) for name, field in form.fields.items() if hasattr(field, "question")],
            draft_key="q-draft-" + hashlib.sha256(draft.encode()).hexdigest()[:32],
            title=str(self.questionnaire),
        )
        return context

    def perform(self, form: Form) -> Response:
        answers = {
            field.question.pk: form.cleaned_data.get(name)
            for name, field in form.fields.items()
            if hasattr(field, "question")
        }
        return curator_response_submit(
            actor=self.request.user, questionnaire=self.questionnaire, programme=self.target, answers=answers
        )

    def back_url(self) -> str:
        return reverse("participants:curator_questionnaire", args=[self.questionnaire.pk])

    def get_success_url(self) -> str:
        response = getattr(self, "object", None)
        if isinstance(response, Response):
            return reverse("participants:curator_response", args=[response.pk])
        return self.back_url()


class CuratorResponseView(ObjectDetailView):
    """A curator's questionnaire as filled in, read-only."""

    model = Response
    template_name = "participants/questionnaires/curator_response.html"
    select_related = ("questionnaire", "programme", "respondent", "organisation")

    def restricted(self, action: str = "view") -> Any:
        return super().restricted(action).filter(respondent__isnull=False)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        response = self.object
        context.update(
            answers=list(response.answers.select_related("question").order_by("question__position")),
            title=str(response.questionnaire),
        )
        return context
