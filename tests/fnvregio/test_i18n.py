import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_portal_speaks_dutch_by_default(client):
    response = client.get(reverse("home"))
    body = response.content.decode()
    assert '<html lang="nl">' in body
    assert "Naar de inhoud" in body


def test_the_language_switch_changes_to_english_and_back(client):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": reverse("regions:list")}
    )
    assert response.status_code == 302
    body = client.get(reverse("regions:list")).content.decode()
    assert '<html lang="en">' in body
    assert "Skip to content" in body
    client.post(reverse("set_language"), {"language": "nl", "next": "/"})
    assert "Naar de inhoud" in client.get(reverse("home")).content.decode()


def test_the_language_switch_refuses_a_foreign_redirect(client):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"
