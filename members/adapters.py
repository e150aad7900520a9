"""allauth adapters: no open sign-up, and TOTP secrets stored encrypted."""

from __future__ import annotations

import base64
import hashlib

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from cryptography.fernet import Fernet
from django.conf import settings


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


def _fernet() -> Fernet:
    key = getattr(settings, "MFA_ENCRYPTION_KEY", "") or settings.SECRET_KEY
    digest = hashlib.sha256(("fnvregio-mfa:" + key).encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


class MFAAdapter(DefaultMFAAdapter):
    """Encrypts TOTP secrets and recovery-code seeds at rest."""

    def encrypt(self, text: str) -> str:
        return _fernet().encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        return _fernet().decrypt(encrypted_text.encode()).decode()
