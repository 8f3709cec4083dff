from django.apps import AppConfig


class RoadmapsConfig(AppConfig):
    """Roadmaps (дорожные карты) of every level, their items, deadlines and approval."""

    name = "roadmaps"
    verbose_name = "Дорожные карты"
