from django.apps import AppConfig


class ParticipantsConfig(AppConfig):
    """Mentors and mentees, consents, questionnaires, programmes, pairs and groups."""

    name = "participants"
    verbose_name = "Участники наставничества"

    def ready(self) -> None:
        from accounts import handover
        from mentorship import menu

        from . import selectors

        # The user's card lists the pairs and groups they lead, to put another mentor in.
        handover.register("mentor-pairs", "Пары и группы (наставник)", selectors.pairs_led, order=10)

        # «Участники» for everyone who holds a place.
        menu.register("participants", "Участники", "participants:index", order=20, shown=lambda viewer: viewer.placed)
