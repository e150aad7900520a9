"""The portal's Redis cache (fnvregio/cache.py): Django's, with one redis client per pool.
Against a real Redis server."""

import os

import pytest
from django.conf import settings

from fnvregio.cache import PortalRedisCache

pytestmark = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="needs a Redis server (REDIS_URL)"
)


@pytest.fixture
def cache():
    backend = PortalRedisCache(
        os.environ["REDIS_URL"], {"KEY_PREFIX": f"fnv-cache-test-{os.getpid()}"}
    )
    yield backend
    backend.clear()


def test_the_settings_use_it():
    assert settings.CACHES["default"]["BACKEND"] == "fnvregio.cache.PortalRedisCache"


def test_it_is_a_working_cache_that_reuses_one_client(cache):
    client = cache._cache.get_client(write=True)
    cache.set("sleutel", {"naam": "Zoë", "aantal": 3}, 60)
    assert cache.get("sleutel") == {"naam": "Zoë", "aantal": 3}
    assert cache.add("sleutel", "ander") is False
    assert cache.add("teller", 1) is True
    assert cache.incr("teller") == 2
    cache.set_many({"a": 1, "b": 2})
    assert cache.get_many(["a", "b", "c"]) == {"a": 1, "b": 2}
    assert cache.delete("sleutel") is True
    assert cache.get("sleutel", "weg") == "weg"
    assert cache._cache.get_client(write=False) is client
    assert cache._cache.get_client(write=True) is client


def test_a_forked_process_uses_its_own_connections(cache):
    """gunicorn forks its workers after the parent may have used the cache: the shared client's
    pool must open new connections in the child, not share the parent's socket."""
    cache.set("voor", "ouder")
    parent_pool = cache._cache.get_client().connection_pool
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report what it read and set, then leave at once
        try:
            cache.set("kind", "gezet")
            ok = cache.get("voor") == "ouder" and cache._cache.get_client().connection_pool.pid
            os.write(write, str(ok).encode())
        finally:
            os._exit(0)
    os.close(write)
    answer = os.read(read, 100).decode()
    os.waitpid(pid, 0)
    assert answer == str(pid)  # the pool knows it now belongs to the child
    assert parent_pool.pid == os.getpid()
    assert cache.get("kind") == "gezet"
    assert cache.get("voor") == "ouder"
