"""A collective case's signals, the members invited to it and the members who joined.

The case itself is trajectories' `CollectiveCase` (with its outcome and closed state); this app
adds what ties it to signals. A member who accepts an invitation becomes a `CaseParticipant`
here, not a trajectories `Participant`: that one is a non-member in a mobility trajectory with
an adviser, whereas someone joining collective action is a member who keeps no trajectory.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.roles import Role, acting_as
from trajectories.models import CollectiveCase


class CaseSignalQuerySet(models.QuerySet):
    def visible_to(self, user) -> CaseSignalQuerySet:
        return self.filter(case__in=CollectiveCase.objects.visible_to(user))


class CaseSignal(models.Model):
    """A signal behind a case. A signal belongs to one case at most."""

    case = models.ForeignKey(
        CollectiveCase,
        on_delete=models.CASCADE,
        related_name="case_signals",
        verbose_name=_("collectieve zaak"),
    )
    signal = models.OneToOneField(
        "signals.Signal",
        on_delete=models.CASCADE,
        related_name="case_link",
        verbose_name=_("signaal"),
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    linked_at = models.DateTimeField(_("gekoppeld op"), default=timezone.now)

    objects = CaseSignalQuerySet.as_manager()

    class Meta:
        ordering = ["linked_at"]
        verbose_name = _("signaal bij een collectieve zaak")
        verbose_name_plural = _("signalen bij collectieve zaken")

    def __str__(self) -> str:
        return f"{self.case_id}:{self.signal_id}"


class InvitationStatus(models.TextChoices):
    SENT = "sent", _("uitgenodigd")
    ACCEPTED = "accepted", _("doet mee")
    DECLINED = "declined", _("doet niet mee")


def new_token() -> str:
    return secrets.token_urlsafe(32)


class CaseInvitationQuerySet(models.QuerySet):
    def visible_to(self, user) -> CaseInvitationQuerySet:
        """A member sees their own invitations; nobody else sees single invitations."""
        if not acting_as(user, Role.MEMBER):
            return self.none()
        return self.filter(member__user=user)


class CaseInvitation(models.Model):
    """An invitation to a member whose session lies behind the case and who consented to be
    contacted about collective action. The row is also the mail's sent mark."""

    case = models.ForeignKey(
        CollectiveCase,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("collectieve zaak"),
    )
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.CASCADE,
        related_name="case_invitations",
        verbose_name=_("lid"),
    )
    token = models.CharField(
        _("sleutel van de link"), max_length=64, unique=True, default=new_token, editable=False
    )
    status = models.CharField(
        _("status"), max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.SENT
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uitgenodigd door"),
    )
    invited_at = models.DateTimeField(_("uitgenodigd op"), default=timezone.now)
    emailed_at = models.DateTimeField(_("e-mail verstuurd op"), null=True, blank=True)
    answered_at = models.DateTimeField(_("beantwoord op"), null=True, blank=True)

    objects = CaseInvitationQuerySet.as_manager()

    class Meta:
        ordering = ["invited_at"]
        verbose_name = _("uitnodiging voor een collectieve zaak")
        verbose_name_plural = _("uitnodigingen voor collectieve zaken")
        constraints = [
            models.UniqueConstraint(fields=["case", "member"], name="case_invitation_once")
        ]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.member_id}"


class CaseParticipantQuerySet(models.QuerySet):
    def visible_to(self, user) -> CaseParticipantQuerySet:
        """Names of those who joined: the case's sector officials (the invitation says so)
        and the member themself."""
        if not acting_as(user):
            return self.none()
        if user.role == Role.SECTOR_OFFICIAL:
            sectors = user.sectors.all()
            return self.filter(Q(case__sector__in=sectors) | Q(case__employer__sector__in=sectors))
        if user.role == Role.MEMBER:
            return self.filter(member__user=user)
        return self.none()


class CaseParticipant(models.Model):
    case = models.ForeignKey(
        CollectiveCase,
        on_delete=models.CASCADE,
        related_name="case_participants",
        verbose_name=_("collectieve zaak"),
    )
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.CASCADE,
        related_name="case_participations",
        verbose_name=_("lid"),
    )
    invitation = models.OneToOneField(
        CaseInvitation,
        null=True,
        on_delete=models.SET_NULL,
        related_name="participant",
        verbose_name=_("uitnodiging"),
    )
    joined_at = models.DateTimeField(_("doet mee sinds"), default=timezone.now)

    objects = CaseParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["joined_at"]
        verbose_name = _("deelnemer aan een collectieve zaak")
        verbose_name_plural = _("deelnemers aan collectieve zaken")
        constraints = [
            models.UniqueConstraint(fields=["case", "member"], name="case_participant_once")
        ]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.member_id}"
