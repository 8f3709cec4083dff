"""The accounts pages, under /accounts/ (beside Django's own log-in and password views)."""

from django.urls import path

from .views import invitations, security, two_factor, users

app_name = "accounts"

urlpatterns: list = [
    path("two-factor/", two_factor.SecurityView.as_view(), name="two_factor"),
    path("two-factor/setup/", two_factor.SetupView.as_view(), name="two_factor_setup"),
    path("two-factor/verify/", two_factor.VerifyView.as_view(), name="two_factor_verify"),
    path("two-factor/codes/", two_factor.CodesView.as_view(), name="two_factor_codes"),
    path("security/", security.SecurityEventListView.as_view(), name="security_log"),
    path("users/", users.UserListView.as_view(), name="users"),
    path("users/<int:pk>/", users.UserCardView.as_view(), name="user"),
    path("users/<int:pk>/grant/", users.RoleGrantView.as_view(), name="user_grant"),
    path("users/<int:pk>/deactivate/", users.UserSwitchView.as_view(active=False), name="user_deactivate"),
    path("users/<int:pk>/activate/", users.UserSwitchView.as_view(active=True), name="user_activate"),
    path("users/<int:pk>/handover/<slug:key>/", users.HandoverView.as_view(), name="user_handover"),
    path("roles/<int:pk>/revoke/", users.RoleRevokeView.as_view(), name="role_revoke"),
    path("invitations/", invitations.InvitationListView.as_view(), name="invitation_list"),
    path("invitations/new/", invitations.InvitationCreateView.as_view(), name="invitation_create"),
    path("invitations/<int:pk>/resend/", invitations.InvitationResendView.as_view(), name="invitation_resend"),
    path("invitations/<int:pk>/withdraw/", invitations.InvitationWithdrawView.as_view(), name="invitation_withdraw"),
    path("invitation/<str:token>/", invitations.InvitationAcceptView.as_view(), name="invitation_accept"),
]
