"""The public sign-up for a career trajectory: anonymous visitors and members.

The answer page is the same whoever signs up: it never says whether the visitor is already a
member, already waiting or already in a trajectory.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from core.roles import Role
from trajectories import signup
from trajectories.signup_forms import PublicSignupForm


def _anonymous_or_member(request: HttpRequest) -> None:
    """Staff accounts are work accounts: they sign a person up through the intake queue."""
    user = request.user
    if user.is_authenticated and getattr(user, "role", None) != Role.MEMBER:
        raise Http404


@never_cache
def public_signup(request: HttpRequest) -> HttpResponse:
    _anonymous_or_member(request)
    member_user = request.user if request.user.is_authenticated else None
    initial = {}
    if member_user is not None:
        member = getattr(member_user, "member", None)
        initial = {
            "first_name": getattr(member, "first_name", "") if member else "",
            "last_name": getattr(member, "last_name", "") if member else "",
            "email": member_user.email,
            "postcode": getattr(member, "postcode", "") if member else "",
            "says_member": True,
            "member_number": getattr(member, "member_number", "") if member else "",
        }
    form = PublicSignupForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if signup.rate_limited(address=request.META.get("REMOTE_ADDR", ""), email=data["email"]):
            form.add_error(
                None,
                _(
                    "Er zijn vanaf dit adres of met dit e-mailadres al veel aanmeldingen gedaan. "
                    "Probeer het later opnieuw, of bel je vakbondshuis."
                ),
            )
        else:
            try:
                signup.public_signup_create(
                    data=signup.SignupData(
                        first_name=data["first_name"],
                        last_name=data["last_name"],
                        email=data["email"],
                        phone=data["phone"].strip(),
                        postcode=data["postcode"],
                        says_member=data["says_member"],
                        member_number=data["member_number"],
                        question=data["question"],
                    ),
                    member_user=member_user,
                )
            except ValidationError as error:
                form.add_error(None, error)  # a dict of field errors lands on its fields
            else:
                return redirect("trajectories:public_signup_done")
    return render(request, "trajectories/public_signup.html", {"form": form})


def public_signup_done(request: HttpRequest) -> HttpResponse:
    _anonymous_or_member(request)
    return render(
        request, "trajectories/public_signup_done.html", {"retention_days": signup.retention_days()}
    )
