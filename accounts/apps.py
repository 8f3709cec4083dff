from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Учётные записи и вход"

    def ready(self) -> None:
        from . import checks, signals  # noqa: F401  (registers the system checks, connects the log-in receivers)
