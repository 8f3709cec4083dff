from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    """Indicators against yearly targets, period reports and dashboards."""

    name = "monitoring"
    verbose_name = "Мониторинг"

    def ready(self) -> None:
        from mentorship import menu

        menu.register(
            "monitoring",
            "Мониторинг",
            "monitoring:index",
            order=70,
            shown=lambda viewer: viewer.holds("monitoring.view_organisationfigures"),
        )
