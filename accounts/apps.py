from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Учётные записи и вход"

    def ready(self) -> None:
        from . import signals  # noqa: F401 (connects the log-in receivers)
