"""What each role may do with the hierarchy's own records.

Every app keeps such a ``roles.py``; the mentorship app config imports them
all at start-up. A role's permission applies to everything at or below the
place where the role is held (see ``access.py``).
"""

from .access import grant, grant_permission, model_permissions
from .choices import Role

EVERYONE = list(Role)
REGIONAL = [Role.REGIONAL_COORDINATOR, Role.REGIONAL_OBSERVER, Role.SECURITY_OFFICER]
MUNICIPAL = [Role.MUNICIPAL_OFFICER, Role.MUNICIPAL_OBSERVER]
SCHOOL_STAFF = [Role.DIRECTOR, Role.CURATOR, Role.COORDINATOR]

# Everyone sees their own place and the places above it in the directory.
for model in ("region", "municipality", "organisation", "body", "partner"):
    grant(EVERYONE, *model_permissions(f"mentorship.{model}", "view"))
grant([*REGIONAL, *MUNICIPAL, *SCHOOL_STAFF], *model_permissions("mentorship.roleassignment", "view"))
# The places above are seen by name only: their change history, like changing them, reaches only
# downward (the models' ``scope_q`` gives every action but "view" the places at or below a role).
for model in ("region", "municipality", "organisation", "body", "partner"):
    grant(EVERYONE, *model_permissions(f"mentorship.{model}", "history"))

# The regional coordinator keeps the region's directory.
grant(
    [Role.REGIONAL_COORDINATOR],
    *model_permissions("mentorship.region", "change"),
    *model_permissions("mentorship.municipality", "add", "change"),
    *model_permissions("mentorship.organisation", "add", "change"),
    *model_permissions("mentorship.body", "add", "change"),
    *model_permissions("mentorship.partner", "add", "change", "delete"),
)
# The municipal officer keeps the municipality's schools, bodies and partners.
grant(
    [Role.MUNICIPAL_OFFICER],
    *model_permissions("mentorship.organisation", "add", "change"),
    *model_permissions("mentorship.body", "change"),
    *model_permissions("mentorship.partner", "add", "change", "delete"),
)
# A school's director and curator keep its own card up to date (headcounts, address).
grant([Role.DIRECTOR, Role.CURATOR], *model_permissions("mentorship.organisation", "change"))

# Who may grant (and revoke) which roles, at their own place and below. Nobody grants a role above
# their own or outside their scope: the grant permission reaches only down from the actor's place.
GRANTS: dict[Role, list[Role]] = {
    # regional roles in their region, municipal roles in its municipalities
    Role.REGIONAL_COORDINATOR: [*REGIONAL, *MUNICIPAL],
    # municipal roles in their municipality; director, curator and coordinator in its schools
    Role.MUNICIPAL_OFFICER: [*MUNICIPAL, *SCHOOL_STAFF],
    Role.DIRECTOR: [Role.CURATOR, Role.COORDINATOR, Role.MENTOR],
    Role.CURATOR: [Role.MENTOR],
}
for actor, roles in GRANTS.items():
    grant([actor], *(grant_permission(role) for role in roles))

# The region's security officer reads the region's security event log (and exports it).
grant([Role.SECURITY_OFFICER], *model_permissions("mentorship.securityevent", "view"))
