"""``manage.py import_organisations FILE [--user LOGIN] [--dry-run]``."""

from mentorship.imports.command import ImportCommand


class Command(ImportCommand):
    help = "Импорт справочника организаций (муниципалитеты и образовательные организации) из Excel: всё или ничего."
    kind = "organisations"
