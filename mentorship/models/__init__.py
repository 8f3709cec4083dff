from .base import OwnedModel, ScopedModel
from .hierarchy import Body, Municipality, Organisation, Partner, PlaceOwned, Region
from .imports import ImportJob, ImportStatus
from .security import SecurityEvent
from .users import FormSubmission, RoleAssignment, User
from .workflow import WorkflowEvent

__all__ = [
    "Body",
    "FormSubmission",
    "ImportJob",
    "ImportStatus",
    "Municipality",
    "Organisation",
    "OwnedModel",
    "Partner",
    "PlaceOwned",
    "Region",
    "RoleAssignment",
    "ScopedModel",
    "SecurityEvent",
    "User",
    "WorkflowEvent",
]
