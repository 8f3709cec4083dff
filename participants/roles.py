"""What each role may do with participants, bases, consents, programmes and pairs (see mentorship/access.py).

A school's staff keep their own organisation's records; the municipality and the region above
only look. A mentor holds nothing scope-wide: the pairs they lead are granted to them one by one
(django-guardian) when the pair is created, see ``services.pair_create``.
"""

from mentorship.access import grant, model_permissions
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
# A region keeps its own questionnaires (copies of the templates adapted for its schools); the
# scope of Questionnaire lets a regional coordinator change only the region's own ones.
grant([Role.REGIONAL_COORDINATOR], *model_permissions("participants.questionnaire", "add", "change", "delete"))
