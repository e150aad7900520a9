"""A covering index on the day counts' day, for the theme-rise rule's edge days (built
concurrently: session saves write day counts all day)."""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("signals", "0009_themeweekcount"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="themedaycount",
            index=models.Index(
                fields=["day"],
                include=("theme_id", "region_id", "sector_id", "count"),
                name="theme_day_count_day",
            ),
        ),
    ]
