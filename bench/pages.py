"""Benchmark of the pages people use, at the union's size, under load.

    python bench/pages.py [--members 1000000] [--sessions 2000000] [--employers 50000]
                          [--database bench_pages] [--duration 5] [--connections 20] [--rebuild]
                          [--only TEXT] [--no-page-cache]

Builds the database `--database` (default `bench_pages`, on the server of DATABASE_URL) with
the other benchmarks' builders: employers and consultation sessions over 35 regions from
bench/signals_detect.py, members from bench/dashboard.py (then given postcodes, so the admin's
postcode search finds someone). A database built earlier with the same sizes is reused (a small
table `bench_pages_built` records the sizes); `--rebuild` starts afresh. A database without
signals gets them from one full detection run, as the scheduled task leaves them.

It then starts gunicorn with production settings (DJANGO_DEBUG unset, throwaway SECRET_KEY and
keys, 2 sync workers, FNV_VAR_DIR and STATIC_ROOT in a temporary folder, Redis db 11 unless
BENCH_REDIS_URL says otherwise), logs in one user per role the real way (the login page with
e-mail address and password, then the TOTP page for staff; members/totp.py gives the code),
and drives every role's main pages with `wrk` (Debian package `wrk`) at `--connections`
connections for `--duration` seconds each after a 1-second warm-up, next to `/healthz`, which
is measured in the same run. Production settings want https: requests carry
`X-Forwarded-Proto: https`, as the proxy in front of the portal sends.

The server runs with the page cache on (fnvregio/pagecache.py), as in production: nothing is
written during the run, so after its first request a page under load is served from the cache
(`--no-page-cache` renders every request). The single requests are always rendered: the page
cache's generation is dropped before each one.

It prints a table (page, req/s, share of ping, p99), single warm request times (median of 5)
for the admin's member list, its search by number, name and postcode, and the employer search,
and a last line (the two rows "/healthz (…'s cookie)" are the ping with a logged-in session,
the floor under every logged-in page; they are not counted as pages)

    RESULT pages=N ping_rps=… worst_ratio=… worst_page=… worst_p99_ms=… admin_list_ms=…
           admin_search_ms=… employer_search_ms=…

(admin_search_ms is the slowest of the three searches). Targets (issue 16): every page at
least 25 % of ping with p99 at most 100 ms; the single requests at most 50 ms. Before the load
runs and before the single requests it times a fixed loop of pure Python (the "cpu probe"
line): the development machine's own speed changes by two thirds from one moment to the next.
gunicorn and wrk run in process groups of their own and are stopped in a `finally`.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import importlib.util
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"


def _load(name: str, alias: str):
    """A builder beside this file, under its own name: bench/dashboard.py must not stand in for
    the portal's `dashboard` app, as it would if bench/ stayed on sys.path."""
    spec = importlib.util.spec_from_file_location(alias, BENCH / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[alias] = module
    spec.loader.exec_module(module)
    return module


signals_detect = _load("signals_detect", "signals_detect")  # sessions and employers
dashboard = _load("dashboard", "bench_dashboard")  # members
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() not in (ROOT, BENCH)]

PASSWORD = "bench-pages-wachtwoord-2026"
# Throwaway production keys: this database and server exist only for the benchmark.
SECRET_KEY = "bench-pages-secret-key-" + "x7Qp2LmZ9rTb4WvKc8Ny3HsJd6FgA1Ue"
MFA_KEY = "bench-pages-mfa-key-Zr8Lq3Wm7Tc2Vx9Kp4"
ERASURE_KEY = "bench-pages-erasure-key-Hn5Jb1Ys6Df0Gk"
HEADERS = {"X-Forwarded-Proto": "https"}
CACHE_KEY_PREFIX = "bench-pages"

# (role, label, path): the main pages of every role; None is anonymous.
PAGES: list[tuple[str | None, str]] = [
    (None, "/accounts/login/"),
    (None, "/"),
    (None, "/regios/"),
    ("member", "/"),
    ("member", "/afspraken/"),
    ("member", "/afspraken/maken/"),
    ("consultant", "/"),
    ("consultant", "/spreekuren/"),
    ("consultant", "/spreekuren/nieuw/"),
    ("consultant", "/afspraken/agenda/"),
    ("adviser", "/"),
    ("adviser", "/trajecten/"),
    ("regional_official", "/"),
    ("regional_official", "/regioplannen/"),
    ("coordinator", "/"),
    ("coordinator", "/dashboard/AM13/"),
    ("sector_official", "/"),
    ("sector_official", "/signalen/"),
    ("legal", "/"),
    ("legal", "/doorverwijzingen/"),
    ("admin", "/"),
    ("admin", "/beheer/"),
    ("admin", "/beheer/members/member/"),
]


# --- Data ----------------------------------------------------------------------------------
def _built_sizes(url: str) -> tuple[int, int, int] | None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute("SELECT to_regclass('bench_pages_built')").fetchone()
        if row is None or row[0] is None:
            return None
        found = conn.execute(
            "SELECT members, sessions, employers FROM bench_pages_built"
        ).fetchone()
        return tuple(found) if found else None  # type: ignore[return-value]


def _postcodes() -> None:
    """dashboard.py leaves the postcode empty: give every member one of its region's."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        cursor.execute(
            """
            WITH pc AS (
                SELECT m.region_id, array_agg(p.pc4 ORDER BY p.pc4) AS codes
                FROM regions_postcodearea p JOIN regions_municipality m ON m.id = p.municipality_id
                GROUP BY m.region_id
            )
            UPDATE members_member mm
            SET postcode = pc.codes[1 + (hashint8(mm.id) & 65535) %% cardinality(pc.codes)]
                           || ' ' || chr(65 + (mm.id %% 26)::int) || chr(65 + (mm.id / 26 %% 26)::int),
                first_name = (ARRAY['Jan','Marieke','Fatima','Pieter','Emma','Noah'])[1 + mm.id %% 6]
            FROM pc WHERE pc.region_id = mm.region_id
            """,
            [],
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE members_member")
    print(f"postcodes given in {time.perf_counter() - started:.1f} s", flush=True)


def _build(args: argparse.Namespace) -> None:
    from django.db import connection

    signals_detect._generate(args.sessions, args.employers, 730)
    dashboard._members(args.members)
    _postcodes()
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_pages_built (members int, sessions int, employers int);"
            "INSERT INTO bench_pages_built VALUES (%s, %s, %s)",
            [args.members, args.sessions, args.employers],
        )


def _users() -> dict[str, object]:
    """One user per role, in scope of the large region AM13 (its house, its first sector)."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from core.roles import Role
    from members.models import Member, Sector, User
    from regions.models import Region, UnionHouse

    region = Region.objects.get(code="AM13")
    house = UnionHouse.objects.filter(region=region).order_by("pk").first()
    sector = Sector.objects.filter(name__startswith="Benchsector").order_by("pk").first()
    users = {}
    for role in Role.values:
        user, created = User.objects.get_or_create(
            email=f"{role}@bench-pages.example",
            defaults={
                "role": role,
                "full_name": f"Bench {role}",
                "is_staff": role == Role.ADMIN,
                "is_superuser": role == Role.ADMIN,
                "serves_online": role == Role.CONSULTANT,
            },
        )
        if created:
            user.set_password(PASSWORD)
            user.save()
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
            if role != Role.MEMBER:
                TOTP.activate(user, generate_totp_secret())
            if role in (Role.ADVISER, Role.REGIONAL_OFFICIAL, Role.COORDINATOR):
                user.regions.add(region)
            if role == Role.SECTOR_OFFICIAL:
                user.sectors.add(sector)
            if role == Role.CONSULTANT:
                user.union_houses.add(house)
            if role == Role.MEMBER:
                member = Member.objects.filter(region=region, user__isnull=True).order_by("pk")[0]
                member.user = user
                member.email = user.email
                member.save(update_fields=["user", "email"])
        assert role == Role.MEMBER or Authenticator.objects.filter(user=user).exists()
        users[role] = user
    return users


# --- The server ----------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _redis_url() -> str:
    return os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/11")


def _forget_pages() -> None:
    """Drop the page cache's generation in the server's Redis (fnvregio/pagecache.py): the
    next request renders its page, as the first after a write does."""
    import redis

    redis.Redis.from_url(_redis_url()).delete(f"{CACHE_KEY_PREFIX}:1:pagecache:generation")


def _server_env(database_url: str, var_dir: Path, page_cache: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DATABASE_URL=database_url,
        REDIS_URL=_redis_url(),
        CACHE_KEY_PREFIX=CACHE_KEY_PREFIX,
        PAGE_CACHE="1" if page_cache else "0",
        SECRET_KEY=SECRET_KEY,
        MFA_ENCRYPTION_KEY=MFA_KEY,
        FNV_ERASURE_KEY=ERASURE_KEY,
        ALLOWED_HOSTS="127.0.0.1",
        FNV_VAR_DIR=str(var_dir),
        STATIC_ROOT=str(var_dir / "static"),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        LOG_LEVEL="WARNING",
    )
    return env


def _start_server(env: dict[str, str], port: int, log: Path) -> subprocess.Popen:
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "fnvregio.wsgi:application",
         "--bind", f"127.0.0.1:{port}", "--workers", "2", "--worker-class", "sync"],
        cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            if Browser(f"http://127.0.0.1:{port}").get("/healthz").status_code == 200:
                return server
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped: see {log}\n{log.read_text()[-3000:]}")
        time.sleep(0.5)
    raise SystemExit("gunicorn did not answer /healthz within 90 s")


def _stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


# --- A browser with a cookie jar -------------------------------------------------------------
class Response:
    def __init__(self, status: int, url: str, text: str) -> None:
        self.status_code, self.url, self.text = status, url, text


class Browser:
    """A cookie jar over http.client: production cookies are Secure and __Host-, which
    http.cookiejar keeps from plain http; here the proxy's https is only a header."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies: dict[str, str] = {}

    def _send(self, method: str, path: str, data: dict | None = None) -> Response:
        url = urljoin(self.base, path)
        for _ in range(10):
            parts = urlsplit(url)
            headers = {
                **HEADERS,
                "Origin": self.base.replace("http://", "https://"),
                "Referer": url.replace("http://", "https://"),
                "Cookie": self.cookie_header,
            }
            body = None
            if data is not None:
                body = urlencode(data)
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
            try:
                target = parts.path + (f"?{parts.query}" if parts.query else "")
                conn.request(method, target, body=body, headers=headers)
                answer = conn.getresponse()
                text = answer.read().decode("utf-8", "replace")
                for raw in answer.headers.get_all("Set-Cookie") or []:
                    for name, morsel in SimpleCookie(raw).items():
                        self.cookies[name] = morsel.value
            finally:
                conn.close()
            if answer.status not in (301, 302, 303):
                return Response(answer.status, url, text)
            url, method, data = urljoin(url, answer.headers["Location"]), "GET", None
        raise AssertionError(f"too many redirects from {path}")

    def get(self, path: str) -> Response:
        return self._send("GET", path)

    def post_form(self, path: str, data: dict) -> Response:
        page = self.get(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert token, f"no CSRF token on {path}"
        return self._send("POST", path, {**data, "csrfmiddlewaretoken": token.group(1)})

    @property
    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())


def _login(base: str, user) -> Browser:
    from members.totp import current_totp_code

    browser = Browser(base)
    answer = browser.post_form("/accounts/login/", {"login": user.email, "password": PASSWORD})
    if "/2fa/" in answer.url:
        code = current_totp_code(user)
        answer = browser._send(
            "POST",
            answer.url,
            {
                "code": code,
                "csrfmiddlewaretoken": re.search(
                    r'name="csrfmiddlewaretoken" value="([^"]+)"', answer.text
                ).group(1),  # type: ignore[union-attr]
            },
        )
    home = browser.get("/")
    assert home.status_code == 200 and "/accounts/login/" not in home.url, (
        user.email,
        home.status_code,
        home.url,
    )
    assert 'action="/accounts/logout/"' in home.text or "uitloggen" in home.text.lower(), (
        f"{user.email} is not logged in"
    )
    return browser


# --- Load ------------------------------------------------------------------------------------
def _wrk(url: str, cookie: str, duration: int, connections: int) -> tuple[float, float, int]:
    """(req/s, p99 ms, responses that were not 2xx/3xx)."""
    command = [
        "wrk",
        f"-t{min(2, connections)}",
        f"-c{connections}",
        f"-d{duration}s",
        "--latency",
        "--timeout",
        "10s",
    ]
    for name, value in {**HEADERS, "Cookie": cookie}.items():
        if value:
            command += ["-H", f"{name}: {value}"]
    process = subprocess.Popen(  # noqa: S603
        [*command, url], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )  # fmt: skip
    try:
        output, _ = process.communicate(timeout=duration + 60)
    finally:
        _stop(process)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", output)
    if rps == 0 or p99 is None or float(p99.group(1)) == 0:
        # Nothing came back within the run: every request took at least its length.
        return rps, duration * 1000.0, 0
    value = float(p99.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return rps, value, int(bad.group(1)) if bad else 0


def _single(browser: Browser, path: str, runs: int = 5) -> float:
    """A warm request that renders its page: the page cache is emptied before each one."""
    answer = browser.get(path)  # warm
    assert answer.status_code == 200, (path, answer.status_code)
    times = []
    for _ in range(runs):
        _forget_pages()
        started = time.perf_counter()
        answer = browser.get(path)
        times.append((time.perf_counter() - started) * 1000)
        assert answer.status_code == 200
    return statistics.median(times)


def _cpu_probe(runs: int = 5) -> float:
    """The machine's speed at this moment: a fixed loop of pure Python, median ms of `runs`.
    No database, no network: on the development machine it took 21 ms or 35 ms, switching
    from one sample to the next, ten seconds apart (3 Dec 2026), and a page's time moves with it."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        total = 0
        for i in range(300_000):
            total += i * i % 7
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--sessions", type=int, default=None, help="default: twice --members")
    parser.add_argument("--employers", type=int, default=50_000)
    parser.add_argument("--database", default="bench_pages")
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument(
        "--only",
        default="",
        help="only the pages whose 'role path' holds this text (for a quick look; the RESULT "
        "line then covers those pages)",
    )
    parser.add_argument(
        "--no-page-cache",
        action="store_true",
        help="every request renders its page (PAGE_CACHE=0 on the server)",
    )
    args = parser.parse_args()
    args.sessions = args.sessions if args.sessions is not None else 2 * args.members
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk")

    url, admin_url = signals_detect._database_url(args.database)
    signals_detect._create_database(args.database, admin_url, fresh=args.rebuild)
    sizes = _built_sizes(url)
    wanted = (args.members, args.sessions, args.employers)
    if sizes is not None and sizes != wanted:
        signals_detect._create_database(args.database, admin_url, fresh=True)
        sizes = None
    # The builder runs in this process; the keys are the server's, so its TOTP secrets agree.
    os.environ["MFA_ENCRYPTION_KEY"] = MFA_KEY
    signals_detect._setup_django(url)
    from django.core.management import call_command

    if sizes is None:
        _build(args)
    else:
        call_command("migrate", verbosity=0)
        print(f"reusing {args.database}: {sizes[0]} members, {sizes[1]} sessions", flush=True)
    users = _users()
    from django.db import connection

    from signals.models import Signal

    if not Signal.objects.exists():
        # The signals the scheduled detection leaves (about 7,000 over 2,000,000 sessions), with
        # their inbox rows for the users above: the signal pages and tiles show them.
        from signals.detection import run_detection

        started = time.perf_counter()
        result = run_detection(full=True)
        print(
            f"detection opened {result.opened} signals in {time.perf_counter() - started:.1f} s",
            flush=True,
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh planner statistics, as autovacuum keeps them
    # The dashboards show stored figures (dashboard/snapshots): computed here, as the nightly
    # task does, not inside the first measured request.
    started = time.perf_counter()
    call_command("refresh_dashboards", verbosity=0)
    print(f"dashboards computed in {time.perf_counter() - started:.1f} s", flush=True)
    connection.close()

    server = None
    workdir = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    try:
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        env = _server_env(url, workdir / "var", page_cache=not args.no_page_cache)
        _forget_pages()  # nothing stored by an earlier run
        server = _start_server(env, port, workdir / "gunicorn.log")
        browsers: dict[str | None, Browser] = {None: Browser(base)}
        for role, user in users.items():
            browsers[role] = _login(base, user)
        results: list[tuple[str, float, float, int]] = []
        ping = None
        # The ping with a member's and an admin's cookie: a logged-in request that renders
        # nothing (session, user, middleware), the floor under every logged-in page. Shown in
        # the table, not counted as a page.
        floors = [("member", "/healthz"), ("admin", "/healthz")]
        pages = [p for p in PAGES if not args.only or args.only in f"{p[0] or 'anonymous'} {p[1]}"]
        probe_before_load = _cpu_probe()
        for role, path in [(None, "/healthz"), *floors, *pages]:
            browser = browsers[role]
            answer = browser.get(path)
            assert answer.status_code == 200 and answer.url == urljoin(base, path), (
                role,
                path,
                answer.status_code,
                answer.url,
            )
            _wrk(base + path, browser.cookie_header, 1, args.connections)  # warm-up
            rps, p99, bad = _wrk(
                base + path, browser.cookie_header, args.duration, args.connections
            )
            label = f"{role or 'anonymous'} {path}"
            if path == "/healthz":
                label = (
                    f"/healthz ({role}'s cookie: logged-in floor)" if role else "/healthz (ping)"
                )
            results.append((label, rps, p99, bad))
            ping = ping or rps
            print(f"  {label:45} {rps:8.0f} req/s  p99 {p99:6.0f} ms", flush=True)

        admin = browsers["admin"]
        member_list = "/beheer/members/member/"
        probe_before_singles = _cpu_probe()
        admin_list_ms = _single(admin, member_list)
        from members.models import Member

        sample = (
            Member.objects.filter(region__code="AM13").exclude(postcode="").order_by("pk")[1000]
        )
        connection.close()
        searches = {
            "number": _single(admin, f"{member_list}?q={sample.member_number}"),
            "name": _single(admin, f"{member_list}?q={sample.last_name.replace(' ', '+')}"),
            "postcode": _single(admin, f"{member_list}?q={sample.postcode[:4]}"),
        }
        employer_ms = _single(
            browsers["consultant"], "/spreekuren/werkgevers/zoeken/?q=Benchwerkgever+4711"
        )
    finally:
        _stop(server)
        shutil.rmtree(workdir, ignore_errors=True)

    assert ping
    print()
    print(f"| page | req/s | share of ping | p99 | non-2xx |\n|{' --- |' * 5}")
    for label, rps, p99, bad in results:
        print(f"| `{label}` | {rps:,.0f} | {rps / ping:.1%} | {p99:.0f} ms | {bad} |")
    print(
        f"\nsingle warm requests (median of 5): admin member list {admin_list_ms:.0f} ms; "
        + ", ".join(f"search by {k} {v:.0f} ms" for k, v in searches.items())
        + f"; employer search {employer_ms:.0f} ms"
    )
    pages = results[1 + len(floors) :]
    worst = min(pages, key=lambda r: r[1])
    worst_p99 = max(r[2] for r in pages)
    print(f"load average: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}")
    print(
        f"cpu probe (a fixed Python loop, median of 5): {probe_before_load:.0f} ms before the "
        f"load runs, {probe_before_singles:.0f} ms before the single requests"
    )
    print(f"page cache: {'off' if args.no_page_cache else 'on'}")
    print(
        f"RESULT pages={len(pages)} ping_rps={ping:.0f} worst_ratio={worst[1] / ping:.3f} "
        f"worst_page={worst[0].replace(' ', ':')} worst_p99_ms={worst_p99:.0f} "
        f"admin_list_ms={admin_list_ms:.0f} admin_search_ms={max(searches.values()):.0f} "
        f"employer_search_ms={employer_ms:.0f}"
    )


if __name__ == "__main__":
    main()
