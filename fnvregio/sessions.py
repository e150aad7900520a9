"""The session engine: Django's `cached_db` (kept in PostgreSQL, read through Redis), whose
read takes the copy the request already read from Redis along with its user and page
(`fnvregio.pagecache.ReadAlongMiddleware`, `core.generation.prefetching`) instead of a round
trip of its own. Everything else, saving and deleting both copies included, is Django's.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends import cached_db

from core.generation import prefetched


class SessionStore(cached_db.SessionStore):
    def load(self) -> dict[str, Any]:
        if self.session_key is not None:
            found = prefetched(self.cache_key)
            if found is not None and self.cache_key in found:
                data: dict[str, Any] = found[self.cache_key]
                return data
        return super().load()
