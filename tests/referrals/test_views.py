"""The inbox and the referral page: accept, close with an outcome, decline with a reason (all
POST), and the outcome on the referring consultant's "Mijn doorverwijzingen"."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from referrals.models import Referral, Status
from tests.conftest import login
from tests.referrals.helpers import make_referral

pytestmark = pytest.mark.django_db


def test_the_legal_department_accepts_and_closes_and_the_consultant_reads_the_outcome(client, cast):
    referral = make_referral(cast, kind="legal", consent=True)
    login(client, cast.legal)
    inbox = client.get(reverse("referrals:inbox")).content.decode()
    assert f"Doorverwijzing {referral.pk}" in inbox
    page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert cast.member.display_name in page and "Ontslag op staande voet" in page

    response = client.post(reverse("referrals:accept", args=[referral.pk]))
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED and referral.accepted_by == cast.legal

    response = client.post(
        reverse("referrals:complete", args=[referral.pk]),
        {"outcome": "Bezwaar ingediend; de werkgever trekt het ontslag in."},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == Status.DONE and referral.closed_at is not None

    client.logout()
    login(client, cast.consultant)
    mine = client.get(reverse("referrals:mine")).content.decode()
    assert "de werkgever trekt het ontslag in" in mine and "Afgerond" in mine
    assert (
        AuditEntry.objects.filter(
            object_type="referrals.referral", object_id=str(referral.pk), action="change"
        ).count()
        == 2
    )


def test_declining_needs_a_reason_and_changes_nothing_without_one(client, cast):
    referral = make_referral(cast, kind="legal")
    login(client, cast.legal)
    url = reverse("referrals:decline", args=[referral.pk])
    assert client.get(url).status_code == 200  # the confirmation page
    response = client.post(url, {"reason": "   "})
    assert response.status_code == 400
    assert "Schrijf op waarom je de doorverwijzing afwijst." in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == Status.NEW

    response = client.post(url, {"reason": "Geen juridische vraag: arbeidsvoorwaarden."})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == Status.DECLINED
    assert referral.decline_reason == "Geen juridische vraag: arbeidsvoorwaarden."


def test_closing_needs_an_outcome(client, cast):
    referral = make_referral(cast, kind="legal")
    login(client, cast.legal)
    response = client.post(reverse("referrals:complete", args=[referral.pk]), {"outcome": ""})
    assert response.status_code == 400
    assert "Schrijf kort op wat de uitkomst is." in response.content.decode()
    assert Referral.objects.get(pk=referral.pk).status == Status.NEW


def test_the_referring_consultant_reads_but_cannot_act(client, cast):
    referral = make_referral(cast, kind="legal")
    login(client, cast.consultant)
    page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert ">Oppakken</button>" not in page and "Afronden met" not in page
    assert client.post(reverse("referrals:accept", args=[referral.pk])).status_code == 404
    assert Referral.objects.get(pk=referral.pk).status == Status.NEW


def test_a_receiver_out_of_scope_gets_404_and_nothing_changes(client, cast):
    referral = make_referral(cast, kind="workshop")  # the cast region's coordinator
    login(client, cast.other_coordinator)
    assert client.get(reverse("referrals:detail", args=[referral.pk])).status_code == 404
    assert client.post(reverse("referrals:accept", args=[referral.pk])).status_code == 404
    assert Referral.objects.get(pk=referral.pk).status == Status.NEW


def test_accepting_is_post_only(client, cast):
    referral = make_referral(cast, kind="legal")
    login(client, cast.legal)
    assert client.get(reverse("referrals:accept", args=[referral.pk])).status_code == 405
    assert Referral.objects.get(pk=referral.pk).status == Status.NEW


def test_of_two_accepting_at_once_one_wins(client, cast):
    from referrals import services

    referral = make_referral(cast, kind="legal")
    services.accept(referral=referral, by=cast.admin)
    login(client, cast.legal)
    response = client.post(reverse("referrals:accept", args=[referral.pk]), follow=True)
    assert "Iemand anders heeft deze doorverwijzing net behandeld" in response.content.decode()
    assert Referral.objects.get(pk=referral.pk).accepted_by == cast.admin


def test_without_consent_the_receiver_sees_no_name_or_summary(client, cast):
    referral = make_referral(cast, kind="legal", consent=False)
    login(client, cast.legal)
    page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert cast.member.last_name not in page and "Ontslag op staande voet" not in page
    assert "geen toestemming" in page


def test_the_inbox_filters_by_status(client, cast):
    open_one = make_referral(cast, kind="legal")
    closed = make_referral(cast, kind="legal")
    from referrals import services

    services.decline(referral=closed, by=cast.legal, reason="Dubbel")
    login(client, cast.legal)
    default = client.get(reverse("referrals:inbox")).content.decode()
    assert f"Doorverwijzing {open_one.pk}<" in default
    assert f"Doorverwijzing {closed.pk}<" not in default
    declined = client.get(reverse("referrals:inbox"), {"status": "declined"}).content.decode()
    assert f"Doorverwijzing {closed.pk}<" in declined
    assert f"Doorverwijzing {open_one.pk}<" not in declined
    # A value that is no filter falls back to the open ones.
    assert client.get(reverse("referrals:inbox"), {"status": "<x>"}).status_code == 200


def test_the_admin_sees_counts_of_fallen_back_and_overdue_referrals(client, cast):
    from django.utils import timezone

    cast.legal.is_active = False
    cast.legal.save(update_fields=["is_active"])
    make_referral(cast, kind="legal")  # falls back to the coordinator
    late = make_referral(cast, kind="workshop")
    Referral.objects.filter(pk=late.pk).update(due_at=timezone.now() - timezone.timedelta(days=1))
    login(client, cast.admin)
    response = client.get(reverse("referrals:inbox"))
    assert response.context["fallen_back"] == 1
    assert response.context["overdue"] == 1
