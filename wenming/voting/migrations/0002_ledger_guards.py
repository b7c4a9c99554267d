from django.db import migrations


def install(apps, schema_editor):
    from wenming.voting.guards import install as install_guards  # deferred: migration code runs at migrate time

    install_guards(schema_editor.connection)


def remove(apps, schema_editor):
    from wenming.voting.guards import remove as remove_guards  # deferred: migration code runs at migrate time

    remove_guards(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("voting", "0001_initial")]
    operations = [migrations.RunPython(install, remove)]
