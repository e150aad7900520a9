"""django-import-export in the admin for the set-up files, with the rules of `staff`, `sectors`
and `houses`.

The file is read by `table.read_setup_bytes` (the member import's readers: type by content,
encoding, delimiter, XLSX bounds); the whole file is checked and planned in `before_import`,
then each row is only told whether it is new, changed or unchanged, and saved by the same
function the management command uses (`staff.save_row`, ...), which writes the audit trail.
A file with any bad row saves nothing: its good rows are shown as skipped, the bad ones with
their messages, and there is no confirm step (and a confirm posted anyway rolls back).
"""

from __future__ import annotations

from typing import Any

import tablib
from django.core.exceptions import ValidationError
from import_export import resources
from import_export.fields import Field
from import_export.formats.base_formats import TablibFormat

from members.importing.format import ImportRefused
from members.models import Sector, User
from members.setup_import import houses, sectors, staff
from members.setup_import.table import RowError, SetupColumn, SetupTable, read_setup_bytes
from regions.models import UnionHouse

LINE = "regel"


class SetupFileFormat(TablibFormat):
    """CSV (`;`, `,` or tab; UTF-8, UTF-8 with BOM or cp1252) or XLSX, detected by content."""

    TABLIB_MODULE = "tablib.formats._csv"
    CONTENT_TYPE = "text/csv"
    COLUMNS: list[SetupColumn] = []
    WHAT = ""

    def get_title(self) -> str:  # type: ignore[override]  # the stubs' Format says type[Self]
        return f"{self.WHAT} (CSV ; , tab of XLSX)"

    def get_extension(self) -> str:
        return "csv"

    def is_binary(self) -> bool:
        return True

    def get_read_mode(self) -> str:
        return "rb"

    def can_export(self) -> bool:
        return False

    def create_dataset(self, in_stream: Any, **kwargs: Any) -> tablib.Dataset:
        data = in_stream if isinstance(in_stream, bytes) else str(in_stream).encode()
        try:
            table = read_setup_bytes(data, self.COLUMNS, what=self.WHAT)
        except ImportRefused as refused:
            # the admin shows a ValueError's message on the upload field (SetupImportMixin)
            raise ValueError(str(refused)) from None
        headers = {column.key: column.header for column in self.COLUMNS}
        dataset = tablib.Dataset(headers=[*(headers[key] for key in table.keys), LINE])
        for line, values in table.rows:
            dataset.append([*(values[key] for key in table.keys), line])
        dataset.fnv_extra = table.extra
        dataset.fnv_label = table.label
        dataset.fnv_sha256 = table.sha256
        return dataset


def table_from(dataset: tablib.Dataset, columns: list[SetupColumn]) -> SetupTable:
    """The SetupTable a dataset of `SetupFileFormat` was made from."""
    keys_by_header = {column.header: column.key for column in columns}
    keys = [keys_by_header[header] for header in dataset.headers if header != LINE]
    table = SetupTable(
        keys=keys,
        rows=[],
        label=getattr(dataset, "fnv_label", ""),
        sha256=getattr(dataset, "fnv_sha256", ""),
        extra=list(getattr(dataset, "fnv_extra", [])),
    )
    for row in dataset.dict:
        table.rows.append(
            (int(row[LINE]), {keys_by_header[h]: str(row[h] or "") for h in row if h != LINE})
        )
    return table


def row_validation_error(errors: list[RowError]) -> ValidationError:
    messages: dict[str, list[str]] = {}
    for error in errors:
        messages.setdefault(error.column or LINE, []).append(str(error))
    return ValidationError(messages)


class SetupResource(resources.ModelResource):
    """What the three set-up resources share: whole-file check, strict, rows saved by the
    module's own function."""

    row_errors: dict[int, list[RowError]]

    def import_data(self, dataset: tablib.Dataset, *args: Any, **kwargs: Any) -> Any:
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, *args, **kwargs)

    def errors_by_line(self, errors: list[RowError]) -> dict[int, list[RowError]]:
        by_line: dict[int, list[RowError]] = {}
        for error in errors:
            by_line.setdefault(error.line, []).append(error)
        return by_line

    def before_import_row(self, row: dict[str, Any], **kwargs: Any) -> None:
        errors = self.row_errors.get(int(row[LINE]))
        if errors:
            raise row_validation_error(errors)

    def save_m2m(self, instance: Any, row: dict[str, Any], **kwargs: Any) -> None:
        """The module's save function sets the many-to-many fields itself."""

    def by(self, kwargs: dict[str, Any]) -> User | None:
        user = kwargs.get("user")
        return user if isinstance(user, User) and user.is_authenticated else None


class StaffResource(SetupResource):
    email = Field(attribute="email", column_name="e-mailadres")
    full_name = Field(attribute="full_name", column_name="naam")
    role = Field(attribute="role", column_name="rol")

    class Meta:
        model = User
        import_id_fields = ["email"]
        fields = ["email", "full_name", "role"]
        report_skipped = True
        use_transactions = True
        name = "Medewerkers"

    def dehydrate_role(self, user: User) -> str:
        return str(user.get_role_display()) if user.role else ""

    def get_user_visible_fields(self) -> list[Field]:  # type: ignore[override]  # stubs: list[str]; the admin reads .column_name
        """The import page lists the file's columns (in Dutch)."""
        return [Field(column_name=column.header) for column in staff.COLUMNS]

    def before_import(self, dataset: tablib.Dataset, **kwargs: Any) -> None:
        self.check = staff.check_staff_table(table_from(dataset, staff.COLUMNS))
        self.row_errors = self.errors_by_line(self.check.errors)
        self.plan = staff.plan_staff(self.check) if self.check.ok else staff.StaffPlan()
        self.rows = {row.line: row for row in self.check.rows}
        self.changed = {change.row.line: change.user for change in self.plan.changed}
        self.unchanged = {row.line for row in self.plan.unchanged}
        self.deactivate_missing = bool(kwargs.get("deactivate_missing"))

    def get_or_init_instance(self, instance_loader: Any, row: dict[str, Any]) -> tuple[User, bool]:
        email = str(row.get("e-mailadres") or "").strip().lower()
        user = User.objects.filter(email__iexact=email).first() if email else None
        return (user, False) if user is not None else (User(), True)

    def import_instance(self, instance: User, row: dict[str, Any], **kwargs: Any) -> None:
        checked = self.rows.get(int(row[LINE]))
        if checked is not None:  # for the preview's columns
            instance.email = checked.email
            instance.full_name = checked.full_name
            instance.role = checked.role

    def skip_row(
        self,
        instance: User,
        original: User | None,
        row: dict[str, Any],
        import_validation_errors: Any = None,
    ) -> bool:
        if import_validation_errors:
            return False
        return not self.check.ok or int(row[LINE]) in self.unchanged

    def save_instance(
        self, instance: User, is_create: bool, row: dict[str, Any], **kwargs: Any
    ) -> None:
        line = int(row[LINE])
        saved = staff.save_row(self.rows[line], self.changed.get(line), by=self.by(kwargs))
        instance.pk = saved.pk

    def after_import(self, dataset: tablib.Dataset, result: Any, **kwargs: Any) -> None:
        result.fnv_plan = self.plan
        result.fnv_check = self.check
        result.fnv_deactivate_missing = self.deactivate_missing
        if kwargs.get("dry_run") or not self.check.ok:
            return
        by = self.by(kwargs)
        deactivated = staff.deactivate(self.plan.missing, by=by) if self.deactivate_missing else []
        result.fnv_deactivated = deactivated
        staff.record_import(
            created=len(self.plan.new),
            changed=len(self.plan.changed),
            deactivated=len(deactivated),
            by=by,
            source="beheer",
        )


class SectorResource(SetupResource):
    name = Field(attribute="name", column_name="sector")

    class Meta:
        model = Sector
        import_id_fields = ["name"]
        fields = ["name"]
        report_skipped = True
        use_transactions = True
        name = "Sectoren"

    def get_user_visible_fields(self) -> list[Field]:  # type: ignore[override]  # stubs: list[str]; the admin reads .column_name
        return [Field(column_name=column.header) for column in sectors.COLUMNS]

    def before_import(self, dataset: tablib.Dataset, **kwargs: Any) -> None:
        self.check = sectors.check_sector_table(table_from(dataset, sectors.COLUMNS))
        self.row_errors = self.errors_by_line(self.check.errors)
        self.plan = sectors.plan_sectors(self.check) if self.check.ok else sectors.SectorPlan()
        self.rows = {row.line: row for row in self.check.rows}
        self.renamed = {row.line: sector for sector, row in self.plan.renamed}
        self.unchanged = {row.line for row in self.plan.unchanged}

    def get_or_init_instance(
        self, instance_loader: Any, row: dict[str, Any]
    ) -> tuple[Sector, bool]:
        line = int(row[LINE])
        if line in self.renamed:
            return Sector.objects.get(pk=self.renamed[line].pk), False
        checked = self.rows.get(line)
        sector = Sector.objects.filter(name=checked.name).first() if checked else None
        return (sector, False) if sector is not None else (Sector(), True)

    def import_instance(self, instance: Sector, row: dict[str, Any], **kwargs: Any) -> None:
        checked = self.rows.get(int(row[LINE]))
        if checked is not None:
            instance.name = checked.name

    def skip_row(
        self,
        instance: Sector,
        original: Sector | None,
        row: dict[str, Any],
        import_validation_errors: Any = None,
    ) -> bool:
        if import_validation_errors:
            return False
        return not self.check.ok or int(row[LINE]) in self.unchanged

    def save_instance(
        self, instance: Sector, is_create: bool, row: dict[str, Any], **kwargs: Any
    ) -> None:
        line = int(row[LINE])
        saved = sectors.save_row(self.rows[line], self.renamed.get(line), by=self.by(kwargs))
        instance.pk = saved.pk

    def after_import(self, dataset: tablib.Dataset, result: Any, **kwargs: Any) -> None:
        result.fnv_check = self.check
        result.fnv_summary = {
            "new": len(self.plan.new),
            "changed": len(self.plan.renamed),
            "unchanged": len(self.plan.unchanged),
            "missing": len(self.plan.missing),
        }


class HouseResource(SetupResource):
    name = Field(attribute="name", column_name="naam")
    city = Field(attribute="city", column_name="plaats")

    class Meta:
        model = UnionHouse
        import_id_fields = ["name"]
        fields = ["name", "city"]
        report_skipped = True
        use_transactions = True
        name = "Vakbondshuizen"

    def get_user_visible_fields(self) -> list[Field]:  # type: ignore[override]  # stubs: list[str]; the admin reads .column_name
        return [Field(column_name=column.header) for column in houses.COLUMNS]

    def before_import(self, dataset: tablib.Dataset, **kwargs: Any) -> None:
        self.check = houses.check_house_table(table_from(dataset, houses.COLUMNS))
        self.row_errors = self.errors_by_line(self.check.errors)
        self.plan = houses.plan_houses(self.check) if self.check.ok else houses.HousePlan()
        self.rows = {row.line: row for row in self.check.rows}
        self.changed = {change.row.line: change.house for change in self.plan.changed}
        self.unchanged = {row.line for row in self.plan.unchanged}

    def get_or_init_instance(
        self, instance_loader: Any, row: dict[str, Any]
    ) -> tuple[UnionHouse, bool]:
        line = int(row[LINE])
        if line in self.changed:
            return UnionHouse.objects.get(pk=self.changed[line].pk), False
        checked = self.rows.get(line)
        house = UnionHouse.objects.filter(name=checked.name).first() if checked else None
        return (house, False) if house is not None else (UnionHouse(), True)

    def import_instance(self, instance: UnionHouse, row: dict[str, Any], **kwargs: Any) -> None:
        checked = self.rows.get(int(row[LINE]))
        if checked is not None:
            for name, value in checked.values:
                if name in ("name", "city"):
                    setattr(instance, name, value)

    def skip_row(
        self,
        instance: UnionHouse,
        original: UnionHouse | None,
        row: dict[str, Any],
        import_validation_errors: Any = None,
    ) -> bool:
        if import_validation_errors:
            return False
        return not self.check.ok or int(row[LINE]) in self.unchanged

    def save_instance(
        self, instance: UnionHouse, is_create: bool, row: dict[str, Any], **kwargs: Any
    ) -> None:
        line = int(row[LINE])
        saved = houses.save_row(self.rows[line], self.changed.get(line), by=self.by(kwargs))
        instance.pk = saved.pk

    def after_import(self, dataset: tablib.Dataset, result: Any, **kwargs: Any) -> None:
        result.fnv_check = self.check
        result.fnv_summary = {
            "new": len(self.plan.new),
            "changed": len(self.plan.changed),
            "unchanged": len(self.plan.unchanged),
            "missing": len(self.plan.missing),
        }
