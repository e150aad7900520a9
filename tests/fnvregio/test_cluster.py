"""A cluster on one machine, as a test (#18 item 3).

Against one PostgreSQL (the test database) and one Redis (REDIS_URL, a private key prefix),
this starts three web processes (gunicorn, one worker each), two Celery workers (one for
`urgent,default`, one for `bulk`) and two beats, every one with its own FNV_VAR_DIR (no shared
disk) and in its own process group, all stopped in a `finally`. Then, over HTTP only:

1. an admin logs in (password, then the TOTP step) on web 1; the same session cookie opens an
   admin page on web 2 and web 3 (sessions live in the database);
2. a member import uploaded through web 1 is checked by the bulk worker (which reads the file
   from the store, not from web 1's folder) and confirmed through web 2; the members exist;
3. 20 members book the same slot at the same moment, spread over the three web processes:
   exactly one appointment;
4. a due appointment reminder goes out exactly once with two workers and two beats (mail
   through the filebased backend into each process's own FNV_VAR_DIR/mail).

docs/OPERATIONS.md ("A cluster") describes the same layout for docker compose and behind a
load balancer.
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import html
import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.utils import timezone

from fnvregio.celery import app

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

BASE_DIR = Path(settings.BASE_DIR)
# A busy 2-core machine: starting eight Django processes at once takes a while, and so may
# stopping them.
START_SECONDS = 120
STOP_SECONDS = 30
BOOKINGS = 20
QUEUE_KEYS = ("urgent", "default", "bulk")
REMINDER_SUBJECT = "Herinnering: je loopbaanafspraak"


# --- processes --------------------------------------------------------------------------------


def _free_port() -> int:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Process:
    name: str
    var: Path
    log: Path
    popen: subprocess.Popen
    port: int = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def _spawn(name: str, argv: list[str], env: dict, root: Path, port: int = 0) -> Process:
    var = root / name
    var.mkdir()
    log = root / f"{name}.log"
    with log.open("ab") as handle:
        popen = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", *argv],
            cwd=BASE_DIR,
            env={**env, "FNV_VAR_DIR": str(var)},
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, stopped as a whole
        )
    return Process(name, var, log, popen, port)


def _stop(processes: list[Process]) -> None:
    """SIGTERM to every group at once, one shared deadline, then SIGKILL to what is left."""
    for process in processes:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.popen.pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_SECONDS
    for process in processes:
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.popen.wait(timeout=max(0.1, deadline - time.monotonic()))
    for process in processes:
        # Also the group's children whose leader has already gone.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.popen.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.popen.wait(timeout=10)


def _wait_for(condition, seconds: float, what: str, processes: list[Process] = ()):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := condition():
            return value
        for process in processes:
            if process.popen.poll() is not None:
                raise AssertionError(f"{process.name} stopped:\n{process.log.read_text()[-3000:]}")
        time.sleep(0.2)
    raise AssertionError(f"waited {seconds} s for {what}")


# --- a browser: urllib with a cookie jar, CSRF tokens read from the forms ----------------------


@dataclass
class Answer:
    status: int
    location: str
    text: str


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is an answer to look at, not to follow


TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Browser:
    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )

    def session_cookie(self) -> str:
        return next(c.value for c in self.jar if c.name == settings.SESSION_COOKIE_NAME)

    def open(self, web: Process, path: str, body: bytes | None = None, content_type: str = ""):
        request = urllib.request.Request(web.base + path, data=body)  # noqa: S310
        if content_type:
            request.add_header("Content-Type", content_type)
        try:
            with self.opener.open(request, timeout=120) as response:
                status, headers, raw = response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            status, headers, raw = error.code, error.headers, error.read()
        return Answer(status, headers.get("Location", ""), raw.decode("utf-8", "replace"))

    def get(self, web: Process, path: str) -> Answer:
        return self.open(web, path)

    def token(self, web: Process, path: str) -> str:
        page = self.get(web, path)
        assert page.status == 200, f"GET {path} on {web.name}: {page.status}"
        match = TOKEN.search(page.text)
        assert match, f"no CSRF token in the form of {path}"
        return html.unescape(match.group(1))

    def post(self, web: Process, path: str, fields: dict[str, str], token: str) -> Answer:
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **fields}).encode()
        return self.open(web, path, body, "application/x-www-form-urlencoded")

    def upload(self, web, path, fields, file_field, file_name, content, token) -> Answer:
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in {"csrfmiddlewaretoken": token, **fields}.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
                .encode()
            )  # fmt: skip
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; '
            f'filename="{file_name}"\r\nContent-Type: text/csv\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
        parts.append(f"--{boundary}--\r\n".encode())
        return self.open(web, path, b"".join(parts), f"multipart/form-data; boundary={boundary}")


def _log_in(browser: Browser, web: Process, user, code=None) -> None:
    from tests.factories import PASSWORD

    login = "/accounts/login/"
    answer = browser.post(
        web, login, {"login": user.email, "password": PASSWORD}, browser.token(web, login)
    )
    assert answer.status == 302, f"{user.email} on {web.name}: {answer.status}"
    if code is not None:
        step = answer.location
        assert step == "/accounts/2fa/authenticate/", step
        answer = browser.post(web, step, {"code": code()}, browser.token(web, step))
        assert answer.status == 302, f"TOTP step on {web.name}: {answer.status}"


# --- the beat's schedule ------------------------------------------------------------------------


REMINDER_ENTRY = "loopbaan-send-due-reminders"


def _reminder_run_is_overdue(client: redis.Redis, prefix: str) -> None:
    """Store the reminder entry in RedBeat's schedule as an earlier beat left it, its last run
    more than one interval ago, as after a deploy: the beat that takes the lock sends it at
    once instead of one interval (60 s) after it started. The beats keep this last run and
    replace the definition with the settings' own (RedBeatScheduler.update_from_dict)."""
    import json
    from zoneinfo import ZoneInfo

    from celery.schedules import schedule
    from redbeat.decoder import RedBeatJSONEncoder

    entry = settings.CELERY_BEAT_SCHEDULE[REMINDER_ENTRY]
    seconds = float(entry["schedule"])
    last_run = timezone.now().astimezone(ZoneInfo("UTC")) - timedelta(seconds=seconds + 5)
    definition = {
        "name": REMINDER_ENTRY,
        "task": entry["task"],
        "args": [],
        "kwargs": {},
        "options": entry.get("options", {}),
        "schedule": schedule(seconds),
        "enabled": True,
    }
    client.hset(
        f"{prefix}:redbeat:{REMINDER_ENTRY}",
        mapping={
            "definition": json.dumps(definition, cls=RedBeatJSONEncoder),
            "meta": json.dumps({"last_run_at": last_run}, cls=RedBeatJSONEncoder),
        },
    )


# --- mail -------------------------------------------------------------------------------------


def _mails(folders: list[Path]) -> list[tuple[str, str, str]]:
    """(folder's process, subject, recipient) of every message the filebased backend wrote."""
    found = []
    for folder in folders:
        if not folder.exists():
            continue
        for path in folder.iterdir():
            for raw in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
                if raw.strip():
                    message = email.message_from_bytes(raw, policy=email.policy.default)
                    found.append((folder.parent.name, str(message["Subject"]), str(message["To"])))
    return found


# --- the test ---------------------------------------------------------------------------------


def test_three_web_processes_two_workers_and_two_beats_work_as_one_portal(tmp_path):
    from core.roles import Role
    from loopbaan.models import Appointment, AppointmentStatus, Reminder
    from members.importing import parallel
    from members.models import ImportStatus, Member, MemberImport
    from members.totp import current_totp_code
    from tests.conftest import ensure_reference_data
    from tests.factories import MemberFactory, UnionHouseFactory, UserFactory
    from tests.loopbaan.helpers import consultant_at, make_appointment, next_weekday_at, slot

    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        pytest.skip("needs REDIS_URL (a real Redis shared by the processes)")
    started = time.monotonic()

    # --- the people and their histories, before anything starts ---
    ensure_reference_data()
    admin = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)
    house = UnionHouseFactory(name="Vakbondshuis Cluster")
    pool = [consultant_at(house, weekday=2) for _ in range(2)]  # room for one appointment
    bookers = [
        MemberFactory(user=UserFactory(role=Role.MEMBER, email=f"cluster{n}@example.nl"))
        for n in range(BOOKINGS)
    ]
    wanted = slot(house, next_weekday_at(2, 10))
    booking_path = f"/afspraken/maken/{house.pk}/{wanted.key}/"
    # A member booked earlier (another house, the day after tomorrow); the reminder is due now.
    reminded = MemberFactory(user=UserFactory(role=Role.MEMBER, email="herinnering@example.nl"))
    other_house = UnionHouseFactory(name="Vakbondshuis Herinnering")
    earlier = make_appointment(
        reminded,
        [consultant_at(other_house, weekday=(timezone.localdate() + timedelta(days=2)).weekday())],
        other_house,
        starts_at=timezone.localtime() + timedelta(days=2),
    )
    reminder = Reminder.objects.create(
        appointment=earlier, recipient=reminded.user, due_at=timezone.now() - timedelta(minutes=5)
    )

    # --- the cluster ---
    prefix = f"fnv-cluster-{os.getpid()}"
    client = redis.Redis.from_url(redis_url)
    # Tasks another test left in the queues are not this cluster's work.
    client.delete(*QUEUE_KEYS)
    env = {
        **os.environ,
        "DATABASE_URL": parallel._this_database_url(),
        "REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": prefix,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "FNV_FILE_STORAGE": "database",
        "LOG_FORMAT": "plain",  # the workers' and beats' lines are read below
    }
    worker_flags = ["--without-heartbeat", "--without-mingle", "--without-gossip", "-l", "info"]
    processes: list[Process] = []
    previous = {key: app.conf[key] for key in ("task_always_eager", "broker_url")}
    try:
        webs = []
        for number in (1, 2, 3):
            port = _free_port()
            webs.append(
                _spawn(
                    f"web{number}",
                    [
                        "gunicorn",
                        "fnvregio.wsgi:application",
                        "--bind",
                        f"127.0.0.1:{port}",
                        "--workers",
                        "1",
                        "--threads",
                        "4",
                        "--timeout",
                        "120",
                    ],
                    env,
                    tmp_path,
                    port,
                )  # fmt: skip
            )
        processes += webs
        urgent = _spawn(
            "worker-urgent",
            ["celery", "-A", "fnvregio", "worker", "-Q", "urgent,default", "--pool=threads",
             "--concurrency", "4", "-n", f"urgent-{prefix}@%h", *worker_flags],
            env, tmp_path,
        )  # fmt: skip
        bulk = _spawn(
            "worker-bulk",
            ["celery", "-A", "fnvregio", "worker", "-Q", "bulk", "--pool=solo",
             "--prefetch-multiplier", "1", "-n", f"bulk-{prefix}@%h", *worker_flags],
            env, tmp_path,
        )  # fmt: skip
        processes += [urgent, bulk]
        # The same due reminder also handed straight to both workers, racing the beat's run.
        app.conf.update(task_always_eager=False, broker_url=redis_url)
        for queue in ("urgent", "bulk", "urgent"):
            app.send_task("loopbaan.tasks.send_due_reminders", queue=queue)
        # The beats start once both workers listen: the entry's run expires 55 s after it is
        # sent, and it is sent as soon as a beat holds the lock (see _reminder_run_is_overdue).
        _wait_for(
            lambda: all("ready." in worker.log.read_text() for worker in (urgent, bulk)),
            START_SECONDS,
            "both workers to be ready",
            processes,
        )
        _reminder_run_is_overdue(client, prefix)
        beats = [
            _spawn(f"beat{n}", ["celery", "-A", "fnvregio", "beat", "-l", "info"], env, tmp_path)
            for n in (1, 2)
        ]
        processes += beats

        def all_live():
            for web in webs:
                try:
                    with urllib.request.urlopen(f"{web.base}/healthz", timeout=5) as answer:  # noqa: S310
                        if answer.status != 200:
                            return False
                except OSError:
                    return False
            return True

        _wait_for(all_live, START_SECONDS, "three web processes to answer", processes)
        print(f"\ncluster: 3 web, 2 workers, 2 beats up in {time.monotonic() - started:.0f} s")
        web1, web2, web3 = webs

        # 1. A login on web 1 is valid on web 2 and web 3.
        staff = Browser()
        assert Browser().get(web2, "/leden/import/").status == 302  # not logged in: to login
        _log_in(staff, web1, admin, code=lambda: current_totp_code(admin))
        for web in webs:
            page = staff.get(web, "/leden/import/")
            assert page.status == 200 and "<h1" in page.text, (web.name, page.status)
        print("1. login: made on web1 (password + TOTP), the same session opens /leden/import/ "
              "on web1, web2 and web3")  # fmt: skip

        # 2. An import uploaded through web 1, checked by the bulk worker, confirmed on web 2.
        rows = [
            "lidnummer,achternaam,voornaam,e-mail,postcode,geboortedatum,status",
            "1810001,Bakker,Ahmed,ahmed.cluster@example.nl,3511 AB,12-5-1985,actief",
            "1810002,Visser,Peter,peter.cluster@example.nl,1011 AB,31-1-1979,actief",
            "1810003,El Amrani,Fatima,,9711 AA,3-3-1993,actief",
        ]
        answer = staff.upload(
            web1, "/leden/import/", {"mode": "strict"}, "file", "leden.csv",
            ("\r\n".join(rows) + "\r\n").encode(), staff.token(web1, "/leden/import/"),
        )  # fmt: skip
        assert answer.status == 302, answer.text[-2000:]
        member_import = MemberImport.objects.get()
        detail = f"/leden/import/{member_import.pk}/"
        assert answer.location == detail

        def previewed():
            member_import.refresh_from_db()
            assert member_import.status not in (ImportStatus.FAILED, ImportStatus.REFUSED), (
                member_import.message
            )
            return member_import.status == ImportStatus.PREVIEWED

        _wait_for(previewed, START_SECONDS, "the bulk worker's check", processes)
        # The worker read the upload from the store into its own folder; web 1 kept no file.
        assert member_import.stored_name
        assert member_import.file_path.startswith(str(bulk.var)), member_import.file_path
        assert not list(web1.var.rglob("*.upload"))
        working_copy = Path(member_import.file_path)
        page = staff.get(web2, detail)
        assert page.status == 200 and "Voorvertoning" in page.text
        answer = staff.post(web2, f"{detail}bevestigen/", {}, staff.token(web2, detail))
        assert answer.status == 302 and answer.location == detail

        def applied():
            member_import.refresh_from_db()
            assert member_import.status != ImportStatus.FAILED, member_import.message
            return member_import.status == ImportStatus.DONE

        _wait_for(applied, START_SECONDS, "the bulk worker's apply", processes)
        numbers = {"1810001", "1810002", "1810003"}
        assert (
            set(
                Member.objects.filter(member_number__in=numbers).values_list(
                    "member_number", flat=True
                )
            )
            == numbers
        )
        assert member_import.created == 3
        assert "Rapport" in staff.get(web3, detail).text
        print(f"2. import: uploaded on web1, checked by the bulk worker from the store (its "
              f"copy in {working_copy.relative_to(tmp_path).parts[0]}/), confirmed on web2, "
              f"{member_import.created} members created")  # fmt: skip

        # 3. 20 bookings of one slot, spread over the three web processes at once.
        browsers = [Browser() for _ in bookers]
        tokens = []
        for number, (browser, member) in enumerate(zip(browsers, bookers, strict=True)):
            web = webs[number % 3]
            _log_in(browser, web, member.user)
            tokens.append(browser.token(web, booking_path))
        barrier = threading.Barrier(BOOKINGS)
        outcomes: dict[int, int | str] = {}

        def book(number: int) -> None:
            web = webs[number % 3]
            try:
                barrier.wait(timeout=60)
                answer = browsers[number].post(web, booking_path, {"question": ""}, tokens[number])
                outcomes[number] = answer.status
            except Exception as error:  # noqa: BLE001  anything else is the test's failure
                outcomes[number] = repr(error)

        threads = [threading.Thread(target=book, args=(n,)) for n in range(BOOKINGS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=180)
        statuses = sorted(outcomes.values(), key=str)
        assert statuses.count(302) == 1, statuses
        assert statuses.count(409) == BOOKINGS - 1, statuses
        booked = Appointment.objects.filter(
            union_house=house, starts_at=wanted.starts_at, status=AppointmentStatus.BOOKED
        )
        assert booked.count() == 1
        assert {c.pk for c in booked.get().active_consultants()} == {c.pk for c in pool}
        print(f"3. bookings: {BOOKINGS} at once over web1-3 for one slot: 1 booked, "
              f"{statuses.count(409)} told the slot was just taken")  # fmt: skip

        # 4. The due reminder went out exactly once: two beats, two workers, three extra runs.
        # The entry's last run is more than an interval ago, so the lock holder sends it at once.
        entry = "Sending due task loopbaan-send-due-reminders"
        _wait_for(
            lambda: any(entry in beat.log.read_text() for beat in beats),
            START_SECONDS,
            "a beat to send the reminder run",
            processes,
        )
        holders = [beat.name for beat in beats if "beat: Acquired lock" in beat.log.read_text()]
        senders = [beat.name for beat in beats if entry in beat.log.read_text()]
        assert len(holders) == 1 and senders == holders, (holders, senders)
        # Every run (the beat's and the three extra) has finished: each says how many it sent.
        # (A task id may hold a digit run the log scrubber turns into "[nummer]".)
        runs = re.compile(r"loopbaan\.tasks\.send_due_reminders\[.*?\] succeeded in \S+: (\d+)")

        def finished_runs():
            found = [int(sent) for worker in (urgent, bulk) for sent in runs.findall(
                worker.log.read_text())]  # fmt: skip
            return found if len(found) >= 4 else None

        sent_by_run = _wait_for(finished_runs, 60, "the four reminder runs", processes)
        assert sum(sent_by_run) == 1, sent_by_run
        folders = [process.var / "mail" for process in processes]
        reminders = [m for m in _mails(folders) if m[1].endswith(REMINDER_SUBJECT)]
        assert len(reminders) == 1, reminders
        assert reminders[0][2] == reminded.email
        reminder.refresh_from_db()
        assert reminder.sent_at is not None
        mail_files = sum(len(list(f.iterdir())) for f in folders if f.exists())
        print(
            f"4. reminders: {len(sent_by_run)} runs of the reminder task on both workers "
            f"(sent {sent_by_run}); 1 reminder mail among {len(_mails(folders))} mails in "
            f"{mail_files} files; only {senders[0]} held the beat lock and sent the entry"
        )
        print(f"cluster test took {time.monotonic() - started:.0f} s")  # fmt: skip
    finally:
        app.conf.update(previous)
        _stop(processes)
        client.delete(*QUEUE_KEYS)
        for key in client.scan_iter(f"{prefix}*"):
            client.delete(key)
        for key in client.scan_iter(f":1:{prefix}*"):
            client.delete(key)
