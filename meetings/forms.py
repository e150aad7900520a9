"""Forms: planning a meeting, and a guest's registration (name, e-mail, consent)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core import bounds
from core.roles import Role
from meetings.models import EMPLOYER_THEMES, Meeting
from members.employer_fields import EmployerSearchField
from members.models import User
from regions.models import Region, UnionHouse

# A meeting is planned for the coming time; a year back leaves room to correct a past one.
MEETING_DATES = bounds.DateRange(bounds.years_from_today(-1), bounds.years_from_today(2))

MAX_CAPACITY = 1000
StrOrPromise = str | Promise
_DATETIME = {"type": "datetime-local"}


def _datetime_field(label: StrOrPromise) -> bounds.BoundedDateTimeField:
    return bounds.BoundedDateTimeField(
        bounds=MEETING_DATES,
        label=label,
        widget=forms.DateTimeInput(attrs=_DATETIME, format="%Y-%m-%dT%H:%M"),
    )


class MeetingForm(forms.ModelForm):
    starts_at = _datetime_field(_("Begint om"))
    ends_at = _datetime_field(_("Eindigt om"))
    # A search, never a <select>: the union knows tens of thousands of employers.
    employer = EmployerSearchField(
        label=_("Werkgever"),
        required=False,
        help_text=_("Alleen bij een cao-bijeenkomst of een reorganisatie."),
    )

    class Meta:
        model = Meeting
        fields = [
            "title",
            "theme",
            "description",
            "region",
            "union_house",
            "online_url",
            "employer",
            "starts_at",
            "ends_at",
            "capacity",
            "is_published",
        ]
        help_texts = {
            "union_house": _("Kies een vakbondshuis, of laat leeg en vul een online link in."),
            "is_published": _("Pas gepubliceerd staat de bijeenkomst op de openbare lijst."),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        regions = Region.objects.all()
        if user.role != Role.ADMIN:
            regions = regions.filter(pk__in=user.regions.all())
        self.fields["region"].queryset = regions  # type: ignore[attr-defined]  # a ModelChoiceField
        self.fields["union_house"].queryset = UnionHouse.objects.active().filter(  # type: ignore[attr-defined]  # a ModelChoiceField
            region__in=regions
        )
        self.fields["capacity"].widget.attrs.update({"min": 1, "max": MAX_CAPACITY})
        self.fields["capacity"].validators += [
            MinValueValidator(1),
            MaxValueValidator(MAX_CAPACITY),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        house, link = data.get("union_house"), data.get("online_url")
        if house and link:
            self.add_error(
                "online_url", _("Kies een vakbondshuis of een online link, niet allebei.")
            )
        elif not house and not link and "online_url" not in self.errors:
            self.add_error(
                "union_house", _("Kies een vakbondshuis, of vul een link voor online deelname in.")
            )
        region = data.get("region")
        if house and region and house.region_id != region.pk:
            self.add_error("union_house", _("Dit vakbondshuis ligt niet in de gekozen regio."))
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("Het einde moet na het begin liggen."))
        if data.get("employer") and data.get("theme") not in EMPLOYER_THEMES:
            self.add_error(
                "employer",
                _("Een werkgever hoort alleen bij een cao-bijeenkomst of een reorganisatie."),
            )
        return data


class GuestRegistrationForm(forms.Form):
    name = forms.CharField(label=_("Naam"), max_length=150)
    email = forms.EmailField(label=_("E-mailadres"), max_length=254)
    consent = forms.BooleanField(
        label=_(
            "Ik geef FNV toestemming mijn naam en e-mailadres te gebruiken voor deze ene "
            "bijeenkomst: voor de bevestiging, een herinnering en eventuele wijzigingen. Na de "
            "bijeenkomst worden ze gewist."
        ),
        error_messages={
            "required": _(
                "Zet een vinkje om toestemming te geven; zonder toestemming kunnen we je niet "
                "aanmelden."
            )
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["name"].error_messages["required"] = _("Vul je naam in.")
        self.fields["email"].error_messages["required"] = _("Vul je e-mailadres in.")

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Vul je naam in."))
        return name
