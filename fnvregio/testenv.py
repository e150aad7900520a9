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
