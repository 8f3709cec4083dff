from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Orders (приказы), roadmaps and monitoring reports rendered to PDF, the order register."""

    name = "reports"
    verbose_name = "Документы"
