"""The admin's import buttons for the set-up files (django-import-export: upload, preview, confirm).

`members/admin.py` mixes `StaffImportMixin` into the user admin and `SectorImportMixin` into
the sector admin; the union house admin of `regions` gets its import from here too
(`register_house_import`, called by `members/admin.py`), since `regions` sits below `members`
and cannot read these files.
"""

from __future__ import annotations

import contextlib
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.functional import Promise
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.admin import ImportMixin
from import_export.forms import ConfirmImportForm, ImportForm

from core.roles import Role
from members.admin_import import AdminUploadStorage
from members.setup_import import houses, sectors, staff
from members.setup_import.report import refused_message
from members.setup_import.resources import (
    HouseResource,
    SectorResource,
    SetupFileFormat,
    StaffResource,
)
from regions.models import UnionHouse

SHOWN = 30


class StaffFileFormat(SetupFileFormat):
    COLUMNS = staff.COLUMNS
    WHAT = staff.WHAT


DEACTIVATE_LABEL = gettext_lazy("Accounts die niet in het bestand staan deactiveren")
DEACTIVATE_HELP = gettext_lazy(
    "Alleen accounts met een rol en een werkgebied (regio, vakbondshuis of sector) uit het "
    "bestand. Ze worden nooit verwijderd; de voorvertoning toont eerst hoeveel het er zijn."
)


class StaffImportForm(ImportForm):
    deactivate_missing = forms.BooleanField(
        label=DEACTIVATE_LABEL, help_text=DEACTIVATE_HELP, required=False
    )


class StaffConfirmImportForm(ConfirmImportForm):
    deactivate_missing = forms.BooleanField(required=False, widget=forms.HiddenInput)


class SetupImportMixin(ImportMixin):
    """Shared by the set-up imports: admins only, the upload kept beside the portal's uploads
    and removed when there is no confirm step, the Dutch refusal shown on the upload field."""

    tmp_storage_class = AdminUploadStorage

    def has_import_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and getattr(user, "role", None) == Role.ADMIN)

    def add_data_read_fail_error_to_form(self, form: forms.Form, e: Exception) -> None:
        if isinstance(e, ValueError):
            form.add_error("import_file", str(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)

    def import_action(self, request: HttpRequest, **kwargs: Any) -> TemplateResponse:
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None) or {}
        name = getattr(request.FILES.get("import_file"), "tmp_storage_name", None)
        if name and "confirm_form" not in context:
            with contextlib.suppress(FileNotFoundError):
                AdminUploadStorage(name=name).remove()
        result = context.get("result")
        if result is not None:
            self.explain_preview(request, result)
        return response

    def explain_preview(self, request: HttpRequest, result: Any) -> None:
        """Messages above the preview (errors, what else the import will do)."""


class StaffImportMixin(SetupImportMixin):
    resource_classes = [StaffResource]
    formats = [StaffFileFormat]
    import_form_class = StaffImportForm
    confirm_form_class = StaffConfirmImportForm

    def get_confirm_form_initial(self, request: HttpRequest, import_form: Any) -> dict[str, Any]:
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["deactivate_missing"] = import_form.cleaned_data.get("deactivate_missing")
        return initial

    def get_import_data_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        form = kwargs.get("form")
        data = super().get_import_data_kwargs(**kwargs)
        if form is not None and hasattr(form, "cleaned_data"):
            data["deactivate_missing"] = bool(form.cleaned_data.get("deactivate_missing"))
        return data

    def explain_preview(self, request: HttpRequest, result: Any) -> None:
        check = getattr(result, "fnv_check", None)
        plan = getattr(result, "fnv_plan", None)
        if check is None or plan is None:
            return
        if not check.ok:
            messages.error(
                request,
                format_html(
                    _("Het bestand heeft {} fout(en); er wordt niets geïmporteerd: <ul>{}</ul>"),
                    len(check.errors),
                    format_html_join("", "<li>{}</li>", ((str(e),) for e in check.errors[:SHOWN])),
                ),
            )
            return
        messages.info(
            request,
            _(
                "Dit bestand maakt {new} nieuwe account(s) (elk krijgt een uitnodigingsmail), "
                "wijzigt er {changed} en laat er {unchanged} ongewijzigd."
            ).format(new=len(plan.new), changed=len(plan.changed), unchanged=len(plan.unchanged)),
        )
        if not plan.missing:
            return
        names = format_html_join(
            "",
            "<li>{} ({})</li>",
            ((user.email, user.get_role_display()) for user in plan.missing[:SHOWN]),
        )
        if getattr(result, "fnv_deactivate_missing", False):
            messages.warning(
                request,
                format_html(
                    _(
                        "{} account(s) met een rol en werkgebied uit dit bestand staan er niet "
                        "in; ze worden gedeactiveerd (niet verwijderd): <ul>{}</ul>"
                    ),
                    len(plan.missing),
                    names,
                ),
            )
        else:
            messages.info(
                request,
                format_html(
                    _(
                        "{} account(s) met een rol en werkgebied uit dit bestand staan er niet "
                        "in; ze blijven actief. Vink ‘{}’ aan om ze te deactiveren: <ul>{}</ul>"
                    ),
                    len(plan.missing),
                    DEACTIVATE_LABEL,
                    names,
                ),
            )

    def add_success_message(self, result: Any, request: HttpRequest) -> None:
        plan = getattr(result, "fnv_plan", None)
        check = getattr(result, "fnv_check", None)
        if plan is None or check is None:
            super().add_success_message(result, request)
            return
        if not check.ok:  # the upload changed between preview and confirm
            messages.error(request, refused_message(len(check.errors)))
            return
        messages.success(
            request,
            _(
                "Medewerkers geïmporteerd: {new} nieuw (uitnodiging verstuurd), {changed} "
                "gewijzigd, {unchanged} ongewijzigd, {deactivated} gedeactiveerd."
            ).format(
                new=len(plan.new),
                changed=len(plan.changed),
                unchanged=len(plan.unchanged),
                deactivated=len(getattr(result, "fnv_deactivated", [])),
            ),
        )


class SectorFileFormat(SetupFileFormat):
    COLUMNS = sectors.COLUMNS
    WHAT = sectors.WHAT


class HouseFileFormat(SetupFileFormat):
    COLUMNS = houses.COLUMNS
    WHAT = houses.WHAT


class _CountedImportMixin(SetupImportMixin):
    """The preview and the result in counts; what is missing from the file is kept."""

    WHAT_PLURAL: str | Promise = ""

    def explain_preview(self, request: HttpRequest, result: Any) -> None:
        check = getattr(result, "fnv_check", None)
        summary = getattr(result, "fnv_summary", None)
        if check is None or summary is None:
            return
        if not check.ok:
            messages.error(
                request,
                format_html(
                    _("Het bestand heeft {} fout(en); er wordt niets geïmporteerd: <ul>{}</ul>"),
                    len(check.errors),
                    format_html_join("", "<li>{}</li>", ((str(e),) for e in check.errors[:SHOWN])),
                ),
            )
            return
        messages.info(
            request,
            _(
                "{what}: {new} nieuw, {changed} gewijzigd, {unchanged} ongewijzigd; {missing} "
                "niet in het bestand (die blijven zoals ze zijn)."
            ).format(what=self.WHAT_PLURAL, **summary),
        )

    def add_success_message(self, result: Any, request: HttpRequest) -> None:
        check = getattr(result, "fnv_check", None)
        summary = getattr(result, "fnv_summary", None)
        if check is None or summary is None:
            super().add_success_message(result, request)
        elif not check.ok:
            messages.error(request, refused_message(len(check.errors)))
        else:
            messages.success(
                request,
                _(
                    "{what} geïmporteerd: {new} nieuw, {changed} gewijzigd, {unchanged} ongewijzigd."
                ).format(what=self.WHAT_PLURAL, **summary),
            )


class SectorImportMixin(_CountedImportMixin):
    resource_classes = [SectorResource]
    formats = [SectorFileFormat]
    WHAT_PLURAL = gettext_lazy("Sectoren")


class HouseImportMixin(_CountedImportMixin):
    resource_classes = [HouseResource]
    formats = [HouseFileFormat]
    WHAT_PLURAL = gettext_lazy("Vakbondshuizen")


def register_house_import() -> None:
    """Give the union house admin of `regions` its import button: the same admin, with
    `HouseImportMixin` in front (regions cannot import members, where the readers are)."""
    from regions.admin import UnionHouseAdmin  # loaded by then: regions comes before members

    current = admin.site.get_model_admin(UnionHouse)
    if isinstance(current, HouseImportMixin):
        return
    admin.site.unregister(UnionHouse)

    class UnionHouseImportAdmin(HouseImportMixin, UnionHouseAdmin):  # type: ignore[misc]  # the stubs type change_list_template differently in the two bases
        pass

    admin.site.register(UnionHouse, UnionHouseImportAdmin)
