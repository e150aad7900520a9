# The employer search's nearest names (issue 16): a GiST trigram index, which can return the
# names nearest to a query in order (KNN); the GIN index can only filter. Built CONCURRENTLY,
# so a deploy does not lock the employers for writes.

import django.contrib.postgres.indexes
import django.db.models.functions.text
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("members", "0010_member_import_hash"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="employer",
            index=django.contrib.postgres.indexes.GistIndex(
                django.contrib.postgres.indexes.OpClass(
                    django.db.models.functions.text.Upper("name"), name="gist_trgm_ops"
                ),
                condition=models.Q(("merged_into__isnull", True)),
                name="employer_name_nearest",
            ),
        ),
    ]
