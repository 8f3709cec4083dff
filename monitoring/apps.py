from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    """Indicators against yearly targets, period reports and dashboards."""

    name = "monitoring"
    verbose_name = "Мониторинг"
