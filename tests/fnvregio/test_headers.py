"""Security headers on every HTML page, and production cookies."""

import re

import pytest
from django.urls import reverse

from tests.access_table import ACCESS_TABLE
from tests.conftest import login
from tests.fnvregio.test_settings import _production_shell
from tests.test_access import _url

REQUIRED_CSP = {
    "default-src": "'none'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def _directives(header: str) -> dict[str, str]:
    return {
        part.split()[0]: " ".join(part.split()[1:]) for part in header.split(";") if part.strip()
    }


def assert_strict_csp(response, url: str) -> None:
    header = response.get("Content-Security-Policy", "")
    assert header, f"{url} has no Content-Security-Policy"
    directives = _directives(header)
    for name, value in REQUIRED_CSP.items():
        assert directives.get(name) == value, f"{url}: {name} is {directives.get(name)!r}"
    scripts = directives["script-src"]
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts, url
    inline_scripts = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", response.content.decode())
    if inline_scripts:
        nonce = scripts.split("'nonce-")[1].split("'")[0]
        assert all(f'nonce="{nonce}"' in tag for tag in inline_scripts), (
            f"{url}: an inline script without the nonce"
        )
    assert "http" not in header, f"{url}: a third-party origin in the CSP"


@pytest.mark.django_db
def test_every_html_page_has_a_strict_content_security_policy(client, cast):
    """Every probed URL, as the admin and as a member: no HTML page without the policy."""
    checked = 0
    # built once: kwargs builders may create the object they point to
    urls = [_url(row, cast) for row in ACCESS_TABLE if row.probe]
    for user in [cast.admin, cast.member_user, cast.consultant, None]:
        client.logout()
        if user is not None:
            login(client, user)
        for url in urls:
            response = client.get(url)
            if response.status_code == 200 and response.get("Content-Type", "").startswith(
                "text/html"
            ):
                assert_strict_csp(response, url)
                assert response["X-Frame-Options"] == "DENY"
                assert response["X-Content-Type-Options"] == "nosniff"
                checked += 1
    assert checked >= 10


@pytest.mark.django_db
def test_pages_with_personal_data_are_never_cached(client, cast):
    login(client, cast.member_user)
    response = client.get(reverse("home"))
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_inline_scripts_carry_the_nonce_of_the_response(client):
    response = client.get(reverse("home"))
    nonce = (
        _directives(response["Content-Security-Policy"])["script-src"]
        .split("'nonce-")[1]
        .split("'")[0]
    )
    assert f'nonce="{nonce}"' in response.content.decode()


def test_production_sends_hsts_and_secure_host_prefixed_cookies(tmp_path):
    script = (
        "import json; from django.test import Client; c = Client(); "
        "r = c.get('/accounts/login/', secure=True, HTTP_HOST='regio.fnv.example'); "
        "print(json.dumps({'status': r.status_code, 'hsts': r.get('Strict-Transport-Security', ''), "
        "'cookies': {k: dict(v) for k, v in r.cookies.items()}}))"
    )
    data = _production_shell(script, str(tmp_path / "static"))
    assert data["status"] == 200
    assert "max-age=31536000" in data["hsts"]
    csrf = data["cookies"]["__Host-csrftoken"]
    assert csrf["secure"] is True
    assert csrf["samesite"] == "Lax"
    assert csrf["path"] == "/"
    assert "domain" not in csrf or not csrf["domain"]
