"""The signed activation link a member gets by mail (48 hours, works until the account exists).

Made by the activation mail (members.tasks) and read by the activation page (members.views).
"""

from __future__ import annotations

from django.core import signing

from members.models import Member

ACTIVATION_SALT = "members.activation"
ACTIVATION_MAX_AGE = 48 * 3600


def activation_token(member: Member) -> str:
    return signing.dumps({"m": member.pk, "n": member.member_number}, salt=ACTIVATION_SALT)


def activation_payload(token: str) -> dict:
    """The token's content; `signing.BadSignature` when it was forged or is too old."""
    return signing.loads(token, salt=ACTIVATION_SALT, max_age=ACTIVATION_MAX_AGE)
