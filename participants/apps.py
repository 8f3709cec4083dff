from django.apps import AppConfig


class ParticipantsConfig(AppConfig):
    """Mentors and mentees, consents, questionnaires, programmes, pairs and groups."""

    name = "participants"
    verbose_name = "Участники наставничества"
