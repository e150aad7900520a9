"""Loaded by pytest (`-p fnvregio.testenv`) before Django's settings are read.

Tests run with development defaults (no production SECRET_KEY needed) and eager Celery tasks;
DATABASE_URL and REDIS_URL are used when set (CI: the machine's real servers), and the
embedded PostgreSQL serves the suite when DATABASE_URL is not set.
"""

import os

os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "1")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
os.environ.setdefault("STAFF_SESSION_IDLE_SECONDS", "1800")
os.environ.setdefault("FAST_PASSWORD_HASHER", "1")
# The plan's live panel is taken at every page in tests: a panel kept in Redis by one test would
# show in the next (the regions' ids are the same). tests/plans/test_panel_cache.py turns it on.
os.environ.setdefault("FNV_PLANS_PANEL_CACHE_SECONDS", "0")
# Tests render their pages: a test that requests a page twice and counts the second request's
# queries, or reads its context, must not get the page cache's copy. Tests marked `page_cache`
# turn it on (tests/conftest.py).
os.environ.setdefault("PAGE_CACHE", "0")
