"""django-import-export in the admin, for small files, with the rules of members/importing.py.

django-import-export as it comes reads only UTF-8, splits on `,` only, lets the last of two rows
with the same key win and skips our checks. Here the file is read by `importing.py` (type by
content, encoding, delimiter, headers, XLSX) and every row is checked by the same `RowChecker`;
a member number twice rejects both rows; any rejected row blocks the confirm step (strict);
unchanged members are skipped (not saved). Large files go through the portal's import pages.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import tempfile
import uuid

import tablib
from django import forms
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext_lazy as _
from import_export import resources
from import_export.fields import Field
from import_export.formats.base_formats import TablibFormat
from import_export.forms import ConfirmImportForm, ImportForm
from import_export.tmp_storages import TempFolderStorage

from members import services
from members.importing.checking import Lookups, RowChecker, erased_hash
from members.importing.format import (
    COLUMNS,
    STAGING_INDEX,
    TEXT_FIELDS,
    ImportRefused,
    map_header,
)
from members.importing.reading import inspect_file, open_table
from members.importing.staging import STORE_FOLDER, ErrorWriter
from members.importing.xlsx import XlsxLimits
from members.models import (
    Employer,
    ImportMode,
    ImportStatus,
    Member,
    MemberStatus,
)

ADMIN_MAX_BYTES = 5 * 1024 * 1024
# The admin holds every row in memory (a tablib Dataset), so an XLSX file is bounded more
# tightly here than on the portal's streaming path: about what a 5 MB CSV file holds.
ADMIN_XLSX_LIMITS = XlsxLimits(
    unpacked=48 * 1024 * 1024, shared_strings=8 * 1024 * 1024, rows=100_000, cells=1_000_000
)
LINE = "regel"
FIELD_COUNT = "_velden"


class AdminUploadStorage(TempFolderStorage):
    """Where the admin keeps an upload between preview and confirm: beside the portal's uploads.

    django-import-export's default is the system's temporary folder, where an abandoned preview
    (members' personal data) would stay. Here the confirm step removes the file, a preview that
    cannot be confirmed removes it at once (MemberAdmin.import_action), and the hourly clean-up
    removes an abandoned one after a day. The name comes back from the browser on confirm, so
    only names this class makes are accepted.
    """

    NAME = re.compile(r"^[0-9a-f]{32}\.upload$")

    def save(self, data):
        if not self.name:
            self.name = f"{uuid.uuid4().hex}.upload"
        content = data if isinstance(data, bytes) else data.encode(self.encoding or "utf-8")
        # In the file store every machine reaches: the confirm may reach another web server.
        # Saving again under the same name replaces the file, as writing a file would.
        default_storage.delete(self.get_full_path())
        saved = default_storage.save(self.get_full_path(), ContentFile(content))
        if saved != self.get_full_path():
            raise SuspiciousFileOperation(
                "Het importbestand kon niet onder zijn naam worden bewaard."
            )

    def read(self):
        with default_storage.open(self.get_full_path(), "rb") as file:
            data = file.read()
        return data if self.read_mode == "rb" else data.decode(self.encoding or "utf-8")

    def remove(self):
        if not default_storage.exists(self.get_full_path()):
            raise FileNotFoundError(self.name)
        default_storage.delete(self.get_full_path())

    def get_full_path(self):
        if not self.NAME.match(self.name or ""):
            raise SuspiciousFileOperation("Onbekend importbestand.")
        return f"{STORE_FOLDER}/{self.name}"


class MemberFileFormat(TablibFormat):
    """CSV (`;`, `,` or tab; UTF-8, UTF-8 with BOM or cp1252) or XLSX, detected by content."""

    TABLIB_MODULE = "tablib.formats._csv"
    CONTENT_TYPE = "text/csv"

    def get_title(self):
        return "ledenbestand (CSV ; , tab of XLSX)"

    def get_extension(self):
        return "csv"

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def can_export(self):
        return False

    def create_dataset(self, in_stream, **kwargs):
        data = in_stream if isinstance(in_stream, bytes) else in_stream.encode()
        if len(data) > ADMIN_MAX_BYTES:
            raise ValueError(
                "Dit bestand is te groot voor het beheer; gebruik de importpagina’s van het portaal (/leden/import/)."
            )
        handle, path = tempfile.mkstemp(suffix=".upload")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            try:
                info = inspect_file(path, ADMIN_XLSX_LIMITS)
                table = open_table(info)
                try:
                    columns = map_header(table.header)
                    headers = [
                        column.header if column else f"_leeg{index}"
                        for index, column in enumerate(columns)
                    ]
                    dataset = tablib.Dataset(headers=[*headers, LINE, FIELD_COUNT])
                    width = len(columns)
                    for line, values in table.rows:
                        if not any(values):
                            continue
                        padded = (list(values) + [""] * width)[:width]
                        dataset.append([*padded, line, len(values)])
                finally:
                    table.close()
            except ImportRefused as refused:
                raise ValueError(str(refused)) from None
        finally:
            os.remove(path)
        dataset.fnv_sha256 = hashlib.sha256(data).hexdigest()
        return dataset


class MemberResource(resources.ModelResource):
    member_number = Field(attribute="member_number", column_name="lidnummer")

    class Meta:
        model = Member
        import_id_fields = ["member_number"]
        fields = ["member_number"]
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
        skip_html_diff = True
        clean_model_instances = True

    def get_user_visible_fields(self):
        """The import page lists the file's columns (in Dutch), not the model's one key."""
        return [Field(column_name=column.header) for column in COLUMNS]

    def before_import(self, dataset, **kwargs):
        # strict: any rejected row blocks the confirm step; valid rows: they are skipped
        self.mode = kwargs.get("mode") or ImportMode.STRICT
        headers = [h for h in dataset.headers if h not in (LINE, FIELD_COUNT)]
        columns = map_header([h if not h.startswith("_leeg") else "" for h in headers])
        self.checker = RowChecker(columns, Lookups.load())
        self.fields_present = {column.field for column in columns if column}
        self.results: dict[int, tuple[list | None, list[tuple[str, str]]]] = {}
        lines_by_number: dict[str, list[int]] = {}
        for row in dataset.dict:
            line, count = int(row[LINE]), int(row[FIELD_COUNT])
            values = [str(row[h] or "") for h in headers]
            if count != len(values):
                values = (values + [""] * count)[:count] if count < len(values) else values + ["x"]
            checked = self.checker.check(values)
            self.results[line] = checked
            if checked[0] is not None:
                lines_by_number.setdefault(checked[0][1], []).append(line)
        for number, lines in lines_by_number.items():
            if len(lines) > 1:
                for line in lines:
                    others = ", ".join(str(other) for other in lines if other != line)
                    self.results[line] = (
                        None,
                        [
                            (
                                "lidnummer",
                                f"Lidnummer {number} staat ook op regel {others}; beide regels zijn afgewezen.",
                            )
                        ],
                    )
        self.erased = self.checker.lookups.erased

    def rejected(self) -> list[tuple[int, list[tuple[str, str]]]]:
        return [
            (line, errors) for line, (_staged, errors) in sorted(self.results.items()) if errors
        ]

    def before_import_row(self, row, **kwargs):
        staged, errors = self.results[int(row[LINE])]
        if errors and self.mode != ImportMode.VALID_ROWS:
            messages: dict[str, list[str]] = {}
            for column, message in errors:
                messages.setdefault(column or "regel", []).append(f"regel {row[LINE]}: {message}")
            raise ValidationError(messages)

    def import_instance(self, instance, row, **kwargs):
        staged, _errors = self.results[int(row[LINE])]
        if staged is None:  # a rejected row, skipped in the "valid rows" mode
            return
        fields = self.fields_present
        instance.member_number = staged[1]
        for name in TEXT_FIELDS:
            if name in fields:
                setattr(instance, name, staged[STAGING_INDEX[name]])
        for name in ("birth_date", "member_since"):
            if name in fields:
                iso = staged[STAGING_INDEX[name]]  # the checker gives dates as ISO text
                setattr(instance, name, dt.date.fromisoformat(iso) if iso else None)
        if "sector" in fields:
            instance.sector_id = staged[STAGING_INDEX["sector_id"]]
        if "employer" in fields or "kvk" in fields:
            employer_id = staged[STAGING_INDEX["employer_id"]]
            key = staged[STAGING_INDEX["employer_key"]]
            if employer_id is None and key:
                name, kvk = self.checker.lookups.new_employers[key]
                employer = Employer.objects.filter(kvk_number=kvk).first() if kvk else None
                employer = employer or Employer.objects.create(name=name, kvk_number=kvk)
                self.checker.lookups.employers_by_kvk.update({kvk: employer.pk} if kvk else {})
                employer_id = employer.pk
            instance.employer_id = employer_id
        if "municipality" in fields or "postcode" in fields:
            instance.municipality_id = staged[STAGING_INDEX["municipality_id"]]
            if not instance.region_is_explicit:
                instance.region_id = staged[STAGING_INDEX["region_id"]]
        if "status" in fields and staged[STAGING_INDEX["status"]]:
            instance.status = staged[STAGING_INDEX["status"]]
        if "status" in fields:
            if instance.status == MemberStatus.ENDED:
                instance.ended_on = instance.ended_on or None  # set by Member.clean
            else:
                instance.ended_on = None

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors:
            return False
        if self.results[int(row[LINE])][1]:
            return True  # rejected; only reached in the "valid rows" mode
        if self.erased and erased_hash(instance.member_number) in self.erased:
            return True
        if original is None or original.pk is None:
            return False
        compared = [
            "member_number",
            *TEXT_FIELDS,
            "birth_date",
            "member_since",
            "sector_id",
            "employer_id",
            "municipality_id",
            "region_id",
            "status",
            "ended_on",
        ]
        return all(getattr(instance, name) == getattr(original, name) for name in compared)

    def after_import(self, dataset, result, **kwargs):
        result.fnv_rejected = self.rejected()
        if kwargs.get("dry_run"):
            return
        totals = result.totals
        rejected = len(result.fnv_rejected)
        user = kwargs.get("user")
        member_import = services.import_create(
            user=user if getattr(user, "is_authenticated", False) else None,
            source="admin",
            mode=self.mode,
            file_name=(kwargs.get("file_name") or "beheer")[:255],
            detail="via beheer",
            file_sha256=getattr(dataset, "fnv_sha256", ""),
            file_format="beheer (django-import-export)",
            rows_total=len(dataset),
            rows_valid=len(dataset) - rejected,
            rejected=rejected,
            columns=sorted(self.fields_present),
        )
        errors = ErrorWriter(member_import)
        for line, row_errors in result.fnv_rejected:
            errors.add(line, row_errors)
        errors.flush()
        result.fnv_member_import = services.import_finish(
            member_import=member_import,
            status=ImportStatus.DONE,
            created=totals.get("new", 0),
            updated=totals.get("update", 0),
            unchanged=totals.get("skip", 0) - rejected,
        )


ADMIN_MODES = [
    (ImportMode.STRICT, _("Alles of niets: één afgewezen rij en er wordt niets verwerkt")),
    (ImportMode.VALID_ROWS, _("Alleen de goede rijen verwerken; afgewezen rijen overslaan")),
]


class MemberImportForm(ImportForm):
    mode = forms.ChoiceField(
        label=_("Manier"),
        choices=ADMIN_MODES,
        initial=ImportMode.STRICT,
        widget=forms.RadioSelect,
        help_text=_(
            "Een volledige momentopname (leden die ontbreken beëindigen) gaat via Leden importeren in het portaal."
        ),
    )


class MemberConfirmImportForm(ConfirmImportForm):
    mode = forms.ChoiceField(choices=ADMIN_MODES, widget=forms.HiddenInput)
