"""The outcome recorded when a trajectory ends."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from trajectories.models.trajectory import Trajectory

# --- outcome -----------------------------------------------------------------------------------


class OutcomeKind(models.TextChoices):
    NEW_JOB = "new_job", _("nieuwe baan")
    TRAINING = "training", _("opleiding gestart")
    OTHER = "other", _("anders")
    NONE = "none", _("geen")


class ContractKind(models.TextChoices):
    PERMANENT = "permanent", _("vast contract")
    TEMPORARY = "temporary", _("tijdelijk contract")
    FLEXIBLE = "flexible", _("uitzend- of oproepcontract")
    SELF_EMPLOYED = "self_employed", _("zelfstandige")


class OutcomeQuerySet(models.QuerySet):
    def visible_to(self, user) -> OutcomeQuerySet:
        return self.filter(trajectory__in=Trajectory.objects.visible_to(user))


class Outcome(models.Model):
    """What became of the participant when the trajectory ended. Counted, never named."""

    trajectory = models.OneToOneField(
        Trajectory, on_delete=models.CASCADE, related_name="outcome", verbose_name=_("traject")
    )
    kind = models.CharField(_("uitkomst"), max_length=10, choices=OutcomeKind.choices)
    employer = models.ForeignKey(
        "members.Employer",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("nieuwe werkgever"),
    )
    sector = models.ForeignKey(
        "members.Sector",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("sector"),
    )
    contract_kind = models.CharField(
        _("soort contract"), max_length=15, choices=ContractKind.choices, blank=True
    )
    under_cao = models.BooleanField(_("valt onder een cao"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        "members.User",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )
    recorded_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)

    objects = OutcomeQuerySet.as_manager()

    class Meta:
        verbose_name = _("uitkomst")
        verbose_name_plural = _("uitkomsten")

    def __str__(self) -> str:
        return self.get_kind_display()

    def clean(self) -> None:
        super().clean()
        if self.kind == OutcomeKind.NEW_JOB:
            errors = {}
            if not self.sector_id:
                errors["sector"] = _("Kies de sector van de nieuwe baan.")
            if not self.contract_kind:
                errors["contract_kind"] = _("Kies het soort contract van de nieuwe baan.")
            if self.under_cao is None:
                errors["under_cao"] = _("Geef aan of de nieuwe baan onder een cao valt.")
            if errors:
                raise ValidationError(errors)
        else:
            self.employer = None
            self.sector = None
            self.contract_kind = ""
            self.under_cao = None
