import contextlib
import re

from allauth.mfa.models import Authenticator
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import SEARCH_VAR
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.admin import ImportMixin

from core.admin_labels import PermissionLabelsMixin
from core.pagination import EstimatedCountPaginator
from core.roles import Role
from members import enrolment
from members.admin_import import (
    AdminUploadStorage,
    MemberConfirmImportForm,
    MemberFileFormat,
    MemberImportForm,
    MemberResource,
)
from members.models import (
    POSTCODE_IN_C,
    CorrectionRequest,
    Employer,
    ImportMode,
    Member,
    MemberImport,
    Sector,
    User,
)
from members.setup_import.admin import (
    SectorImportMixin,
    StaffImportMixin,
    register_house_import,
)

# "3511" or "3511 AB" / "3511ab" in the admin's member search: a postcode's beginning.
SEARCH_POSTCODE_RE = re.compile(r"^([1-9]\d{3})\s?([A-Za-z]{2})?$")


def _postcode_prefix(search_term: str) -> str | None:
    """The postcode beginning an admin's member search asks for ("3511", "3511 AB"), or None
    when the search is not a postcode. One reading for the filter and the order."""
    match = SEARCH_POSTCODE_RE.match(" ".join(search_term.split()))
    if match is None:
        return None
    letters = match.group(2)
    return match.group(1) + (f" {letters.upper()}" if letters else "")


@admin.register(User)
class UserAdmin(StaffImportMixin, PermissionLabelsMixin, BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "role", "is_active", "is_demo"]
    list_filter = ["role", "is_active", "is_demo"]
    search_fields = ["email", "full_name"]
    filter_horizontal = ["regions", "sectors", "union_houses", "groups", "user_permissions"]
    fieldsets = [
        (None, {"fields": ["email", "password", "full_name", "role"]}),
        (
            gettext_lazy("Werkgebied"),
            {"fields": ["regions", "sectors", "union_houses", "serves_online"]},
        ),
        (
            gettext_lazy("Rechten"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (gettext_lazy("Overig"), {"fields": ["is_demo", "last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "full_name", "role", "password1", "password2"],
            },
        )
    ]
    actions = ["reset_second_factor"]

    def save_model(self, request, obj, form, change):
        """A new staff account (or one that becomes staff) gets its enrolment invitation: a
        password alone never sets up the second factor (members/enrolment.py)."""
        super().save_model(request, obj, form, change)
        if (
            obj.is_staff_role
            and (not change or "role" in form.changed_data)
            and not Authenticator.objects.filter(user=obj, type="totp").exists()
        ):
            enrolment.send_invitation(obj)
            messages.info(
                request,
                _("Uitnodiging om de tweede factor in te stellen verstuurd naar {}.").format(
                    obj.email
                ),
            )

    @admin.action(
        description=gettext_lazy("Tweede factor opnieuw instellen (uitnodiging sturen)"),
        permissions=["change"],
    )
    def reset_second_factor(self, request, queryset):
        """Removes the authenticator (TOTP and recovery codes) and mails a one-time enrolment
        link: for a lost phone, or a secret no key can decrypt any more."""
        done = 0
        for user in queryset:
            if user.is_staff_role:
                enrolment.reset_second_factor(user, by=request.user)
                done += 1
        skipped = queryset.count() - done
        messages.success(
            request,
            _("Tweede factor verwijderd en uitnodiging verstuurd voor {} medewerker(s).").format(
                done
            ),
        )
        if skipped:
            messages.warning(
                request,
                _("{} lid/leden overgeslagen: leden loggen in zonder tweede factor.").format(
                    skipped
                ),
            )


@admin.register(Sector)
class SectorAdmin(SectorImportMixin, admin.ModelAdmin):
    list_display = ["name", "is_demo"]
    search_fields = ["name"]


register_house_import()  # the union house admin's import button (members/setup_import/admin.py)


@admin.register(Employer)
class EmployerAdmin(admin.ModelAdmin):
    list_display = ["name", "kvk_number", "sector", "is_confirmed", "merged_into", "is_demo"]
    list_filter = ["is_confirmed", "sector", "is_demo"]
    search_fields = ["name", "kvk_number"]
    raw_id_fields = ["merged_into", "proposed_by"]


@admin.register(Member)
class MemberAdmin(ImportMixin, admin.ModelAdmin):
    """Small files via django-import-export (preview, then confirm) with the portal's rules."""

    list_display = ["member_number", "name", "region", "sector", "status", "is_demo"]
    list_filter = ["status", "region", "sector", "is_demo"]
    search_fields = ["member_number", "last_name", "postcode"]
    raw_id_fields = ["employer", "user", "municipality"]
    list_select_related = ["region", "sector"]
    # A million members (issue 16): no COUNT(*) of the whole table on every page, the list in
    # the order of the unique member-number index, searches that use an index.
    ordering = ["member_number"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    list_per_page = 25  # rendering the rows is most of a page's time: 50 took twice as long
    # No bulk actions: "delete selected" bypassed the erasure (members:erase, with its
    # confirmation and audit), and its checkbox column was a third of the list's rendering.
    actions = None
    # Imports of any size go through the portal's import pages (preview, background, report).
    change_list_template = "admin/members/member/change_list.html"
    resource_classes = [MemberResource]
    formats = [MemberFileFormat]
    import_form_class = MemberImportForm
    confirm_form_class = MemberConfirmImportForm
    tmp_storage_class = AdminUploadStorage

    @admin.display(description=gettext_lazy("naam"), ordering="last_name")
    def name(self, obj: Member) -> str:
        return obj.display_name

    def get_queryset(self, request):
        # select_related loads every column of the region, its GeoJSON boundary too.
        return super().get_queryset(request).defer("region__boundary")

    def get_ordering(self, request):
        """A postcode search lists its members by postcode, then number. In member-number order
        the planner walks the number index and filters, expecting matches all along it; where
        they lie in one stretch of numbers (a region's members) it read 263,000 rows for 26
        (65 ms at a million members, 2 Dec 2026). Ordered by postcode (in the "C" collation),
        then number, it reads the first page's rows from the index member_postcode_order, which
        holds them in that order (0.1 ms where reading and sorting the 1,353 members of 3511
        took 6.5 ms, 3 Dec 2026)."""
        if _postcode_prefix(request.GET.get(SEARCH_VAR, "")) is not None:
            return [POSTCODE_IN_C.asc(), "member_number"]
        return super().get_ordering(request)

    def get_search_results(self, request, queryset, search_term):
        """A member number exactly, a postcode by its beginning ("3511" or "3511 AB"), or a
        surname by its beginning in any case: each through an index (members 0009, 0014), where
        Django's default (contains, in every field) reads all million rows."""
        term = " ".join(search_term.split())
        if not term:
            return queryset, False
        prefix = _postcode_prefix(term)
        if prefix is not None:
            return queryset.alias(postcode_c=POSTCODE_IN_C).filter(
                postcode_c__startswith=prefix
            ), False
        if " " not in term and any(c.isdigit() for c in term):
            return queryset.filter(member_number=term), False
        return queryset.alias(surname=Upper("last_name")).filter(
            surname__startswith=term.upper()
        ), False

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["mode"] = import_form.cleaned_data["mode"]
        return initial

    def get_import_data_kwargs(self, **kwargs):
        form = kwargs.get("form")
        kwargs = super().get_import_data_kwargs(**kwargs)
        if form is not None and "mode" in form.cleaned_data:
            kwargs["mode"] = form.cleaned_data["mode"]
        return kwargs

    def import_action(self, request, *args, **kwargs):
        """The preview names every rejected row with its reasons, as the portal's report does."""
        response = super().import_action(request, *args, **kwargs)
        context = getattr(response, "context_data", None) or {}
        # The upload object carries the name it was saved under (also when the file was refused).
        name = getattr(request.FILES.get("import_file"), "tmp_storage_name", None)
        if name and "confirm_form" not in context:
            # Refused or rejected: there is no confirm step, so the upload goes now.
            with contextlib.suppress(FileNotFoundError):
                AdminUploadStorage(name=name).remove()
        result = context.get("result")
        rejected = getattr(result, "fnv_rejected", None)
        if rejected:
            shown = rejected[:50]
            messages.warning(
                request,
                format_html(
                    _("{} rij(en) afgewezen en overgeslagen: <ul>{}</ul>")
                    if request.POST.get("mode") == ImportMode.VALID_ROWS
                    else _("{} rij(en) afgewezen: <ul>{}</ul>"),
                    len(rejected),
                    format_html_join(
                        "",
                        _("<li>regel {}: {}</li>"),
                        (
                            (line, "; ".join(f"{c or 'regel'}: {m}" for c, m in errors))
                            for line, errors in shown
                        ),
                    ),
                ),
            )
        return response

    def add_success_message(self, result, request):
        record = getattr(result, "fnv_member_import", None)
        if record is None:
            return super().add_success_message(result, request)
        messages.success(
            request,
            format_html(
                _(
                    "Import klaar: {} nieuw, {} gewijzigd, {} ongewijzigd, {} afgewezen. "
                    '<a href="{}">Bekijk het rapport</a>.'
                ),
                record.created,
                record.updated,
                record.unchanged,
                record.rejected,
                reverse("members:import_detail", args=[record.pk]),
            ),
        )

    readonly_fields = ["erase_link"]

    def has_import_permission(self, request) -> bool:
        return request.user.is_active and request.user.role == Role.ADMIN

    @admin.display(description=_("Wissen op verzoek (AVG)"))
    def erase_link(self, obj: Member) -> str:
        if obj.erased_at:
            return _("gewist op %(date)s") % {"date": f"{obj.erased_at:%d-%m-%Y}"}
        if obj.pk is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("members:erase", args=[obj.pk]),
            _("Persoonsgegevens wissen…"),
        )

    def add_data_read_fail_error_to_form(self, form, e):
        # Our format raises ValueError with a Dutch message that names the problem: show it.
        if isinstance(e, ValueError):
            form.add_error("import_file", str(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)


@admin.register(MemberImport)
class MemberImportAdmin(admin.ModelAdmin):
    """The import record (who, when, file hash, mode, counts); read-only."""

    list_display = [
        "created_at",
        "file_name",
        "created_by",
        "source",
        "mode",
        "status",
        "created",
        "updated",
        "unchanged",
        "rejected",
        "portal_link",
    ]
    list_filter = ["status", "mode", "source"]
    search_fields = ["file_name", "file_sha256"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="rapport")
    def portal_link(self, obj: MemberImport):
        return format_html(
            '<a href="{}">rapport</a>', reverse("members:import_detail", kwargs={"pk": obj.pk})
        )


@admin.register(CorrectionRequest)
class CorrectionRequestAdmin(admin.ModelAdmin):
    list_display = ["created_at", "member", "handled_at"]
    list_filter = ["handled_at"]
    raw_id_fields = ["member"]
    search_fields = ["member__member_number"]


# Groups and two-factor devices are registered by Django and allauth; registered again here so
# that their pages speak Dutch: permissions by their translated names, and the allauth model's
# fields (which have no translatable names) labelled here.
admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(PermissionLabelsMixin, BaseGroupAdmin):
    pass


class AuthenticatorForm(forms.ModelForm):
    class Meta:
        model = Authenticator
        fields = ["user", "type", "data", "created_at", "last_used_at"]
        labels = {
            "user": gettext_lazy("gebruiker"),
            "type": gettext_lazy("soort"),
            "data": gettext_lazy("gegevens"),
            "created_at": gettext_lazy("aangemaakt op"),
            "last_used_at": gettext_lazy("laatst gebruikt op"),
        }


admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(admin.ModelAdmin):
    form = AuthenticatorForm
    raw_id_fields = ["user"]
    list_display = ["user_email", "kind", "created", "last_used"]
    list_filter = ["type"]
    list_select_related = ["user"]

    @admin.display(description=gettext_lazy("gebruiker"), ordering="user__email")
    def user_email(self, obj: Authenticator) -> str:
        return obj.user.email

    @admin.display(description=gettext_lazy("soort"), ordering="type")
    def kind(self, obj: Authenticator) -> str:
        return obj.get_type_display()

    @admin.display(description=gettext_lazy("aangemaakt op"), ordering="created_at")
    def created(self, obj: Authenticator):
        return obj.created_at

    @admin.display(description=gettext_lazy("laatst gebruikt op"), ordering="last_used_at")
    def last_used(self, obj: Authenticator):
        return obj.last_used_at
