"""``manage.py import_consents FILE [--org CODE] [--user LOGIN] [--dry-run]``."""

from mentorship.imports.command import ImportCommand


class Command(ImportCommand):
    help = "Импорт согласий на обработку персональных данных из Excel: всё или ничего."
    kind = "consents"
