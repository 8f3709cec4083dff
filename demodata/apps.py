from django.apps import AppConfig


class DemodataConfig(AppConfig):
    """The demo data and the benchmark region's generator (``load_demo``, ``generate_scale``); no models."""

    name = "demodata"
    verbose_name = "Демонстрационные данные"
