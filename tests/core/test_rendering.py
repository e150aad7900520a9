"""core.rendering.FormRenderer writes exactly what Django's widget templates write.

Every built-in widget is rendered by both renderers, over generated names, values, attributes
and choices (markup characters, safe strings, lazy labels, numbers, dates, groups), and the
characters must be equal. So must labels, legends, single radio buttons and whole forms, bound
with errors and unbound.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.template.loader import get_template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.rendering import FormRenderer

FAST = FormRenderer()
SLOW = DjangoTemplates()

text = st.text(alphabet=st.sampled_from(list("ab <>&\"'é€\n")), max_size=8)
safe_text = text.map(mark_safe)
label = st.one_of(
    text,
    safe_text,
    st.integers(-5, 5000),
    st.sampled_from([gettext_lazy("Ja"), gettext_lazy("Nee"), gettext_lazy("Sector")]),
)
attr_value = st.one_of(
    st.booleans(), st.none(), text, safe_text, st.integers(-3, 3000), st.just(1.5)
)
attr_name = st.sampled_from(
    ["id", "class", "data-x", "aria-describedby", "required", "disabled", "placeholder", "a<b"]
)
attrs = st.dictionaries(attr_name, attr_value, max_size=4)
choice_value = st.one_of(st.integers(0, 30), text)
flat_choices = st.lists(st.tuples(choice_value, label), max_size=5)
grouped_choices = st.lists(
    st.one_of(
        st.tuples(choice_value, label),
        st.tuples(text.filter(bool), st.lists(st.tuples(choice_value, label), max_size=3)),
    ),
    max_size=4,
)
value = st.one_of(
    st.none(),
    text,
    safe_text,
    st.integers(-5, 30),
    st.just(""),
    st.just(dt.date(2026, 12, 1)),
    st.just(dt.datetime(2026, 12, 1, 9, 30)),
)
multi_value = st.one_of(st.none(), st.lists(choice_value, max_size=3))

SIMPLE_WIDGETS = [
    forms.TextInput,
    forms.NumberInput,
    forms.EmailInput,
    forms.URLInput,
    forms.SearchInput,
    forms.TelInput,
    forms.ColorInput,
    forms.HiddenInput,
    forms.DateInput,
    forms.DateTimeInput,
    forms.TimeInput,
    forms.Textarea,
    forms.CheckboxInput,
    forms.ClearableFileInput,
    forms.FileInput,
    forms.SplitDateTimeWidget,
    forms.SplitHiddenDateTimeWidget,
]
CHOICE_WIDGETS = [
    forms.Select,
    forms.SelectMultiple,
    forms.RadioSelect,
    forms.CheckboxSelectMultiple,
]


def both(widget: forms.Widget, name: str, shown, widget_attrs) -> tuple[str, str]:
    return (
        widget.render(name, shown, widget_attrs, renderer=FAST),
        widget.render(name, shown, widget_attrs, renderer=SLOW),
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    widget_class=st.sampled_from(SIMPLE_WIDGETS),
    name=text,
    shown=value,
    own=attrs,
    extra=attrs,
    language=st.sampled_from(["nl", "en"]),
)
def test_simple_widgets_render_the_same(widget_class, name, shown, own, extra, language):
    widget = widget_class(attrs=own)
    split = (forms.SplitDateTimeWidget, forms.SplitHiddenDateTimeWidget)
    if widget_class in split and not isinstance(shown, dt.datetime):
        shown = None
    with override(language):
        fast, slow = both(widget, name, shown, extra)
    assert fast == slow


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    widget_class=st.sampled_from(CHOICE_WIDGETS),
    choices=st.one_of(flat_choices, grouped_choices),
    name=text,
    single=value,
    multiple=multi_value,
    own=attrs,
    extra=attrs,
)
def test_choice_widgets_render_the_same(widget_class, choices, name, single, multiple, own, extra):
    widget = widget_class(attrs=own, choices=choices)
    shown = multiple if widget.allow_multiple_selected else single
    fast, slow = both(widget, name, shown, extra)
    assert fast == slow


@pytest.mark.parametrize("shown", [None, True, False, "2", "3", "unknown"])
def test_null_boolean_select_renders_the_same(shown):
    fast, slow = both(forms.NullBooleanSelect(attrs={"class": "x"}), "a", shown, {"id": "id_a"})
    assert fast == slow


def test_select_date_widget_renders_the_same():
    widget = forms.SelectDateWidget(years=[2025, 2026])
    fast, slow = both(widget, "on", dt.date(2026, 12, 1), {"id": "id_on"})
    assert fast == slow and "<select" in fast


class Everything(forms.Form):
    required_css_class = "verplicht"
    error_css_class = "fout"

    name = forms.CharField(label="Naam & <toenaam>", max_length=20, help_text="Zoals <b>hier</b>")
    count = forms.IntegerField(label=gettext_lazy("Sector"), min_value=1)
    on = forms.DateField(label="Datum?", widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.ChoiceField(
        label="Plaats", choices=[("a", "Huis <1>"), ("b", mark_safe("<i>Online</i>"))],
        widget=forms.RadioSelect,
    )  # fmt: skip
    themes = forms.MultipleChoiceField(
        label="Thema's",
        choices=[("Werk", [("1", "Loon"), ("2", "Rooster")]), ("3", "Anders")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    sector = forms.ChoiceField(label="Sector", choices=[("", "—"), ("x", "Zorg")], required=False)
    summary = forms.CharField(widget=forms.Textarea, required=False)
    agree = forms.BooleanField(label="Akkoord", required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"name": "x" * 30, "count": "0", "on": "gisteren", "place": "c", "themes": ["9"]},
        {
            "name": "Jan",
            "count": "3",
            "on": "2026-12-01",
            "place": "a",
            "themes": ["1", "3"],
            "sector": "x",
            "summary": "<script>",
            "agree": "on",
            "hidden": 'h"i',
        },
    ],  # fmt: skip
)
def test_whole_forms_labels_legends_and_single_radios_render_the_same(data):
    fast_form = Everything(data, renderer=FAST, label_suffix=":")
    slow_form = Everything(data, renderer=SLOW, label_suffix=":")
    for method in ("as_div", "as_p", "as_table", "as_ul"):
        assert getattr(fast_form, method)() == getattr(slow_form, method)()
    for field in fast_form:
        twin = slow_form[field.name]
        assert field.label_tag() == twin.label_tag()
        assert field.legend_tag() == twin.legend_tag()
        assert field.label_tag(attrs={"class": "c"}, label_suffix="") == twin.label_tag(
            attrs={"class": "c"}, label_suffix=""
        )
        assert str(field) == str(twin)
    for fast_radio, slow_radio in zip(fast_form["place"], slow_form["place"], strict=True):
        assert fast_radio.tag() == slow_radio.tag()
        assert str(fast_radio) == str(slow_radio)


def test_an_overridden_widget_template_is_used(tmp_path, settings):
    """A widget template an app or the project overrides is rendered from that template."""
    folder = tmp_path / "django" / "forms" / "widgets"
    folder.mkdir(parents=True)
    (folder / "text.html").write_text('<input class="eigen" name="{{ widget.name }}">')

    class Overridden(FormRenderer):
        @property
        def engine(self):
            from django.template.backends.django import DjangoTemplates as Backend

            return Backend(
                {"APP_DIRS": True, "DIRS": [tmp_path], "NAME": "overridden", "OPTIONS": {}}
            )

    assert forms.TextInput().render("n", "v", renderer=Overridden()) == (
        '<input class="eigen" name="n">'
    )
    assert 'value="v"' in forms.TextInput().render("n", "v", renderer=FAST)


def test_the_portal_uses_it(settings):
    from django.forms.renderers import get_default_renderer

    assert settings.FORM_RENDERER == "core.rendering.FormRenderer"
    assert isinstance(get_default_renderer(), FormRenderer)
    # The page templates still come from the portal's engine, untouched.
    assert get_template("base.html")
