"""The audit trail: who read, changed or exported which personal data, when and from where.

Append-only: rows are never updated (a database trigger refuses it); only the retention task
deletes rows older than their period. The note text of sessions or reports is never logged.
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.roles import Role


class AuditAction(models.TextChoices):
    VIEW = "view", _("bekeken")
    LIST = "list", _("lijst bekeken")
    SEARCH = "search", _("gezocht")
    CREATE = "create", _("aangemaakt")
    CHANGE = "change", _("gewijzigd")
    DELETE = "delete", _("verwijderd")
    EXPORT = "export", _("geëxporteerd")
    IMPORT = "import", _("geïmporteerd")
    ERASE = "erase", _("gewist")


class AuditEntry(models.Model):
    at = models.DateTimeField(_("tijdstip"), auto_now_add=True, db_index=True)
    # No foreign key constraint and no cascade: deleting an account (erasure, or an admin
    # removing a staff login) must never UPDATE this append-only table. The number stays as a
    # pseudonym of a deleted account; `actor` is then None through select_related and
    # `actor_label` says the account is gone.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("door"),
    )
    actor_role = models.CharField(_("rol"), max_length=20, blank=True, choices=Role.choices)
    action = models.CharField(_("actie"), max_length=10, choices=AuditAction.choices)
    object_type = models.CharField(_("soort gegeven"), max_length=60)
    object_id = models.CharField(_("object"), max_length=64, blank=True)
    # The member whose data this was, so a member can see who looked at their record.
    subject_member_id = models.BigIntegerField(_("lid"), null=True, blank=True, db_index=True)
    detail = models.CharField(_("toelichting"), max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(_("adres"), null=True, blank=True)
    path = models.CharField(_("pagina"), max_length=300, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("auditregel")
        verbose_name_plural = _("auditlog")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_role} {self.action} {self.object_type} {self.object_id}"

    @property
    def actor_label(self) -> str:
        if self.actor_id is None:
            return ""
        try:
            actor = self.actor
        except models.ObjectDoesNotExist:
            actor = None  # fetched on its own: the row is gone
        if actor is None:  # through select_related, a missing row reads as None
            return _("verwijderd account %(id)s") % {"id": self.actor_id}
        return str(actor)

    @property
    def what(self) -> str:
        """In plain words what was done to which kind of data ("voortgangsnotitie aangemaakt"),
        for "who looked at my record"."""
        try:
            kind = str(apps.get_model(self.object_type)._meta.verbose_name)
        except (LookupError, ValueError):
            kind = str(_("gegevens"))
        return f"{kind} {self.get_action_display()}"
