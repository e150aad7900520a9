"""Saving checked labour-market figures: all rows of a file or none, a re-uploaded period
replacing the current figures with the next version and a note, the write in the audit trail."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import formats
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import audit_log
from labourmarket.models import LabourMarketFigure, LabourMarketUpload
from labourmarket.parsing import Checked
from members.models import User


def _whole(value: Decimal | None) -> int | None:
    return None if value is None else int(value)


@transaction.atomic
def import_figures(
    *, user: User | None, checked: Checked, filename: str, source: str
) -> LabourMarketUpload:
    """Save every row of a checked file. Refuses a file with errors (nothing is saved)."""
    if not checked.ok:
        raise ValueError("a file with errors is never imported")
    upload = LabourMarketUpload.objects.create(
        filename=filename[:255],
        source=source[:100],
        sha256=checked.sha256,
        row_count=len(checked.rows),
        uploaded_by=user,
    )
    keys = {(row.region.pk, row.period.key) for row in checked.rows}
    previous: dict[tuple[int, str], LabourMarketFigure] = {}
    existing = (
        LabourMarketFigure.objects.select_for_update()
        .filter(
            is_current=True, region_id__in={k[0] for k in keys}, period__in={k[1] for k in keys}
        )
        .select_related("upload")
    )
    for figure in existing:
        key = (figure.region_id, figure.period)
        if key in keys:
            previous[key] = figure
    if previous:
        LabourMarketFigure.objects.filter(pk__in=[f.pk for f in previous.values()]).update(
            is_current=False
        )
    new = []
    for row in checked.rows:
        old = previous.get((row.region.pk, row.period.key))
        note = ""
        if old is not None:
            note = _(
                "Versie %(version)s: vervangt versie %(old)s uit %(file)s (%(source)s), "
                "geüpload op %(date)s."
            ) % {
                "version": old.version + 1,
                "old": old.version,
                "file": old.upload.filename,
                "source": old.source,
                "date": formats.date_format(old.upload.uploaded_at, "j F Y"),
            }
        new.append(
            LabourMarketFigure(
                region=row.region,
                period=row.period.key,
                period_start=row.period.start,
                period_end=row.period.end,
                vacancies=_whole(row.values.get("vacancies")),
                unemployment_rate=row.values.get("unemployment_rate"),
                benefit_recipients=_whole(row.values.get("benefit_recipients")),
                tension=row.values.get("tension"),
                source=row.source,
                is_example=row.is_example,
                upload=upload,
                version=old.version + 1 if old else 1,
                version_note=note[:300],
                is_current=True,
            )
        )
    LabourMarketFigure.objects.bulk_create(new)
    audit_log(user=user, action=AuditAction.IMPORT, obj=upload)
    return upload
