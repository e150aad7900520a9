"""Admin pages in the reader's language: Django's permissions by their translated names.

Django stores permission names in English ("Can change lid"); the admin of users and groups
lists them from the app's and the model's translated names instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.contrib.auth.models import Permission
from django.db.models import ManyToManyField
from django.forms import ModelMultipleChoiceField
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    # What the mixin is combined with, for the type checker; at run time it has no base.
    _AdminBase = admin.ModelAdmin[Any]
else:
    _AdminBase = object

PERMISSION_ACTIONS = {
    "add": gettext_lazy("toevoegen"),
    "change": gettext_lazy("wijzigen"),
    "delete": gettext_lazy("verwijderen"),
    "view": gettext_lazy("bekijken"),
}


def permission_label(permission: Permission) -> str:
    """A permission in the page's language. Django stores their names in English ("Can change
    lid"); the standard ones are named here from the app's and model's translated names."""
    model = permission.content_type.model_class()
    action, _separator, model_name = permission.codename.partition("_")
    if model is None or action not in PERMISSION_ACTIONS or model_name != model._meta.model_name:
        return str(permission)
    return " | ".join(
        [
            str(model._meta.app_config.verbose_name),
            str(model._meta.verbose_name),
            str(PERMISSION_ACTIONS[action]),
        ]
    )


class PermissionLabelsMixin(_AdminBase):
    """For the admin of users and groups: permissions listed by their translated names."""

    permission_fields = ("permissions", "user_permissions")

    def formfield_for_manytomany(
        self, db_field: ManyToManyField[Any, Any], request: Any = None, **kwargs: Any
    ) -> ModelMultipleChoiceField[Any] | None:
        if db_field.name in self.permission_fields:
            kwargs.setdefault("queryset", Permission.objects.select_related("content_type"))
        formfield = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name in self.permission_fields and formfield is not None:
            # The field calls this attribute for each choice; the stubs know only the method.
            formfield.label_from_instance = permission_label  # type: ignore[method-assign, assignment]
        return formfield
