"""Authentication backends: Django's and allauth's, with one change for every request.

Every request of a staff user asks whether that user has a TOTP authenticator
(fnvregio.middleware.StaffTwoFactorMiddleware). Loading the user already costs a query; these
backends load the answer with it (`has_totp`, an EXISTS in the same SELECT), so the check costs
no second query and is never older than the request.
"""

from __future__ import annotations

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from allauth.mfa.models import Authenticator
from django.contrib.auth import backends, get_user_model
from django.db.models import Exists, OuterRef


class _LoadsTotpFlag:
    def get_user(self, user_id):
        model = get_user_model()
        totp = Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)
        try:
            user = model._default_manager.annotate(has_totp=Exists(totp)).get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


class ModelBackend(_LoadsTotpFlag, backends.ModelBackend):
    pass


class AuthenticationBackend(_LoadsTotpFlag, AllauthBackend):
    pass
