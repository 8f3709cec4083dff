"""``manage.py import_pairs FILE [--org CODE] [--user LOGIN] [--dry-run]``."""

from mentorship.imports.command import ImportCommand


class Command(ImportCommand):
    help = "Импорт наставнических пар и групп из Excel: всё или ничего."
    kind = "pairs"
    # The pair records who formed it (``created_by``): a person, not the system.
    needs_user = True
