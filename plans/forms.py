"""Forms of the regioplannen: they validate and normalise, the services write."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import bounds
from core import forms as core_forms
from core.bounds import BoundedDateField
from plans.models import SECTION_HELP, Section
from plans.services import MAX_SECTION_LENGTH
from regions.models import Region


class PlanStartForm(forms.Form):
    region = core_forms.ModelChoiceField(queryset=Region.objects.none(), label=_("Regio"))
    year = forms.IntegerField(label=_("Jaar"), min_value=2023, max_value=2100)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = user.regions.order_by("name")
        self.fields["year"].initial = timezone.localdate().year + 1


class SectionForm(forms.Form):
    """One section's Markdown, with the fingerprint of the text the author started from."""

    text = forms.CharField(
        required=False,
        max_length=MAX_SECTION_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 18, "class": "plan-textarea"}),
    )
    seen = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, section: Section, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].label = section.label
        self.fields["text"].help_text = SECTION_HELP[section]


class CommentForm(forms.Form):
    section = forms.ChoiceField(choices=Section.choices, label=_("Onderdeel"))
    text = forms.CharField(
        label=_("Opmerking"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Notitie (alleen voor coördinatoren)"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DeadlineForm(forms.Form):
    deadline = BoundedDateField(
        bounds=bounds.PLAN_DEADLINE,
        label=_("Deadline"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
