"""The accounts pages, under /accounts/ (beside Django's own log-in and password views)."""

from django.urls import path

from .views import security

app_name = "accounts"

urlpatterns: list = [
    path("security/", security.SecurityEventListView.as_view(), name="security_log"),
]
