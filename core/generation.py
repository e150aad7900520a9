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
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"

# Keys a request wants read along with its first `cached` read, and what that read found.
_along: ContextVar[dict[str, Any] | None] = ContextVar("generation_along", default=None)


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
    along = _along.get()
    extra = along["keys"] if along is not None and along["found"] is None else []
    try:
        found = cache.get_many([GENERATION_KEY, key, *extra])
    except Exception:
        logger.exception("page cache: Redis could not be read")
        return load()
    if along is not None and extra:
        along["found"] = {name: found.get(name) for name in [GENERATION_KEY, *extra]}
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


@contextmanager
def reading_along(keys: Sequence[str]) -> Iterator[None]:
    """Within the block, the first `cached` read also reads `keys`, in the same round trip to
    Redis; `read_along(key)` then gives what it found. The page cache reads the page of a
    request along with the user of its session (`members.backends.load_user`): one round trip
    instead of two on every logged-in page."""
    token = _along.set({"keys": list(keys), "found": None})
    try:
        yield
    finally:
        _along.reset(token)


def read_along(key: str) -> dict[str, Any] | None:
    """The generation and `key` as this request's `cached` read them together (the shape of
    `cache.get_many`, missing keys left out), or None when `key` was not read along."""
    along = _along.get()
    if along is None or along["found"] is None or key not in along["keys"]:
        return None
    return {name: value for name, value in along["found"].items() if value is not None}
