# The admin's member search at a million members (issue 16): built CONCURRENTLY, so a deploy
# does not lock the members table for writes while the indexes are made.

import django.contrib.postgres.indexes
import django.db.models.functions.text
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("members", "0008_memberimport_stored_name"),
        ("regions", "0003_union_house_hours"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="member",
            index=models.Index(
                django.contrib.postgres.indexes.OpClass(
                    django.db.models.functions.text.Upper("last_name"), name="text_pattern_ops"
                ),
                name="member_surname_prefix",
            ),
        ),
        AddIndexConcurrently(
            model_name="member",
            index=models.Index(
                fields=["postcode"],
                name="member_postcode_prefix",
                opclasses=["varchar_pattern_ops"],
            ),
        ),
    ]
