"""Detection (#16): the window's sessions about an employer read from one covering index,
session id included (index-only; the old `session_day` needed a visit to the table for each
session's id), built concurrently before the old one is dropped; and the links between signals
and sessions lose their index on the signal alone, which the unique (signal, session) serves
already (one index less to write for each of the tens of thousands of links of a first run)."""

import django.db.models.deletion
from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("signals", "0011_session_theme_theme_day"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="consultationsession",
            index=models.Index(
                fields=["day"], include=("employer_id", "id"), name="session_day_employer"
            ),
        ),
        RemoveIndexConcurrently(model_name="consultationsession", name="session_day"),
        # Only the index goes (concurrently): AlterField would also drop and re-add, and so
        # re-check, the foreign key.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="signalsession",
                    name="signal",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        to="signals.signal",
                        verbose_name="signaal",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX CONCURRENTLY IF EXISTS "signals_signalsession_signal_id_48ce5a20"',
                    reverse_sql=(
                        "CREATE INDEX CONCURRENTLY IF NOT EXISTS "
                        '"signals_signalsession_signal_id_48ce5a20" '
                        'ON "signals_signalsession" ("signal_id")'
                    ),
                ),
            ],
        ),
    ]
