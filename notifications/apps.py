from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Напоминания и уведомления"

    def ready(self) -> None:
        # Each app's reminders.py registers its reminder sources (see registry.py).
        autodiscover_modules("reminders")
