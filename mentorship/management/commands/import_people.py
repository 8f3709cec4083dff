"""``manage.py import_people FILE --org CODE [--dry-run]``: people from an .xlsx made from the template."""

from mentorship.imports.command import ImportCommand


class Command(ImportCommand):
    help = "Импорт участников (обучающихся, педагогов, внешних наставников) из Excel: всё или ничего."
    kind = "people"
