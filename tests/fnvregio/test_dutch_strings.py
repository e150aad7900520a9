"""English that Django, allauth and the admin left on Dutch pages, each fixed at its cause.

The crawl of every page is tests/test_dutch_pages.py; these tests pin the causes one by one,
including what the crawl cannot see (form errors, the admin's JavaScript strings).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils.functional import Promise

from tests.conftest import login
from tests.english_words import english_in
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_a_too_short_password_is_refused_in_dutch_on_activation(client):
    """Django 6.1 changed the message's msgid; its Dutch catalogue still has the old one."""
    from members.tokens import activation_token

    member = MemberFactory(
        member_number="1234567", postcode="3511 AB", birth_date=dt.date(1980, 2, 1)
    )
    url = reverse("members:activate_confirm", kwargs={"token": activation_token(member)})
    response = client.post(url, {"password1": "kort12", "password2": "kort12"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Dit wachtwoord is te kort. Het moet minstens 10 tekens bevatten." in body
    assert "This password is too short" not in body
    assert not english_in(body)


def test_an_empty_choice_reads_dutch(client, cast):
    login(client, cast.regional_official)
    body = client.get(reverse("plans:start")).content.decode()
    assert "- Maak een keuze -" in body
    assert "Select an option" not in body


def test_the_language_switch_names_each_language_in_its_own_language(client):
    body = client.get(reverse("home")).content.decode()
    assert '<option value="en" lang="en" >English</option>' in body
    assert "Engels" not in body
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(reverse("home")).content.decode()
    assert ">Nederlands</option>" in body
    assert "Dutch" not in body


def test_the_admin_calendar_and_clock_speak_dutch(client, cast):
    """The admin's JavaScript catalogue: the time zone note and the calendar's buttons."""
    login(client, cast.admin)
    catalogue = client.get(reverse("admin:jsi18n"), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Let op: voer tijden in de tijdzone %(timezone)s in." in catalogue
    assert "Vandaag (%(date)s)" in catalogue


def test_the_admin_lists_permissions_by_their_dutch_names(client, cast):
    login(client, cast.admin)
    body = client.get(reverse("admin:auth_group_add")).content.decode()
    assert "Spreekuren en signalen | detectieronde | wijzigen" in body
    assert "Can change" not in body


def test_the_member_list_in_the_admin_has_dutch_columns(client, cast):
    login(client, cast.admin)
    body = client.get(reverse("admin:members_member_changelist")).content.decode()
    assert "Display name" not in body and "Search leden" not in body
    assert "Leden doorzoeken" in body or "leden doorzoeken" in body


def test_every_field_of_the_member_download_has_a_dutch_name():
    """The download names each field by its verbose_name: a field without one showed up as
    "Created by" or "Updated at" on the member's Dutch page."""
    from members.datadownload import SKIPPED_FIELDS, member_relations
    from members.models import Member

    models = set()
    for relation in member_relations():
        models.add(relation.related_model)
        models.update(
            child.related_model
            for child in relation.related_model._meta.related_objects
            if child.related_model is not Member
        )
    unnamed = [
        f"{model._meta.label}.{field.name}"
        for model in models
        for field in model._meta.concrete_fields
        if field.name not in SKIPPED_FIELDS | {"id"} and not isinstance(field.verbose_name, Promise)
    ]
    unnamed += [
        model._meta.label
        for model in models
        if not isinstance(model._meta.verbose_name_plural, Promise)
    ]
    assert not unnamed


def test_a_signal_over_all_themes_is_named_by_its_place(cast):
    from signals.models import DetectionRule, RuleKind, Signal

    signal = Signal(region=cast.region, rule=DetectionRule(kind=RuleKind.THEME_RISE))
    assert "None" not in signal.title
    assert signal.title == str(cast.region)


@pytest.mark.parametrize(
    "text",
    [
        "Search leden",
        "- Select an option -",
        "Note: Enter times in the Europe/Amsterdam timezone.",
        "This password is too short. It must contain at least 10 characters.",
        "Display name",
        "Filter by tijdstip",
        "Can change lid",
    ],
)
def test_the_detector_finds_english_leftovers(text):
    assert english_in(f"<p>{text}</p>")


@pytest.mark.parametrize(
    "text",
    [
        "Log in met je e-mailadres en wachtwoord.",
        "Enter om op te slaan, Tab naar het volgende veld.",
        "Status: open. Type afspraak: spreekuur. Sector Handel.",
        "Stuur een mail naar lid@example.nl of open rapport-the-end.csv.",
        "Filter de signalen op thema en regio.",
        "Het is 3 april; de code is AM13.",
    ],
)
def test_the_detector_leaves_dutch_alone(text):
    assert not english_in(f"<p>{text}</p>")


def test_the_detector_reads_visible_text_only():
    html = (
        '<script>var x = "the Search";</script><style>.Select{}</style>'
        '<a href="/search/" class="Change">Zoeken</a>'
    )
    assert not english_in(html)
    assert english_in('<input type="submit" value="Save">')
    assert english_in('<img src="x.svg" alt="Search">')


def test_a_persons_name_is_not_english_but_the_words_around_it_still_are():
    names = ("Jayson The Elder",)
    assert not english_in("<td>Jayson The Elder</td>", names)
    assert english_in("<p>The page of Jayson The Elder</p>", names)
    assert english_in("<td>Jayson The Elder</td>")
