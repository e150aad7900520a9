"""Forms validate and normalise; writes happen in signals/services.py."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import bounds
from core import forms as core_forms
from core.bounds import BoundedDateTimeField
from members.models import Employer, Member, Sector, kvk_validator
from referrals.forms import consent_field
from regions.models import Region, UnionHouse
from signals.models import Place, Referral, SessionKind, SignalAction, SignalStatus, Theme
from signals.selectors import employer_search

NEW_EMPLOYER = "new"
EMPLOYER_QUERY_MAX_LENGTH = 200


def _employer_matches(signals, text: str):
    """The signals whose employer's name or one of whose other names holds `text` (any case),
    or whose KvK number it is. LIKE's wildcards in the text are matched as themselves; a
    filter text holds no line break (its spaces are normalised), so it never matches across two
    other names (`EmployerQuerySet.other_name_contains`). Each part can be read through an
    index: the name's trigrams (GIN, when the text is rare enough for the planner to use it),
    the partial index of the employers with other names, the KvK number's. On the page
    benchmark's 50,000 alike names ("Benchwerkgever 4711 B.V.") the planner reads every name:
    a filtered list takes 25-30 ms longer than the unfiltered one there."""
    by_name = Employer.objects.filter(name__icontains=text)
    by_alias = Employer.objects.other_name_contains(text)
    by_kvk = Employer.objects.filter(kvk_number=text)
    return signals.filter(
        Q(employer__in=by_name.values("pk"))
        | Q(employer__in=by_alias.values("pk"))
        | Q(employer__in=by_kvk.values("pk"))
    )


class SessionForm(forms.Form):
    at = BoundedDateTimeField(
        bounds=bounds.SESSION,
        label=_("Datum en tijd"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    place = forms.ChoiceField(
        label=_("Plaats"),
        choices=Place.choices,
        widget=forms.RadioSelect,
        initial=Place.UNION_HOUSE,
    )
    union_house = core_forms.ModelChoiceField(
        label=_("Vakbondshuis"),
        queryset=UnionHouse.objects.none(),
        required=False,
        empty_label=_("(geen: online of telefoon)"),
    )
    kind = forms.ChoiceField(
        label=_("Soort"),
        choices=SessionKind.choices,
        widget=forms.RadioSelect,
        initial=SessionKind.WORK_INCOME,
    )
    member_number = forms.CharField(
        label=_("Lidnummer"),
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    not_a_member = forms.BooleanField(label=_("Geen lid"), required=False)
    employer_query = forms.CharField(
        label=_("Werkgever zoeken"),
        required=False,
        help_text=_("Naam, andere naam of KvK-nummer. Kies daarna een werkgever uit de lijst."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    employer = forms.CharField(required=False, widget=forms.HiddenInput)
    new_employer_name = forms.CharField(
        label=_("Naam nieuwe werkgever"), required=False, max_length=200
    )
    new_employer_kvk = forms.CharField(
        label=_("KvK-nummer (als bekend)"),
        required=False,
        max_length=8,
        validators=[kvk_validator],
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    sector = core_forms.ModelChoiceField(
        label=_("Sector"),
        queryset=Sector.objects.all(),
        required=False,
        empty_label=_("(sector van de werkgever)"),
        help_text=_("Leeg laten: de sector van de werkgever."),
    )
    themes = core_forms.ModelMultipleChoiceField(
        label=_("Thema's"),
        queryset=Theme.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
    )
    summary = forms.CharField(
        label=_("Korte samenvatting (vertrouwelijk)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    referrals = forms.MultipleChoiceField(
        label=_("Doorverwezen naar"),
        choices=Referral.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    referral_consent = consent_field()
    consent_to_share = forms.BooleanField(
        label=_(
            "Het lid geeft toestemming om naam en samenvatting te delen met de sectorbestuurder van de sector van dit gesprek (die van de werkgever, anders die van het lid), en met niemand anders"
        ),
        required=False,
    )
    consent_to_contact = forms.BooleanField(
        label=_(
            "Het lid wil door de sectorbestuurder van die sector benaderd worden als de FNV over dit probleem collectieve actie onderneemt"
        ),
        required=False,
    )
    follow_up_needed = forms.BooleanField(label=_("Opvolging nodig"), required=False)

    def __init__(self, *args, consultant, **kwargs):
        super().__init__(*args, **kwargs)
        self.consultant = consultant
        houses = consultant.union_houses.filter(is_active=True)
        self.fields["union_house"].queryset = houses
        first = houses.first()
        if not self.is_bound:
            self.initial.setdefault("at", timezone.localtime().replace(second=0, microsecond=0))
            if first:
                self.initial.setdefault("union_house", first.pk)
            elif consultant.serves_online:
                self.initial.setdefault("place", Place.ONLINE)
        self.member: Member | None = None
        self.employer_obj: Employer | None = None
        self.employer_results: list[Employer] = []

    def clean_member_number(self) -> str:
        return self.cleaned_data["member_number"].strip()

    def clean(self):
        data = super().clean()
        if data.get("place") == Place.UNION_HOUSE and not data.get("union_house"):
            self.add_error("union_house", _("Kies het vakbondshuis."))
        number = data.get("member_number")
        if data.get("not_a_member"):
            data["member_number"] = ""
        elif number:
            self.member = Member.objects.lookup_by_number(self.consultant, number)
            if self.member is None:
                self.add_error("member_number", _("Geen lid gevonden met dit lidnummer."))
        else:
            self.add_error("member_number", _("Vul het lidnummer in, of kies 'Geen lid'."))
        choice = data.get("employer") or ""
        if choice == NEW_EMPLOYER:
            if not data.get("new_employer_name", "").strip():
                self.add_error("new_employer_name", _("Vul de naam van de nieuwe werkgever in."))
        elif choice:
            try:
                self.employer_obj = Employer.objects.get(pk=int(choice))
            except (ValueError, Employer.DoesNotExist):
                self.add_error("employer_query", _("Kies een werkgever uit de lijst."))
        elif data.get("employer_query"):
            # Without JavaScript: show the matches and let the consultant choose.
            self.employer_results = employer_search(data["employer_query"])
            self.add_error("employer_query", _("Kies een werkgever uit de lijst."))
        return data


class ActForm(forms.Form):
    step = forms.ChoiceField(
        choices=[
            ("acknowledge", "acknowledge"),
            ("start", "start"),
            ("close", "close"),
            ("dismiss", "dismiss"),
        ],
        widget=forms.HiddenInput,
    )
    action = forms.ChoiceField(
        label=_("Welke actie?"), choices=SignalAction.choices, required=False
    )
    text = forms.CharField(
        label=_("Uitkomst of reden"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        data = super().clean()
        if data.get("step") == "start" and not data.get("action"):
            raise ValidationError(_("Kies welke actie is ondernomen."))
        if data.get("step") in {"close", "dismiss"} and not data.get("text", "").strip():
            raise ValidationError(_("Beschrijf de uitkomst of de reden."))
        return data


class MergeForm(forms.Form):
    target = core_forms.ModelChoiceField(
        label=_("Samenvoegen met"),
        queryset=Employer.objects.confirmed(),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        help_text=_("Het nummer van de bevestigde werkgever (zie de zoekresultaten)."),
    )


class PreferenceForm(forms.Form):
    daily_digest = forms.BooleanField(
        label=_("Eén dagelijkse samenvatting in plaats van losse e-mails"), required=False
    )


class SignalFilterForm(forms.Form):
    """The signal list's filters, read from GET. The choices are only what the person's own
    signals hold, so a foreign or made-up value is refused with a message, never looked up; the
    employer is a text that narrows the person's own signals, so it reaches nothing else."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Alle statussen")), ("active", _("Lopend (open, gezien, in behandeling)"))]
        + list(SignalStatus.choices),
        error_messages={"invalid_choice": _("Kies een status uit de lijst.")},
    )
    sector = core_forms.ModelChoiceField(
        label=_("Sector"),
        required=False,
        queryset=Sector.objects.none(),
        empty_label=_("Alle sectoren"),
        label_field="name",  # each model's str() is its name
        error_messages={"invalid_choice": _("Kies een sector uit de lijst.")},
    )
    region = core_forms.ModelChoiceField(
        label=_("Regio"),
        required=False,
        queryset=Region.objects.none(),
        empty_label=_("Alle regio's"),
        label_field="name",  # each model's str() is its name
        error_messages={"invalid_choice": _("Kies een regio uit de lijst.")},
    )
    # A text, not a <select>: a sector official's signals name hundreds of employers, an
    # admin's thousands, and every one was an <option> on every request (bench/pages.py).
    employer = forms.CharField(
        label=_("Werkgever"),
        required=False,
        max_length=EMPLOYER_QUERY_MAX_LENGTH,
        help_text=_("Een deel van de naam of een andere naam, of het KvK-nummer."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        error_messages={
            "max_length": _(
                "Zoek een werkgever met een naam of KvK-nummer van hoogstens %(limit_value)d "
                "tekens."
            )
        },
    )
    theme = core_forms.ModelChoiceField(
        label=_("Thema"),
        required=False,
        queryset=Theme.objects.none(),
        empty_label=_("Alle thema's"),
        label_field="name",  # each model's str() is its name
        error_messages={"invalid_choice": _("Kies een thema uit de lijst.")},
    )

    FIELDS = ("status", "sector", "region", "employer", "theme")

    def __init__(self, params, *, signals) -> None:
        # Hand-read values are bounded first: a choice longer than 12 characters or with a NUL
        # byte becomes "?", which every choice refuses with its message; an employer text with
        # a NUL byte is refused in clean_employer, one too long by the field's max_length.
        data = {}
        for name in ("status", "sector", "region", "theme"):
            value = bounds.text_param(params, name, max_length=13)
            data[name] = "?" if params.get(name) and (not value or len(value) > 12) else value
        employer = params.get("employer", "")
        self.employer_refused = not isinstance(employer, str) or "\x00" in employer
        data["employer"] = (
            "" if self.employer_refused else employer[: EMPLOYER_QUERY_MAX_LENGTH + 1]
        )
        super().__init__(data)
        for name, model in (("sector", Sector), ("region", Region), ("theme", Theme)):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = model.objects.filter(pk__in=signals.values(name)).order_by("name")

    def clean_employer(self) -> str:
        if self.employer_refused:
            raise ValidationError(
                _("Zoek een werkgever met letters en cijfers, zonder bijzondere tekens."),
                code="invalid",
            )
        return " ".join(self.cleaned_data["employer"].split())

    def apply(self, signals):
        """The signals that pass every valid filter; a refused value filters nothing."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        status = data.get("status")
        if status == "active":
            signals = signals.active()
        elif status:
            signals = signals.filter(status=status)
        for name in ("sector", "region", "theme"):
            if data.get(name) is not None:
                signals = signals.filter(**{name: data[name]})
        if data.get("employer"):
            signals = _employer_matches(signals, data["employer"])
        return signals

    def query(self) -> str:
        """The valid filters as a query string, for the pagination links."""
        data = getattr(self, "cleaned_data", {})
        pairs = []
        for name in self.FIELDS:
            value = data.get(name)
            if value:
                pairs.append((name, value if isinstance(value, str) else value.pk))
        return urlencode(pairs)
