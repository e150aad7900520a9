"""The public postcode search."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from regions.hours import normalise_postcode


class PostcodeForm(forms.Form):
    postcode = forms.CharField(
        label=_("Jouw postcode"),
        help_text=_("Bijvoorbeeld 3511 AB of 3511."),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "size": 8}),
    )

    def clean_postcode(self) -> str:
        value: str = self.cleaned_data["postcode"]
        if value:
            normalise_postcode(value)  # raises the Dutch message for "abc" or "35"
        return value
