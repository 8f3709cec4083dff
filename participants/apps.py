from django.apps import AppConfig


class ParticipantsConfig(AppConfig):
    """Mentors and mentees, consents, questionnaires, programmes, pairs and groups."""

    name = "participants"
    verbose_name = "Участники наставничества"

    def ready(self) -> None:
        from accounts import handover
        from mentorship import access, menu
        from mentorship.choices import Role

        from . import selectors

        # The user's card lists the pairs and groups they lead, to put another mentor in.
        handover.register("mentor-pairs", "Пары и группы (наставник)", selectors.pairs_led, order=10)

        # «Участники» for everyone who holds a place.
        menu.register("participants", "Участники", "participants:index", order=20, shown=lambda viewer: viewer.placed)

        # «Моя пара» for participants with accounts: a mentor's role shows it with no query; someone
        # who holds no role (a mentee, a parent) costs the menu one query, nobody else any.
        menu.register(
            "my-pair",
            "Моя пара",
            "participants:my",
            order=15,
            shown=lambda viewer: (
                Role.MENTOR in viewer.roles or (not viewer.placed and access.is_participant(viewer.user))
            ),
            hint="Участники пары, план развития и встречи; запись встречи с телефона.",
        )
