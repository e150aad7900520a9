# The proposed employers by age (issue 16): the admin home's badge counted them by reading every
# employer (5.5 ms at 50,000 on each admin home page). A partial index holds only the few
# proposed ones. Built CONCURRENTLY, so a deploy does not lock the employers for writes.

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("members", "0011_employer_name_nearest"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="employer",
            index=models.Index(
                condition=models.Q(("is_confirmed", False), ("merged_into__isnull", True)),
                fields=["created_at"],
                name="employer_proposed",
            ),
        ),
    ]
