from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Orders (приказы), roadmaps and monitoring reports rendered to PDF, the order register."""

    name = "reports"
    verbose_name = "Документы"

    def ready(self) -> None:
        from mentorship import menu

        menu.register("documents", "Документы", "reports:orders", order=80, shown=lambda viewer: viewer.placed)
