"""Eyes on it (#18 item 4): request ids in logs and tasks, no personal data in a log line,
the metrics endpoint, liveness and readiness, and scrubbed error reports."""

from __future__ import annotations

import io
import json
import logging
import os
from pathlib import Path

import pytest
from celery import shared_task
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from fnvregio import errorreports, health, requestid
from fnvregio.logs import PersonalDataFilter, logging_config, scrub
from fnvregio.tasks import HEARTBEAT_KEY, heartbeat
from tests.conftest import login
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def log_lines():
    """The production log handler (both filters, JSON lines) on the root logger, into a buffer."""
    config = logging_config(json_format=True, level="DEBUG")
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.addFilter(requestid.RequestIdFilter())
    handler.addFilter(PersonalDataFilter())
    from fnvregio.logs import JsonFormatter

    spec = config["formatters"]["json"]
    handler.setFormatter(JsonFormatter(spec["fmt"], rename_fields=spec["rename_fields"]))
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        lines = lambda: [json.loads(line) for line in buffer.getvalue().splitlines() if line]  # noqa: E731
        lines.handler = handler  # type: ignore[attr-defined]
        yield lines
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)


# --- request ids --------------------------------------------------------------------------------


def test_every_response_has_a_request_id_and_a_plausible_one_is_kept(client):
    response = client.get(reverse("healthz"))
    assert len(response["X-Request-ID"]) == 32
    assert client.get(reverse("healthz")).headers["X-Request-ID"] != response["X-Request-ID"]
    kept = client.get(reverse("healthz"), headers={"X-Request-ID": "lb-4f1c2a9e-77"})
    assert kept["X-Request-ID"] == "lb-4f1c2a9e-77"
    # Anything else (spaces, new lines, too long) is replaced, never written to a log.
    for bad in ("a b c d e f g h", "x" * 65, "abc\ndef-12345", "kort"):
        assert client.get(reverse("healthz"), headers={"X-Request-ID": bad})["X-Request-ID"] != bad


def test_log_lines_of_a_request_carry_its_id(client, log_lines):
    client.raise_request_exception = False
    response = client.get("/bestaat-niet/", headers={"X-Request-ID": "trace-12345678"})
    assert response.status_code == 404
    lines = [line for line in log_lines() if line["logger"] == "django.request"]
    assert lines and all(line["request_id"] == "trace-12345678" for line in lines)
    assert {"time", "level", "logger", "message"} <= set(lines[0])


@shared_task(name="tests.observability.echo_request_id")
def echo_request_id() -> str:
    # (the test worker sets the root level to ERROR)
    logging.getLogger("tests.observability").error("in the task")
    return requestid.current()


@pytest.mark.celery_worker
def test_the_request_id_follows_into_the_task_a_request_starts(log_lines):
    from celery.contrib.testing.worker import start_worker

    from fnvregio.celery import app

    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("needs REDIS_URL (a real Redis for the worker)")
    previous = {key: app.conf[key] for key in ("task_always_eager", "broker_url", "result_backend")}
    app.conf.update(task_always_eager=False, broker_url=url, result_backend=url)
    queue = f"fnv-observe-{os.getpid()}"
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, queues=[queue]):
            # The test worker sets up logging anew (it replaces the root's handlers).
            logging.getLogger().addHandler(log_lines.handler)
            token = requestid._current.set("request-abcdef12")
            try:
                result = echo_request_id.apply_async(queue=queue, ignore_result=False)
            finally:
                requestid._current.reset(token)
            assert result.get(timeout=30) == "request-abcdef12"
    finally:
        app.conf.update(previous)
    task_lines = [line for line in log_lines() if line["logger"] == "tests.observability"]
    assert task_lines[0]["request_id"] == "request-abcdef12"


# --- no personal data ---------------------------------------------------------------------------


def test_the_scrubber_removes_what_identifies_a_person():
    text = (
        "Key (email)=(jan.de.vries@example.nl) already exists; lid 3000123, postcode 3511 AB, "
        "tel 06-12345678 en +31 30 1234567, IBAN NL91ABNA0417164300, bsn 123456782"
    )
    cleaned = scrub(text)
    for secret in (
        "jan.de.vries",
        "3000123",
        "3511 AB",
        "06-12345678",
        "1234567",
        "NL91",
        "1234567",
    ):
        assert secret not in cleaned, secret
    assert "[e-mail]" in cleaned and "[postcode]" in cleaned and "[telefoon]" in cleaned
    # Ids, times and sizes stay readable.
    assert (
        scrub("import 42 at 12:05 took 1.5 s, 250 rows")
        == "import 42 at 12:05 took 1.5 s, 250 rows"
    )


def test_a_very_long_line_is_cut_before_it_is_scrubbed():
    """A 100,000-character request path (the hostile-input walk sends them) is logged cut to a
    few thousand characters; the scrubber's patterns are bounded, so it stays linear."""
    line = "Not Found: /a@b.nl/" + "x" * 100_000
    cleaned = scrub(line)
    assert len(cleaned) < 4_100 and cleaned.endswith("…(ingekort)")
    assert "a@b.nl" not in cleaned and "[e-mail]" in cleaned
    assert scrub("Traceback\n" + "y" * 10_000, limit=None).endswith("y" * 10)


def test_a_members_journey_and_a_server_error_leave_no_personal_data_in_the_log(
    client, cast, log_lines, monkeypatch
):
    member = MemberFactory(
        first_name="Annemarie",
        last_name="Zwartjes",
        email="annemarie.z@example.nl",
        phone="0612345678",
        postcode="3511 AB",
        region=cast.region,
    )
    # A failed login with the member's e-mail address.
    client.post(reverse("account_login"), {"login": member.email, "password": "verkeerd"})
    # A member who logs in and looks at their own pages.
    login(client, cast.member_user)
    for name in ("home", "loopbaan:mine"):
        client.get(reverse(name))

    # A server error whose message holds the member's details, as a database error would.
    def broken(request):
        raise ValueError(
            f"Key (email)=({member.email}) already exists for {member.member_number} "
            f"at {member.postcode}, tel {member.phone}"
        )

    from django.urls import clear_url_caches

    client.raise_request_exception = False
    import fnvregio.urls as urls

    monkeypatch.setattr(urls.urlpatterns[0], "callback", broken)
    clear_url_caches()
    response = client.get("/")
    assert response.status_code == 500
    text = "\n".join(json.dumps(line, ensure_ascii=False) for line in log_lines())
    assert "Serverfout" in text  # the error was logged ...
    for secret in (member.email, member.member_number, "3511 AB", member.phone, "Zwartjes"):
        assert secret not in text, secret  # ... without the person


# --- metrics ------------------------------------------------------------------------------------


def test_metrics_need_the_token(client, settings):
    settings.FNV_METRICS_TOKEN = ""
    assert client.get(reverse("metrics")).status_code == 404
    settings.FNV_METRICS_TOKEN = "s3cret-token-for-prometheus"
    assert client.get(reverse("metrics")).status_code == 404
    wrong = {"Authorization": "Bearer nope"}
    assert client.get(reverse("metrics"), headers=wrong).status_code == 404


def test_metrics_show_latency_queues_tasks_heartbeat_and_import_progress(client, settings):
    from members.models import ImportStatus, MemberImport

    settings.FNV_METRICS_TOKEN = "s3cret-token-for-prometheus"
    auth = {"Authorization": "Bearer s3cret-token-for-prometheus"}
    client.get(reverse("home"))
    if os.environ.get("REDIS_URL"):
        heartbeat.apply()  # eager: counted in Redis like a worker's task
    cache.set(HEARTBEAT_KEY, (timezone.now() - timezone.timedelta(seconds=30)).isoformat())
    MemberImport.objects.create(
        file_name="leden.csv",
        source="portal",
        status=ImportStatus.VALIDATING,
        bytes_done=25,
        file_size=100,
    )
    body = client.get(reverse("metrics"), headers=auth).content.decode()
    assert 'fnv_http_request_duration_seconds_count{method="GET",status="2xx",view="home"}' in body
    assert 'fnv_celery_queue_length{queue="urgent"}' in body
    assert 'fnv_celery_queue_length{queue="bulk"}' in body
    age = next(
        float(line.split()[-1])
        for line in body.splitlines()
        if line.startswith("fnv_heartbeat_age_seconds ")
    )
    assert 29 <= age < 120
    assert (
        'fnv_member_import_progress_ratio{import_id="' in body
        and 'status="validating"} 0.25' in body
    )
    if os.environ.get("REDIS_URL"):
        assert 'fnv_celery_tasks_total{outcome="success",task="fnvregio.tasks.heartbeat"}' in body


# --- health -------------------------------------------------------------------------------------


def test_liveness_asks_nothing_of_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("healthz"))
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_readiness_names_what_is_not_ready(client):
    cache.delete(HEARTBEAT_KEY)
    response = client.get(reverse("healthz_ready"))
    assert response.status_code == 503
    assert response.json()["checks"] == {
        "database": True,
        "redis": True,
        "migrations": True,
        "beat": False,
    }
    cache.set(HEARTBEAT_KEY, timezone.now().isoformat())
    response = client.get(reverse("healthz_ready"))
    assert response.status_code == 200 and response.json()["status"] == "ok"
    # An old heartbeat (beat or every worker down) is not ready.
    cache.set(HEARTBEAT_KEY, (timezone.now() - timezone.timedelta(minutes=10)).isoformat())
    assert client.get(reverse("healthz_ready")).status_code == 503


def test_readiness_fails_on_a_database_that_does_not_answer(client, monkeypatch):
    cache.set(HEARTBEAT_KEY, timezone.now().isoformat())

    def down():
        raise OSError("connection refused")

    monkeypatch.setitem(health.CHECKS, "database", down)
    response = client.get(reverse("healthz_ready"))
    assert response.status_code == 503 and response.json()["checks"]["database"] is False


# --- error reports -------------------------------------------------------------------------------


def test_error_reports_leave_out_the_person():
    event = {
        "request": {
            "url": "https://regio.fnv.nl/leden/zoeken/",
            "query_string": "q=Zwartjes",
            "data": {"email": "a@b.nl"},
            "cookies": {"sessionid": "x"},
            "headers": {"Cookie": "x"},
        },
        "user": {"id": 7, "email": "a@b.nl", "username": "a@b.nl"},
        "exception": {
            "values": [
                {
                    "value": "Key (email)=(a.b@example.nl) already exists",
                    "stacktrace": {"frames": [{"function": "save", "vars": {"email": "a@b.nl"}}]},
                }
            ]
        },
        "breadcrumbs": {"values": [{"message": "lid 3000123", "data": {"q": "Zwartjes"}}]},
    }
    cleaned = json.dumps(errorreports.scrub_event(event))
    for secret in ("Zwartjes", "a@b.nl", "a.b@example.nl", "3000123", "sessionid"):
        assert secret not in cleaned, secret
    assert '"id": 7' in cleaned and "regio.fnv.nl/leden/zoeken/" in cleaned


def test_gunicorn_logs_paths_without_query_strings():
    config = (Path(__file__).resolve().parents[2] / "gunicorn.conf.py").read_text()
    assert "%(U)s" in config and "%(r)s" not in config and "%(q)s" not in config
    assert "x-request-id" in config
