"""The portal's Redis cache (fnvregio/cache.py): Django's, with one redis client per pool.
Against a real Redis server."""

import os
import subprocess
import sys

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


FORK_SCRIPT = """
import os, sys
from django.conf import settings
settings.configure()
from fnvregio.cache import PortalRedisCache

cache = PortalRedisCache(sys.argv[1], {"KEY_PREFIX": sys.argv[2]})
cache.set("voor", "ouder")
parent_pool = cache._cache.get_client().connection_pool
read, write = os.pipe()
pid = os.fork()
if pid == 0:  # the child: what it read, the pool's owner, then leave at once
    try:
        cache.set("kind", "gezet")
        seen = cache.get("voor")
        os.write(write, f"{seen} {cache._cache.get_client().connection_pool.pid}".encode())
    finally:
        os._exit(0)
os.close(write)
answer = os.read(read, 100).decode()
os.waitpid(pid, 0)
print(answer, pid, parent_pool.pid == os.getpid(), cache.get("kind"), cache.get("voor"))
cache.clear()
"""


def test_a_forked_process_uses_its_own_connections():
    """gunicorn forks its workers after the parent may have used the cache: the shared client's
    pool must open new connections in the child, not share the parent's socket. In a process
    of its own: the test process has threads, and fork() beside threads may deadlock."""
    prefix = f"fnv-cache-fork-{os.getpid()}"
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", FORK_SCRIPT, os.environ["REDIS_URL"], prefix],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        cwd=settings.BASE_DIR,
    )
    seen, child_pool_pid, child_pid, parent_kept, child_set, parent_value = result.stdout.split()
    assert seen == "ouder"
    assert child_pool_pid == child_pid  # the pool knows it now belongs to the child
    assert parent_kept == "True"
    assert (child_set, parent_value) == ("gezet", "ouder")
