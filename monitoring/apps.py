from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    """Indicators against yearly targets, period reports and dashboards."""

    name = "monitoring"
    verbose_name = "Мониторинг"

    def ready(self) -> None:
        from mentorship import menu
        from participants.services.questionnaires import QUESTIONNAIRE_HOOKS

        from .tasks import figures_refresh_on_commit

        if figures_refresh_on_commit not in QUESTIONNAIRE_HOOKS:
            QUESTIONNAIRE_HOOKS.append(figures_refresh_on_commit)

        menu.register(
            "monitoring",
            "Мониторинг",
            "monitoring:index",
            order=70,
            shown=lambda viewer: viewer.holds("monitoring.view_organisationfigures"),
        )
