"""First enrolment of a staff member's second factor: only with an invitation link.

A password alone must not be enough to attach a second factor to a staff account (whoever
knows the password would attach their own phone). A staff account without TOTP can therefore
only set one up after opening the one-time link mailed when an admin creates or invites the
account, or resets its second factor (admin action, or `manage.py mfa_invite`).

The link is a signed token (user id + a random nonce, valid INVITATION_DAYS days). The nonce of
the one open invitation per user is kept in the cache (Redis in production, no eviction): a
newer invitation replaces it, setting up TOTP uses it up, and a lost cache only means that the
admin sends a new one. Opening the link marks the session; the login that follows keeps that
mark, and only that user, in that session, may then activate TOTP.

A new account made by the staff import (members/setup_import/staff.py) has no password yet:
its invitation says so, and the link first asks for a password (once: the page is gone as soon
as the account has one). Choosing it logs the person in, in that session, and continues to the
TOTP set-up; the link stays spent in the same way once TOTP is set up.
"""

from __future__ import annotations

import secrets

from allauth.account.internal.flows.login import record_authentication
from allauth.account.models import EmailAddress
from allauth.account.utils import perform_login
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import AuditAction
from audit.services import audit_log
from core.mail import send_templated_mail
from members.forms import SetPasswordForm
from members.models import User

INVITATION_DAYS = 7
_SALT = "members.mfa_enrolment"
_SESSION_KEY = "fnv.mfa_enrolment"

REQUIRED_MESSAGE = gettext_lazy(
    "Je tweede factor stel je in via de link in je uitnodigingsmail. Geen mail gekregen, of "
    "is de link verlopen? Vraag een beheerder om je tweede factor opnieuw in te stellen."
)


def _cache_key(user_id: int) -> str:
    return f"members:mfa-enrolment:{user_id}"


def invitation_link(user) -> str:
    """A fresh one-time link for `user`; earlier links stop working."""
    nonce = secrets.token_urlsafe(16)
    cache.set(_cache_key(user.pk), nonce, INVITATION_DAYS * 24 * 3600)
    token = signing.dumps({"u": user.pk, "n": nonce, "e": user.email}, salt=_SALT)
    return settings.SITE_URL + reverse("mfa_invitation", kwargs={"token": token})


def send_invitation(user) -> str:
    """Mail a fresh enrolment link to the account's own address (Django's mail backend); an
    account without a password (made by the staff import) is asked to choose one first."""
    link = invitation_link(user)
    send_templated_mail(
        "members/mail/mfa_invitation"
        if user.has_usable_password()
        else "members/mail/staff_invitation",
        {"name": user.get_short_name(), "days": INVITATION_DAYS, "link": link},
        [user.email],
    )
    return link


def reset_second_factor(user, *, by=None) -> str:
    """Remove every authenticator of `user` and mail a fresh enrolment link (`by`: the admin
    who asked, none from the shell)."""
    Authenticator.objects.filter(user=user).delete()
    link = send_invitation(user)
    audit_log(
        user=by,
        action=AuditAction.CHANGE,
        obj=user,
        detail="tweede factor verwijderd; uitnodiging verstuurd",
    )
    return link


def _open_invitation(token: str):
    """The user a valid, unused, current invitation token belongs to, and its nonce."""
    try:
        payload = signing.loads(token, salt=_SALT, max_age=INVITATION_DAYS * 24 * 3600)
    except signing.BadSignature:
        return None, None
    user_id, nonce = payload.get("u"), payload.get("n")
    if not isinstance(user_id, int) or not nonce or cache.get(_cache_key(user_id)) != nonce:
        return None, None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.is_staff_role or _has_totp(user):
        return None, None
    if payload.get("e") != user.email:  # the address changed since: the link went elsewhere
        return None, None
    return user, nonce


def _mark_email_verified(user) -> None:
    """The link reached the account's address: that verifies it, so a new staff member is not
    sent a second mail (allauth's mandatory verification) before the first login."""
    address = EmailAddress.objects.filter(user=user, email__iexact=user.email).first()
    if address is None:
        EmailAddress.objects.create(
            user=user,
            email=user.email,
            verified=True,
            primary=not EmailAddress.objects.filter(user=user, primary=True).exists(),
        )
    elif not address.verified:
        address.verified = True
        address.save(update_fields=["verified"])


def _has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def granted(request: HttpRequest, user) -> bool:
    """Has this session opened `user`'s current invitation link?"""
    mark = request.session.get(_SESSION_KEY) or {}
    return (
        mark.get("u") == user.pk
        and bool(mark.get("n"))
        and cache.get(_cache_key(user.pk)) == mark.get("n")
    )


def use_up(request: HttpRequest | None, user) -> None:
    """TOTP is set up: the invitation is spent."""
    cache.delete(_cache_key(user.pk))
    if request is not None and hasattr(request, "session"):
        request.session.pop(_SESSION_KEY, None)


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The link from the invitation mail: mark the session, then log in and set up TOTP."""
    user, nonce = _open_invitation(token)
    if user is None:
        return render(request, "members/mfa_invitation_invalid.html", status=400)
    if not user.has_usable_password():
        return _choose_password(request, user, nonce)
    if request.user.is_authenticated and request.user.pk != user.pk:
        logout(request)
    _mark_email_verified(user)
    request.session[_SESSION_KEY] = {"u": user.pk, "n": nonce}
    if request.user.is_authenticated:
        return redirect("mfa_activate_totp")
    messages.info(
        request, _("Log in met je e-mailadres en wachtwoord; daarna stel je je tweede factor in.")
    )
    return redirect(
        f"{reverse('account_login')}?{urlencode({'next': reverse('mfa_activate_totp')})}"
    )


class InvitationPasswordForm(SetPasswordForm):
    def __init__(self, user, *args, **kwargs) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if data.get("password1") and not self.errors:
            # again with the account, so a password like the name or address is refused too
            validate_password(data["password1"], self.user)
        return data


def _choose_password(request: HttpRequest, user, nonce: str) -> HttpResponse:
    """A new account's first step: choose a password, then on to the TOTP set-up, logged in."""
    form = InvitationPasswordForm(user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            account = User.objects.select_for_update().get(pk=user.pk)
            if account.has_usable_password():  # a second tab was quicker
                return render(request, "members/mfa_invitation_invalid.html", status=400)
            account.set_password(form.cleaned_data["password1"])
            account.save(update_fields=["password"])
            audit_log(
                user=account,
                action=AuditAction.CHANGE,
                obj=account,
                detail="wachtwoord gekozen via de uitnodiging",
            )
        if request.user.is_authenticated:
            logout(request)
        _mark_email_verified(account)
        # The password was typed just now: that is a fresh authentication, so allauth does
        # not ask for it again before the TOTP set-up.
        record_authentication(
            request, account, method="password", email=account.email, reauthenticated=True
        )
        response = perform_login(
            request, account, email=account.email, redirect_url=reverse("mfa_activate_totp")
        )
        request.session[_SESSION_KEY] = {"u": account.pk, "n": nonce}
        messages.success(request, _("Je wachtwoord is ingesteld. Stel nu je tweede factor in."))
        return response
    return render(
        request,
        "members/invitation_password.html",
        {"form": form, "account": user, "days": INVITATION_DAYS},
    )


def required_page(request: HttpRequest) -> HttpResponse:
    """Shown to a staff member without TOTP whose session has not opened an invitation."""
    return render(
        request, "members/mfa_enrolment_required.html", {"message": REQUIRED_MESSAGE}, status=403
    )
