# The admin's postcode search at a million members (issue 16): one index that finds a postcode's
# beginning and gives the members in the list's order (postcode, number), in place of the
# pattern index of 0009 that only found them. Built and dropped CONCURRENTLY, so a deploy does
# not lock the members table for writes.

import django.db.models.functions.comparison
from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("members", "0013_employer_with_aliases"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="member",
            index=models.Index(
                django.db.models.functions.comparison.Collate("postcode", "C"),
                models.F("member_number"),
                name="member_postcode_order",
            ),
        ),
        RemoveIndexConcurrently(model_name="member", name="member_postcode_prefix"),
    ]
