"""The employer field of a form: a search box and radio buttons, never a <select> of every employer.

It works as the consultation-session form's employer search does. A search box
(`<name>_query`) asks `members:employer_search` through htmx as the person types, and the
answer is radio buttons named `<name>` (the keyboard moves through them with the arrow keys).
Without JavaScript, sending the form with a search and no choice shows the form again with the
matches as radio buttons and "Kies een werkgever uit de lijst.". Only confirmed, not merged
employers can be chosen; a made-up or stale id is a form error, never a lookup that fails.

`cleaned_data[name]` is the `Employer` (or None when the field is optional and left empty), so a
view and its service see what a `ModelChoiceField` gave them before. The field name must be
`employer`: the search view answers with radio buttons of that name.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from members.employers import QUERY_MAX_LENGTH, confirmed_employer, employer_search
from members.models import Employer

RESULTS_LIMIT = 8


class EmployerSearchWidget(forms.Widget):
    """Renders the search box, the chosen employer and the matches of a search without
    JavaScript. The field sets `chosen` and `results` while it cleans; the widget is this form's
    own copy (Django copies the fields for every form)."""

    template_name = "members/_employer_search.html"
    chosen: Employer | None = None
    results: tuple[Employer, ...] = ()

    def use_required_attribute(self, initial: Any) -> bool:
        # The search box is empty once an employer is chosen: the browser must not refuse that.
        return False

    def value_from_datadict(
        self, data: Mapping[str, Any], files: Mapping[str, Any], name: str
    ) -> dict[str, str]:
        get = getattr(data, "get", None)
        if get is None:
            return {"choice": "", "query": ""}
        choice, query = get(name), get(f"{name}_query")
        return {
            "choice": choice if isinstance(choice, str) else "",
            "query": query if isinstance(query, str) else "",
        }

    def value_omitted_from_data(
        self, data: Mapping[str, Any], files: Mapping[str, Any], name: str
    ) -> bool:
        return name not in data and f"{name}_query" not in data

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        value = value if isinstance(value, dict) else {"choice": "", "query": ""}
        choice = value.get("choice") or ""
        chosen = self.chosen
        if choice and (chosen is None or str(chosen.pk) != choice):
            # A form shown again after an error elsewhere, or an edit: the name of the choice.
            chosen = confirmed_employer(choice)
        widget_id = context["widget"]["attrs"].get("id") or f"id_{name}"
        context["widget"].update(
            {
                "id": widget_id,
                "query": value.get("query") or "",
                "chosen": chosen,
                "results": [e for e in self.results if chosen is None or e.pk != chosen.pk],
                "optional": not self.is_required,
                "query_max_length": QUERY_MAX_LENGTH,
            }
        )
        return context

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        # The project's template engine: the form renderer looks only in Django's own and the
        # apps' template folders, and the portal keeps its templates in templates/.
        context = self.get_context(name, value, attrs)
        return mark_safe(render_to_string(self.template_name, context))  # the template escapes


class EmployerSearchField(forms.Field):
    """A confirmed employer, chosen through a search. See the module's docstring."""

    widget = EmployerSearchWidget
    default_error_messages = {
        "required": _("Zoek de werkgever en kies hem uit de lijst."),
        "invalid_choice": _(
            "Deze werkgever staat niet (meer) in de lijst. Zoek de werkgever opnieuw en kies "
            "hem uit de lijst."
        ),
        "choose": _("Kies een werkgever uit de lijst."),
        "not_found": _("Geen werkgever gevonden. Zoek op een andere naam of op het KvK-nummer."),
        "query": _("Zoek met een naam of KvK-nummer van hoogstens %(max)s tekens."),
    }

    def __init__(self, *, help_text: Any = None, **kwargs: Any) -> None:
        if help_text is None:
            help_text = _("Zoek op naam, andere naam of KvK-nummer en kies de werkgever.")
        super().__init__(help_text=help_text, **kwargs)

    def prepare_value(self, value: Any) -> dict[str, str]:
        """The widget's value from initial data (an employer or its id) or from the POST."""
        if isinstance(value, dict):
            return value
        if isinstance(value, Employer):
            self.widget.chosen = value
            return {"choice": str(value.pk), "query": ""}
        if value in (None, ""):
            return {"choice": "", "query": ""}
        return {"choice": str(value), "query": ""}

    def to_python(self, value: Any) -> Employer | None:
        widget = self.widget
        assert isinstance(widget, EmployerSearchWidget)
        value = self.prepare_value(value)
        choice, query = value["choice"].strip(), value["query"]
        if choice:
            employer = confirmed_employer(choice)
            if employer is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice"
                )
            widget.chosen = employer
            return employer
        if "\x00" in query or len(query) > QUERY_MAX_LENGTH:
            raise forms.ValidationError(
                self.error_messages["query"], code="query", params={"max": QUERY_MAX_LENGTH}
            )
        if query.strip():
            # Without JavaScript: show the matches and let the person choose.
            widget.results = tuple(employer_search(query, limit=RESULTS_LIMIT, confirmed_only=True))
            code = "choose" if widget.results else "not_found"
            raise forms.ValidationError(self.error_messages[code], code=code)
        return None

    def has_changed(self, initial: Any, data: Any) -> bool:
        initial_choice = self.prepare_value(initial)["choice"]
        return self.prepare_value(data)["choice"] != initial_choice
