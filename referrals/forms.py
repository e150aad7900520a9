"""The forms of the referrals pages, and the consent field the referring forms add."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from referrals.models import TEXT_MAX


def consent_field() -> forms.BooleanField:
    """The question a referring form (a session, a career report) asks beside the referrals."""
    return forms.BooleanField(
        label=_("Het lid geeft toestemming om naam en samenvatting door te geven"),
        help_text=_(
            "Zonder toestemming ziet de ontvanger alleen het onderwerp, de werkgever en de regio."
        ),
        required=False,
    )


class OutcomeForm(forms.Form):
    outcome = forms.CharField(
        label=_("Uitkomst"),
        help_text=_("De consulent die doorverwees leest dit. Zet er geen gevoelige details in."),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Schrijf kort op wat de uitkomst is.")},
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden van afwijzen"),
        help_text=_("De consulent die doorverwees leest dit."),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Schrijf op waarom je de doorverwijzing afwijst.")},
    )
