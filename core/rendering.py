"""The form renderer: Django's own widget and label markup, without a template per widget.

Django renders every widget, every choice of a radio list or select, and every label through a
template of its own (`django/forms/widgets/*.html`, `django/forms/label.html`), each an include
of `input.html` and `attrs.html`. On the session form that was 42 template renders a request,
about 40 % of the page's time (bench/pages.py, issue 16). Django's Jinja2 form renderer was
measured too: 1.5–2 times faster, against 5–10 times here; no library renders Django's widgets
without templates.

`FormRenderer` writes exactly the markup those templates write, in Python, for Django's own
templates of the plain widgets (inputs, checkbox, textarea, select and its options, radio and
checkbox lists and their options) and the label. Everything else, and any of those names that
a project or app template overrides, goes to the template engine as before.
`tests/core/test_rendering.py` renders every built-in widget with both renderers over generated
attributes, values and choices and demands the same characters.

The functions mirror the templates' semantics: `{{ x }}` is `render_value_in_context` (local
time, localisation, escaping unless already safe), `{{ x|stringformat:'s' }}` is `str(x)`,
escaped unless `x` is safe; an included template keeps its trailing newline and only the
outermost render is stripped (`BaseRenderer.render`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import django.forms
from django.forms.renderers import DjangoTemplates
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData

_DJANGO_FORMS = str(Path(django.forms.__file__).resolve().parent / "templates")
_W = "django/forms/widgets/"


def _value(value: Any) -> str:
    """`{{ value }}` with autoescaping (django.template.base.render_value_in_context)."""
    if isinstance(value, str):
        return conditional_escape(value)
    value = localize(timezone.template_localtime(value))  # type: ignore[attr-defined]
    if not issubclass(type(value), str):
        value = str(value)
    return conditional_escape(value)


def _string(value: Any) -> str:
    """`{{ value|stringformat:'s' }}`: the filter keeps a safe value safe."""
    if isinstance(value, SafeData):
        return str(value)
    return escape(str(value))


def _attrs(attrs: Mapping[str, Any]) -> str:
    """widgets/attrs.html and forms/attrs.html."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {_value(name)}")
        else:
            parts.append(f' {_value(name)}="{_string(value)}"')
    return "".join(parts)


class FormRenderer(DjangoTemplates):
    """Django's default renderer, with the plain widgets and the label written in Python."""

    def __init__(self) -> None:
        super().__init__()
        self._own: dict[str, bool] = {}
        input_names = [
            "input",
            "checkbox",
            "color",
            "date",
            "datetime",
            "email",
            "file",
            "hidden",
            "number",
            "password",
            "search",
            "tel",
            "text",
            "time",
            "url",
        ]
        self._fast: dict[str, Callable[[Mapping[str, Any]], str]] = {
            **{f"{_W}{name}.html": self._input for name in input_names},
            f"{_W}textarea.html": self._textarea,
            f"{_W}select.html": self._select,
            f"{_W}select_option.html": self._select_option,
            f"{_W}input_option.html": self._input_option,
            f"{_W}radio_option.html": self._choice_option,
            f"{_W}checkbox_option.html": self._choice_option,
            f"{_W}multiple_input.html": self._multiple_input,
            f"{_W}radio.html": self._multiple_input,
            f"{_W}checkbox_select.html": self._multiple_input,
            "django/forms/label.html": self._label,
        }

    # --- dispatch --------------------------------------------------------------------------
    def _is_django_own(self, template_name: str) -> bool:
        """True when the engine would load Django's own file for this name (an app or the
        project may override a widget's template: then the template is used)."""
        own = self._own.get(template_name)
        if own is None:
            origin = self.get_template(template_name).origin.name
            own = str(Path(origin).resolve()).startswith(_DJANGO_FORMS)
            self._own[template_name] = own
        return own

    def _fast_for(self, template_name: str) -> Callable[[Mapping[str, Any]], str] | None:
        fast = self._fast.get(template_name)
        if fast is not None and self._is_django_own(template_name):
            return fast
        return None

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        fast = self._fast_for(template_name)
        if fast is None:
            return str(super().render(template_name, context, request=request))
        return fast(context).strip()

    def _include(self, template_name: str, widget: Mapping[str, Any]) -> str:
        """`{% include template_name with widget=… %}`: not stripped."""
        fast = self._fast_for(template_name)
        if fast is not None:
            return fast({"widget": widget})
        return str(self.get_template(template_name).render({"widget": widget}))

    # --- the templates ---------------------------------------------------------------------
    @staticmethod
    def _input_tag(widget: Mapping[str, Any]) -> str:
        value = widget["value"]
        shown = f' value="{_string(value)}"' if value is not None else ""
        return (
            f'<input type="{_value(widget["type"])}" name="{_value(widget["name"])}"'
            f"{shown}{_attrs(widget['attrs'])}>\n"
        )

    def _input(self, context: Mapping[str, Any]) -> str:
        """input.html, and the widgets that are only an include of it (one more newline)."""
        return self._input_tag(context["widget"]) + "\n"

    def _textarea(self, context: Mapping[str, Any]) -> str:
        widget = context["widget"]
        value = widget["value"]
        return (
            f'<textarea name="{_value(widget["name"])}"{_attrs(widget["attrs"])}>\n'
            f"{_value(value) if value else ''}</textarea>\n"
        )

    def _select_option(self, context: Mapping[str, Any]) -> str:
        widget = context["widget"]
        return (
            f'<option value="{_string(widget["value"])}"{_attrs(widget["attrs"])}>'
            f"{_value(widget['label'])}</option>\n"
        )

    def _select(self, context: Mapping[str, Any]) -> str:
        widget = context["widget"]
        parts = [f'<select name="{_value(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{_value(group_name)}">')
            for option in group_choices:
                parts.append("\n  " + self._include(option["template_name"], option))
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>\n")
        return "".join(parts)

    def _input_option(self, context: Mapping[str, Any]) -> str:
        widget = context["widget"]
        if not widget.get("wrap_label"):
            return self._input_tag(widget) + "\n"
        label_id = widget["attrs"].get("id")
        label_for = f' for="{_value(label_id)}"' if label_id else ""
        return f"<label{label_for}>{self._input_tag(widget)} {_value(widget['label'])}</label>\n"

    def _choice_option(self, context: Mapping[str, Any]) -> str:
        """radio_option.html and checkbox_option.html: an include of input_option.html."""
        return self._input_option(context) + "\n"

    def _multiple_input(self, context: Mapping[str, Any]) -> str:
        widget = context["widget"]
        attrs = widget["attrs"]
        element_id = attrs.get("id")
        parts = ["<div"]
        if element_id:
            parts.append(f' id="{_value(element_id)}"')
        if attrs.get("class"):
            parts.append(f' class="{_value(attrs["class"])}"')
        parts.append(">")
        for group, options, _index in widget["optgroups"]:
            if group:
                parts.append(f"\n  <div><label>{_value(group)}</label>")
            for option in options:
                parts.append("<div>\n    " + self._include(option["template_name"], option))
                parts.append("</div>")
            if group:
                parts.append("\n  </div>")
        parts.append("\n</div>\n")
        return "".join(parts)

    def _label(self, context: Mapping[str, Any]) -> str:
        label = _value(context["label"])
        if not context["use_tag"]:
            return f"{label}\n"
        tag = _value(context["tag"])
        return f"<{tag}{_attrs(context['attrs'])}>{label}</{tag}>\n"
