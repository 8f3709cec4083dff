"""The password change, reset and reset-confirm pages under their global names (``password_change``,
``password_reset_confirm``), as Django's templates and e-mails reverse them; included without a
namespace by the root URLconf, ahead of Django's own password pages."""

from django.urls import path

from .views import passwords

urlpatterns = [
    path("accounts/password/change/", passwords.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/reset/", passwords.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/reset/<uidb64>/<token>/", passwords.PasswordResetConfirmView.as_view(), name="password_reset_confirm"
    ),
]
