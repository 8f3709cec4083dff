"""The accounts pages, under /accounts/ (beside Django's own log-in and password views)."""

from django.urls import path

from . import views_two_factor

app_name = "accounts"

urlpatterns: list = [
    path("two-factor/", views_two_factor.SecurityView.as_view(), name="two_factor"),
    path("two-factor/setup/", views_two_factor.SetupView.as_view(), name="two_factor_setup"),
    path("two-factor/verify/", views_two_factor.VerifyView.as_view(), name="two_factor_verify"),
    path("two-factor/codes/", views_two_factor.CodesView.as_view(), name="two_factor_codes"),
]
