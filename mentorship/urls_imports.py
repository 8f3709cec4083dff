from django.urls import path

from .views import imports as views

app_name = "imports"

urlpatterns = [
    path("", views.ImportIndexView.as_view(), name="index"),
    path("<slug:kind>/template.xlsx", views.TemplateDownloadView.as_view(), name="template"),
    path("<slug:kind>/upload/", views.UploadView.as_view(), name="upload"),
    path("jobs/<int:pk>/", views.JobView.as_view(), name="job"),
    path("jobs/<int:pk>/status/", views.JobStatusView.as_view(), name="job_status"),
    path("jobs/<int:pk>/confirm/", views.ConfirmView.as_view(), name="confirm"),
    path("jobs/<int:pk>/mapping/", views.RemapView.as_view(), name="remap"),
    path("export/<slug:key>.xlsx", views.ExportView.as_view(), name="export"),
]
