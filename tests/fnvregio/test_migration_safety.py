"""Deploys without downtime: a new release's migrations only expand (#18 item 5).

During a rolling deploy the old code runs beside the new schema. So a migration may add
tables, nullable columns, columns with a database default and indexes, but a column or table
that is dropped or renamed must have been unused by the code of the release before: that is
a second release ("contract"). A migration that drops or renames therefore says which release
stopped using it, with `contract_after = "<release>"` on its Migration class, and that release
must be an earlier one. Migrations of released code are listed in .ci/released-migrations.txt.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import migrations
from django.db.migrations.loader import MigrationLoader

RELEASED = Path(__file__).resolve().parents[2] / ".ci" / "released-migrations.txt"
DESTRUCTIVE = (
    migrations.RemoveField,
    migrations.RenameField,
    migrations.DeleteModel,
    migrations.RenameModel,
    migrations.AlterModelTable,
)


def _released() -> set[str]:
    lines = RELEASED.read_text().splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def _new_migrations():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    released = _released()
    for (app, name), migration in sorted(loader.disk_migrations.items()):
        if app in settings.PORTAL_APPS and f"{app}.{name}" not in released:
            yield f"{app}.{name}", migration


def problems() -> list[str]:
    found = []
    for label, migration in _new_migrations():
        for operation in migration.operations:
            if isinstance(operation, DESTRUCTIVE) and not getattr(migration, "contract_after", ""):
                found.append(
                    f"{label}: {type(operation).__name__} in the release that stops using it; "
                    "ship the code change first, then drop or rename in a later release "
                    "(contract_after = '<that release>')"
                )
            if isinstance(operation, migrations.AddField):
                field = operation.field
                if not field.null and not field.has_db_default() and not field.many_to_many:
                    # Old code inserting rows would fail on a NOT NULL column it does not know.
                    found.append(
                        f"{label}: AddField {operation.model_name}.{operation.name} is NOT NULL "
                        "without db_default; add it nullable or with db_default"
                    )
    return found


def test_the_released_list_names_real_migrations():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    on_disk = {f"{app}.{name}" for app, name in loader.disk_migrations}
    assert _released() <= on_disk


def test_new_migrations_only_expand():
    assert problems() == []


def test_the_check_catches_a_drop_and_a_not_null_column(monkeypatch):
    from django.db import models

    bad = type(
        "Migration",
        (migrations.Migration,),
        {
            "operations": [
                migrations.RemoveField(model_name="member", name="phone"),
                migrations.AddField(
                    model_name="member", name="badge", field=models.CharField(max_length=5)
                ),
                migrations.AddField(
                    model_name="member",
                    name="fine",
                    field=models.CharField(max_length=5, db_default=""),
                ),
            ]
        },
    )("9999_bad", "members")
    monkeypatch.setattr(
        "tests.fnvregio.test_migration_safety._new_migrations",
        lambda: iter([("members.9999_bad", bad)]),
    )
    found = problems()
    assert len(found) == 2
    assert "RemoveField" in found[0] and "badge" in found[1]
    bad.contract_after = "2026.11"
    assert len(problems()) == 1
