from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.OrderListView.as_view(), name="orders"),
    path("orders/add/", views.OrderCreateView.as_view(), name="order_add"),
    path("orders/add/pairs/", views.OrderPairsCreateView.as_view(), name="order_pairs_add"),
    path("orders/<int:pk>/", views.OrderDetailView.as_view(), name="order"),
    path("orders/<int:pk>/edit/", views.OrderEditView.as_view(), name="order_edit"),
    path("orders/<int:pk>/refresh/", views.OrderRefreshView.as_view(), name="order_refresh"),
    path("orders/<int:pk>/sign/", views.OrderSignView.as_view(), name="order_sign"),
    path("orders/<int:pk>/delete/", views.OrderDeleteView.as_view(), name="order_delete"),
    path("orders/<int:pk>/scan/", views.OrderScanView.as_view(), name="order_scan"),
    path("orders/<int:pk>/scan/file/", views.OrderScanFileView.as_view(), name="order_scan_file"),
    path("orders/<int:pk>/link/", views.OrderLinkItemView.as_view(), name="order_link"),
    path("orders/<int:pk>/pdf/", views.OrderPdfView.as_view(), name="order_pdf"),
    path("roadmaps/<int:pk>/pdf/", views.RoadmapPdfView.as_view(), name="roadmap_pdf"),
    path("monitoring/<str:level>/<int:pk>/", views.MonitoringReportView.as_view(), name="monitoring_report"),
    path("certificates/", views.CertificateView.as_view(), name="certificate"),
    path("jobs/", views.JobListView.as_view(), name="jobs"),
    path("jobs/<int:pk>/", views.JobDetailView.as_view(), name="job"),
    path("jobs/<int:pk>/file/", views.JobFileView.as_view(), name="job_file"),
]
