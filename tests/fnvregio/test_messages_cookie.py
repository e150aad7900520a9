"""Messages stay on the server: the signed `messages` cookie is readable by whoever holds it,
and named the person ("Je bent nu ingelogd als ...")."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from core.roles import Role
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_after_login_no_response_sets_a_messages_cookie_and_the_message_still_shows(client):
    cache.clear()
    user = UserFactory(role=Role.MEMBER, full_name="Sanne de Vries")
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert "messages" not in response.cookies
    page = client.get(response["Location"], follow=True)
    assert "messages" not in client.cookies
    html = page.content.decode()
    assert "Je bent nu ingelogd als" in html and "Sanne de Vries" in html
    assert "Je bent nu ingelogd als" not in client.get(reverse("home")).content.decode()
