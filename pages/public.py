"""What the public pages show beside their text: the next meetings and the postcode search.

Both come from other apps (the meetings through `core.registry.public_agenda`, the union-house
search in `regions`), so this module only asks for them; the home page uses it too.
"""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from core import registry
from pages.models import FIRST_STEPS_SLUG, Page

# Where the union-house search (regions:houses) and the meetings (meetings:list) live; the
# paths are the fallback while those pages are being built, so the front door never breaks.
HOUSES_PATH = "/vakbondshuizen/"
MEETINGS_PATH = "/bijeenkomsten/"


def _url_or(name: str, fallback: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return fallback


def houses_search_url() -> str:
    return _url_or("regions:houses", HOUSES_PATH)


def meetings_url() -> str:
    return _url_or("meetings:list", MEETINGS_PATH)


def agenda_context() -> dict[str, object]:
    """The next meetings and the postcode search, as the templates' _agenda and _postcode use."""
    return {
        "meetings": next_meetings(),
        "meetings_url": meetings_url(),
        "houses_url": houses_search_url(),
    }


def next_meetings(limit: int = 3) -> list[registry.AgendaItem]:
    return registry.public_agenda(now=timezone.now(), limit=limit)


def front_door() -> dict[str, object]:
    """The context of the public home page: the services, the first steps, the agenda."""
    return {
        "services": list(Page.objects.filter(on_home=True).exclude(slug=FIRST_STEPS_SLUG)),
        "first_steps": Page.objects.filter(slug=FIRST_STEPS_SLUG).first(),
        **agenda_context(),
    }
