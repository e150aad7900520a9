"""Tiles this app adds to a role's home page (collected by fnvregio.registry.home_tiles)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from core.registry import Tile
from core.roles import Role
from members.models import Employer
from signals.models import Signal, SignalNotification


def tiles(user) -> list[Tile]:
    result: list[Tile] = []
    if user.role == Role.CONSULTANT:
        result.append(
            Tile(
                _("Spreekuurgesprek vastleggen"),
                _("In een minuut: thema, werkgever, toestemming."),
                reverse("signals:session_new"),
            )
        )
        result.append(
            Tile(
                _("Mijn gesprekken"),
                _("Bekijk en corrigeer je gesprekken van de laatste 7 dagen."),
                reverse("signals:session_list"),
            )
        )
    if user.role == Role.MEMBER:
        result.append(
            Tile(
                _("Mijn toestemmingen"),
                _("Wat je met de sectorbestuurder laat delen, en intrekken."),
                reverse("signals:my_consents"),
            )
        )
    if user.role in (Role.SECTOR_OFFICIAL, Role.COORDINATOR, Role.ADMIN):
        open_count = Signal.objects.visible_to(user).filter(status="open").count()
        unread = SignalNotification.objects.for_user(user).unread().count()
        result.append(
            Tile(
                _("Signalen"),
                _("Terugkerende problemen uit de spreekuren, open signalen eerst."),
                reverse("signals:signal_list"),
                badge=str(open_count) if open_count else "",
            )
        )
        result.append(
            Tile(
                _("Meldingen"),
                _(
                    "Nieuwe en gegroeide signalen; kies losse e-mails of een dagelijkse samenvatting."
                ),
                reverse("signals:inbox"),
                badge=str(unread) if unread else "",
            )
        )
        result.append(
            Tile(
                _("Signalen op de kaart"),
                _("Signalen per 10.000 leden in de 35 regio's."),
                reverse("signals:map"),
            )
        )
    if user.role == Role.COORDINATOR:
        for region in user.regions.all():
            result.append(
                Tile(
                    _("Spreekuren in %(region)s") % {"region": region.name},
                    _("Gesprekken per thema per maand en lopende signalen."),
                    reverse("signals:region", kwargs={"code": region.code}),
                )
            )
    if user.role == Role.ADMIN:
        proposed = Employer.objects.filter(is_confirmed=False, merged_into__isnull=True).count()
        result.append(
            Tile(
                _("Voorgestelde werkgevers"),
                _("Bevestigen of samenvoegen."),
                reverse("signals:employer_review"),
                badge=str(proposed) if proposed else "",
            )
        )
    return result
