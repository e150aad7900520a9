from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core import bounds
from core.bounds import BoundedDateField
from loopbaan.models import AvailabilityKind, CareerQuestion, NoShow, Referral
from members.models import MEMBER_NUMBER_RE, normalise_postcode
from referrals.forms import consent_field


class ConfirmForm(forms.Form):
    question = forms.CharField(
        label=_("Je vraag in het kort (niet verplicht)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Alleen je twee consulenten lezen dit."),
    )


WEEKDAYS = [
    (0, _("maandag")),
    (1, _("dinsdag")),
    (2, _("woensdag")),
    (3, _("donderdag")),
    (4, _("vrijdag")),
    (5, _("zaterdag")),
    (6, _("zondag")),
]


class AvailabilityForm(forms.Form):
    place = forms.ChoiceField(label=_("Plek"))
    kind = forms.ChoiceField(label=_("Soort"), choices=AvailabilityKind.choices)
    weekday = forms.TypedChoiceField(
        label=_("Weekdag (elke week)"), choices=WEEKDAYS, coerce=int, required=False
    )
    date = BoundedDateField(
        bounds=bounds.AVAILABILITY,
        label=_("Datum (eenmalig)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    start_time = forms.TimeField(label=_("Van"), widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(label=_("Tot"), widget=forms.TimeInput(attrs={"type": "time"}))

    def __init__(self, *args, consultant, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(house.pk), house.name) for house in consultant.union_houses.all()]
        if consultant.serves_online:
            choices.append(("online", _("Online")))
        self.fields["place"].choices = choices


class BlockedDayForm(forms.Form):
    date = BoundedDateField(
        bounds=bounds.AVAILABILITY,
        label=_("Datum"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    reason = forms.CharField(label=_("Reden (niet verplicht)"), max_length=100, required=False)


class WeeklyMaxForm(forms.Form):
    weekly_max = forms.IntegerField(
        label=_("Maximaal aantal afspraken per week"), min_value=0, max_value=40
    )


class ReportForm(forms.Form):
    career_question = forms.ChoiceField(label=_("Loopbaanvraag"), choices=CareerQuestion.choices)
    referrals = forms.MultipleChoiceField(
        label=_("Doorverwezen naar"),
        choices=Referral.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    referral_consent = consent_field()
    no_show = forms.ChoiceField(
        label=_("Aanwezigheid"), choices=NoShow.choices, required=False, widget=forms.RadioSelect
    )
    notes = forms.CharField(
        label=_("Korte toelichting (niet verplicht)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class DeskSearchForm(forms.Form):
    """Find one member who phones: by number, or by two facts the member tells."""

    member_number = forms.CharField(
        label=_("Lidnummer"),
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    birth_date = BoundedDateField(
        bounds=bounds.BIRTH_DATE,
        label=_("Geboortedatum"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        required=False,
        max_length=10,
        help_text=_("Vier cijfers en twee letters, zoals 3511 AB."),
    )
    house_number = forms.CharField(label=_("Huisnummer"), required=False, max_length=20)

    def clean_member_number(self) -> str:
        value = "".join(self.cleaned_data.get("member_number", "").split())
        if value and not MEMBER_NUMBER_RE.match(value):
            raise forms.ValidationError(_("Een lidnummer bestaat uit 6 tot 10 cijfers."))
        return value

    def clean_postcode(self) -> str:
        return normalise_postcode(self.cleaned_data.get("postcode", "").strip())

    def clean(self):
        data = super().clean() or {}
        if self.errors:
            return data
        number = data.get("member_number")
        postcode = data.get("postcode")
        if not (
            number
            or (data.get("birth_date") and postcode)
            or (postcode and data.get("house_number", "").strip())
        ):
            raise forms.ValidationError(
                _(
                    "Vul het lidnummer in, of de geboortedatum en de postcode, "
                    "of de postcode en het huisnummer."
                )
            )
        return data


class DeskConfirmForm(forms.Form):
    question = forms.CharField(
        label=_("Vraag van het lid in het kort (niet verplicht)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Alleen de twee consulenten lezen dit."),
    )
