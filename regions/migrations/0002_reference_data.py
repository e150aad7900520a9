"""Load the 35 regions, 342 municipalities and 4-digit postcodes shipped in regions/data/.

Sources and licences: regions/data/PROVENANCE.md (CBS / PDOK, CC BY 4.0; GeoNames CC BY 4.0).
"""

from django.db import migrations


def load(apps, schema_editor):
    from regions.reference import load_reference_data

    load_reference_data(
        apps.get_model("regions", "Region"),
        apps.get_model("regions", "Municipality"),
        apps.get_model("regions", "PostcodeArea"),
    )


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
