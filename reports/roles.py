"""What each role may do with orders (see mentorship/access.py).

A school's director, curator and coordinator keep their organisation's orders; the director and the
curator register the signed paper (``sign_order``: the number is given then). The municipality and
the region above only look.
"""

from mentorship.access import grant, model_permissions
from mentorship.choices import Role

SCHOOL_STAFF = [Role.DIRECTOR, Role.CURATOR, Role.COORDINATOR]
OVERSEERS = [Role.REGIONAL_COORDINATOR, Role.REGIONAL_OBSERVER, Role.MUNICIPAL_OFFICER, Role.MUNICIPAL_OBSERVER]

grant(SCHOOL_STAFF, *model_permissions("reports.order", "view", "add", "change", "delete"))
grant(OVERSEERS, *model_permissions("reports.order", "view"))
grant([Role.DIRECTOR, Role.CURATOR], "reports.sign_order")
