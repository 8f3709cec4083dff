"""The questionnaires of the methodological recommendations, as shared templates (participants/questionnaire_templates.py)."""

from django.db import migrations


def load_templates(apps, schema_editor):
    from participants import questionnaire_templates

    questionnaire_templates.load(apps.get_model("participants", "Questionnaire"), apps.get_model("participants", "Question"))


class Migration(migrations.Migration):
    dependencies = [("participants", "0004_questionnaire_versions_and_links")]

    operations = [migrations.RunPython(load_templates, migrations.RunPython.noop)]
