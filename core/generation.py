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
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"

# What the request read from Redis at its start (`prefetching`): the generation, its keys by
# name, and the values not yet taken.
_prefetch: ContextVar[dict[str, Any] | None] = ContextVar("generation_prefetch", default=None)


def bump() -> None:
    """A new generation: everything stored under an older one is stale from now on, and what
    this request read at its start (`prefetching`) is read again where it is wanted."""
    state = _prefetch.get()
    if state is not None:
        state["found"] = None
    try:
        cache.set(GENERATION_KEY, secrets.token_hex(8), timeout=None)
    except Exception:  # Redis away: the write itself must not fail for it
        logger.exception("page cache: the generation could not be renewed")


def cached[T](
    key: str, load: Callable[[], T | None], accept: Callable[[T], bool] = lambda value: True
) -> T | None:
    """What `load` returns, from the cache when it was stored under the current generation
    (and `accept` takes it).

    One Redis round trip (the generation and the value together), none when the request read
    the key at its start (`prefetching`). `None` is never stored: it is loaded again each time.
    Redis away: loaded, as if nothing were stored.
    """
    if not settings.PAGE_CACHE:
        return load()
    found = read_with_generation(key)
    if found is None:
        return load()
    generation = found.get(GENERATION_KEY)
    entry = found.get(key)
    if generation is not None and entry is not None and entry[0] == generation:
        value: T = entry[1]
        if accept(value):
            return value
    value_loaded = load()
    if value_loaded is not None and generation is not None:
        try:
            cache.set(key, (generation, value_loaded), timeout=settings.PAGE_CACHE_SECONDS)
        except Exception:
            logger.exception("page cache: %s could not be stored", key)
    return value_loaded


def read_with_generation(key: str) -> dict[str, Any] | None:
    """The generation and `key` (the shape of `cache.get_many`): as this request prefetched
    them, else in one round trip. None when Redis could not be read."""
    found = prefetched(key)
    if found is not None:
        return found
    try:
        return cache.get_many([GENERATION_KEY, key])
    except Exception:
        logger.exception("page cache: Redis could not be read")
        return None


@contextmanager
def prefetching(keys: Mapping[str, str]) -> Iterator[None]:
    """Read the generation and `keys` (their values, by a name of the caller's) from Redis now,
    in one round trip, for the block. `key_of(name)` gives a key, `prefetched(key)` what was
    found, once; `cached` looks there first. The page cache reads a request's session, the user
    of that session and its page this way (`fnvregio.pagecache.ReadAlongMiddleware`): one round
    trip instead of three on every logged-in page. Redis away: nothing is prefetched."""
    try:
        found = cache.get_many([GENERATION_KEY, *keys.values()])
    except Exception:
        logger.exception("page cache: Redis could not be read")
        found = None
    token = _prefetch.set({"keys": dict(keys), "found": found, "taken": set()})
    try:
        yield
    finally:
        _prefetch.reset(token)


def key_of(name: str) -> str | None:
    """The key this request prefetched under `name`, if it did."""
    state = _prefetch.get()
    return state["keys"].get(name) if state is not None else None


def prefetched(key: str) -> dict[str, Any] | None:
    """The generation and `key` as `prefetching` read them (the shape of `cache.get_many`,
    missing values left out), or None when `key` was not prefetched, was taken before, or a
    write since (`bump`) made the generation read then an old one. Each key is given once: a
    second reader in the same request (a session saved and opened again) reads Redis itself."""
    state = _prefetch.get()
    if state is None or state["found"] is None or key not in state["keys"].values():
        return None
    found = state["found"]
    if key in state["taken"]:
        return None
    state["taken"].add(key)
    return {name: found[name] for name in (GENERATION_KEY, key) if found.get(name) is not None}
