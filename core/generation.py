"""The generation of the portal's data: a random value in Redis that is replaced whenever
anything a page can show is written.

`fnvregio.pagecache` watches every statement of every database connection and calls `bump`
when one that writes has committed. What was read after the generation was read, and is stored
under it, is as fresh as the database for as long as that generation is current: the page cache
keeps whole pages that way, and `cached` keeps other things (the user of a session,
`members.backends.load_user`).

The rule that makes it right: read the generation before reading the data. A write that
commits in between replaces the generation, so what was read is stored under a generation that
is already old and is never served. A random value rather than a counter: if Redis loses the
key, nothing stored under an old value can come back to life.

Writes outside the portal's code (psql by hand, pg_restore) are not seen; what is stored is
kept at most `settings.PAGE_CACHE_SECONDS`, and `bump()` renews at once (docs/OPERATIONS.md).
With `settings.PAGE_CACHE` off, `cached` always loads; `bump` renews the generation either way,
so a process running with it off leaves nothing stale for the processes running with it on.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"


def bump() -> None:
    """A new generation: everything stored under an older one is stale from now on."""
    try:
        cache.set(GENERATION_KEY, secrets.token_hex(8), timeout=None)
    except Exception:  # Redis away: the write itself must not fail for it
        logger.exception("page cache: the generation could not be renewed")


def cached[T](key: str, load: Callable[[], T | None]) -> T | None:
    """What `load` returns, from the cache when it was stored under the current generation.

    One Redis round trip (the generation and the value together). `None` is never stored: it
    is loaded again each time. Redis away: loaded, as if nothing were stored.
    """
    if not settings.PAGE_CACHE:
        return load()
    try:
        found = cache.get_many([GENERATION_KEY, key])
    except Exception:
        logger.exception("page cache: Redis could not be read")
        return load()
    generation = found.get(GENERATION_KEY)
    entry = found.get(key)
    if generation is not None and entry is not None and entry[0] == generation:
        value: T = entry[1]
        return value
    value_loaded = load()
    if value_loaded is not None and generation is not None:
        try:
            cache.set(key, (generation, value_loaded), timeout=settings.PAGE_CACHE_SECONDS)
        except Exception:
            logger.exception("page cache: %s could not be stored", key)
    return value_loaded
