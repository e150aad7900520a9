"""Receivers of the members app (connected by `connect`, which MembersConfig declares)."""

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.signals import authenticator_added

from members.enrolment import use_up


def record_second_factor_on_setup(sender, request, user, authenticator, **kwargs) -> None:
    """Setting up TOTP proves the code works: count it as the session's second factor."""
    if request is not None and authenticator.type == "totp":
        record_authentication(request, user, "mfa", id=authenticator.pk, type="totp")
    if authenticator.type == "totp":
        use_up(request, user)


def connect() -> None:
    authenticator_added.connect(
        record_second_factor_on_setup, dispatch_uid="members.record_second_factor_on_setup"
    )
