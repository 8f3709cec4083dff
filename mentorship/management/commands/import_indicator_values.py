"""``manage.py import_indicator_values FILE --user LOGIN [--org CODE] [--dry-run]``."""

from mentorship.imports.command import ImportCommand


class Command(ImportCommand):
    help = "Импорт значений показателей (сетевые проекты, мероприятия) из Excel: всё или ничего."
    kind = "indicator-values"
    needs_user = True
