"""Access, written once: role checks for views and the 404 helper for objects.

Every model with personal data has a `visible_to(user)` queryset method; views fetch objects
through `get_visible_or_404`, so an object out of scope is indistinguishable from one that does
not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404


def role_required(*roles: str) -> Callable:
    """Anonymous visitors go to the login page; logged-in users without the role get 404."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if user.role not in roles or not user.is_active:
                raise Http404
            return view(request, *args, **kwargs)

        wrapper.allowed_roles = frozenset(roles)  # type: ignore[attr-defined]
        return wrapper

    return decorator


def get_visible_or_404[M: Model](queryset: QuerySet[M], user, **lookup) -> M:
    """Fetch one object through its model's `visible_to(user)` scope, or 404."""
    return get_object_or_404(queryset.visible_to(user), **lookup)  # type: ignore[attr-defined]
