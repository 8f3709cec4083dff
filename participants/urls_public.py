"""The personal links to questionnaires, at the site's root (``/q/…``): short enough to type from a printed sheet."""

from django.urls import path

from . import views_questionnaires

urlpatterns = [
    path("done/", views_questionnaires.AnswerDoneView.as_view(), name="questionnaire_done"),
    path("mine/<int:pk>/", views_questionnaires.OwnLinkView.as_view(), name="questionnaire_mine"),
    path("<str:token>/", views_questionnaires.AnswerView.as_view(), name="questionnaire_answer"),
]
