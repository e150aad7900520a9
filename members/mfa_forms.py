"""allauth's MFA forms with the portal's rules.

- Wrong codes are counted per account *and* client address (allauth counts per account alone,
  so five wrong codes from anywhere blocked the right code from everywhere). The per-address
  limit of LOGIN_FAILED_RATE_LIMIT still caps what one address may try, over all accounts.
- A secret that no configured key can decrypt is a clear message and a log line, not a 500.
- Staff set up a first TOTP only with the enrolment invitation (members/enrolment.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.core import context, ratelimit
from allauth.mfa.adapter import get_adapter
from allauth.mfa.base import forms as base_forms
from allauth.mfa.internal.flows.add import validate_can_add_authenticator
from allauth.mfa.models import Authenticator
from allauth.mfa.totp import forms as totp_forms
from allauth.mfa.totp.internal import auth as totp_auth
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from members import enrolment
from members.adapters import UnreadableSecret

logger = logging.getLogger("members.mfa")

UNREADABLE_MESSAGE = _(
    "Je code kan nu niet worden gecontroleerd: de sleutel waarmee je tweede factor is "
    "opgeslagen, is gewijzigd. Dit ligt niet aan jou. Neem contact op met een beheerder; die "
    "kan je tweede factor opnieuw laten instellen."
)


def check_rate_limit(request, user, error_key: str | None = None) -> Callable[[], None]:
    """allauth's check_rate_limit, keyed on the account and the client address."""
    address = get_account_adapter().get_client_ip(request)
    key = f"mfa-auth-user-{user.pk}:{address}"
    if not ratelimit.consume(request, action="login_failed", key=key):
        raise get_account_adapter().validation_error(error_key or "too_many_login_attempts")
    return lambda: ratelimit.clear(request, action="login_failed", key=key)


def report_unreadable_secret(user) -> None:
    """One log line with the user id only: the key changed without the old one as fallback."""
    logger.error(
        "mfa: the second factor of user %s cannot be decrypted with MFA_ENCRYPTION_KEY or "
        "MFA_ENCRYPTION_KEY_FALLBACKS (key changed without its fallback?)",
        user.pk,
    )


class _CodeCheck:
    """clean_code of allauth's BaseAuthenticateForm with the two changes above."""

    def clean_code(self) -> str:
        clear_rl = check_rate_limit(context.request, self.user)
        code = self.cleaned_data["code"]
        main_auth: Authenticator | None = None
        authenticators = Authenticator.objects.filter(user=self.user).exclude(
            type=Authenticator.Type.WEBAUTHN
        )
        try:
            for authenticator in authenticators:
                if not main_auth or authenticator.type == Authenticator.Type.TOTP:
                    main_auth = authenticator
                if authenticator.wrap().validate_code(code):
                    authenticator.user = self.user
                    self.authenticator = authenticator
                    clear_rl()
                    return code
        except UnreadableSecret:
            report_unreadable_secret(self.user)
            raise ValidationError(UNREADABLE_MESSAGE, code="unreadable_secret") from None
        if main_auth:
            self._emit_authentication_failed(main_auth)
        raise get_adapter().validation_error("incorrect_code")


class AuthenticateForm(_CodeCheck, base_forms.AuthenticateForm):
    pass


class ReauthenticateForm(_CodeCheck, base_forms.ReauthenticateForm):
    pass


class ActivateTOTPForm(totp_forms.ActivateTOTPForm):
    def clean_code(self) -> str:
        if self.user.is_staff_role and not enrolment.granted(context.request, self.user):
            raise ValidationError(enrolment.REQUIRED_MESSAGE, code="enrolment_required")
        validate_can_add_authenticator(self.user)
        clear_rl = check_rate_limit(context.request, self.user, error_key="rate_limited")
        code = self.cleaned_data["code"]
        if not totp_auth.validate_totp_code(self.secret, code):
            raise get_adapter().validation_error("incorrect_code")
        clear_rl()
        return code
