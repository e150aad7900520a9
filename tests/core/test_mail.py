"""The one way the portal writes a mail: a subject and a text template, translatable."""

import pytest
from django.core import mail
from django.utils import translation

from core.mail import send_templated_mail

pytestmark = pytest.mark.django_db


def test_a_mail_has_its_subject_on_one_line_with_the_prefix_and_no_html_escaping(settings):
    settings.ACCOUNT_EMAIL_SUBJECT_PREFIX = "[FNV Regio] "
    sent = send_templated_mail(
        "members/mail/activation",
        {"name": "Jansen & Zn <b>", "link": "https://regio.example/a?x=1&y=2"},
        ["lid@example.nl"],
    )
    assert sent == 1
    message = mail.outbox[0]
    assert message.subject == "[FNV Regio] Activeer je account op FNV Regio"
    assert "Beste Jansen & Zn <b>," in message.body
    assert "https://regio.example/a?x=1&y=2" in message.body


def test_a_mail_is_written_in_the_language_asked_for_whatever_the_page_was_in():
    with translation.override("en"):
        send_templated_mail("members/mail/activation", {"name": "A", "link": "L"}, ["a@b.nl"])
    send_templated_mail(
        "members/mail/activation", {"name": "A", "link": "L"}, ["a@b.nl"], language="en"
    )
    dutch, english = mail.outbox
    assert "Activeer je account" in dutch.subject
    assert "Activeer je account" not in english.subject


def test_nobody_to_send_to_sends_nothing():
    assert send_templated_mail("members/mail/activation", {"name": "A", "link": "L"}, []) == 0
    assert mail.outbox == []
