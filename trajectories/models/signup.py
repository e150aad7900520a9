"""A sign-up for a career trajectory through the public form (members and non-members).

The visitor's contact data lives on the intake request's `Participant` (a non-member) or is the
logged-in member's own; this row keeps what the form adds: the postcode, whether the visitor
says they are a member, the consent for this one purpose, and what duplicate detection found
for the adviser. The visitor never learns what it found.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.roles import Role, acting_as
from trajectories.models.people import IntakeRequest


class PublicSignupQuerySet(models.QuerySet):
    def visible_to(self, user) -> PublicSignupQuerySet:
        """Whoever sees the intake request sees its sign-up details."""
        if not acting_as(user, Role.ADVISER):
            return self.none()
        return self.filter(intake_request__in=IntakeRequest.objects.visible_to(user))


class PublicSignup(models.Model):
    intake_request = models.OneToOneField(
        IntakeRequest,
        on_delete=models.CASCADE,
        related_name="public_signup",
        verbose_name=_("intakeaanvraag"),
    )
    postcode = models.CharField(_("postcode"), max_length=7)
    says_member = models.BooleanField(_("zegt lid te zijn"), default=False)
    member_number = models.CharField(_("opgegeven lidnummer"), max_length=10, blank=True)
    consent_at = models.DateTimeField(_("toestemming gegeven op"))
    consent_text = models.TextField(_("tekst van de toestemming"))
    # What duplicate detection found, for the adviser only.
    possible_member = models.ForeignKey(
        "members.Member",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("mogelijk al lid"),
    )
    duplicate_of = models.ForeignKey(
        IntakeRequest,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("mogelijk dubbel met"),
    )
    duplicate_notes = models.CharField(_("gevonden bij controle"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("aangemeld op"), auto_now_add=True)

    objects = PublicSignupQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("aanmelding via de website")
        verbose_name_plural = _("aanmeldingen via de website")

    def __str__(self) -> str:
        return f"Aanmelding {self.pk}"

    @property
    def is_flagged(self) -> bool:
        return bool(self.possible_member_id or self.duplicate_of_id or self.duplicate_notes)
