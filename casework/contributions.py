"""What casework contributes to shared pages: the signal page's case box, home tiles, erasure."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from casework.models import CaseInvitation, CaseParticipant, InvitationStatus
from casework.selectors import case_for_signal
from core.registry import Tile
from core.roles import Role, acting_as
from trajectories.models import CollectiveCase


def signal_actions(signal, *, user) -> list[Tile]:
    """On a signal's page: the case it belongs to (and its outcome), or, for the sector
    official, the way to open or link one."""
    case = case_for_signal(signal)
    if case is not None:
        visible = CollectiveCase.objects.visible_to(user).filter(pk=case.pk).exists()
        description = case.get_status_display()
        if case.outcome:
            description = _("%(status)s. Uitkomst: %(outcome)s") % {
                "status": description,
                "outcome": case.outcome,
            }
        return [
            Tile(
                title=_("Collectieve zaak: %(name)s") % {"name": case.name},
                description=description,
                url=reverse("casework:case", kwargs={"pk": case.pk}) if visible else "",
            )
        ]
    if acting_as(user, Role.SECTOR_OFFICIAL) and signal.is_active:
        return [
            Tile(
                title=_("Collectieve zaak openen of koppelen"),
                description=_(
                    "Maak van dit signaal een collectieve zaak, of voeg het toe aan een lopende zaak."
                ),
                url=reverse("casework:from_signal", kwargs={"signal_pk": signal.pk}),
            )
        ]
    return []


def home_tiles(user) -> list[Tile]:
    if acting_as(user, Role.SECTOR_OFFICIAL):
        return [
            Tile(
                title=_("Collectieve zaken"),
                description=_("Zaken uit signalen: gesprekken erachter, uitnodigingen, uitkomst."),
                url=reverse("casework:case_list"),
            )
        ]
    if acting_as(user, Role.MEMBER):
        waiting = CaseInvitation.objects.visible_to(user).filter(
            status=InvitationStatus.SENT, case__status="open"
        )
        first = waiting.order_by("invited_at").first()
        if first is not None:
            return [
                Tile(
                    title=_("Uitnodiging voor collectieve actie"),
                    description=_("De FNV vraagt of je meedoet met een collectieve zaak."),
                    url=reverse("casework:invitation", kwargs={"token": first.token}),
                    badge=str(waiting.count()),
                )
            ]
    return []


def erase_member(*, member) -> dict[str, int]:
    participations, _deleted = CaseParticipant.objects.filter(member=member).delete()
    invitations, _deleted = CaseInvitation.objects.filter(member=member).delete()
    return {
        "case_participations_deleted": participations,
        "case_invitations_deleted": invitations,
    }
