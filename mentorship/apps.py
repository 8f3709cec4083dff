from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.module_loading import autodiscover_modules


class MentorshipConfig(AppConfig):
    name = "mentorship"
    verbose_name = "Иерархия, пользователи и роли"

    def ready(self) -> None:
        from . import checks, menu  # noqa: F401  (importing checks registers the system checks)
        from .search import install

        install()
        # Each app's roles.py grants its permissions to the roles.
        autodiscover_modules("roles")
        # Each app's resources.py registers its kinds of Excel import (mentorship.imports.registry).
        autodiscover_modules("resources")
        # The core's own links; each app adds its sections from its own ready().
        menu.register("home", "Главная", "home", order=0)
        menu.register("imports", "Загрузка из Excel", "imports:index", order=25, shown=lambda viewer: viewer.placed)
        menu.register(
            "directory",
            "Справочник организаций",
            "directory:index",
            order=90,
            hint="регионы, муниципалитеты и образовательные организации, доступные вам.",
        )
        menu.register("admin", "Администрирование", "admin:index", order=100, shown=lambda viewer: viewer.administrator)
        # The embedded default's beat (EMBEDDED_SCHEDULER): only in the process runserver serves from.
        from .scheduler import start_if_serving

        start_if_serving()


class PortalAdminConfig(admin_apps.AdminConfig):
    """``django.contrib.admin`` with the portal's site (INSTALLED_APPS names this config)."""

    default = False  # the mentorship app's own config stays the default one of this module
    default_site = "mentorship.admin_site.PortalAdminSite"
