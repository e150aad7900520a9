"""allauth adapters: no open sign-up, and TOTP secrets stored encrypted."""

from __future__ import annotations

import base64
import hashlib

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # Accounts are made by admins (staff) or by member activation, never by open sign-up.
        return False

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        """Count failed logins per account *and* client address.

        allauth counts per account alone, so a flood of wrong passwords from anywhere would
        lock the real person out. Keyed on both, an attacker only locks out their own address;
        the per-address limit (ACCOUNT_RATE_LIMITS) still caps what one address may try.
        """
        return f"{super()._get_login_attempts_cache_key(request, **credentials)}:{self.get_client_ip(request)}"


class UnreadableSecret(Exception):
    """A stored TOTP secret (or recovery-code seed) that no configured key can decrypt.

    Raised instead of cryptography's InvalidToken, so callers can answer with a clear message
    rather than a 500 (see members/mfa_forms.py and fnvregio.middleware).
    """


def _fernet_for(key: str) -> Fernet:
    digest = hashlib.sha256(("fnvregio-mfa:" + key).encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encryption_keys() -> list[str]:
    """The current key first, then the old ones that may still decrypt.

    Production requires MFA_ENCRYPTION_KEY (settings refuse to start without it), so rotating
    SECRET_KEY never touches the second factor. Only in development, without that variable,
    the key is derived from SECRET_KEY (and SECRET_KEY_FALLBACKS decrypt).
    """
    current = getattr(settings, "MFA_ENCRYPTION_KEY", "")
    old = list(getattr(settings, "MFA_ENCRYPTION_KEY_FALLBACKS", []))
    if not current:
        current = settings.SECRET_KEY
        old += list(getattr(settings, "SECRET_KEY_FALLBACKS", []))
    return [current, *[key for key in old if key and key != current]]


def multi_fernet() -> MultiFernet:
    return MultiFernet([_fernet_for(key) for key in encryption_keys()])


def current_fernet() -> Fernet:
    return _fernet_for(encryption_keys()[0])


class MFAAdapter(DefaultMFAAdapter):
    """Encrypts TOTP secrets and recovery-code seeds at rest, with rotatable keys."""

    # A code works once: a second login within the same 30 seconds was refused with only
    # "Ongeldige code.", without saying to wait for the next one.
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": _(
            "Deze code klopt niet of is al gebruikt. Een code werkt één keer: wacht op de "
            "volgende code in je app (elke 30 seconden een nieuwe) en probeer het opnieuw."
        ),
    }

    def encrypt(self, text: str) -> str:
        return current_fernet().encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        try:
            return multi_fernet().decrypt(encrypted_text.encode()).decode()
        except InvalidToken as error:
            raise UnreadableSecret from error

    def can_delete_authenticator(self, authenticator) -> bool:
        """Staff keep their second factor: only an admin's reset removes it (with a new
        enrolment invitation), so nobody can drop it with a session alone."""
        return not authenticator.user.is_staff_role
