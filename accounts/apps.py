from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Учётные записи и вход"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (importing checks registers the system checks)
