"""The request a view behind `@role_required` receives, for the type checker.

Django's stubs type `request.user` as `User | AnonymousUser`. `core.access.role_required` lets
only logged-in, active users with one of the roles through, so behind it the user is a `User`.
Views annotate their request with `AuthenticatedRequest` to say so; Django never builds one.
"""

from __future__ import annotations

from django.http import HttpRequest

from members.models import User


class AuthenticatedRequest(HttpRequest):
    user: User
