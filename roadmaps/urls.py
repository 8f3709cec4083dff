from django.urls import path

from mentorship.views.files import ScopedFileView

from . import views, views_import
from .models import ItemEvidence

app_name = "roadmaps"


def step(action: str) -> object:
    return path(f"<int:pk>/{action}/", views.RoadmapTransitionView.as_view(action=action), name=action)


urlpatterns = [
    path("", views.RoadmapListView.as_view(), name="list"),
    path("awaiting/", views.AwaitingApprovalView.as_view(), name="awaiting"),
    path("my-tasks/", views.MyTasksView.as_view(), name="my_tasks"),
    path("add/", views.RoadmapEditView.as_view(), name="add"),
    path("import/", views_import.RoadmapImportView.as_view(), name="import"),
    path("import/confirm/", views_import.RoadmapImportConfirmView.as_view(), name="import_confirm"),
    path("<int:pk>/", views.RoadmapDetailView.as_view(), name="detail"),
    path("<int:pk>/timeline/", views.RoadmapTimelineView.as_view(), name="timeline"),
    path("<int:pk>/edit/", views.RoadmapEditView.as_view(), name="edit"),
    path("<int:pk>/indicators/add/", views.TargetIndicatorEditView.as_view(), name="indicator_add"),
    path(
        "<int:pk>/indicators/<int:indicator_pk>/edit/", views.TargetIndicatorEditView.as_view(), name="indicator_edit"
    ),
    step("submit"),
    step("approve"),
    step("return"),
    step("revise"),
    path("<int:roadmap_pk>/items/add/", views.ItemEditView.as_view(), name="item_add"),
    path("items/<int:pk>/edit/", views.ItemEditView.as_view(), name="item_edit"),
    path("items/<int:pk>/delete/", views.ItemDeleteView.as_view(), name="item_delete"),
    path("items/<int:pk>/complete/", views.ItemCompleteView.as_view(), name="item_complete"),
    path("items/<int:pk>/progress/", views.ItemProgressView.as_view(), name="item_progress"),
    path("items/<int:pk>/cascade/", views.ItemCascadeView.as_view(), name="item_cascade"),
    path(
        "evidence/<int:pk>/file/",
        ScopedFileView.as_view(model=ItemEvidence, field="file", via="item"),
        name="evidence_file",
    ),
]
