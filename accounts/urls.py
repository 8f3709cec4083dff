"""The accounts pages, under /accounts/ (beside Django's own log-in and password views)."""

from django.urls import path

from .views import invitations

app_name = "accounts"

urlpatterns: list = []

urlpatterns += [
    path("invitations/", invitations.InvitationListView.as_view(), name="invitation_list"),
    path("invitations/new/", invitations.InvitationCreateView.as_view(), name="invitation_create"),
    path("invitations/<int:pk>/resend/", invitations.InvitationResendView.as_view(), name="invitation_resend"),
    path("invitations/<int:pk>/withdraw/", invitations.InvitationWithdrawView.as_view(), name="invitation_withdraw"),
    path("invitation/<str:token>/", invitations.InvitationAcceptView.as_view(), name="invitation_accept"),
]
