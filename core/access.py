"""Access, written once: role checks for views and the 404 helper for objects.

Every model with personal data has a `visible_to(user)` queryset method; views fetch objects
through `get_visible_or_404`, so an object out of scope is indistinguishable from one that does
not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Protocol, cast

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import get_object_or_404

type View = Callable[..., HttpResponseBase]


def role_required[V: View](*roles: str) -> Callable[[V], V]:
    """Anonymous visitors go to the login page; logged-in users without the role get 404."""

    def decorator(view: V) -> V:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if user.role not in roles or not user.is_active:
                raise Http404
            return view(request, *args, **kwargs)

        wrapper.allowed_roles = frozenset(roles)  # type: ignore[attr-defined]  # read by the access test
        return cast(V, wrapper)  # same signature: wraps passes the arguments through

    return decorator


class VisibleScope[M: Model](Protocol):
    """A model's manager or queryset with the portal's `visible_to(user)` scope."""

    @property
    def model(self) -> type[M]: ...

    def visible_to(self, user: Any, /) -> QuerySet[M, M]: ...


def get_visible_or_404[M: Model](
    source: VisibleScope[M], user: AbstractBaseUser | AnonymousUser, **lookup: Any
) -> M:
    """Fetch one object through its model's `visible_to(user)` scope, or 404."""
    return get_object_or_404(source.visible_to(user), **lookup)
