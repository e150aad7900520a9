"""Settings for the FNV Regio portal, read from the environment.

One module for every environment. Every variable is documented in `.env.example`.
Outside development mode (DJANGO_DEBUG) the module refuses to start without a real SECRET_KEY
and DATABASE_URL, so a production deploy cannot silently run on development defaults.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from core import registry
from fnvregio.logs import logging_config
from fnvregio.queues import QUEUES

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("FNV_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from error


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Development mode (DJANGO_DEBUG): the development SECRET_KEY, embedded PostgreSQL and Redis,
# mail to files, no HTTPS. Django's DEBUG (technical error pages that list every URL pattern
# and show tracebacks) is its own switch, DJANGO_DEBUG_PAGES: on in development unless turned
# off, as the demo does, so that it shows the portal's own error pages.
DEVELOPMENT = env_bool("DJANGO_DEBUG", False)
DEBUG = env_bool("DJANGO_DEBUG_PAGES", DEVELOPMENT)
if DEBUG and not DEVELOPMENT:
    raise ImproperlyConfigured("DJANGO_DEBUG_PAGES is for development only (DJANGO_DEBUG=1).")

_DEV_SECRET = "dev-only-insecure-key-never-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEVELOPMENT:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set a long random SECRET_KEY, or DJANGO_DEBUG=1 for development."
        )
    SECRET_KEY = _DEV_SECRET
elif not DEVELOPMENT and (
    SECRET_KEY == _DEV_SECRET or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5
):
    raise ImproperlyConfigured("SECRET_KEY is too weak: use at least 50 random characters.")

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver" if DEVELOPMENT else ""
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://localhost:8000").rstrip("/")

# The portal's own apps, bottom first (docs/DEVELOPING.md); each declares what it contributes
# to shared pages, beat and retention in its apps.py (core.registry).
PORTAL_APPS = [
    "regions",
    "members",
    "audit",
    "referrals",
    "loopbaan",
    "trajectories",
    "signals",
    "plans",
    "meetings",
    "pages",
    "labourmarket",
    "dashboard",
    "casework",
]
INSTALLED_APPS = [
    "fnvregio.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "import_export",
    "filestore",
    *PORTAL_APPS,
]
MIDDLEWARE = [
    "fnvregio.requestid.RequestIdMiddleware",
    "fnvregio.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "fnvregio.middleware.ClientAddressMiddleware",
    "audit.context.AuditContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # the session, its user and the page of a GET in one read of Redis (fnvregio/pagecache.py)
    "fnvregio.pagecache.ReadAlongMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "fnvregio.middleware.StaffTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "fnvregio.middleware.NoStoreForPersonalPagesMiddleware",
    "fnvregio.middleware.AdminAuditMiddleware",
    # last: a page served from the cache passes every middleware above (fnvregio/pagecache.py)
    "fnvregio.pagecache.PageCacheMiddleware",
]

ROOT_URLCONF = "fnvregio.urls"
WSGI_APPLICATION = "fnvregio.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "fnvregio.context_processors.portal",
            ],
            # {% icon "name" %} and {% status_badge obj %} on every template
            "builtins": ["core.icons", "core.badges"],
            # the admin's list filters and rows drawn in Python (templates/admin/)
            "libraries": {"adminlists": "core.adminlists"},
        },
    },
]
# Django's widget and label markup written without a template per widget (core/rendering.py).
FORM_RENDERER = "core.rendering.FormRenderer"

# --- Database: PostgreSQL only -------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if not DATABASE_URL:
    if not DEVELOPMENT:
        raise ImproperlyConfigured(
            "DATABASE_URL is not set. Production needs PostgreSQL (postgres://user:pass@host/db)."
        )
    # Development and tests on a machine without PostgreSQL: an embedded server under var/.
    from fnvregio.devservices import embedded_postgres_url

    DATABASE_URL = embedded_postgres_url(VAR_DIR)

DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60), conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend, with a health check that sends no `SELECT 1` while the server is quiet
    # (fnvregio/postgresql/base.py)
    DATABASES["default"]["ENGINE"] = "fnvregio.postgresql"
# Behind PgBouncer in transaction mode (docs/OPERATIONS.md): no prepared statements and no
# server-side cursors, which live on one server connection that the next transaction may not
# get. The bulk worker (imports hold a session-level advisory lock) connects to PostgreSQL
# directly, without this setting.
DATABASE_POOLER = os.environ.get("FNV_DATABASE_POOLER", "")
if DATABASE_POOLER == "pgbouncer":
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = None
elif DATABASE_POOLER:
    raise ImproperlyConfigured("FNV_DATABASE_POOLER must be 'pgbouncer' or empty.")
if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
    raise ImproperlyConfigured(
        "The portal runs on PostgreSQL only: DATABASE_URL must be postgres://"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and Celery (Redis) --------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
# redis-py's own spelling of the same server (kombu writes a unix socket as redis+socket://).
REDIS_CLIENT_URL = (
    "unix://" + REDIS_URL.removeprefix("redis+socket://")
    if REDIS_URL.startswith("redis+socket://")
    else REDIS_URL
)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "fnvregio.cache.PortalRedisCache",
            "LOCATION": REDIS_URL.replace("redis+socket://", "unix://"),
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "fnvregio"),
        }
    }
else:
    if not DEVELOPMENT:
        raise ImproperlyConfigured(
            "REDIS_URL is not set. Production needs Redis (redis://host:6379/0)."
        )
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The page cache (fnvregio/pagecache.py) needs the one Redis that every process writes to.
PAGE_CACHE = env_bool("PAGE_CACHE", bool(REDIS_URL))
PAGE_CACHE_SECONDS = 60
# Pages that read only (audit entries aside); tests/test_pagecache.py holds each to that.
PAGE_CACHE_VIEWS = [
    "home",
    "account_login",
    "regions:list",
    "loopbaan:mine",
    "loopbaan:book_place",
    "loopbaan:agenda",
    "signals:session_list",
    "signals:session_new",
    "signals:signal_list",
    "trajectories:my_trajectories",
    "plans:overview",
    "dashboard:region",
    "referrals:inbox",
    "admin:index",
    "admin:members_member_changelist",
]

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_RESULT_EXPIRES = 3600
CELERY_TASK_TIME_LIMIT = (
    30 * 60
)  # hard limit for tasks that set none; tasks set their own soft limit
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "Europe/Amsterdam"
# Queues by urgency (fnvregio/queues.py): urgent (mails, reminders), default, bulk (imports,
# full detection, retention). Workers choose theirs with -Q.
CELERY_TASK_QUEUES = {name: {"exchange": name, "routing_key": name} for name in QUEUES}
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = ("fnvregio.queues.route_task",)
# Due work (reminders) lives in the database, so nothing is scheduled with an eta. The
# visibility timeout must outlast the longest task (imports: 2 hours, acks_late), or Redis
# hands a running task to a second worker; tests/fnvregio/test_queues.py checks it.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3 * 3600}
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    "heartbeat": {
        "task": "fnvregio.tasks.heartbeat",
        "schedule": float(env_int("FNV_HEARTBEAT_SECONDS", 60)),
    },
    "retention": {"task": "fnvregio.tasks.apply_retention", "schedule": crontab(hour=3, minute=15)},
}
# Each app declares its beat entries in its apps.py (core.registry.Contributions).
CELERY_BEAT_SCHEDULE.update(registry.beat_schedule(PORTAL_APPS))
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Exactly one beat sends: with Redis, RedBeat keeps the schedule in Redis and holds a lock
# there; a second beat (another machine, a deploy overlapping the old one) waits as a standby
# and takes over within FNV_BEAT_LOCK_SECONDS when the first dies. The tasks beat sends are
# idempotent too (claims in the database), so a rare double send still sends nothing twice.
if REDIS_URL:
    CELERY_BEAT_SCHEDULER = "redbeat.RedBeatScheduler"
    CELERY_REDBEAT_REDIS_URL = REDIS_CLIENT_URL
    CELERY_REDBEAT_KEY_PREFIX = os.environ.get("CACHE_KEY_PREFIX", "fnvregio") + ":redbeat:"
    CELERY_REDBEAT_LOCK_TIMEOUT = env_int("FNV_BEAT_LOCK_SECONDS", 60)
    CELERY_REDBEAT_REDIS_OPTIONS = {"health_check_interval": 30}
    CELERY_BEAT_MAX_LOOP_INTERVAL = 5  # renew the lock well within its timeout

# --- Authentication ------------------------------------------------------------------------
AUTH_USER_MODEL = "members.User"
# Django's and allauth's, loading the user's "has a TOTP" flag with the user (members/backends.py).
AUTHENTICATION_BACKENDS = [
    "members.backends.ModelBackend",
    "members.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if env_bool("FAST_PASSWORD_HASHER", False):
    # Tests only: hashing a password with PBKDF2 for every user of every test is the slowest
    # thing in the suite. Never set this in production.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_ADAPTER = "members.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False  # a reset must never skip the second factor
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[FNV Regio] "
# Failed logins are limited per address and per account; allauth keys the account limit on
# account and address together, so a flood from elsewhere cannot lock the real person out.
# Wrong TOTP codes count against the same limits, also per account and address
# (members/mfa_forms.py), so knowing a password does not let anyone lock the second factor.
ACCOUNT_RATE_LIMITS = {
    "login_failed": os.environ.get("LOGIN_FAILED_RATE_LIMIT", "20/m/ip,5/5m/key"),
    "login": "60/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}
MFA_ADAPTER = "members.adapters.MFAAdapter"
# TOTP secrets are encrypted with their own key, never one derived from SECRET_KEY in
# production: rotating SECRET_KEY after a leak must not lock every staff member out. Old keys
# in MFA_ENCRYPTION_KEY_FALLBACKS still decrypt; `manage.py reencrypt_totp` moves every
# secret to the current key. Development without a key derives one from SECRET_KEY.
MFA_ENCRYPTION_KEY = os.environ.get("MFA_ENCRYPTION_KEY", "")
MFA_ENCRYPTION_KEY_FALLBACKS = env_list("MFA_ENCRYPTION_KEY_FALLBACKS")
if not DEVELOPMENT:
    if not MFA_ENCRYPTION_KEY:
        raise ImproperlyConfigured(
            "MFA_ENCRYPTION_KEY is not set. Set its own long random key (not SECRET_KEY) for "
            "the TOTP secrets; put an earlier key in MFA_ENCRYPTION_KEY_FALLBACKS."
        )
    if len(MFA_ENCRYPTION_KEY) < 32 or MFA_ENCRYPTION_KEY == SECRET_KEY:
        raise ImproperlyConfigured(
            "MFA_ENCRYPTION_KEY is too weak: use at least 32 random characters, not SECRET_KEY."
        )
MFA_FORMS = {
    # counted per account and address; a decryption failure is a message, not a 500;
    # staff enrol a first TOTP only through their invitation link (members/enrolment.py)
    "authenticate": "members.mfa_forms.AuthenticateForm",
    "reauthenticate": "members.mfa_forms.ReauthenticateForm",
    "activate_totp": "members.mfa_forms.ActivateTOTPForm",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "FNV Regio"
MFA_TOTP_TOLERANCE = 1
STAFF_SESSION_IDLE_SECONDS = env_int("STAFF_SESSION_IDLE_SECONDS", 30 * 60)
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_COOKIE_HTTPONLY = True
# Sessions are kept in PostgreSQL and read through Redis (cached_db): reading a session costs
# no database query, a change is written to both, and a session that Redis lost is read from
# the database. Erasure and logout delete both copies (members/erasure.py). fnvregio.sessions
# is cached_db reading the copy fetched with the request's user and page (one round trip).
SESSION_ENGINE = "fnvregio.sessions" if REDIS_URL else "django.contrib.sessions.backends.db"
# Messages ("Je bent nu ingelogd als ...") name the person: keep them in the session, never in
# a signed (readable) cookie.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
# Number of proxies in front of the app that append to X-Forwarded-For (0: use REMOTE_ADDR).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# --- Language and time ---------------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# --- Static files --------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files the portal keeps (uploads between steps, import previews) go to a store every machine
# reaches: PostgreSQL by default (filestore/storage.py, in 1 MB chunks), S3-compatible object
# storage with FNV_FILE_STORAGE=s3 (django-storages, `pip install .[s3]`), or a local folder
# with FNV_FILE_STORAGE=local (one machine only).
FILE_STORAGE = os.environ.get("FNV_FILE_STORAGE", "database")
_STORAGE_CHOICES: dict[str, dict] = {
    "database": {"BACKEND": "filestore.storage.DatabaseStorage"},
    "local": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "s3": {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get("FNV_S3_BUCKET", ""),
            "endpoint_url": os.environ.get("FNV_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("FNV_S3_REGION") or None,
            "access_key": os.environ.get("FNV_S3_ACCESS_KEY_ID", ""),
            "secret_key": os.environ.get("FNV_S3_SECRET_ACCESS_KEY", ""),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    },
}
_DEFAULT_STORAGE = _STORAGE_CHOICES.get(FILE_STORAGE, {})
if not _DEFAULT_STORAGE:
    raise ImproperlyConfigured("FNV_FILE_STORAGE must be database, s3 or local.")
STORAGES = {
    "default": _DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": "fnvregio.staticfiles.ManifestStaticFilesStorage"
        if not DEVELOPMENT
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Whitenoise serves straight from static/ in development, also with DEBUG off (the demo), so
# no collectstatic is needed there; production serves the collected, hashed files.
WHITENOISE_USE_FINDERS = DEVELOPMENT
WHITENOISE_AUTOREFRESH = DEVELOPMENT
MEDIA_ROOT = VAR_DIR / "media"
# Uploads never stay in memory past this size; the import code enforces its own limit too.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_TEMP_DIR = os.environ.get("FILE_UPLOAD_TEMP_DIR") or None

# --- Email ---------------------------------------------------------------------------------
EMAIL_BACKEND_NAME = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend"
    if DEVELOPMENT
    else "django.core.mail.backends.smtp.EmailBackend",
)
_MAIL_OPTIONS: dict[str, object] = {}
if EMAIL_BACKEND_NAME.endswith("filebased.EmailBackend"):
    _MAIL_OPTIONS = {"file_path": str(VAR_DIR / "mail")}
elif EMAIL_BACKEND_NAME.endswith("smtp.EmailBackend"):
    _MAIL_OPTIONS = {
        "host": os.environ.get("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 25),
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
    }
MAILERS = {"default": {"BACKEND": EMAIL_BACKEND_NAME, "OPTIONS": _MAIL_OPTIONS}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "FNV Regio <noreply@fnv-regio.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security headers ----------------------------------------------------------------------
SECURE_CSP = {
    "default-src": [CSP.NONE],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEVELOPMENT:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# --- Retention (days per kind of data; the nightly task enforces them) ----------------------
FNV_RETENTION_DAYS = {
    # consultation session summaries are blanked; the session and its themes stay for counts
    "session_summaries": env_int("RETENTION_SESSION_SUMMARIES_DAYS", 730),
    # free text of appointment reports (question description, notes) is blanked
    "appointment_reports": env_int("RETENTION_APPOINTMENT_REPORTS_DAYS", 1095),
    # progress notes of trajectories ended longer ago are deleted
    "trajectory_notes": env_int("RETENTION_TRAJECTORY_NOTES_DAYS", 1825),
    # audit entries are deleted
    "audit_entries": env_int("RETENTION_AUDIT_ENTRIES_DAYS", 1825),
    # uploaded import files (normally deleted when an import ends) and import error reports
    "import_files": env_int("RETENTION_IMPORT_FILES_DAYS", 7),
}

# --- Erasure ------------------------------------------------------------------------------
# Key of the one-way hash of erased member numbers. It can never change (the numbers are gone,
# so nothing can be hashed again): a new key makes earlier erasures unrecognisable, and the
# next import would bring those members back. Production therefore needs its own key, not one
# derived from SECRET_KEY, which is rotated after a leak. Development derives one.
FNV_ERASURE_KEY = os.environ.get("FNV_ERASURE_KEY", "")
if not DEVELOPMENT and (len(FNV_ERASURE_KEY) < 32 or FNV_ERASURE_KEY == SECRET_KEY):
    raise ImproperlyConfigured(
        "FNV_ERASURE_KEY is not set or too weak. Set its own random key of 32+ characters (not "
        "SECRET_KEY) and never change it: it recognises erased members in later imports."
    )

# --- Audit ---------------------------------------------------------------------------------
# Members see the role and date of each access to their record; names only if this is on.
FNV_SHOW_STAFF_NAMES_TO_MEMBERS = env_bool("FNV_SHOW_STAFF_NAMES_TO_MEMBERS", False)
# The audit entries of reads (a page, a list, a search) written outside a transaction are
# committed without waiting for the disk (audit.services.READS): after a crash of PostgreSQL or
# its machine the read entries of the last fraction of a second (at most 3 x wal_writer_delay,
# 0.6 s by default) may be lost; every entry of a change, an export, an import or an erasure,
# and every entry written in a transaction, waits as before. On: the reads wait too.
AUDIT_READS_WAIT_FOR_DISK = env_bool("AUDIT_READS_WAIT_FOR_DISK", False)
# Admin pages of these models are audit-logged (lists, views, changes, deletions).
FNV_AUDITED_ADMIN_MODELS = env_list(
    "FNV_AUDITED_ADMIN_MODELS",
    "members.member,members.user,audit.auditentry,loopbaan.appointment,loopbaan.appointmentreport,"
    "trajectories.trajectory,trajectories.participant,trajectories.progressnote,"
    "signals.consultationsession,signals.signal,signals.consent,members.memberimport",
)

# --- Domain settings -----------------------------------------------------------------------
FNV = {
    "MIN_GROUP_SIZE": env_int("FNV_MIN_GROUP_SIZE", 3),
    "IMPORT_MAX_BYTES": env_int("FNV_IMPORT_MAX_BYTES", 200 * 1024 * 1024),
    # An import that adds at least this many members (and at least half as many as there
    # are) is applied as a bulk load: secondary indexes and foreign keys are rebuilt after
    # the insert instead of maintained row by row (docs/member-import.md).
    "IMPORT_BULK_ROWS": env_int("FNV_IMPORT_BULK_ROWS", 100_000),
    # A CSV file at least this large is checked by two processes at once (0: always one).
    "IMPORT_PARALLEL_BYTES": env_int("FNV_IMPORT_PARALLEL_BYTES", 16 * 1024 * 1024),
    # A plan being written shows the region's figures taken at most this many seconds ago
    # (they cost 0.35 s at a million members); 0: taken at every page (docs/regioplannen.md).
    "PLANS_PANEL_CACHE_SECONDS": env_int("FNV_PLANS_PANEL_CACHE_SECONDS", 300),
}

# JSON lines with the request id in production, never personal data (fnvregio/logs.py).
LOGGING = logging_config(
    json_format=os.environ.get("LOG_FORMAT", "plain" if DEVELOPMENT else "json") == "json",
    level=os.environ.get("LOG_LEVEL", "INFO"),
)
# The worker logs through the same configuration instead of Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# --- Eyes on it (docs/OPERATIONS.md) -------------------------------------------------------------
# /metrics answers only with "Authorization: Bearer <FNV_METRICS_TOKEN>"; unset: 404.
FNV_METRICS_TOKEN = os.environ.get("FNV_METRICS_TOKEN", "")
# Optional error reports, personal data scrubbed (fnvregio/errorreports.py).
if os.environ.get("SENTRY_DSN"):
    from fnvregio import errorreports

    errorreports.init(
        os.environ["SENTRY_DSN"],
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        release=os.environ.get("FNV_RELEASE", ""),
    )
