"""The TOTP secrets' own encryption key: rotation with fallbacks, re-encryption, and a clear
message (never a 500) when no key fits."""

import io
import logging
import secrets

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.urls import reverse

from core.roles import Role
from members.adapters import MFAAdapter
from members.totp import current_totp_code
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

OLD_KEY = secrets.token_urlsafe(40)
NEW_KEY = secrets.token_urlsafe(40)


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()


def _log_in(client, user, code):
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    return client.post(reverse("mfa_authenticate"), {"code": code})


def _logged_in_user(client):
    return client.get(reverse("home")).context["user"]


def test_after_a_key_rotation_with_the_old_key_as_fallback_staff_still_log_in(client, settings):
    settings.MFA_ENCRYPTION_KEY = OLD_KEY
    user = UserFactory(role=Role.COORDINATOR)
    settings.MFA_ENCRYPTION_KEY = NEW_KEY
    settings.MFA_ENCRYPTION_KEY_FALLBACKS = [OLD_KEY]

    response = _log_in(client, user, current_totp_code(user))
    assert response.status_code == 302
    assert _logged_in_user(client) == user


def test_rotating_secret_key_leaves_the_second_factor_alone(client, settings):
    settings.MFA_ENCRYPTION_KEY = OLD_KEY
    user = UserFactory(role=Role.ADVISER)
    settings.SECRET_KEY = secrets.token_urlsafe(64)

    response = _log_in(client, user, current_totp_code(user))
    assert response.status_code == 302
    assert _logged_in_user(client) == user


def test_new_secrets_are_encrypted_with_the_current_key_only(settings):
    settings.MFA_ENCRYPTION_KEY = NEW_KEY
    settings.MFA_ENCRYPTION_KEY_FALLBACKS = [OLD_KEY]
    stored = MFAAdapter().encrypt("JBSWY3DPEHPK3PXP")
    settings.MFA_ENCRYPTION_KEY_FALLBACKS = []
    assert MFAAdapter().decrypt(stored) == "JBSWY3DPEHPK3PXP"


def test_without_the_old_key_the_login_page_says_so_and_the_log_names_only_the_user_id(
    client, settings, caplog
):
    settings.MFA_ENCRYPTION_KEY = OLD_KEY
    user = UserFactory(role=Role.SECTOR_OFFICIAL, full_name="Anouk Jansen")
    code = current_totp_code(user)
    settings.MFA_ENCRYPTION_KEY = NEW_KEY
    settings.MFA_ENCRYPTION_KEY_FALLBACKS = []

    with caplog.at_level(logging.ERROR, logger="members.mfa"):
        response = _log_in(client, user, code)

    assert response.status_code == 200
    assert "sleutel waarmee je tweede factor is opgeslagen" in response.content.decode()
    assert not _logged_in_user(client).is_authenticated
    lines = [record.getMessage() for record in caplog.records if record.name == "members.mfa"]
    assert len(lines) == 1
    assert f"user {user.pk} " in lines[0]
    assert user.email not in lines[0] and "Anouk" not in lines[0]


def test_reencrypt_totp_moves_every_secret_to_the_current_key_and_can_run_twice(client, settings):
    settings.MFA_ENCRYPTION_KEY = OLD_KEY
    user = UserFactory(role=Role.CONSULTANT)
    RecoveryCodes.activate(user)
    UserFactory(role=Role.ADMIN)
    settings.MFA_ENCRYPTION_KEY = NEW_KEY
    settings.MFA_ENCRYPTION_KEY_FALLBACKS = [OLD_KEY]

    out = io.StringIO()
    call_command("reencrypt_totp", stdout=out)
    assert "Opnieuw versleuteld: 3; al met de huidige sleutel: 0; onleesbaar: 0." in out.getvalue()

    settings.MFA_ENCRYPTION_KEY_FALLBACKS = []
    out = io.StringIO()
    call_command("reencrypt_totp", stdout=out)
    assert "Opnieuw versleuteld: 0; al met de huidige sleutel: 3; onleesbaar: 0." in out.getvalue()
    assert RecoveryCodes(
        Authenticator.objects.get(user=user, type="recovery_codes")
    ).get_unused_codes()
    response = _log_in(client, user, current_totp_code(user))
    assert response.status_code == 302
    assert _logged_in_user(client) == user


def test_reencrypt_totp_reports_secrets_no_key_fits(settings):
    settings.MFA_ENCRYPTION_KEY = OLD_KEY
    user = UserFactory(role=Role.CONSULTANT)
    settings.MFA_ENCRYPTION_KEY = NEW_KEY
    out = io.StringIO()
    with pytest.raises(CommandError, match=str(user.pk)):
        call_command("reencrypt_totp", stdout=out)
    assert "onleesbaar: 1." in out.getvalue()


def test_an_unreadable_secret_elsewhere_is_a_clear_page_too(client, settings, caplog):
    from tests.conftest import login

    settings.MFA_ENCRYPTION_KEY = OLD_KEY
    user = UserFactory(role=Role.REGIONAL_OFFICIAL)
    RecoveryCodes.activate(user)
    settings.MFA_ENCRYPTION_KEY = NEW_KEY
    login(client, user)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    with caplog.at_level(logging.ERROR, logger="members.mfa"):
        response = client.get(reverse("mfa_view_recovery_codes"))
    assert response.status_code == 503
    assert "sleutel waarmee je tweede factor is opgeslagen" in response.content.decode()
    assert any(f"user {user.pk} " in record.getMessage() for record in caplog.records)


def test_upgrading_from_the_key_derived_from_secret_key(client, settings):
    """Installations that ran without MFA_ENCRYPTION_KEY: the old SECRET_KEY as fallback."""
    settings.MFA_ENCRYPTION_KEY = ""
    user = UserFactory(role=Role.COORDINATOR)
    settings.MFA_ENCRYPTION_KEY = NEW_KEY
    settings.MFA_ENCRYPTION_KEY_FALLBACKS = [settings.SECRET_KEY]
    call_command("reencrypt_totp", stdout=io.StringIO())
    settings.MFA_ENCRYPTION_KEY_FALLBACKS = []
    settings.SECRET_KEY = secrets.token_urlsafe(64)
    response = _log_in(client, user, current_totp_code(user))
    assert response.status_code == 302
    assert _logged_in_user(client) == user
