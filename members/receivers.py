"""Signal receivers of the members app."""

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.signals import authenticator_added
from django.dispatch import receiver

from members.enrolment import use_up


@receiver(authenticator_added)
def record_second_factor_on_setup(sender, request, user, authenticator, **kwargs) -> None:
    """Setting up TOTP proves the code works: count it as the session's second factor."""
    if request is not None and authenticator.type == "totp":
        record_authentication(request, user, "mfa", id=authenticator.pk, type="totp")
    if authenticator.type == "totp":
        use_up(request, user)
