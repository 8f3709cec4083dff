"""The accounts app's models, one module per concern; each module's models are re-exported here."""

from .invitations import Invitation  # noqa: F401
