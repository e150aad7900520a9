"""Background work of the dashboards: computing and storing their figures
(dashboard.snapshots). Long at a million members, so on the bulk queue (fnvregio.queues.BULK_TASKS); safe
to run twice (a run stores the figures of its own moment, the later one wins)."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from dashboard import snapshots

# A page that finds its figures stale asks for new ones at most once per this many seconds.
ASK_AGAIN_AFTER = 5 * 60


@shared_task(
    name="dashboard.tasks.refresh_dashboards",
    acks_late=True,
    ignore_result=True,
    time_limit=30 * 60,
    soft_time_limit=25 * 60,
)
def refresh_dashboards() -> int:
    """Nightly: every region's dashboard and the national view, in every language."""
    return snapshots.refresh_all([code for code, _name in settings.LANGUAGES])


@shared_task(
    name="dashboard.tasks.refresh_dashboard",
    acks_late=True,
    ignore_result=True,
    time_limit=10 * 60,
    soft_time_limit=9 * 60,
)
def refresh_dashboard(scope: str, language: str) -> None:
    """One dashboard ("national" or "region:<pk>") in one language."""
    with translation.override(language):
        snapshots.refresh(scope)
    cache.delete(_asked_key(scope, language))


def _asked_key(scope: str, language: str) -> str:
    return f"dashboard:refresh-asked:{scope}:{language}"


def ask_refresh(scope: str, *, force: bool = False) -> bool:
    """Queue new figures for `scope` in the active language, once per ASK_AGAIN_AFTER (an
    admin's request, `force`, always). Returns whether a task was queued."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    key = _asked_key(scope, language)
    if force:
        cache.set(key, 1, timeout=ASK_AGAIN_AFTER)
    elif not cache.add(key, 1, timeout=ASK_AGAIN_AFTER):
        return False
    refresh_dashboard.delay(scope, language)
    return True
