"""The server error page with a reference the helpdesk can find in the log.

Django's own handler shows a page without anything to quote. This one makes a short random
reference, logs it at ERROR with the exception, and shows it on the page. The log line holds
no personal data: the path without its query string, the reference and at most the user's id.
The page renders without a request and without the database (which may be what failed).
"""

from __future__ import annotations

import logging
import secrets

from django.http import HttpRequest, HttpResponseServerError
from django.template import loader
from django.utils.functional import empty

logger = logging.getLogger("fnvregio.errors")

FALLBACK_PAGE = (
    "<!DOCTYPE html><html lang='nl'><meta charset='utf-8'><title>Er ging iets mis</title>"
    "<h1>Er ging iets mis</h1><p>Noem deze foutcode aan de helpdesk: <code>{reference}</code></p>"
    "<p><a href='/'>Naar de startpagina</a></p></html>"
)


def new_reference() -> str:
    """Eight hex characters: short enough to read over the phone, enough to be unique in a log."""
    return secrets.token_hex(4)


def _user_id(request: HttpRequest) -> str:
    """The id of a user the request already loaded; never a query (the database may be down)."""
    user = getattr(request, "user", None)
    wrapped = getattr(user, "_wrapped", user)
    if wrapped is None or wrapped is empty:
        return "-"
    return str(getattr(wrapped, "pk", None) or "-")


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponseServerError:
    """handler500: called by Django inside the `except` of the failed request."""
    reference = new_reference()
    logger.error(
        "Serverfout %s: %s %s (gebruiker %s)",
        reference,
        request.method,
        request.path,
        _user_id(request),
        exc_info=True,
    )
    try:
        body = loader.get_template(template_name).render({"reference": reference})
    except Exception:  # the error page itself must never fail
        logger.exception("Serverfout %s: de foutpagina kon niet worden getoond", reference)
        body = FALLBACK_PAGE.format(reference=reference)
    response = HttpResponseServerError(body)
    response["X-Error-Reference"] = reference
    return response
