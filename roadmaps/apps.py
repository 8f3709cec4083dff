from django.apps import AppConfig


class RoadmapsConfig(AppConfig):
    """Roadmaps (дорожные карты) of every level, their items, deadlines and approval."""

    name = "roadmaps"
    verbose_name = "Дорожные карты"

    def ready(self) -> None:
        from accounts import handover
        from mentorship import menu

        from . import selectors, services

        # The user's card lists the activities they answer for, to be handed over in bulk.
        handover.register(
            "roadmap-items",
            "Пункты дорожных карт (ответственный)",
            selectors.items_answered,
            transfer=services.responsible_transfer,
            order=20,
        )

        menu.register(
            "roadmaps",
            "Дорожные карты",
            "roadmaps:list",
            order=40,
            hint="планы внедрения наставничества вашего уровня и вышестоящих.",
        )
        menu.register(
            "my-tasks",
            "Мои задачи",
            "roadmaps:my_tasks",
            order=50,
            hint="пункты дорожных карт, за которые вы отвечаете, ближайшие сроки первыми.",
        )
        menu.register(
            "awaiting",
            "На согласовании",
            "roadmaps:awaiting",
            order=60,
            shown=lambda viewer: viewer.holds("roadmaps.approve_roadmap"),
            hint="дорожные карты, которые ждут вашего решения.",
        )
