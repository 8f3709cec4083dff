"""«Моя пара» / «Моя группа»: the pages of participants with accounts (mentors, mentees, parents).

A participant holds no role: what they see and do follows from the models' ``participant_filter``
(``access.scope_q``). The pair is found with ``restrict(user, "take_part")`` (404 for anyone
else's pair), a meeting or a task through its pair; logging and ticking ask «lead» of the pair,
a mentee's rating «rate» of the meeting, in the same services the curator's forms call.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from mentorship.forms import SUBMISSION_FIELD
from mentorship.views.generic import ActionView, ButtonView, ScopedMixin

from . import calendar, selectors_my, services
from .choices import MeetingKind
from .forms_my import MeetingHeldForm, MeetingLogForm, MeetingRateForm
from .models import CalendarFeed, Meeting, Pair, PlanTask
from .services import calendars


def my_pair_url(pair_id: int, anchor: str = "") -> str:
    return reverse("participants:my_pair", args=[pair_id]) + (f"#{anchor}" if anchor else "")


class MyPairsView(LoginRequiredMixin, TemplateView):
    """The user's pairs and groups; with exactly one, straight to it."""

    template_name = "participants/my/pair_list.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.pairs = list(selectors_my.my_pairs(user=request.user)[: selectors_my.MY_PAIRS_LIMIT])
        if len(self.pairs) == 1:
            return HttpResponseRedirect(my_pair_url(self.pairs[0].pk))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | {"title": "Моя пара", "pairs": self.pairs}


class MyPairView(LoginRequiredMixin, TemplateView):
    """One pair as its member or a consenting parent sees it: names, the programme, the plan, the meetings."""

    template_name = "participants/my/pair_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        mine = selectors_my.my_pair(user=self.request.user, pk=self.kwargs["pk"])
        # Each task's button carries its own one-time token: a double tap ticks once.
        for plan in mine.plans:
            for task in plan.tasks.all():
                task.tick_token = uuid.uuid4()
        title = ("Моя группа" if mine.is_group else "Моя пара") if mine.role != "parent" else "Пара моего ребёнка"
        return super().get_context_data(**kwargs) | {
            "title": title,
            "mine": mine,
            "pair": mine.pair,
            "submission_field": SUBMISSION_FIELD,
        }


class _MyPairAction(ActionView):
    """A form of «Моя пара»: back to the pair's page; the form takes the meeting, not the user."""

    template_name = "participants/my/form.html"
    form_takes_user = False

    def pair_id(self) -> int:
        return self.target.pk if isinstance(self.target, Pair) else self.target.pair_id

    def back_url(self) -> str:
        return my_pair_url(self.pair_id(), "meetings")


class MeetingLogView(_MyPairAction):
    """«Записать встречу»: a held meeting that was not planned, in one step (``meeting_log``)."""

    model = Pair
    action = "lead"
    form_class = MeetingLogForm
    heading = "Записать встречу"
    button = "Записать"
    success_message = "Встреча записана."

    def get_initial(self) -> dict[str, Any]:
        kind = self.request.GET.get("kind", "")
        return super().get_initial() | ({"kind": kind} if kind in MeetingKind.values else {})

    def perform(self, form: MeetingLogForm) -> Meeting:
        return services.meeting_log(actor=self.request.user, pair=self.target, data=form.data_for_service())


class MeetingHeldView(_MyPairAction):
    """«Встреча прошла»: a planned meeting marked held, or a held one corrected (``meeting_record``)."""

    model = Meeting
    select_related = ("pair",)
    action = "change"
    form_class = MeetingHeldForm
    heading = "Встреча прошла"
    success_message = "Встреча отмечена проведённой."

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"meeting": self.target}

    def perform(self, form: MeetingHeldForm) -> Meeting:
        return services.meeting_record(actor=self.request.user, meeting=self.target, data=form.data_for_service())


class MeetingRateView(_MyPairAction):
    """The mentee's «Оценить встречу» (``meeting_rate``)."""

    model = Meeting
    select_related = ("pair",)
    action = "rate"
    form_class = MeetingRateForm
    heading = "Оценить встречу"
    button = "Отправить"
    success_message = "Спасибо! Оценка сохранена."

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"meeting": self.target}

    def perform(self, form: MeetingRateForm) -> Meeting:
        return services.meeting_rate(actor=self.request.user, meeting=self.target, data=form.data_for_service())


class TaskDoneView(ButtonView):
    """«Выполнено» / «Не выполнено» on a task of the plan: the pair's mentor (or the school's staff), «lead»."""

    model = PlanTask

    def get_target(self) -> PlanTask:
        task = self.get_child_object(PlanTask.objects.select_related("plan__pair"), via="plan")
        self.ensure_permitted(task.plan.pair, "lead")
        return task

    @property
    def success_message(self) -> str:
        return "Задача отмечена выполненной." if self.target.done_on is None else "Отметка о выполнении снята."

    def perform(self, form: Any) -> PlanTask:
        done_on = timezone.localdate() if self.target.done_on is None else None
        return services.plan_task_update(actor=self.request.user, task=self.target, data={"done_on": done_on})

    def get_success_url(self) -> str:
        return my_pair_url(self.target.plan.pair_id, "plan")


# --- calendars ---------------------------------------------------------------------------------------------

ICS_TYPE = "text/calendar; charset=utf-8"


class MeetingIcsView(ScopedMixin, View):
    """One meeting as an .ics file, for whoever sees it (its pair's members, the school's staff)."""

    model = Meeting
    select_related = ("pair__programme",)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        meeting = self.get_scoped_object("view")
        response = HttpResponse(calendar.calendar_text([meeting], now=timezone.now()), content_type=ICS_TYPE)
        response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
        return response


class CalendarView(LoginRequiredMixin, TemplateView):
    """«Календарь»: connect a secret feed (its link shown once), revoke it, make a new one."""

    template_name = "participants/my/calendar.html"

    def feeds(self) -> QuerySet:
        return CalendarFeed.objects.restrict(self.request.user, "view").filter(revoked_at__isnull=True)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | {"title": "Календарь встреч", "active": self.feeds().first()}

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.POST.get("action") == "revoke":
            if calendars.calendar_feed_revoke(actor=request.user):
                messages.success(request, "Ссылка отозвана: календарь по ней больше не обновится.")
            return HttpResponseRedirect(reverse("participants:my_calendar"))
        feed, token = calendars.calendar_feed_create(actor=request.user)
        url = request.build_absolute_uri(reverse("participants:calendar_feed", args=[token]))
        return render(request, self.template_name, {"title": "Календарь встреч", "active": feed, "feed_url": url})


class CalendarFeedView(View):
    """The secret feed: no log-in (calendar apps fetch it); a wrong or revoked link answers 404 in Russian."""

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        user = calendars.calendar_feed_owner(token)
        if user is None:
            return HttpResponseNotFound(
                "Ссылка на календарь не найдена или отозвана.", content_type="text/plain; charset=utf-8"
            )
        meetings = selectors_my.calendar_meetings(user=user)
        response = HttpResponse(calendar.calendar_text(meetings, now=timezone.now()), content_type=ICS_TYPE)
        # The link is a secret: no shared cache keeps the list of someone's meetings.
        response["Cache-Control"] = "private, no-store"
        return response
