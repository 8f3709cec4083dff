from django.urls import path

from . import views

app_name = "monitoring"

urlpatterns = [
    path("", views.MonitoringIndexView.as_view(), name="index"),
    path("region/<int:pk>/", views.RegionDashboardView.as_view(), name="region"),
    path("municipality/<int:pk>/", views.MunicipalityDashboardView.as_view(), name="municipality"),
    path("organisation/<int:pk>/", views.OrganisationDashboardView.as_view(), name="organisation"),
    path("<str:level>/<int:pk>/chart/<slug:name>.svg", views.ChartView.as_view(), name="chart"),
    path("<str:level>/<int:pk>/refresh/", views.RefreshView.as_view(), name="refresh"),
    path("<str:level>/<int:pk>/targets/", views.TargetsView.as_view(), name="targets"),
    path("<str:level>/<int:pk>/quality/", views.QualityView.as_view(), name="quality"),
    path("<str:level>/<int:pk>/federal.xlsx", views.FederalExportView.as_view(), name="federal"),
    path("organisation/<int:pk>/values/", views.IndicatorValuesView.as_view(), name="values"),
    path("organisation/<int:pk>/report/", views.ReportSubmitView.as_view(), name="report_submit"),
    path("reports/", views.ReportListView.as_view(), name="reports"),
    path("reports/<int:pk>/", views.ReportDetailView.as_view(), name="report"),
    path("reports/<int:pk>/accept/", views.ReportDecisionView.as_view(action="accept"), name="report_accept"),
    path("reports/<int:pk>/return/", views.ReportDecisionView.as_view(action="return"), name="report_return"),
]
