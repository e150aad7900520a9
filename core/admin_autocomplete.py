"""Django admin pieces the apps' admin modules share (they may not import the project shell)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.db.models import ForeignKey
from django.forms import ModelChoiceField
from django.http import HttpRequest


class SafeAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete shows a refused form again by looking up the posted value as it
    came, and 'abc' for a numeric key raises ValueError there (a 500). Values the key cannot
    hold are left out; the form still says the choice is not valid."""

    def optgroups(
        self, name: str, value: Sequence[str], attr: dict[str, Any] | None = None
    ) -> list[tuple[str | None, list[dict[str, Any]], int | None]]:
        target = self.field.target_field
        usable = []
        for item in value:
            try:
                target.get_prep_value(target.to_python(item))
            except (ValidationError, ValueError, TypeError, OverflowError):
                continue
            usable.append(item)
        return super().optgroups(name, usable, attr)


class AutocompleteAdmin(admin.ModelAdmin):
    """A ModelAdmin whose `autocomplete_fields` use SafeAutocompleteSelect."""

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
