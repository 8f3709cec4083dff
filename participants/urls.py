from django.urls import path

from mentorship.views.files import ScopedFileView

from . import views, views_accounts, views_my, views_questionnaires
from .choices import BaseRole
from .models import Consent, CooperationAgreement, Programme

app_name = "participants"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    # people and the bases
    path("people/", views.PeopleListView.as_view(), name="people"),
    path("people/lookup/", views.PeopleLookupView.as_view(), name="people_lookup"),
    path("people/<int:pk>/", views.PersonDetailView.as_view(), name="person"),
    path("people/<int:pk>/edit/", views.PersonEditView.as_view(), name="person_edit"),
    path("people/<int:pk>/enrol/mentor/", views.EnrolView.as_view(role=BaseRole.MENTOR), name="person_enrol_mentor"),
    path("people/<int:pk>/enrol/mentee/", views.EnrolView.as_view(role=BaseRole.MENTEE), name="person_enrol_mentee"),
    path("people/<int:pk>/consent/", views.ConsentAddView.as_view(), name="consent_add"),
    path("people/<int:pk>/agreement/", views.AgreementAddView.as_view(), name="agreement_add"),
    path("consents/<int:pk>/withdraw/", views.ConsentWithdrawView.as_view(), name="consent_withdraw"),
    path("entries/<int:pk>/edit/", views.BaseEntryEditView.as_view(), name="entry_edit"),
    path("entries/<int:pk>/remove/", views.BaseEntryRemoveView.as_view(), name="entry_remove"),
    path("consents/<int:pk>/file/", ScopedFileView.as_view(model=Consent, field="document"), name="consent_file"),
    path(
        "agreements/<int:pk>/file/",
        ScopedFileView.as_view(model=CooperationAgreement, field="document"),
        name="agreement_file",
    ),
    path("mentors/", views.MentorsListView.as_view(), name="mentors"),
    path("mentors/add/", views.EnrolView.as_view(role=BaseRole.MENTOR), name="mentor_add"),
    path("mentees/", views.MenteesListView.as_view(), name="mentees"),
    path("mentees/add/", views.EnrolView.as_view(role=BaseRole.MENTEE), name="mentee_add"),
    path("unpaired/", views.UnpairedListView.as_view(), name="unpaired"),
    # pairs and their work
    path("pairs/", views.PairsListView.as_view(), name="pairs"),
    path("pairs/add/", views.PairCreateView.as_view(), name="pair_add"),
    path("pairs/confirm/", views.PairsConfirmView.as_view(), name="pairs_confirm"),
    path("pairs/close-year/", views.SchoolYearCloseView.as_view(), name="school_year_close"),
    path("pairs/<int:pk>/", views.PairDetailView.as_view(), name="pair"),
    path("pairs/<int:pk>/history/", views.PairHistoryView.as_view(), name="pair_history"),
    path("pairs/<int:pk>/stage/", views.PairStageView.as_view(), name="pair_stage"),
    path("pairs/<int:pk>/complete/", views.PairCompleteView.as_view(), name="pair_complete"),
    path("pairs/<int:pk>/terminate/", views.PairTerminateView.as_view(), name="pair_terminate"),
    path("pairs/<int:pk>/members/add/", views.PairMemberAddView.as_view(), name="member_add"),
    path("members/<int:pk>/remove/", views.PairMemberRemoveView.as_view(), name="member_remove"),
    path("pairs/<int:pk>/meetings/add/", views.MeetingAddView.as_view(), name="meeting_add"),
    path("pairs/<int:pk>/plans/add/", views.PlanAddView.as_view(), name="plan_add"),
    path("meetings/<int:pk>/record/", views.MeetingRecordView.as_view(), name="meeting_record"),
    path("plans/<int:pk>/tasks/add/", views.PlanTaskAddView.as_view(), name="task_add"),
    path("tasks/<int:pk>/edit/", views.PlanTaskEditView.as_view(), name="task_edit"),
    # programmes and matching
    path("programmes/", views.ProgrammesListView.as_view(), name="programmes"),
    path("programmes/add/", views.ProgrammeEditView.as_view(), name="programme_add"),
    path("programmes/<int:pk>/", views.ProgrammeDetailView.as_view(), name="programme"),
    path("programmes/<int:pk>/file/", ScopedFileView.as_view(model=Programme, field="document"), name="programme_file"),
    path("programmes/<int:pk>/edit/", views.ProgrammeEditView.as_view(), name="programme_edit"),
    path("programmes/<int:pk>/copy/", views.ProgrammeCopyView.as_view(), name="programme_copy"),
    path("programmes/<int:pk>/matching/", views.MatchingView.as_view(), name="matching"),
    path("programmes/<int:pk>/matching/run/", views.MatchRunView.as_view(), name="matching_run"),
    path("bank/", views.BankListView.as_view(), name="bank"),
    path("suggestions/<int:pk>/accept/", views.SuggestionDecideView.as_view(accept=True), name="suggestion_accept"),
    path("suggestions/<int:pk>/reject/", views.SuggestionDecideView.as_view(accept=False), name="suggestion_reject"),
    # questionnaires: templates, own copies and versions, sending and «who has answered»
    path("questionnaires/", views_questionnaires.QuestionnaireListView.as_view(), name="questionnaires"),
    path("questionnaires/<int:pk>/", views_questionnaires.QuestionnaireDetailView.as_view(), name="questionnaire"),
    path(
        "questionnaires/<int:pk>/copy/",
        views_questionnaires.QuestionnaireCopyView.as_view(),
        name="questionnaire_copy",
    ),
    path(
        "questionnaires/<int:pk>/edit/",
        views_questionnaires.QuestionnaireEditView.as_view(),
        name="questionnaire_edit",
    ),
    path(
        "questionnaires/<int:pk>/version/",
        views_questionnaires.QuestionnaireVersionView.as_view(),
        name="questionnaire_version",
    ),
    path(
        "questionnaires/<int:pk>/send/",
        views_questionnaires.QuestionnaireSendView.as_view(),
        name="questionnaire_send",
    ),
    path(
        "questionnaires/<int:pk>/programmes/<int:programme>/",
        views_questionnaires.FollowUpView.as_view(),
        name="questionnaire_follow_up",
    ),
    path(
        "questionnaires/<int:pk>/programmes/<int:programme>/remind/",
        views_questionnaires.FollowUpRemindView.as_view(),
        name="questionnaire_remind",
    ),
    path(
        "questionnaires/<int:pk>/programmes/<int:programme>/sheets/",
        views_questionnaires.SheetsView.as_view(),
        name="questionnaire_sheets",
    ),
    # «Моя пара» and the calendars (participants/views_my.py)
    path("my/", views_my.MyPairsView.as_view(), name="my"),
    path("my/<int:pk>/", views_my.MyPairView.as_view(), name="my_pair"),
    path("my/<int:pk>/meeting/", views_my.MeetingLogView.as_view(), name="my_meeting_log"),
    path("my/meetings/<int:pk>/held/", views_my.MeetingHeldView.as_view(), name="my_meeting_held"),
    path("my/meetings/<int:pk>/rate/", views_my.MeetingRateView.as_view(), name="my_meeting_rate"),
    path("my/tasks/<int:pk>/done/", views_my.TaskDoneView.as_view(), name="my_task_done"),
    path("my/calendar/", views_my.CalendarView.as_view(), name="my_calendar"),
    path("meetings/<int:pk>/calendar.ics", views_my.MeetingIcsView.as_view(), name="meeting_ics"),
    path("calendar/<str:token>.ics", views_my.CalendarFeedView.as_view(), name="calendar_feed"),
    # «Доступ к порталу» on a person's card (participants/views_accounts.py)
    path("people/<int:pk>/access/open/", views_accounts.ParticipantAccessOpenView.as_view(), name="access_open"),
    path("people/<int:pk>/access/close/", views_accounts.ParticipantAccessCloseView.as_view(), name="access_close"),
    path("people/<int:pk>/access/parent/", views_accounts.GuardianAccessView.as_view(), name="access_parent"),
    path("guardianships/<int:pk>/remove/", views_accounts.GuardianshipRemoveView.as_view(), name="guardianship_remove"),
    # The curator's questionnaire, filled in by the school's staff themselves (participants/views_questionnaires.py)
    path(
        "questionnaires/<int:pk>/curator/",
        views_questionnaires.CuratorProgrammesView.as_view(),
        name="curator_questionnaire",
    ),
    path(
        "questionnaires/<int:pk>/programmes/<int:programme>/curator/",
        views_questionnaires.CuratorAnswerView.as_view(),
        name="curator_answer",
    ),
    path(
        "questionnaires/responses/<int:pk>/",
        views_questionnaires.CuratorResponseView.as_view(),
        name="curator_response",
    ),
]
