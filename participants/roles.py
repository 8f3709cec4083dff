"""What each role may do with participants, bases, consents, programmes and pairs (see mentorship/access.py).

A school's staff keep their own organisation's records; the municipality and the region above
only look. A mentor holds nothing scope-wide: the pairs they lead are granted to them one by one
(django-guardian) when the pair is created, see ``services.pair_create``.
"""

from typing import Any

from mentorship.access import grant, model_permissions, participation
from mentorship.choices import Role

SCHOOL_STAFF = [Role.DIRECTOR, Role.CURATOR, Role.COORDINATOR]
OVERSEERS = [Role.REGIONAL_COORDINATOR, Role.REGIONAL_OBSERVER, Role.MUNICIPAL_OFFICER, Role.MUNICIPAL_OBSERVER]

MODELS = (
    "person",
    "baseentry",
    "consent",
    "cooperationagreement",
    "questionnaire",
    "response",
    "programme",
    "pair",
    "pairmember",
    "developmentplan",
    "meeting",
    "matchrun",
    "questionnairelink",
)

for model in MODELS:
    grant(SCHOOL_STAFF, *model_permissions(f"participants.{model}", "view", "add", "change", "delete"))
    grant(OVERSEERS, *model_permissions(f"participants.{model}", "view"))
# Confirming pairs stands for the director's order «Об утверждении наставнических пар/групп».
grant(SCHOOL_STAFF, "participants.confirm_pair")

# Leading a pair (logging its meetings, ticking its plan's tasks) and rating a meeting: the school's
# staff anywhere in their school; a mentor and a mentee on their own pairs, by the models'
# ``participant_filter`` (a participant holds no role).
grant(SCHOOL_STAFF, "participants.lead_pair", "participants.rate_meeting")


def _takes_part(user: Any) -> bool:
    from .models import Pair

    return Pair.objects.filter(Pair.participant_filter(user.pk, "view")).exists()


participation(_takes_part)

# A region keeps its own questionnaires (copies of the templates adapted for its schools); the
# scope of Questionnaire lets a regional coordinator change only the region's own ones.
grant([Role.REGIONAL_COORDINATOR], *model_permissions("participants.questionnaire", "add", "change", "delete"))
