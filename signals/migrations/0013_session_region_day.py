"""A region's sessions of a period from one index (region, day): the plan's data panel counted
the largest region's sessions of a year in 0.2-0.9 s through the index on region alone, which
visited the page of each session of the region. The new index replaces that one (its first
column serves every look-up by region); built concurrently, then the old one dropped."""

import django.db.models.deletion
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("regions", "0001_initial"),
        ("signals", "0012_session_day_employer_and_link_index"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="consultationsession",
            index=models.Index(fields=["region", "day"], name="session_region_day"),
        ),
        # Only the index goes (concurrently): AlterField would also drop and re-add, and so
        # re-check, the foreign key.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="consultationsession",
                    name="region",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="regions.region",
                        verbose_name="regio",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX CONCURRENTLY IF EXISTS "signals_consultationsession_region_id_59268d7c"',
                    reverse_sql=(
                        "CREATE INDEX CONCURRENTLY IF NOT EXISTS "
                        '"signals_consultationsession_region_id_59268d7c" '
                        'ON "signals_consultationsession" ("region_id")'
                    ),
                ),
            ],
        ),
    ]
