"""Everything the portal holds on one member, found by introspection.

Every model that refers to Member (`Member._meta.related_objects`) is included, and one level
further every model that hangs off those (for example the report of an appointment). Models
that other apps add later are included without a change here; a test fails when a model
referring to Member is missing.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid

from django.conf import settings
from django.db import models

from audit.models import AuditEntry
from members.models import Member, User

# Secrets and internal links that are not "data on the member".
SKIPPED_FIELDS = {"password", "secret", "file_path", "stored_name", "number_hash", "token"}


def _value(obj: models.Model, field: models.Field, *, own_user_id: int | None = None):
    if isinstance(field, models.ForeignKey | models.OneToOneField):
        related = getattr(obj, field.name, None)
        # Staff who worked on the member's data are named by role, as on "who looked at my
        # record": their names are their data, not the member's.
        staff = isinstance(related, User) and related.pk != own_user_id
        if staff and not settings.FNV_SHOW_STAFF_NAMES_TO_MEMBERS:
            return related.get_role_display()
        return None if related is None else str(related)
    value = getattr(obj, field.attname)
    if field.choices and value is not None:
        return str(getattr(obj, f"get_{field.name}_display")())
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    if isinstance(value, dict) or value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def serialise(obj: models.Model, *, own_user_id: int | None = None) -> dict:
    data: dict = {}
    for field in obj._meta.concrete_fields:
        if field.name in SKIPPED_FIELDS:
            continue
        data[str(field.verbose_name)] = _value(obj, field, own_user_id=own_user_id)
    return data


def member_relations() -> list[models.ForeignObjectRel]:
    """The relations from other models to Member (every one of them is downloaded)."""
    # include_hidden: relations declared with related_name="+" point to the member too
    return [
        field
        for field in Member._meta.get_fields(include_hidden=True)
        if isinstance(field, models.ForeignObjectRel) and field.related_model is not Member
    ]


def _section_name(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


def _children(obj: models.Model, depth: int, *, own_user_id: int | None) -> dict:
    sections: dict = {}
    if depth <= 0:
        return sections
    for rel in obj._meta.related_objects:
        if rel.related_model is Member:
            continue
        if rel.many_to_many:
            # The other side of a many-to-many (the signals a session lies behind) is the
            # union's work about many people, not the member's data; the link rows (one-to-many
            # through model) still show which signal the session counted in.
            continue
        accessor = rel.get_accessor_name()
        if rel.one_to_one:
            child = getattr(obj, accessor, None) if hasattr(obj, accessor) else None
            items = [child] if child is not None else []
        else:
            items = list(getattr(obj, accessor).all()) if accessor else []
        if items:
            sections[_section_name(rel.related_model)] = [
                serialise(item, own_user_id=own_user_id) for item in items
            ]
    return sections


def member_data(member: Member) -> dict:
    """A JSON-serialisable dict of all data on the member, by model."""
    own = member.user_id
    data: dict = {"members.member": [serialise(member, own_user_id=own)]}
    if member.user_id:
        user = member.user
        data["members.user"] = [
            {
                "e-mailadres": user.email,
                "naam": user.full_name,
                "rol": user.get_role_display(),
                "aangemaakt op": user.date_joined.isoformat(),
                "laatst ingelogd": user.last_login.isoformat() if user.last_login else None,
            }
        ]
    for rel in member_relations():
        model = rel.related_model
        lookup = {rel.field.name: member}
        items = []
        for obj in model._default_manager.filter(**lookup):
            item = serialise(obj, own_user_id=own)
            children = _children(obj, depth=1, own_user_id=own)
            if children:
                item["onderdelen"] = children
            items.append(item)
        data[_section_name(model)] = items
    data["audit.auditentry"] = [
        {
            "tijdstip": entry.at.isoformat(),
            "rol": entry.actor_role,
            "actie": entry.get_action_display(),
            "soort gegeven": entry.object_type,
        }
        for entry in AuditEntry.objects.filter(subject_member_id=member.pk).order_by("at")
    ]
    return data


def section_titles() -> dict[str, str]:
    titles = {"members.member": str(Member._meta.verbose_name), "members.user": "account"}
    for rel in member_relations():
        titles[_section_name(rel.related_model)] = str(rel.related_model._meta.verbose_name_plural)
    titles["audit.auditentry"] = "wie je gegevens heeft bekeken"
    return titles
