"""The shipped indicators (shegong.indicators.shipped), owned by the nation."""

from django.db import migrations


def install(apps, schema_editor):
    from shegong.indicators.shipped import install as write

    write(apps.get_model("indicators", "Indicator"))


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
