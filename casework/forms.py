"""Forms of collective cases opened from signals."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core import forms as core_forms
from trajectories.models import CollectiveCase, CollectiveCaseKind


class OpenCaseForm(forms.Form):
    name = forms.CharField(label=_("Naam van de zaak"), max_length=200)
    kind = forms.ChoiceField(label=_("Soort"), choices=CollectiveCaseKind.choices)
    description = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class LinkCaseForm(forms.Form):
    case: forms.ModelChoiceField = core_forms.ModelChoiceField(
        label=_("Lopende zaak"), queryset=CollectiveCase.objects.none(), empty_label=None
    )

    def __init__(self, *args, cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = cases


class InviteForm(forms.Form):
    expected = forms.IntegerField(min_value=0, max_value=100_000, widget=forms.HiddenInput)


class OutcomeForm(forms.Form):
    outcome = forms.CharField(
        label=_("Uitkomst"),
        max_length=5000,
        help_text=_(
            "Wat heeft de zaak opgeleverd? Dit komt ook bij de signalen van de zaak te staan."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
