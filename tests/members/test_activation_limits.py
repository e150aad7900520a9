"""Activation is rate-limited without letting strangers lock a member out: member numbers are
sequential, so a limit per member number alone let anyone block anyone's activation."""

import datetime as dt

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def unactivated(db):
    return MemberFactory(
        member_number="2345678",
        postcode="3511 AB",
        birth_date=dt.date(1981, 3, 4),
        email="ruben@example.nl",
    )


def ask(capture, address, birth="1981-03-04", number="2345678"):
    with capture(execute=True):
        return Client(REMOTE_ADDR=address).post(
            reverse("members:activate"),
            {"member_number": number, "postcode": "3511 AB", "birth_date": birth},
        )


def test_failures_from_five_addresses_do_not_block_the_right_details_from_a_sixth(
    unactivated, django_capture_on_commit_callbacks
):
    for attacker in range(5):
        for _ in range(5):
            ask(django_capture_on_commit_callbacks, f"203.0.113.{attacker}", birth="1970-01-01")
    response = ask(django_capture_on_commit_callbacks, "192.0.2.60")
    assert response.status_code == 200
    assert [message.to for message in mail.outbox] == [["ruben@example.nl"]]


def test_an_address_that_keeps_guessing_one_member_is_limited(
    unactivated, django_capture_on_commit_callbacks
):
    for _ in range(5):
        assert (
            ask(django_capture_on_commit_callbacks, "203.0.113.9", birth="1970-01-01").status_code
            == 200
        )
    assert ask(django_capture_on_commit_callbacks, "203.0.113.9").status_code == 429
    assert not mail.outbox


def test_an_address_that_walks_the_member_numbers_is_limited(
    unactivated, django_capture_on_commit_callbacks
):
    statuses = [
        ask(django_capture_on_commit_callbacks, "203.0.113.10", number=str(3000000 + n)).status_code
        for n in range(11)
    ]
    assert statuses[:10] == [200] * 10 and statuses[10] == 429


def test_the_mailbox_gets_at_most_three_links_an_hour_and_the_answer_stays_the_same(
    unactivated, django_capture_on_commit_callbacks
):
    responses = [ask(django_capture_on_commit_callbacks, f"198.51.100.{n}") for n in range(5)]
    assert {response.status_code for response in responses} == {200}
    assert len(mail.outbox) == 3
