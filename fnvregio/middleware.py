"""Middleware: client address from the proxy chain, required 2FA for staff, no-store."""

from __future__ import annotations

import functools
import time

from allauth.account.internal.flows.login import get_authentication_records
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect, render
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.cache import add_never_cache_headers

from members import enrolment
from members.adapters import UnreadableSecret
from members.mfa_forms import UNREADABLE_MESSAGE, report_unreadable_secret


class ClientAddressMiddleware:
    """Set REMOTE_ADDR from X-Forwarded-For, trusting exactly TRUSTED_PROXY_COUNT proxies.

    The rightmost entries are added by our own proxies; anything left of them is what the
    client claims and is not trusted. Rate limits key on the result.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        proxies = settings.TRUSTED_PROXY_COUNT
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if proxies and forwarded:
            chain = [part.strip() for part in forwarded.split(",") if part.strip()]
            if len(chain) >= proxies:
                request.META["REMOTE_ADDR"] = chain[-proxies]
        return self.get_response(request)


# Pages a staff user may reach before the second factor is in place.
_TWO_FACTOR_EXEMPT_PREFIXES = ("/static/", "/i18n/", "/healthz")
# ... and without an enrolment invitation: logging out and opening the invitation link.
_ENROLMENT_EXEMPT_NAMES = ("account_logout",)
_TWO_FACTOR_EXEMPT_NAMES = (
    "account_logout",
    "account_reauthenticate",
    "mfa_activate_totp",
    "mfa_index",
    "mfa_authenticate",
)


def _paths(names: tuple[str, ...]) -> frozenset[str]:
    return _reversed(names, get_urlconf(), get_script_prefix())


@functools.cache
def _reversed(names: tuple[str, ...], urlconf, prefix: str) -> frozenset[str]:
    """The paths of named views, once per URL configuration (not five reverses a request)."""
    return frozenset(reverse(name, urlconf=urlconf) for name in names)


# A staff session's idle clock is moved on at most once a minute: moving it writes the session,
# and a write on every request cost a database UPDATE per page (bench/pages.py). Inactivity
# ends the session between STAFF_SESSION_IDLE_SECONDS - 60 and STAFF_SESSION_IDLE_SECONDS
# after the last request.
STAFF_SESSION_TOUCH_SECONDS = 60
_TOUCHED_KEY = "fnv_idle_touched"


def _touch_staff_session(session) -> None:
    now = int(time.time())
    touched = session.get(_TOUCHED_KEY)
    if (
        isinstance(touched, int)
        and 0 <= now - touched < STAFF_SESSION_TOUCH_SECONDS
        and session.get("_session_expiry") == settings.STAFF_SESSION_IDLE_SECONDS
    ):
        return
    session[_TOUCHED_KEY] = now
    session.set_expiry(settings.STAFF_SESSION_IDLE_SECONDS)


class StaffTwoFactorMiddleware:
    """Every staff role must have TOTP and must have used it in this session.

    allauth offers TOTP; it does not enforce it. A staff user without an authenticator may set
    one up only in a session that opened their enrolment invitation (members/enrolment.py);
    without it every page says to use the invitation link or ask an admin, since a password
    alone must not attach a second factor. One whose session was opened without the second
    factor (for example a login made before TOTP existed for that account) is logged out and
    asked to log in again. Staff sessions also end after STAFF_SESSION_IDLE_SECONDS of
    inactivity.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.is_staff_role:
            response = self._enforce(request, user)
            if response is not None:
                return response
            _touch_staff_session(request.session)
        return self.get_response(request)

    def process_exception(self, request, exception):
        """A stored second factor that no configured key decrypts (MFA_ENCRYPTION_KEY changed
        without its fallback) outside the login form: a clear page and a log line, not a 500."""
        if not isinstance(exception, UnreadableSecret):
            return None
        report_unreadable_secret(request.user)
        return render(
            request, "members/mfa_unreadable.html", {"message": UNREADABLE_MESSAGE}, status=503
        )

    def _enforce(self, request, user):
        path = request.path_info
        if path.startswith(_TWO_FACTOR_EXEMPT_PREFIXES):
            return None
        has_totp = getattr(user, "has_totp", None)  # loaded with the user (members/backends.py)
        if has_totp is None:
            has_totp = Authenticator.objects.filter(
                user=user, type=Authenticator.Type.TOTP
            ).exists()
        if not has_totp:
            invitation_prefix = reverse("mfa_invitation", kwargs={"token": "-"})[:-2]
            if path.startswith(invitation_prefix) or path in _paths(_ENROLMENT_EXEMPT_NAMES):
                return None
            if not enrolment.granted(request, user):
                return enrolment.required_page(request)
            if path in _paths(_TWO_FACTOR_EXEMPT_NAMES):
                return None
            return redirect("mfa_activate_totp")
        if path in _paths(_TWO_FACTOR_EXEMPT_NAMES):
            return None
        records = get_authentication_records(request, user)
        if not any(record.get("method") == "mfa" for record in records):
            logout(request)
            return redirect(f"{reverse('account_login')}?next={request.get_full_path()}")
        return None


class NoStoreForPersonalPagesMiddleware:
    """Pages shown to a logged-in user may hold personal data: never cache them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, " + response.get("Cache-Control", "")
        return response


class AdminAuditMiddleware:
    """Audit-log the Django admin's pages of models with personal data.

    The admin names its views `<app>_<model>_<view>`; lists, detail pages, changes and
    deletions of the models in settings.FNV_AUDITED_ADMIN_MODELS are logged like the
    portal's own views.
    """

    _ACTIONS = {"changelist": "list", "change": "view", "delete": "delete", "history": "view"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if match is None or match.namespace != "admin" or response.status_code >= 400:
            return response
        for model in settings.FNV_AUDITED_ADMIN_MODELS:
            prefix = model.replace(".", "_") + "_"
            view = (match.url_name or "").removeprefix(prefix)
            if (match.url_name or "").startswith(prefix) and view in self._ACTIONS:
                from audit.models import AuditAction
                from audit.services import audit_log

                action = self._ACTIONS[view]
                if request.method == "POST" and view == "change":
                    action = AuditAction.CHANGE
                if request.method == "GET" and request.GET.get("q"):
                    action = AuditAction.SEARCH
                object_id = match.kwargs.get("object_id", "")
                subject = (
                    int(object_id)
                    if model == "members.member" and str(object_id).isdigit()
                    else None
                )
                audit_log(
                    request=request,
                    action=action,
                    object_type=model,
                    object_id=object_id,
                    subject_member_id=subject,
                    detail=f"beheer: {view}",
                )
                break
        return response
