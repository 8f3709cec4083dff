from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Напоминания и уведомления"

    def ready(self) -> None:
        # Each app's reminders.py registers its reminder sources (see registry.py).
        autodiscover_modules("reminders")
        from mentorship import menu

        from .selectors import unread_count

        menu.register(
            "notifications-bell",
            "Уведомления",
            "notifications:list",
            order=10,
            section=menu.BAR,
            icon="bell",
            count=lambda user: unread_count(user=user),
        )
        menu.register("notifications", "Уведомления", "notifications:list", order=10, section=menu.ACCOUNT)
        menu.register(
            "notification-preferences",
            "Настройки напоминаний",
            "notifications:preferences",
            order=20,
            section=menu.ACCOUNT,
        )
