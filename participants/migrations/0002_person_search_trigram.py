"""A trigram index for the participants' search (``Person.trigram_search_fields``), on PostgreSQL only.

The lists search with ``LOWER(field) LIKE '%…%'``, which no b-tree index serves: without this
index a municipality's search read and lowered every one of its 34 000 people five times. SQLite
(the embedded default) has no trigram indexes and keeps scanning, which at its scale is quick.
"""

from django.db import migrations

COLUMNS = ("surname", "name", "patronymic", "external_id", "email")

CREATE = (
    "CREATE INDEX IF NOT EXISTS person_search_trgm ON participants_person USING gin ("
    + ", ".join(f"lower({column}) gin_trgm_ops" for column in COLUMNS)
    + ")"
)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner may create it.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(CREATE)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS person_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("participants", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
