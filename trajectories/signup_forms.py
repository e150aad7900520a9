"""The public sign-up form: little data, one explicit consent, clear Dutch messages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from members.models import MEMBER_NUMBER_RE, normalise_postcode
from trajectories.signup import CONSENT_TEXT

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class PublicSignupForm(forms.Form):
    first_name = forms.CharField(
        label=_("Voornaam"),
        max_length=80,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Achternaam"),
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    email = forms.EmailField(
        label=_("E-mailadres"),
        max_length=254,
        help_text=_("Hierheen sturen we de bevestiging."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Telefoonnummer (mag leeg blijven)"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        max_length=7,
        help_text=_("Zo weten we in welke regio een adviseur je helpt. Bijvoorbeeld 3511 AB."),
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )
    says_member = forms.BooleanField(label=_("Ik ben lid van de FNV"), required=False)
    member_number = forms.CharField(
        label=_("Lidnummer (als je het weet)"),
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    question = forms.CharField(
        label=_("Waar wil je hulp bij?"),
        max_length=1000,
        help_text=_(
            "Een paar zinnen zijn genoeg, bijvoorbeeld: ik ben ontslagen en zoek ander werk."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    consent = forms.BooleanField(
        label=CONSENT_TEXT,
        error_messages={
            "required": _("Zonder je toestemming kunnen we je aanmelding niet aannemen.")
        },
    )

    def clean_postcode(self) -> str:
        try:
            return normalise_postcode(self.cleaned_data["postcode"])
        except ValidationError:
            raise ValidationError(
                _("Vul een Nederlandse postcode in: vier cijfers en twee letters, zoals 3511 AB.")
            ) from None

    def clean_member_number(self) -> str:
        number = self.cleaned_data["member_number"].strip()
        if number and not MEMBER_NUMBER_RE.match(number):
            raise ValidationError(
                _("Een lidnummer bestaat uit 6 tot 10 cijfers. Laat het leeg als je het niet weet.")
            )
        return number

    def clean_first_name(self) -> str:
        return _plain(self.cleaned_data["first_name"], _("Vul je voornaam in."))

    def clean_last_name(self) -> str:
        return _plain(self.cleaned_data["last_name"], _("Vul je achternaam in."))

    def clean_question(self) -> str:
        return _plain(
            self.cleaned_data["question"], _("Schrijf kort waar je hulp bij wilt."), multiline=True
        )


def _plain(value: str, empty_message: StrOrPromise, *, multiline: bool = False) -> str:
    """Trimmed text without control characters (a NUL byte cannot be stored)."""
    allowed = {"\n", "\r", "\t"} if multiline else set()
    if any((ord(ch) < 32 and ch not in allowed) or ord(ch) == 127 for ch in value):
        raise ValidationError(_("Gebruik alleen gewone tekens."))
    value = value.strip()
    if not value:
        raise ValidationError(empty_message)
    return value
