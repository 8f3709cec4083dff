from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Учётные записи и вход"

    def ready(self) -> None:
        from mentorship import menu

        from . import audit

        # Log-ins, failed log-ins and log-outs go to the security event log.
        audit.connect()
        menu.register(
            "security-log",
            "Журнал безопасности",
            "accounts:security_log",
            order=95,
            shown=lambda viewer: viewer.holds("mentorship.view_securityevent"),
            hint="входы, неудачные попытки входа, смены паролей и ролей, выгрузки персональных данных.",
        )
