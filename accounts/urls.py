"""The accounts pages, under /accounts/ (beside Django's own log-in and password views)."""

from django.urls import path

from .views import users

app_name = "accounts"

urlpatterns: list = [
    path("users/", users.UserListView.as_view(), name="users"),
    path("users/<int:pk>/", users.UserCardView.as_view(), name="user"),
    path("users/<int:pk>/grant/", users.RoleGrantView.as_view(), name="user_grant"),
    path("users/<int:pk>/deactivate/", users.UserSwitchView.as_view(active=False), name="user_deactivate"),
    path("users/<int:pk>/activate/", users.UserSwitchView.as_view(active=True), name="user_activate"),
    path("users/<int:pk>/handover/<slug:key>/", users.HandoverView.as_view(), name="user_handover"),
    path("roles/<int:pk>/revoke/", users.RoleRevokeView.as_view(), name="role_revoke"),
]
