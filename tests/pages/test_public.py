"""Anyone reads the information pages; the front door leads to every service."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pages.models import Page
from tests.conftest import login
from tests.pages.helpers import FIRST_STEPS, SERVICE_SLUGS, fake_agenda, meeting


@pytest.mark.django_db
@pytest.mark.parametrize("slug", [*SERVICE_SLUGS, FIRST_STEPS])
def test_an_anonymous_visitor_reads_each_page(client, slug):
    page = Page.objects.get(slug=slug)
    response = client.get(reverse("pages:page", kwargs={"slug": slug}))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("<h1") == 1 and f"<h1>{page.title}</h1>".replace("&", "&amp;") in body
    assert "<h2>" in body  # the Markdown's headings are rendered below the one h1
    assert "bewerken" not in body.lower()  # no edit link for visitors


@pytest.mark.django_db
@pytest.mark.parametrize("slug", SERVICE_SLUGS)
def test_each_service_says_for_whom_what_it_costs_what_to_bring_and_how_to_start(slug):
    text = Page.objects.get(slug=slug).text
    for heading in ("## Voor wie?", "## Wat kost het?", "## Wat neem je mee?", "## Hoe begin je?"):
        assert heading in text, (slug, heading)
    assert "gratis" in text.lower()
    assert "lid" in text  # says what applies to members and to people who are not


@pytest.mark.django_db
def test_the_first_steps_say_dont_sign_mind_the_deadlines_and_bring_papers():
    text = Page.objects.get(slug=FIRST_STEPS).text.lower()
    for words in ("teken niets", "termijnen", "spreekuur", "arbeidscontract", "loonstroken"):
        assert words in text, words


@pytest.mark.django_db
def test_an_unknown_page_is_a_404(client):
    assert client.get(reverse("pages:page", kwargs={"slug": "bestaat-niet"})).status_code == 404


@pytest.mark.django_db
def test_the_first_steps_page_shows_the_next_meetings_and_the_postcode_search(client, monkeypatch):
    calls = fake_agenda(monkeypatch, meeting("Wat te doen bij ontslag"))
    body = client.get(reverse("pages:page", kwargs={"slug": FIRST_STEPS})).content.decode()
    assert "Wat te doen bij ontslag" in body and 'href="/bijeenkomsten/42/"' in body
    assert 'name="postcode"' in body and 'method="get"' in body
    assert calls and calls[0]["limit"] == 3 and "now" in calls[0]


@pytest.mark.django_db
def test_a_page_without_agenda_does_not_ask_for_it(client, monkeypatch):
    calls = fake_agenda(monkeypatch, meeting())
    client.get(reverse("pages:page", kwargs={"slug": "loopbaan-fnv"}))
    assert calls == []


@pytest.mark.django_db
def test_the_index_lists_every_page(client):
    body = client.get(reverse("pages:index")).content.decode()
    for slug in [*SERVICE_SLUGS, FIRST_STEPS]:
        assert reverse("pages:page", kwargs={"slug": slug}) in body


# --- the home page -------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_home_page_for_a_visitor_is_the_front_door(client, monkeypatch):
    fake_agenda(monkeypatch, meeting("Loopbaancheck", days=2), meeting("Cao-uitleg", days=5))
    response = client.get(reverse("home"))
    body = response.content.decode()
    for slug in [*SERVICE_SLUGS, FIRST_STEPS]:
        assert f'href="{reverse("pages:page", kwargs={"slug": slug})}"' in body, slug
    assert body.index("Ontslag? Wat nu?") < body.index("Spreekuren werk &amp; inkomen")
    assert 'name="postcode"' in body
    assert "Loopbaancheck" in body and "Cao-uitleg" in body
    assert reverse("account_login") in body


@pytest.mark.django_db
def test_the_postcode_box_goes_to_the_union_house_search(client):
    from pages.public import houses_search_url

    body = client.get(reverse("home")).content.decode()
    assert f'action="{houses_search_url()}"' in body
    assert houses_search_url().startswith("/vakbondshuizen/")


@pytest.mark.django_db
def test_the_home_page_says_so_when_no_meeting_is_planned(client, monkeypatch):
    fake_agenda(monkeypatch)
    body = client.get(reverse("home")).content.decode()
    assert "Er staan nu geen bijeenkomsten in de agenda." in body


def test_a_member_keeps_the_tiles_with_a_way_to_the_public_information(cast, client, monkeypatch):
    calls = fake_agenda(monkeypatch, meeting())
    login(client, cast.member_user)
    body = client.get(reverse("home")).content.decode()
    assert "Informatie en hulp" in body and f'href="{reverse("pages:index")}"' in body
    assert 'name="postcode"' not in body  # the member's own home, not the front door
    assert calls == []


def test_only_an_admin_gets_the_tile_to_manage_the_pages(cast, client):
    login(client, cast.admin)
    assert reverse("pages:manage") in client.get(reverse("home")).content.decode()
    login(client, cast.coordinator)
    assert reverse("pages:manage") not in client.get(reverse("home")).content.decode()
