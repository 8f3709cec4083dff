from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.staticfiles)
def front_end_packages_installed(app_configs, **kwargs):
    """Bootstrap comes from npm: without `npm ci` the pages would be unstyled."""
    missing = [path for path in (settings.NODE_MODULES_DIR / "bootstrap" / "dist",) if not path.is_dir()]
    return [
        Warning(
            f"Не найдены файлы интерфейса: {path}",
            hint="Выполните `npm ci` в корне проекта (это делает команда установки из README).",
            id="mentorship.W001",
        )
        for path in missing
    ]
