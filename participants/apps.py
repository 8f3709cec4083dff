from django.apps import AppConfig


class ParticipantsConfig(AppConfig):
    """Mentors and mentees, consents, questionnaires, programmes, pairs and groups."""

    name = "participants"
    verbose_name = "Участники наставничества"

    def ready(self) -> None:
        from mentorship import menu

        # «Участники» for everyone who holds a place.
        menu.register("participants", "Участники", "participants:index", order=20, shown=lambda viewer: viewer.placed)
