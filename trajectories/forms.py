"""Forms of the trajectories app: validate and normalise, no side effects."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import bounds
from core import forms as core_forms
from core.bounds import BoundedDateField
from core.roles import Role
from members.employer_fields import EmployerSearchField
from members.models import Member, Sector, User
from regions.models import Region
from trajectories.models import (
    CollectiveCase,
    CollectiveCaseKind,
    ConsentSource,
    ContractKind,
    GoalStatus,
    OutcomeKind,
    TrajectoryKind,
    TrajectoryReason,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DirectIntakeForm(forms.Form):
    """A direct request: a member by member number, or a non-member with their consent."""

    region = core_forms.ModelChoiceField(label=_("Regio"), queryset=Region.objects.none())
    member_number = forms.CharField(
        label=_("Lidnummer"),
        required=False,
        help_text=_("Voor een lid. Laat leeg voor iemand die geen lid is."),
    )
    first_name = forms.CharField(label=_("Voornaam"), required=False, max_length=80)
    last_name = forms.CharField(label=_("Achternaam"), required=False, max_length=120)
    email = forms.EmailField(label=_("E-mailadres"), required=False)
    phone = forms.CharField(label=_("Telefoon"), required=False, max_length=30)
    external_reference = forms.CharField(
        label=_("Registratienummer mobiliteitsteam"), required=False, max_length=40
    )
    consent = forms.BooleanField(
        label=_("De deelnemer geeft toestemming om deze gegevens vast te leggen"),
        required=False,
    )
    consent_source = forms.ChoiceField(
        label=_("Toestemming gegeven"), choices=[("", "—"), *ConsentSource.choices], required=False
    )
    collective_case = core_forms.ModelChoiceField(
        label=_("Collectieve zaak"), queryset=CollectiveCase.objects.none(), required=False
    )
    note = forms.CharField(
        label=_("Toelichting"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["region"].queryset = user.regions.all()
        self.fields["collective_case"].queryset = CollectiveCase.objects.visible_to(user)
        self.member: Member | None = None

    def clean(self):
        data = super().clean()
        number = (data.get("member_number") or "").strip()
        if number:
            self.member = Member.objects.lookup_by_number(self.user, number)
            if self.member is None:
                self.add_error("member_number", _("Er is geen lid met dit lidnummer."))
            return data
        if not data.get("first_name") or not data.get("last_name"):
            raise forms.ValidationError(
                _("Vul een lidnummer in, of de voor- en achternaam van iemand die geen lid is.")
            )
        if not data.get("consent"):
            self.add_error(
                "consent", _("Zonder toestemming leggen we geen gegevens van een niet-lid vast.")
            )
        if not data.get("consent_source"):
            self.add_error("consent_source", _("Geef aan hoe de toestemming is gegeven."))
        return data


class TakeIntakeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Soort traject"), choices=TrajectoryKind.choices)
    reason = forms.ChoiceField(label=_("Aanleiding"), choices=TrajectoryReason.choices)
    agreed_end_on = BoundedDateField(
        bounds=bounds.TRAJECTORY_END,
        label=_("Afgesproken einde begeleiding"),
        required=False,
        widget=DateInput(),
    )
    collective_case = core_forms.ModelChoiceField(
        label=_("Collectieve zaak"), queryset=CollectiveCase.objects.none(), required=False
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["collective_case"].queryset = CollectiveCase.objects.visible_to(user)


class GoalForm(forms.Form):
    description = forms.CharField(label=_("Wat"), max_length=300)
    due_on = BoundedDateField(
        bounds=bounds.GOAL, label=_("Uiterlijk op"), required=False, widget=DateInput()
    )


class GoalUpdateForm(forms.Form):
    """Change a goal's status, text or date; fields left out stay as they are."""

    status = forms.ChoiceField(label=_("Status"), choices=GoalStatus.choices, required=False)
    description = forms.CharField(label=_("Wat"), max_length=300, required=False)
    due_on = BoundedDateField(
        bounds=bounds.GOAL, label=_("Uiterlijk op"), required=False, widget=DateInput()
    )


class AgreePlanForm(forms.Form):
    agreed_end_on = BoundedDateField(
        bounds=bounds.TRAJECTORY_END, label=_("Begeleiding tot"), widget=DateInput()
    )
    review_interval_weeks = forms.IntegerField(
        label=_("Evaluatie elke (weken)"), min_value=1, max_value=26, initial=4
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Voortgangsnotitie"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Alleen voor adviseurs; de deelnemer ziet dit niet."),
    )


class SummaryForm(forms.Form):
    text = forms.CharField(
        label=_("Samenvatting voor de deelnemer"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("De deelnemer ziet deze tekst op de eigen trajectpagina."),
    )


class EndForm(forms.Form):
    ending = forms.ChoiceField(
        label=_("Hoe eindigt het traject?"),
        choices=[("completed", _("Afgerond")), ("stopped", _("Gestopt"))],
        widget=forms.RadioSelect,
    )
    stop_reason = forms.CharField(label=_("Reden van stoppen"), required=False, max_length=300)
    kind = forms.ChoiceField(label=_("Uitkomst"), choices=OutcomeKind.choices)
    # A search, never a <select>: the union knows tens of thousands of employers.
    employer = EmployerSearchField(label=_("Nieuwe werkgever"), required=False)
    sector = core_forms.ModelChoiceField(
        label=_("Sector"), queryset=Sector.objects.all(), required=False
    )
    contract_kind = forms.ChoiceField(
        label=_("Soort contract"), choices=[("", "—"), *ContractKind.choices], required=False
    )
    under_cao = forms.TypedChoiceField(
        label=_("Valt onder een cao"),
        choices=[("", "—"), ("yes", _("ja")), ("no", _("nee"))],
        coerce=lambda value: {"yes": True, "no": False}.get(value),
        empty_value=None,
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("ending") == "stopped" and not (data.get("stop_reason") or "").strip():
            self.add_error("stop_reason", _("Geef een reden op waarom het traject stopt."))
        return data


class ReassignForm(forms.Form):
    adviser = core_forms.ModelChoiceField(
        label=_("Nieuwe trajectadviseur"), queryset=User.objects.none()
    )
    reason = forms.CharField(label=_("Reden"), required=False, max_length=200)

    def __init__(self, *args, trajectory, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["adviser"].queryset = (
            User.objects.filter(role=Role.ADVISER, is_active=True, regions=trajectory.region_id)
            .exclude(pk=trajectory.adviser_id)
            .order_by("full_name")
        )


class CollectiveCaseForm(forms.Form):
    name = forms.CharField(label=_("Naam"), max_length=200)
    kind = forms.ChoiceField(label=_("Soort"), choices=CollectiveCaseKind.choices)
    # A search, never a <select>: the union knows tens of thousands of employers.
    employer = EmployerSearchField(label=_("Werkgever"))
    region = core_forms.ModelChoiceField(label=_("Regio"), queryset=Region.objects.none())
    announced_on = BoundedDateField(
        bounds=bounds.ANNOUNCED,
        label=_("Bekend sinds"),
        widget=DateInput(),
        initial=timezone.localdate,
    )
    description = forms.CharField(
        label=_("Toelichting"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = user.regions.all()
