"""Accounts: who may log in and how (throttling, two-factor, sessions, single sign-on), invitations
and the delegated administration of users and their roles."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Учётные записи и вход"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from mentorship import access, menu

        from . import audit, checks, signals, two_factor  # noqa: F401  (system checks; log-in receivers)

        # The password step decides whether the session still owes the second factor.
        user_logged_in.connect(two_factor.session_start, dispatch_uid="accounts.two_factor.session_start")
        # Log-ins, failed log-ins and log-outs go to the security event log.
        audit.connect()
        menu.register("two-factor", "Безопасность входа", "accounts:two_factor", order=30, section=menu.ACCOUNT)
        menu.register(
            "security-log",
            "Журнал безопасности",
            "accounts:security_log",
            order=95,
            shown=lambda viewer: viewer.holds("mentorship.view_securityevent"),
            hint="входы, неудачные попытки входа, смены паролей и ролей, выгрузки персональных данных.",
        )
        # «Пользователи» for those who may grant some role (and administrators).
        menu.register(
            "users",
            "Пользователи",
            "accounts:users",
            order=85,
            shown=lambda viewer: viewer.administrator or access.grants_some_role(viewer.roles),
            hint="кто работает на портале в ваших организациях: роли, назначение и снятие ролей, отключение.",
        )
