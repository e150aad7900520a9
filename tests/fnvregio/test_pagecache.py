"""The page cache (fnvregio/pagecache.py): a read-only page is kept per person until anything
is written; it is never shown to another person, never after a write, and a page served from
it writes the audit trail, carries the request's own CSRF token and CSP nonce."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEntry
from core.roles import Role
from fnvregio import pagecache
from signals.models import ConsultationSession
from tests.conftest import Cast, ensure_reference_data, login
from tests.factories import SectorFactory
from tests.signals.helpers import log_session

pytestmark = pytest.mark.page_cache

# Every view of PAGE_CACHE_VIEWS, with the role that opens it.
CACHED_PAGES: list[tuple[str | None, str, dict]] = [
    (None, "account_login", {}),
    (None, "home", {}),
    (None, "regions:list", {}),
    (Role.MEMBER, "home", {}),
    (Role.MEMBER, "loopbaan:mine", {}),
    (Role.MEMBER, "loopbaan:book_place", {}),
    (Role.CONSULTANT, "home", {}),
    (Role.CONSULTANT, "signals:session_list", {}),
    (Role.CONSULTANT, "signals:session_new", {}),
    (Role.CONSULTANT, "loopbaan:agenda", {}),
    (Role.ADVISER, "home", {}),
    (Role.ADVISER, "trajectories:my_trajectories", {}),
    (Role.REGIONAL_OFFICIAL, "home", {}),
    (Role.REGIONAL_OFFICIAL, "plans:overview", {}),
    (Role.COORDINATOR, "home", {}),
    (Role.COORDINATOR, "dashboard:region", {"code": "AM13"}),
    (Role.SECTOR_OFFICIAL, "home", {}),
    (Role.SECTOR_OFFICIAL, "signals:signal_list", {}),
    (Role.LEGAL, "home", {}),
    (Role.LEGAL, "referrals:inbox", {}),
    (Role.ADMIN, "home", {}),
    (Role.ADMIN, "admin:index", {}),
    (Role.ADMIN, "admin:members_member_changelist", {}),
]

_TOKEN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")


def _nonce(response) -> str:
    return response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]


def _normal(response) -> str:
    """The page with its per-request values (CSRF tokens, the nonce) taken out."""
    text = response.content.decode()
    if "'nonce-" in response.get("Content-Security-Policy", ""):
        text = text.replace(_nonce(response), "NONCE")
    return _TOKEN.sub("TOKEN", text)


def _rendered(response) -> bool:
    """Whether the view rendered a template (a page from the cache renders none)."""
    return response.context is not None


def _trail(since: int) -> list[tuple]:
    return list(
        AuditEntry.objects.filter(pk__gt=since)
        .order_by("pk")
        .values_list("actor_id", "actor_role", "action", "object_type", "object_id", "detail")
    )


def _last_audit() -> int:
    return AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_these_tests_run_with_the_page_cache_on():
    assert settings.PAGE_CACHE, "REDIS_URL is set in CI: the page cache must be on in its tests"
    assert settings.MIDDLEWARE[-1] == "fnvregio.pagecache.PageCacheMiddleware"
    assert {name for _, name, _ in CACHED_PAGES} == set(settings.PAGE_CACHE_VIEWS)


@pytest.mark.parametrize(
    ("role", "name", "kwargs"),
    CACHED_PAGES,
    ids=[f"{role or 'anonymous'}-{name}" for role, name, _ in CACHED_PAGES],
)
def test_a_cached_page_reads_only_and_comes_back_the_same(client, cast, role, name, kwargs):
    if role is not None:
        login(client, cast.by_role()[role])
    url = reverse(name, kwargs=kwargs)
    log_session(cast)  # something in the lists
    before = _last_audit()
    with CaptureQueriesContext(connection) as queries:
        first = client.get(url)
    assert first.status_code == 200, (url, first.status_code, first.get("Location"))
    assert _rendered(first)
    # The view wrote nothing but audit entries: serving it from the cache would skip a write.
    writes = [q["sql"] for q in queries.captured_queries if pagecache.writes_pages(q["sql"])]
    assert writes == [], f"{url} wrote on GET"
    rendered_trail = _trail(before)

    middle = _last_audit()
    second = client.get(url)
    assert second.status_code == 200
    assert not _rendered(second), f"{url} was rendered again, not served from the cache"
    assert _normal(second) == _normal(first)
    assert _trail(middle) == rendered_trail, "a cached page writes the audit trail it would"
    assert second["Content-Type"] == first["Content-Type"]
    if role is not None:
        assert "no-store" in second["Cache-Control"]


@pytest.fixture
def committed_cast(transactional_db) -> Cast:
    """The cast in a test whose writes commit: an earlier transactional test may have flushed
    the reference data."""
    ensure_reference_data()
    return Cast()


def test_a_write_makes_the_page_render_again(client, committed_cast):
    """With real commits, as in production (a test's own transaction never commits)."""
    cast = committed_cast
    login(client, cast.consultant)
    url = reverse("signals:session_list")
    log_session(cast, summary="eerste")
    assert _rendered(client.get(url))
    assert not _rendered(client.get(url))

    # the ORM, in the service's transaction
    session = log_session(cast, summary="tweede")
    page = client.get(url)
    assert _rendered(page) and len(page.context["sessions"]) == 2
    assert not _rendered(client.get(url))

    # QuerySet.update, which sends no model signal
    ConsultationSession.objects.filter(pk=session.pk).update(summary="gewijzigd")
    assert _rendered(client.get(url))
    assert not _rendered(client.get(url))

    # raw SQL
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE signals_consultationsession SET summary = %s WHERE id = %s",
            ["rauw", session.pk],
        )
    assert _rendered(client.get(url))

    # a delete, with its cascade (the session's themes and consents)
    session.delete()
    page = client.get(url)
    assert _rendered(page) and len(page.context["sessions"]) == 1


def _fields(user) -> dict:
    return {f.attname: getattr(user, f.attname) for f in type(user)._meta.concrete_fields}


def test_the_user_of_a_session_is_read_once_while_nothing_is_written(cast):
    """members.backends.load_user keeps the user (with the TOTP flag) under the generation."""
    from members.backends import load_user

    pk = cast.sector_official.pk
    with CaptureQueriesContext(connection) as first:
        user = load_user(pk)
    assert len(first) == 1
    with CaptureQueriesContext(connection) as again:
        kept = load_user(str(pk))  # as a session stores it
    assert len(again) == 0, "the user was read again while nothing was written"
    assert _fields(kept) == _fields(user) and kept.has_totp is user.has_totp is True

    pagecache.bump()  # any committed write
    with CaptureQueriesContext(connection) as after:
        load_user(pk)
    assert len(after) == 1

    missing = pk + 100_000  # no user is never stored: one made later is found at once
    assert load_user(missing) is None
    with CaptureQueriesContext(connection) as none_again:
        assert load_user(missing) is None
    assert len(none_again) == 1
    assert load_user("12x") is None  # a tampered session


def test_without_redis_the_user_is_read_from_the_database(cast, monkeypatch):
    from members.backends import load_user

    def away(*args, **kwargs):
        raise ConnectionError("Redis is away")

    monkeypatch.setattr(cache, "get_many", away)
    with CaptureQueriesContext(connection) as queries:
        assert load_user(cast.consultant.pk).pk == cast.consultant.pk
    assert len(queries) == 1


def test_a_committed_change_to_the_user_counts_from_their_next_request(client, committed_cast):
    """Another role, a deactivation, a new password: each write renews the generation, so the
    next request reads the user from the database, not the kept one."""
    cast = committed_cast
    consultant = cast.consultant
    users = type(consultant).objects
    url = reverse("signals:session_list")

    def settled():
        """The page is kept, with its user: a request sends no query but its audit entry."""
        assert _rendered(client.get(url))
        with CaptureQueriesContext(connection) as queries:
            assert not _rendered(client.get(url))
        assert [q["sql"].split()[0] for q in queries.captured_queries] == ["INSERT"]

    login(client, consultant)
    settled()
    users.filter(pk=consultant.pk).update(role=Role.MEMBER)
    response = client.get(url)
    assert response.status_code != 200, "the old role still opened the consultant's list"

    users.filter(pk=consultant.pk).update(role=Role.CONSULTANT)
    settled()
    users.filter(pk=consultant.pk).update(is_active=False)
    response = client.get(url)
    assert response.status_code == 302 and reverse("account_login") in response["Location"]

    users.filter(pk=consultant.pk).update(is_active=True)
    login(client, consultant)
    settled()
    consultant.refresh_from_db()
    consultant.set_password("een nieuw wachtwoord 2026")
    consultant.save()
    response = client.get(url)
    assert response.status_code == 302, "a session of the old password still opened a page"


def test_only_the_audit_trail_sessions_and_snapshots_are_quiet(transactional_db):
    from django.contrib.sessions.backends.db import SessionStore

    generation = cache.get(pagecache.GENERATION_KEY)
    AuditEntry.objects.create(action="view", object_type="x")
    store = SessionStore()
    store["a"] = 1
    store.save()
    assert cache.get(pagecache.GENERATION_KEY) == generation
    SectorFactory(name="Schoonmaak")
    assert cache.get(pagecache.GENERATION_KEY) != generation


@pytest.mark.parametrize(
    ("sql", "writes"),
    [
        ('SELECT "members_member"."id" FROM "members_member"', False),
        ("  select 1", False),
        ('(SELECT 1 FROM "a") UNION ALL (SELECT 2 FROM "b")', False),
        ('INSERT INTO "dashboard_dashboardsnapshot" ("scope") VALUES (%s)', False),
        ('SELECT 1 FROM "x" FOR UPDATE', False),
        ('SAVEPOINT "s1"', False),
        ('INSERT INTO "audit_auditentry" ("at") VALUES (%s)', False),
        ('UPDATE "django_session" SET "session_data" = %s', False),
        ('DELETE FROM "django_session" WHERE "expire_date" < %s', False),
        ('INSERT INTO "signals_consultationsession" ("at") VALUES (%s)', True),
        ('UPDATE "members_user" SET "role" = %s', True),
        ('DELETE FROM "loopbaan_appointment" WHERE "id" = %s', True),
        ("delete from only loopbaan_appointment", True),
        ("WITH x AS (DELETE FROM members_member RETURNING id) SELECT count(*) FROM x", True),
        ("WITH x AS (SELECT 1) SELECT * FROM x", False),
        ('TRUNCATE "signals_signal"', True),
        ("COPY members_member FROM STDIN", True),
        ('ALTER TABLE "members_member" ADD COLUMN "x" int', True),
        ("", True),
        (b"SELECT 1", True),  # not a text: not read, so taken as a write
    ],
)
def test_which_statements_renew_the_generation(sql, writes):
    assert pagecache.writes_pages(sql) is writes


def test_the_generation_is_renewed_when_the_transaction_commits(transactional_db):
    """A page rendered before the commit read the data before it: it must not be served after
    the commit. Once per transaction, however many statements."""
    before = cache.get(pagecache.GENERATION_KEY)
    with transaction.atomic():
        SectorFactory(name="Schoonmaak")
        SectorFactory(name="Zorg")
        assert [f for _, f, _ in connection.run_on_commit] == [pagecache._bump_after_commit]
        assert cache.get(pagecache.GENERATION_KEY) == before  # not yet: nothing committed
    after = cache.get(pagecache.GENERATION_KEY)
    assert after != before
    SectorFactory(name="Onderwijs")  # outside a transaction: at once
    assert cache.get(pagecache.GENERATION_KEY) != after


def test_a_rolled_back_transaction_renews_nothing(transactional_db):
    before = cache.get(pagecache.GENERATION_KEY)
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        SectorFactory(name="Schoonmaak")
        1 / 0  # noqa: B018
    assert cache.get(pagecache.GENERATION_KEY) == before
    with transaction.atomic():
        with pytest.raises(ZeroDivisionError), transaction.atomic():
            SectorFactory(name="Zorg")
            1 / 0  # noqa: B018
        SectorFactory(name="Onderwijs")  # registered again after the savepoint went
    assert cache.get(pagecache.GENERATION_KEY) != before


def test_a_page_is_never_shown_to_another_person(cast):
    other = type(cast.consultant).objects.get(pk=cast.consultant.pk)
    other.pk = None
    other.email = "tweede.consulent@example.org"
    other.first_name = "Tweede"
    other.save()
    other.union_houses.set(cast.consultant.union_houses.all())
    log_session(cast, summary="Sessie van de eerste")
    url = reverse("signals:session_list")
    first, second = Client(), Client()
    login(first, cast.consultant)
    login(second, other)
    assert _rendered(first.get(url))
    assert not _rendered(first.get(url))
    page = second.get(url)
    assert _rendered(page), "another consultant got the first one's page"
    assert "Sessie van de eerste" not in page.content.decode()


def test_whose_page_it_is_holds_the_role_and_the_flags(rf, cast):
    request = rf.get("/", HTTP_X_FORWARDED_PROTO="https")
    request.user = cast.consultant
    as_consultant = pagecache._who(request)
    cast.consultant.role = Role.MEMBER
    assert pagecache._who(request) != as_consultant
    cast.consultant.role = Role.CONSULTANT
    cast.consultant.is_active = False
    assert pagecache._who(request) != as_consultant
    cast.consultant.is_active = True
    assert pagecache._who(request) == as_consultant


def test_the_key_holds_the_session_and_the_language(rf):
    from django.contrib.sessions.backends.base import SessionBase

    def key(session_key, language="nl"):
        request = rf.get("/", HTTP_X_FORWARDED_PROTO="https")
        request.session = SessionBase(session_key)
        request.LANGUAGE_CODE = language
        return pagecache._key(request)

    assert key("a" * 32) != key("b" * 32)
    assert key("a" * 32) != key("a" * 32, "en")
    assert key(None) == key(None) != key("a" * 32)
    assert "a" * 32 not in key("a" * 32)  # a session key is never written into a Redis key


def _stored_pages() -> list[str]:
    client = cache._cache.get_client()  # type: ignore[attr-defined]
    return [name.decode() for name in client.keys("*pagecache:page:*")]


def test_a_page_is_served_only_to_the_user_it_was_rendered_for(client, cast):
    """Within one session too: a page stored for another role of the same user (as a role
    change would leave it, were the generation not renewed by its write) is rendered again."""
    raw = cache._cache.get_client()  # type: ignore[attr-defined]
    serializer = cache._cache._serializer  # type: ignore[attr-defined]
    for name in _stored_pages():  # other tests' pages, of users who may have had this id
        raw.delete(name)
    login(client, cast.consultant)
    url = reverse("signals:session_list")
    assert _rendered(client.get(url))
    assert not _rendered(client.get(url))
    changed = 0
    for name in _stored_pages():
        entry = serializer.loads(raw.get(name))
        if entry["who"].startswith(f"{cast.consultant.pk}.consultant."):
            entry["who"] = f"{cast.consultant.pk}.member.100"
            raw.set(name, serializer.dumps(entry), keepttl=True)
            changed += 1
    assert changed == 1
    assert _rendered(client.get(url)), "a page of another role was served"


def test_a_logged_in_page_from_the_cache_takes_one_round_trip_to_redis(client, cast, monkeypatch):
    """The generation, the session (`fnvregio.sessions`), the user of the session and the page
    together (`ReadAlongMiddleware`, `core.generation.prefetching`)."""
    from django.core.cache.backends.redis import RedisCacheClient

    login(client, cast.consultant)
    url = reverse("signals:session_list")
    assert _rendered(client.get(url))
    calls: list[str] = []
    for name in ("get", "get_many", "set", "add", "delete"):
        original = getattr(RedisCacheClient, name)

        def counted(self, *args, _name=name, _original=original, **kwargs):
            calls.append(_name)
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(RedisCacheClient, name, counted)
    page = client.get(url)
    assert not _rendered(page) and page.status_code == 200
    assert calls == ["get_many"]


def test_a_cached_form_carries_a_token_that_the_visitor_can_post(db):
    url = reverse("account_login")
    first = Client(enforce_csrf_checks=True)
    assert _rendered(first.get(url))
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(url)
    assert not _rendered(page)
    # the visitor got a secret of its own, and every token on the page is of that secret
    secret = page.cookies[settings.CSRF_COOKIE_NAME].value
    assert secret != first.cookies[settings.CSRF_COOKIE_NAME].value
    tokens = _TOKEN.findall(page.content.decode())
    assert tokens and "pagecache" not in page.content.decode()
    assert {pagecache._unmask_cipher_token(token) for token in tokens} == {secret}
    answer = visitor.post(
        url, {"csrfmiddlewaretoken": tokens[0], "login": "niemand@example.org", "password": "x"}
    )
    assert answer.status_code != 403, "the cached page's token was not the visitor's"
    other = Client(enforce_csrf_checks=True)
    other.get(url)
    refused = other.post(
        url, {"csrfmiddlewaretoken": tokens[0], "login": "niemand@example.org", "password": "x"}
    )
    assert refused.status_code == 403, "one visitor's token worked for another"


def test_a_cached_page_names_the_nonce_of_its_own_response(client, db):
    url = reverse("regions:list")
    first = client.get(url)
    second = client.get(url)
    assert not _rendered(second)
    assert _nonce(second) != _nonce(first)
    body = second.content.decode()
    scripts = re.findall(r"<script[^>]*>", body)
    assert scripts and all(f'nonce="{_nonce(second)}"' in tag for tag in scripts)


def test_messages_waiting_are_shown_not_a_cached_page(client, cast):
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message
    from django.contrib.messages.storage.session import SessionStorage

    login(client, cast.consultant)
    url = reverse("signals:session_list")
    assert _rendered(client.get(url))
    session = client.session
    storage = SessionStorage.__new__(SessionStorage)  # only its serialisation is used
    session[SessionStorage.session_key] = storage.serialize_messages(
        [Message(constants.SUCCESS, "Het spreekuur is opgeslagen.")]
    )
    session.save()
    page = client.get(url)
    assert _rendered(page)
    assert "Het spreekuur is opgeslagen." in page.content.decode()


def test_htmx_requests_and_a_switched_off_cache_always_render(client, cast, settings):
    login(client, cast.consultant)
    url = reverse("signals:session_list")
    client.get(url)
    assert _rendered(client.get(url, headers={"HX-Request": "true"}))
    settings.PAGE_CACHE = False
    assert _rendered(client.get(url))


def test_a_lost_generation_stores_nothing_and_starts_a_new_one(client, cast):
    login(client, cast.consultant)
    url = reverse("signals:session_list")
    cache.delete(pagecache.GENERATION_KEY)
    assert _rendered(client.get(url))
    assert cache.get(pagecache.GENERATION_KEY) is not None
    assert _rendered(client.get(url)), "a page stored under no generation was served"
    assert not _rendered(client.get(url))


def test_a_page_is_served_only_within_the_minute_it_was_stored_in(client, cast, monkeypatch):
    """A page that depends on the clock ("today", the slots still open) is at most a minute
    old. (Every other test of the page cache holds the minute still: tests/conftest.py.)"""
    login(client, cast.consultant)
    url = reverse("signals:session_list")
    minute = pagecache._minute()
    assert _rendered(client.get(url))
    assert not _rendered(client.get(url))
    monkeypatch.setattr(pagecache, "_minute", lambda: minute + 1)
    assert _rendered(client.get(url)), "a page of the minute before was served"
    assert not _rendered(client.get(url))


def test_a_session_holding_more_than_the_login_gets_its_page_rendered(client, db):
    """An anonymous page is shared by every anonymous visitor: one whose session holds
    something (a login halfway) must not leave a page that others are served."""
    url = reverse("account_login")
    session = client.session
    session["account_login_state"] = {"email": "halverwege@example.org"}
    session.save()
    assert _rendered(client.get(url))
    assert _rendered(client.get(url)), "a page of a session with state was stored or served"
    stranger = Client()
    assert _rendered(stranger.get(url))
    assert not _rendered(stranger.get(url))


def _through_middleware(rf, user, view):
    """One GET of the session list through PageCacheMiddleware alone, `view` standing in for
    the view: (the response, whether a page was stored for it)."""
    from django.contrib.sessions.backends.cache import SessionStore
    from django.urls import resolve

    request = rf.get(reverse("signals:session_list"))
    request.user = user
    request.session = SessionStore()
    request.LANGUAGE_CODE = "nl"
    request.resolver_match = resolve(request.path)
    cache.delete(pagecache._key(request))
    middleware = pagecache.PageCacheMiddleware(
        lambda request: middleware.process_view(request, view, (), {}) or view(request)
    )
    response = middleware(request)
    return response, cache.get(pagecache._key(request)) is not None


def test_a_view_that_changes_the_session_or_sets_a_cookie_is_not_stored(rf, cast):
    from django.http import HttpResponse

    def plain(request):
        return HttpResponse("<p>lijst</p>")

    def remembering(request):
        request.session["laatst_bekeken"] = "spreekuren"
        return HttpResponse("<p>lijst</p>")

    def with_cookie(request):
        response = HttpResponse("<p>lijst</p>")
        response.set_cookie("keuze", "1")
        return response

    def not_found(request):
        return HttpResponse("<p>weg</p>", status=404)

    log_session(cast)  # a generation to store under
    assert _through_middleware(rf, cast.consultant, plain)[1]
    for view in (remembering, with_cookie, not_found):
        assert not _through_middleware(rf, cast.consultant, view)[1], view.__name__


def test_what_a_request_prefetched_is_given_once_and_not_after_a_write(db):
    """`core.generation.prefetching`: one round trip for the generation and the named keys; each
    key is given once (a second reader reads Redis itself), and a write in the request (`bump`)
    makes the readers read again rather than take values read under the old generation."""
    from core import generation

    generation.bump()
    cache.set("pagecache:test:a", "eerste", 60)
    with generation.prefetching({"a": "pagecache:test:a", "b": "pagecache:test:b"}):
        assert generation.key_of("a") == "pagecache:test:a" and generation.key_of("c") is None
        cache.set("pagecache:test:a", "tweede", 60)  # after the prefetch
        found = generation.prefetched("pagecache:test:a")
        assert found == {
            generation.GENERATION_KEY: cache.get(generation.GENERATION_KEY),
            "pagecache:test:a": "eerste",
        }
        assert generation.prefetched("pagecache:test:a") is None, "given twice"
        assert generation.prefetched("pagecache:test:b") == {
            generation.GENERATION_KEY: cache.get(generation.GENERATION_KEY)
        }
        assert generation.prefetched("pagecache:test:other") is None
    assert generation.prefetched("pagecache:test:a") is None and generation.key_of("a") is None

    with generation.prefetching({"a": "pagecache:test:a"}):
        generation.bump()
        assert generation.prefetched("pagecache:test:a") is None


def test_the_user_kept_for_a_session_is_taken_only_for_its_own_id(db, cast):
    """`load_user` keeps the user under the request's session (read with the session and the
    page); an entry there of another user (a session that changed hands) is not taken."""
    from core import generation
    from members.backends import load_user

    generation.bump()
    key = "pagecache:user:session:test"
    current = cache.get(generation.GENERATION_KEY)
    cache.set(key, (current, load_user(cast.admin.pk)), 60)
    with generation.prefetching({"user": key}):
        user = load_user(cast.consultant.pk)
    assert (user.pk, user.role) == (cast.consultant.pk, Role.CONSULTANT)
    assert cache.get(key)[1].pk == cast.consultant.pk, "the right user is kept there now"
    with generation.prefetching({"user": key}), CaptureQueriesContext(connection) as queries:
        assert load_user(cast.consultant.pk).pk == cast.consultant.pk
    assert len(queries) == 0


def test_a_session_is_read_from_the_prefetch_once_then_as_django_reads_it(client, committed_cast):
    """`fnvregio.sessions.SessionStore`: the request's first read of its session takes the copy
    read at the request's start; a store opened again in the same request, after a save, reads
    the saved data; a session that Redis lost is read from the database."""
    from importlib import import_module

    from core import generation

    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    first = store_class()
    first["fnv_test"] = "oud"
    first.create()
    key = first.session_key
    with generation.prefetching({"session": first.cache_key}):
        cache.set(first.cache_key, {"fnv_test": "in redis gezet"}, 60)  # after the prefetch
        assert store_class(key)["fnv_test"] == "oud"
        changed = store_class(key)
        assert changed["fnv_test"] == "in redis gezet", "the prefetched copy was given twice"
        changed["fnv_test"] = "nieuw"
        changed.save()
        assert store_class(key)["fnv_test"] == "nieuw"
    cache.delete(first.cache_key)
    with generation.prefetching({"session": first.cache_key}):
        assert store_class(key)["fnv_test"] == "nieuw"
