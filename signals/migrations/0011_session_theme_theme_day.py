"""A covering index on the sessions' themes by theme and day, for the sessions behind a theme
rise (built concurrently: the table has a row per theme of every session)."""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("signals", "0010_theme_day_count_day_index"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="sessiontheme",
            index=models.Index(
                fields=["theme", "day"],
                include=("region_id", "sector_id", "session_id"),
                name="session_theme_theme_day",
            ),
        ),
    ]
