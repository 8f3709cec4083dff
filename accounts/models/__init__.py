"""The accounts app's models, one module per concern; each module's models are re-exported here."""

from .invitations import Invitation  # noqa: F401
from .sessions import UserSession  # noqa: F401
from .two_factor import TwoFactorExemption  # noqa: F401
