"""Current TOTP code of a user: for the demo command and for tests that log staff in."""

import time

from allauth.mfa import app_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from members.adapters import MFAAdapter


def current_totp_code(user, offset_periods: int = 0) -> str | None:
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is None:
        return None
    secret = MFAAdapter().decrypt(authenticator.data["secret"])
    counter = int(time.time()) // app_settings.TOTP_PERIOD + offset_periods
    return format_hotp_value(hotp_value(secret, counter))
