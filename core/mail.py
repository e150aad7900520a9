"""The one way the portal writes a mail: a subject template and a text template per mail.

`templates/<app>/mail/<name>_subject.txt` and `<name>.txt`, translatable with `{% translate %}`,
rendered without HTML escaping in the language the mail is sent in (Dutch unless the caller
knows better), the subject on one line with the portal's prefix. Callers send the message
themselves (some attach a calendar file first).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context
from django.template.loader import get_template
from django.utils import translation


def render_text(name: str, context: Mapping[str, Any]) -> str:
    """A plain-text template, without HTML escaping."""
    template = get_template(name).template  # type: ignore[attr-defined]  # Django's backend wraps it
    return str(template.render(Context(dict(context), autoescape=False)))


def templated_message(
    template: str, context: Mapping[str, Any], to: Sequence[str], *, language: str = "nl"
) -> EmailMultiAlternatives:
    with translation.override(language):
        subject = " ".join(render_text(f"{template}_subject.txt", context).split())
        body = render_text(f"{template}.txt", context)
    return EmailMultiAlternatives(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body=body, to=list(to)
    )


def send_templated_mail(
    template: str, context: Mapping[str, Any], to: Sequence[str], *, language: str = "nl"
) -> int:
    """Render and send one mail; returns the number of messages sent (0 or 1)."""
    if not to:
        return 0
    return templated_message(template, context, to, language=language).send()
