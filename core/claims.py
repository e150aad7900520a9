"""Due work kept as rows with a "sent" mark, claimed so that each row is handled exactly once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone


def handle_once_in_batches[M: Model](
    queryset: QuerySet[M], *, mark: str, handle: Callable[[M], Any], batch: int = 100
) -> int:
    """Claim the unmarked rows of `queryset` a batch at a time (SELECT … FOR UPDATE SKIP
    LOCKED), `handle` each and set its `mark` to now, one transaction per batch: a second run at
    the same time skips the claimed rows, and a later one finds them marked. A run that dies
    half-way leaves its batch unmarked for the next. Returns how many rows it marked.

    `queryset` carries the caller's filter, order and select_related."""
    unmarked = queryset.filter(**{f"{mark}__isnull": True})
    handled = 0
    while True:
        with transaction.atomic():
            claimed = list(unmarked.select_for_update(skip_locked=True, of=("self",))[:batch])
            if not claimed:
                return handled
            stamp = timezone.now()
            for row in claimed:
                handle(row)
                setattr(row, mark, stamp)
            type(claimed[0])._default_manager.bulk_update(claimed, [mark])
            handled += len(claimed)
