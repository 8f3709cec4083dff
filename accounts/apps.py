"""Accounts: who may log in and how (throttling, two-factor, sessions, single sign-on), invitations
and the delegated administration of users and their roles."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Учётные записи и вход"

    def ready(self) -> None:
        from mentorship import menu

        menu.register(
            "invitations",
            "Приглашения",
            "accounts:invitation_list",
            order=85,
            shown=lambda viewer: viewer.holds("accounts.add_invitation"),
            hint="пригласить сотрудников по электронной почте на роли, которые вы назначаете.",
        )
