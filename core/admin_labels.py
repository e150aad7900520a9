"""Admin pages in the reader's language: Django's permissions by their translated names.

Django stores permission names in English ("Can change lid"); the admin of users and groups
lists them from the app's and the model's translated names instead.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

PERMISSION_ACTIONS = {
    "add": gettext_lazy("toevoegen"),
    "change": gettext_lazy("wijzigen"),
    "delete": gettext_lazy("verwijderen"),
    "view": gettext_lazy("bekijken"),
}


def permission_label(permission) -> str:
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


class PermissionLabelsMixin:
    """For the admin of users and groups: permissions listed by their translated names."""

    permission_fields = ("permissions", "user_permissions")

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in self.permission_fields:
            kwargs.setdefault(
                "queryset", db_field.remote_field.model.objects.select_related("content_type")
            )
        formfield = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name in self.permission_fields and formfield is not None:
            formfield.label_from_instance = permission_label
        return formfield
