"""What each role may do in monitoring (see mentorship/access.py for how grants apply).

Everyone who works at a place sees its figures, targets and reports and those of the places
below it. The region and the municipality refresh the figures and set targets for themselves and
below; a school's director and curator set the school's own (stricter) targets and enter the
values that cannot be computed. A school submits its period report; the municipality (or the
region, for what it oversees directly) accepts or returns it.
"""

from mentorship.access import grant, model_permissions
from mentorship.choices import Role

REGIONAL = [Role.REGIONAL_COORDINATOR, Role.REGIONAL_OBSERVER]
MUNICIPAL = [Role.MUNICIPAL_OFFICER, Role.MUNICIPAL_OBSERVER]
SCHOOL_STAFF = [Role.DIRECTOR, Role.CURATOR, Role.COORDINATOR]
VIEWERS = [*REGIONAL, *MUNICIPAL, *SCHOOL_STAFF]

for model in ("organisationfigures", "formfigures", "target", "indicatorvalue", "periodreport"):
    grant(VIEWERS, *model_permissions(f"monitoring.{model}", "view"))

grant([Role.REGIONAL_COORDINATOR, Role.MUNICIPAL_OFFICER], "monitoring.refresh_organisationfigures")
grant(
    [Role.REGIONAL_COORDINATOR, Role.MUNICIPAL_OFFICER, Role.DIRECTOR, Role.CURATOR],
    *model_permissions("monitoring.target", "add", "change", "delete"),
)
grant(
    [Role.MUNICIPAL_OFFICER, *SCHOOL_STAFF],
    *model_permissions("monitoring.indicatorvalue", "add", "change"),
)
grant(SCHOOL_STAFF, "monitoring.submit_periodreport")
grant([Role.MUNICIPAL_OFFICER, Role.REGIONAL_COORDINATOR], "monitoring.accept_periodreport")
