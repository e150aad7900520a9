"""Form fields for the portal's forms.

`ModelChoiceField` and `ModelMultipleChoiceField` read their choices with one plain query.
Django's fields read them with `QuerySet.iterator()`, which on PostgreSQL opens a server-side
cursor (DECLARE, FETCH, CLOSE: three round trips) for a list of a few dozen regions, sectors or
themes; a filter form with four such fields spent more time on cursors than on the rows
(bench/pages.py). A choice list is small by design: never use these for a table that grows
with the members (employers, members), which need a search.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.forms.models import ModelChoiceIterator


class ListModelChoiceIterator(ModelChoiceIterator):
    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        label_field = getattr(self.field, "label_field", None)
        if label_field:
            # (pk, label) rows, no model per choice: a filter's few hundred employers cost more
            # to build as models than to render. The value is the plain key (no instance).
            yield from self.queryset.values_list("pk", label_field)
            return
        for obj in self.queryset.all():
            yield self.choice(obj)


class ModelChoiceField(forms.ModelChoiceField):
    """`label_field`: a field whose value is the choice's label (what `str()` of the model
    gives); the choices are then read as (pk, label) rows, without a model each."""

    iterator = ListModelChoiceIterator

    def __init__(self, *args: Any, label_field: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.label_field = label_field


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    iterator = ListModelChoiceIterator
