from django.db import migrations


def load(apps, schema_editor):
    from assistance.catalogue import load_programme

    load_programme(apps.get_model("assistance", "Programme"), apps.get_model("assistance", "Project"))


class Migration(migrations.Migration):
    dependencies = [("assistance", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
