"""The portal's own error pages: Dutch, in the site's look, each with a way back; the server
error page shows a reference that is also in the log; the demo shows them instead of Django's
technical pages."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client
from django.urls import path

from fnvregio import urls as portal_urls
from tests.conftest import login

BASE_DIR = Path(__file__).resolve().parents[2]


def _bad_request(request):
    raise SuspiciousOperation("a hostile header")


def _forbidden(request):
    raise PermissionDenied


def _rate_limited(request):
    from allauth.core.internal.ratelimit import respond_429

    return respond_429(request)


def _broken(request):
    raise RuntimeError("the database fell over")


# This module is the URLconf of the tests below (pytest.mark.urls): the portal's URLs and
# handlers plus views that fail in each way.
urlpatterns = [
    *portal_urls.urlpatterns,
    path("test-fout/400/", _bad_request),
    path("test-fout/403/", _forbidden),
    path("test-fout/429/", _rate_limited),
    path("test-fout/500/", _broken),
]
handler500 = portal_urls.handler500

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def _text(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize(
    ("url", "status", "heading"),
    [
        ("/test-fout/400/", 400, "Dit verzoek kunnen we niet verwerken"),
        ("/test-fout/403/", 403, "Dit mag je niet doen"),
        ("/bestaat-niet/", 404, "Deze pagina bestaat niet"),
        ("/test-fout/429/", 429, "Te veel pogingen"),
    ],
)
def test_each_error_page_is_dutch_in_the_site_look_with_a_way_home(client, url, status, heading):
    response = client.get(url)
    body = _text(response)
    assert response.status_code == status
    assert '<html lang="nl">' in body
    assert f"<h1>{heading}</h1>" in body
    assert "css/site.css" in body and "brand-mark" in body
    assert 'href="/"' in body and "Naar de startpagina" in body
    for english in ("Not Found", "Bad Request", "Forbidden", "Too Many Requests", "Server Error"):
        assert english not in body


def test_the_404_page_hints_why_a_page_may_be_missing(client, cast):
    login(client, cast.member_user)
    body = _text(client.get("/regioplannen/999999/"))
    assert "typefout" in body
    assert "niet bij jouw account hoort" in body


def test_a_server_error_shows_a_reference_that_is_in_the_log(caplog):
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="fnvregio.errors"):
        response = client.get("/test-fout/500/?email=lid@example.nl")
    body = _text(response)
    assert response.status_code == 500
    assert "<h1>Er ging iets mis</h1>" in body and 'href="/"' in body
    reference = re.search(r"<code>([0-9a-f]{8})</code>", body).group(1)
    assert response["X-Error-Reference"] == reference
    records = [r for r in caplog.records if r.name == "fnvregio.errors"]
    assert len(records) == 1
    record = records[0]
    assert record.levelno == logging.ERROR
    assert reference in record.getMessage()
    assert "/test-fout/500/" in record.getMessage()
    assert record.exc_info and "the database fell over" in str(record.exc_info[1])
    # no personal data: the query string stays out of the log line
    assert "lid@example.nl" not in record.getMessage()


def test_a_server_error_names_the_user_by_id_only(caplog, cast):
    client = Client(raise_request_exception=False)
    login(client, cast.member_user)
    client.get("/")  # the session is loaded, as in any request that reaches a view
    with caplog.at_level(logging.ERROR, logger="fnvregio.errors"):
        client.get("/test-fout/500/")
    message = next(r for r in caplog.records if r.name == "fnvregio.errors").getMessage()
    assert f"gebruiker {cast.member_user.pk})" in message
    assert cast.member_user.email not in message


def test_each_server_error_gets_its_own_reference():
    client = Client(raise_request_exception=False)
    first = client.get("/test-fout/500/")["X-Error-Reference"]
    second = client.get("/test-fout/500/")["X-Error-Reference"]
    assert first != second


def test_the_server_error_page_renders_without_a_request_or_database(django_assert_num_queries):
    from django.template import loader

    with django_assert_num_queries(0):
        body = loader.get_template("500.html").render({"reference": "0a1b2c3d"})
    assert "0a1b2c3d" in body and "Er ging iets mis" in body


def test_a_failed_form_token_shows_a_dutch_page():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"login": "a@example.nl", "password": "x"})
    body = _text(response)
    assert response.status_code == 403
    assert "<h1>Het formulier is verlopen</h1>" in body
    assert "CSRF verification failed" not in body


def test_too_many_activation_attempts_say_so_in_dutch(client, settings):
    from members import views as member_views

    original = member_views._rate_limited
    member_views._rate_limited = lambda request, number: True
    try:
        response = client.post(
            "/leden/activeren/",
            {"member_number": "1234567", "postcode": "3511 AB", "birth_date": "1980-01-01"},
        )
    finally:
        member_views._rate_limited = original
    assert response.status_code == 429
    assert "Te veel pogingen. Probeer het over een uur opnieuw." in _text(response)


def _demo_subprocess(script: str) -> subprocess.CompletedProcess:
    """Run `script` under the settings the demo runner gives the web server."""
    from django.conf import settings

    from fnvregio.run import prepare_environment

    database = settings.DATABASES["default"]
    host = database["HOST"] or "127.0.0.1"
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_DEBUG", "DJANGO_DEBUG_PAGES", "EMAIL_BACKEND"}
    }
    # the test run's own servers, so the runner starts no embedded ones
    env["DATABASE_URL"] = (
        f"postgres://{database['USER']}@{host}:{database['PORT'] or 5432}/{database['NAME']}"
        if not host.startswith("/")
        else os.environ.get("DATABASE_URL", "")
    )
    env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")
    saved = dict(os.environ)
    try:
        os.environ.clear()
        os.environ.update(env)
        demo_env = prepare_environment(BASE_DIR / "var")
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return subprocess.run(
        [sys.executable, "-c", script],
        env=demo_env,
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_demo_shows_the_branded_404_not_the_technical_page():
    result = _demo_subprocess(
        "import django; django.setup()\n"
        "from django.conf import settings\n"
        "from django.test import Client\n"
        "client = Client()\n"
        "page = client.get('/bestaat-niet/')\n"
        "css = client.get('/static/css/site.css')\n"
        "print('DEBUG', settings.DEBUG)\n"
        "print('STATUS', page.status_code, css.status_code)\n"
        "print(page.content.decode())\n"
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "DEBUG False" in result.stdout
    # the page and the stylesheet it links (served without collectstatic)
    assert "STATUS 404 200" in result.stdout
    assert "<h1>Deze pagina bestaat niet</h1>" in result.stdout
    assert "URLconf" not in result.stdout and "Page not found" not in result.stdout


def test_technical_error_pages_cannot_be_switched_on_in_production():
    from tests.fnvregio.test_settings import _manage, _production_env

    result = _manage("check", **_production_env(DJANGO_DEBUG_PAGES="1"))
    assert result.returncode != 0
    assert "DJANGO_DEBUG_PAGES" in result.stderr


def test_the_error_pages_are_in_english_for_who_chose_english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = _text(client.get("/bestaat-niet/"))
    assert '<html lang="en">' in body
    assert "<h1>This page does not exist</h1>" in body and "To the home page" in body
