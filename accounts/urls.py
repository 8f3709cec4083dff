"""The accounts pages, under /accounts/ (beside Django's own log-in and password views)."""

from django.urls import path

from .views import security, two_factor

app_name = "accounts"

urlpatterns: list = [
    path("two-factor/", two_factor.SecurityView.as_view(), name="two_factor"),
    path("two-factor/setup/", two_factor.SetupView.as_view(), name="two_factor_setup"),
    path("two-factor/verify/", two_factor.VerifyView.as_view(), name="two_factor_verify"),
    path("two-factor/codes/", two_factor.CodesView.as_view(), name="two_factor_codes"),
    path("security/", security.SecurityEventListView.as_view(), name="security_log"),
]
