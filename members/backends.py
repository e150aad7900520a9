"""Authentication backends: Django's and allauth's, with one change for every request.

Every request of a staff user asks whether that user has a TOTP authenticator
(fnvregio.middleware.StaffTwoFactorMiddleware). Loading the user already costs a query; these
backends load the answer with it (`has_totp`, an EXISTS in the same SELECT), so the check costs
no second query. With the page cache on, the user is kept in Redis under the data's generation
(`load_user`): never older than the last committed write, and no query at all while nothing
was written.

The SELECT is written once, as SQL, rather than built by the ORM on every request: building
`annotate(has_totp=Exists(...)).get(pk=…)` took 0.55 ms of its 0.88 ms (at a million members,
2 Dec 2026), on every page of every logged-in user. The model is still made by the ORM
(`raw`), with the same columns and the same answer; a test holds the two to each other.
"""

from __future__ import annotations

from functools import cache

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from allauth.mfa.models import Authenticator
from django.contrib.auth import backends, get_user_model
from django.core.exceptions import ValidationError
from django.db import connection

from core import generation


@cache
def _user_sql() -> str:
    model = get_user_model()
    quote = connection.ops.quote_name
    user, pk = quote(model._meta.db_table), quote(str(model._meta.pk.column))
    authenticator = quote(Authenticator._meta.db_table)
    owner = quote(Authenticator._meta.get_field("user").column)
    kind = quote(Authenticator._meta.get_field("type").column)
    return (
        f"SELECT u.*, EXISTS (SELECT 1 FROM {authenticator} a WHERE a.{owner} = u.{pk} "
        f"AND a.{kind} = %s) AS has_totp FROM {user} u WHERE u.{pk} = %s"
    )


def load_user(user_id):
    """The user with `has_totp`, or None. A malformed id (a tampered session) is no user.

    With the page cache on, from Redis while nothing has been written since it was loaded
    (`core.generation.cached`), in the same round trip as the session and the page: a page
    served from the page cache then sends no query at all, not even the connection's health
    check. Any committed write (a role, a password, a deactivation, a new authenticator, or
    anything else) renews the generation, so a changed user is read from the database on their
    next request.
    """
    model = get_user_model()
    try:
        user_id = model._meta.pk.to_python(user_id)
    except ValidationError:
        return None
    if user_id is None:
        return None
    # Kept under the request's session when it has one (read at the request's start, with the
    # session and the page: `fnvregio.pagecache.ReadAlongMiddleware`), else under the id; only
    # ever taken for the same id.
    key = generation.key_of("user") or f"pagecache:user:{user_id}"
    return generation.cached(
        key, lambda: _select_user(model, user_id), accept=lambda user: user.pk == user_id
    )


def _select_user(model, user_id):
    found = list(model._default_manager.raw(_user_sql(), [Authenticator.Type.TOTP, user_id]))
    return found[0] if found else None


class _LoadsTotpFlag:
    def get_user(self, user_id):
        user = load_user(user_id)
        if user is None:
            return None
        return user if self.user_can_authenticate(user) else None


class ModelBackend(_LoadsTotpFlag, backends.ModelBackend):
    pass


class AuthenticationBackend(_LoadsTotpFlag, AllauthBackend):
    pass
