"""Accounts: who may log in and how (throttling, two-factor, sessions, single sign-on), invitations
and the delegated administration of users and their roles."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Учётные записи и вход"

    def ready(self) -> None:
        from mentorship import access, menu

        # «Пользователи» for those who may grant some role (and administrators).
        menu.register(
            "users",
            "Пользователи",
            "accounts:users",
            order=85,
            shown=lambda viewer: viewer.administrator or access.grants_some_role(viewer.roles),
            hint="кто работает на портале в ваших организациях: роли, назначение и снятие ролей, отключение.",
        )
