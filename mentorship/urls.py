from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from .views.home import HomeView

handler400 = "mentorship.views.errors.bad_request"
handler403 = "mentorship.views.errors.permission_denied"
handler404 = "mentorship.views.errors.page_not_found"
handler500 = "mentorship.views.errors.server_error"

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("directory/", include("mentorship.urls_directory")),
    path("imports/", include("mentorship.urls_imports")),
    path("roadmaps/", include("roadmaps.urls", namespace="roadmaps")),
    path("participants/", include("participants.urls", namespace="participants")),
    path("q/", include("participants.urls_public")),
    path("notifications/", include("notifications.urls", namespace="notifications")),
    path("monitoring/", include("monitoring.urls", namespace="monitoring")),
    path("documents/", include("reports.urls", namespace="reports")),
    path("accounts/", include("accounts.urls", namespace="accounts")),
    # The password change, reset and reset-confirm pages (recorded in the security event log; the reset
    # letter leaves through Celery).
    path("", include("accounts.urls_passwords")),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accounts/password/reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("accounts/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("admin/", admin.site.urls),
]

if settings.OIDC_ENABLED:
    # Single sign-on (mentorship/settings/base.py): /oidc/authenticate/, /oidc/callback/, /oidc/logout/.
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))
