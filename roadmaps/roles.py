"""What each role may do with roadmaps (see mentorship/access.py for how grants apply)."""

from mentorship.access import grant, model_permissions
from mentorship.choices import Role

EVERYONE = list(Role)
# Those who keep a roadmap at their own level.
KEEPERS = [Role.REGIONAL_COORDINATOR, Role.MUNICIPAL_OFFICER, Role.DIRECTOR, Role.CURATOR, Role.COORDINATOR]
# Those who approve (согласуют) the roadmaps of the level below.
APPROVERS = [Role.REGIONAL_COORDINATOR, Role.MUNICIPAL_OFFICER]

grant(EVERYONE, *model_permissions("roadmaps.roadmap", "view"), *model_permissions("roadmaps.roadmapitem", "view"))
grant(
    KEEPERS,
    *model_permissions("roadmaps.roadmap", "add", "change", "submit"),
    *model_permissions("roadmaps.roadmapitem", "add", "change", "delete"),
)
grant([Role.DIRECTOR, Role.CURATOR], *model_permissions("roadmaps.roadmap", "delete"))
grant(APPROVERS, *model_permissions("roadmaps.roadmap", "approve"))
