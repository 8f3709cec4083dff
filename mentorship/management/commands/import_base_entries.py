"""``manage.py import_base_entries FILE [--org CODE] [--user LOGIN] [--dry-run]``."""

from mentorship.imports.command import ImportCommand


class Command(ImportCommand):
    help = "Импорт баз наставников и наставляемых из Excel: всё или ничего."
    kind = "base-entries"
