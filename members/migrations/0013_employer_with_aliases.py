# The employers with other names (issue 16): the employer search matches its text against every
# alias, and read all 50,000 employers to find the few that have one (5.7 ms of a 36 ms search,
# bench/pages.py, 2 Dec 2026). A partial index holds only those. Built CONCURRENTLY, so a deploy
# does not lock the employers for writes.

import django.db.models.lookups
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("members", "0012_employer_proposed"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="employer",
            index=models.Index(
                condition=models.Q(
                    django.db.models.lookups.GreaterThan(
                        models.Func(
                            models.F("aliases"),
                            function="cardinality",
                            output_field=models.IntegerField(),
                        ),
                        0,
                    ),
                    ("merged_into__isnull", True),
                ),
                fields=["id"],
                name="employer_with_aliases",
            ),
        ),
    ]
