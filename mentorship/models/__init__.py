from .base import ScopedModel
from .hierarchy import Body, Municipality, Organisation, Partner, Region
from .users import FormSubmission, RoleAssignment, User

__all__ = [
    "Body",
    "FormSubmission",
    "Municipality",
    "Organisation",
    "Partner",
    "Region",
    "RoleAssignment",
    "ScopedModel",
    "User",
]
