"""Celery queues by urgency, and which task goes where.

- `urgent`: mails, reminders, notifications and the heartbeat. Short tasks that must go out
  within the minute; a worker that serves `urgent` never runs an import.
- `default`: everything else that is short (an incremental detection run, a digest).
- `bulk`: long work, idempotent and retried safely (`acks_late`): member import checks and
  applies, the setup imports, the nightly retention run and full signal-detection runs. A bulk
  worker takes one task at a time (`--prefetch-multiplier 1 --concurrency 1`), so a million-row
  import check never sits in front of a reminder.

Workers (docs/OPERATIONS.md, docker-compose.yml):

    celery -A fnvregio worker -Q urgent,default --concurrency 4
    celery -A fnvregio worker -Q bulk --concurrency 1 --prefetch-multiplier 1

Routing is by task name (`route_task`, set as CELERY_TASK_ROUTES); a new task falls into
`default` unless its name says it sends something. `tests/fnvregio/test_queues.py` lists every
registered task with its queue, so a new long task cannot end up in `urgent` unseen.
"""

from __future__ import annotations

import re
from typing import Any

URGENT, DEFAULT, BULK = "urgent", "default", "bulk"
QUEUES = (URGENT, DEFAULT, BULK)

# Long work: by name, so that the list is read in one place.
BULK_TASKS = frozenset(
    {
        "members.tasks.validate_member_import",
        "members.tasks.apply_member_import",
        "members.tasks.import_staff_file",
        "fnvregio.tasks.apply_retention",
        "dashboard.tasks.refresh_dashboards",
        "dashboard.tasks.refresh_dashboard",
    }
)
# Detection is short when incremental (every few minutes) and long when it reads everything.
DETECTION = "signals.tasks.detect_signals"

# Anything that sends or reminds, and the heartbeat that proves the workers run. (A daily
# digest may take minutes: it stays in `default`.)
URGENT_NAME = re.compile(r"(mail|remind|notif|heartbeat|sweep)", re.IGNORECASE)


def queue_for(name: str, args: Any = (), kwargs: Any = None) -> str:
    if name in BULK_TASKS:
        return BULK
    if name == DETECTION:
        full = (kwargs or {}).get("full", args[0] if args else None)
        return BULK if full else DEFAULT
    if URGENT_NAME.search(name.rsplit(".", 1)[-1]):
        return URGENT
    return DEFAULT


def route_task(name: str, args: Any, kwargs: Any, options: dict, task: Any = None, **kw: Any):
    """Celery router: an explicit `queue=` given by the caller (tests) wins."""
    if options.get("queue"):
        return None
    return {"queue": queue_for(name, args or (), kwargs or {})}
