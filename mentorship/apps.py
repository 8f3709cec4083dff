from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class MentorshipConfig(AppConfig):
    name = "mentorship"
    verbose_name = "Иерархия, пользователи и роли"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers system checks)
        from .search import install

        install()
        # Each app's roles.py grants its permissions to the roles.
        autodiscover_modules("roles")
        # Each app's resources.py registers its kinds of Excel import (mentorship.imports.registry).
        autodiscover_modules("resources")
