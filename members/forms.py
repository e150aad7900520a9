"""Forms of the members app: they validate and normalise, nothing more."""

from __future__ import annotations

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core import bounds
from core.bounds import BoundedDateField
from members.models import ImportMode, normalise_postcode


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Bestand"),
        help_text=_("CSV (puntkomma, komma of tab; UTF-8 of Windows-1252) of Excel (.xlsx)."),
    )
    mode = forms.ChoiceField(
        label=_("Manier"),
        choices=ImportMode.choices,
        initial=ImportMode.STRICT,
        widget=forms.RadioSelect,
        help_text=_(
            "Alles of niets: één afgewezen rij en er wordt niets verwerkt. "
            "Volledige stand: leden die niet in het bestand staan worden beëindigd (nooit verwijderd); "
            "de voorvertoning toont hoeveel."
        ),
    )


class ActivationForm(forms.Form):
    member_number = forms.CharField(label=_("Lidnummer"), max_length=12)
    postcode = forms.CharField(
        label=_("Postcode"), max_length=8, help_text=_("Bijvoorbeeld 1234 AB.")
    )
    birth_date = BoundedDateField(
        bounds=bounds.BIRTH_DATE,
        label=_("Geboortedatum"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
    )

    def clean_member_number(self) -> str:
        return self.cleaned_data["member_number"].strip()

    def clean_postcode(self) -> str:
        return normalise_postcode(self.cleaned_data["postcode"])


class SetPasswordForm(forms.Form):
    password1 = forms.CharField(
        label=_("Wachtwoord"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Wachtwoord (nog een keer)"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") != data.get("password2"):
            raise ValidationError(_("De twee wachtwoorden zijn niet gelijk."))
        if data.get("password1"):
            validate_password(data["password1"])
        return data


class CorrectionForm(forms.Form):
    text = forms.CharField(
        label=_("Wat klopt er niet, en wat moet het zijn?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
    )


class EraseConfirmForm(forms.Form):
    """Erasure cannot be undone: the admin types the member number to confirm."""

    confirm_number = forms.CharField(
        label=_("Typ het lidnummer ter bevestiging"),
        max_length=10,
        strip=True,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member

    def clean_confirm_number(self) -> str:
        value = self.cleaned_data["confirm_number"]
        if value != self.member.member_number:
            raise forms.ValidationError(
                _("Dit is niet het lidnummer van dit lid; er is niets gewist.")
            )
        return value
