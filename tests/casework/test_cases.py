"""From a signal to a collective case: open or link, evidence under the privacy rules, invite
the members who consented, accept, outcome back on the signal."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEntry
from casework import selectors, services
from casework.models import CaseInvitation, CaseParticipant, CaseSignal, InvitationStatus
from core import registry
from signals import services as signal_services
from signals.models import ConsentScope, SignalAction, SignalStatus
from tests.casework import helpers as h
from tests.conftest import login
from tests.factories import EmployerFactory
from trajectories.models import CollectiveCase, CollectiveCaseStatus

pytestmark = pytest.mark.django_db


def _invite_all(cast, case, django_capture_on_commit_callbacks):
    expected = selectors.invitable_members(case, by=cast.sector_official).count()
    with django_capture_on_commit_callbacks(execute=True):
        return services.case_invite(case=case, by=cast.sector_official, expected=expected)


def test_opening_a_case_from_a_signal_prefills_it_and_puts_the_signal_in_progress(cast):
    signal, _yes, _no = h.signal_with_members(cast)
    case = h.open_case(cast, signal)
    assert case.employer == signal.employer
    assert case.region == cast.region
    assert case.sector == cast.sector
    assert case.status == CollectiveCaseStatus.OPEN
    assert CaseSignal.objects.get(signal=signal).case == case
    signal.refresh_from_db()
    assert signal.status == SignalStatus.IN_PROGRESS
    assert signal.action == SignalAction.COLLECTIVE_CASE
    assert AuditEntry.objects.filter(
        object_type="trajectories.collectivecase", object_id=str(case.pk), action="create"
    ).exists()


def test_the_form_page_prefills_employer_and_description_and_opens_through_post(cast, client):
    signal, _yes, _no = h.signal_with_members(cast)
    login(client, cast.sector_official)
    url = reverse("casework:from_signal", kwargs={"signal_pk": signal.pk})
    page = client.get(url).content.decode()
    assert "Distributiecentrum Oost B.V." in page
    assert "Geopend uit het signaal" in page
    assert not CollectiveCase.objects.exists()  # GET writes nothing
    response = client.post(
        url, {"action": "open", "name": "  ", "kind": "other", "description": ""}
    )
    assert response.status_code == 200
    assert not CollectiveCase.objects.exists()
    response = client.post(
        url, {"action": "open", "name": "Onderbetaling", "kind": "other", "description": "x"}
    )
    case = CollectiveCase.objects.get()
    assert response.url == reverse("casework:case", kwargs={"pk": case.pk})


def test_a_signal_can_be_linked_to_an_open_case_and_only_once(cast):
    signal, _yes, _no = h.signal_with_members(cast)
    case = h.open_case(cast, signal)
    other_signal, _y, _n = h.signal_with_members(
        cast, consenting=("Smit",), silent=("Mulder", "Bos")
    )
    services.case_link_signal(case=case, signal=other_signal, by=cast.sector_official)
    assert set(case.case_signals.values_list("signal_id", flat=True)) == {
        signal.pk,
        other_signal.pk,
    }
    with pytest.raises(ValidationError):
        services.case_link_signal(case=case, signal=other_signal, by=cast.sector_official)


def test_an_official_of_another_sector_can_neither_open_nor_see_the_case(cast, client):
    signal, _yes, _no = h.signal_with_members(cast)
    with pytest.raises(ValidationError):
        services.case_open_from_signal(
            signal=signal, by=cast.other_sector_official, name="x", kind="other"
        )
    case = h.open_case(cast, signal)
    login(client, cast.other_sector_official)
    assert client.get(reverse("casework:case", kwargs={"pk": case.pk})).status_code == 404
    assert (
        client.get(reverse("casework:from_signal", kwargs={"signal_pk": signal.pk})).status_code
        == 404
    )


def test_only_members_who_consented_to_contact_are_invited_and_mailed(
    cast, django_capture_on_commit_callbacks
):
    signal, yes, no = h.signal_with_members(cast)
    case = h.open_case(cast, signal)
    assert set(selectors.invitable_members(case, by=cast.sector_official)) == set(yes)
    mail.outbox.clear()
    assert _invite_all(cast, case, django_capture_on_commit_callbacks) == 2
    assert set(CaseInvitation.objects.values_list("member", flat=True)) == {m.pk for m in yes}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(m.email for m in yes)
    silent = no[0]
    for message in mail.outbox:
        assert silent.last_name not in message.body
        assert silent.email not in message.to
        assert "Distributiecentrum Oost" in message.subject
        invitation = CaseInvitation.objects.get(member__email=message.to[0])
        assert invitation.token in message.body
    # invited once: a second round finds nobody new
    with pytest.raises(ValidationError):
        _invite_all(cast, case, django_capture_on_commit_callbacks)
    assert AuditEntry.objects.filter(object_type="casework.caseinvitation").count() == 2


def test_a_share_only_or_withdrawn_consent_does_not_make_a_member_invitable(cast):
    signal, yes, _no = h.signal_with_members(cast, consenting=("Jansen", "Bakker", "Dekker"))
    withdrawn = yes[0]
    session = withdrawn.consultation_sessions.get()
    signal_services.consent_withdraw(
        session=session, by=withdrawn.user, scope=ConsentScope.CONTACT_COLLECTIVE
    )
    sharer = h.member(cast, "Peters")
    h.session(cast, employer=signal.employer, member=sharer, share=True)
    from signals.detection import run_detection

    run_detection(full=True)
    case = h.open_case(cast, signal)
    invitable = set(selectors.invitable_members(case, by=cast.sector_official))
    assert invitable == set(yes[1:])


def test_the_invite_is_refused_when_the_count_changed_since_the_confirm_step(cast):
    signal, yes, _no = h.signal_with_members(cast)
    case = h.open_case(cast, signal)
    signal_services.consent_withdraw(
        session=yes[0].consultation_sessions.get(), scope=ConsentScope.CONTACT_COLLECTIVE
    )
    with pytest.raises(ValidationError, match="intussen veranderd"):
        services.case_invite(case=case, by=cast.sector_official, expected=2)
    assert not CaseInvitation.objects.exists()


def test_the_confirm_step_shows_the_count_and_never_a_name(cast, client):
    signal, yes, no = h.signal_with_members(cast)
    case = h.open_case(cast, signal)
    login(client, cast.sector_official)
    url = reverse("casework:invite", kwargs={"pk": case.pk})
    page = client.get(url).content.decode()
    assert "Aantal leden dat een uitnodiging krijgt: minder dan 3" in page
    for person in [*yes, *no]:
        assert person.last_name not in page
    assert not CaseInvitation.objects.exists()  # the GET is only the confirm step
    response = client.post(url, {"expected": "2"})
    assert response.status_code == 302
    assert CaseInvitation.objects.count() == 2


def test_an_invited_member_accepts_logged_in_and_joins_as_participant(
    cast, client, django_capture_on_commit_callbacks
):
    signal, yes, _no = h.signal_with_members(cast)
    case = h.open_case(cast, signal)
    _invite_all(cast, case, django_capture_on_commit_callbacks)
    invitation = CaseInvitation.objects.get(member=yes[0])
    url = reverse("casework:invitation", kwargs={"token": invitation.token})
    assert client.get(url).status_code == 302  # to the login page
    login(client, yes[1].user)
    assert client.get(url).status_code == 404  # someone else's invitation
    client.logout()
    login(client, yes[0].user)
    assert "Ik doe mee" in client.get(url).content.decode()
    client.post(url, {"answer": "accept"})
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED
    assert CaseParticipant.objects.filter(case=case, member=yes[0]).exists()
    client.post(url, {"answer": "decline"})  # answered once
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED
    assert AuditEntry.objects.filter(
        object_type="casework.caseinvitation", detail="uitnodiging aangenomen"
    ).exists()


def test_the_case_page_names_participants_to_the_official_and_counts_only_to_the_coordinator(
    cast, client, django_capture_on_commit_callbacks
):
    signal, yes, no = h.signal_with_members(cast, consenting=("Jansen", "Bakker", "Dekker"))
    case = h.open_case(cast, signal)
    _invite_all(cast, case, django_capture_on_commit_callbacks)
    for person in yes:
        services.invitation_answer(
            invitation=CaseInvitation.objects.get(member=person), by=person.user, accept=True
        )
    login(client, cast.sector_official)
    page = client.get(reverse("casework:case", kwargs={"pk": case.pk})).content.decode()
    for person in yes:
        assert person.last_name in page
    assert no[0].last_name not in page  # neither shared nor joined: never named
    client.logout()
    login(client, cast.coordinator)
    page = client.get(reverse("casework:case", kwargs={"pk": case.pk})).content.decode()
    for person in [*yes, *no]:
        assert person.last_name not in page
    assert 'id="accepted-count">3<' in page


def test_identities_on_the_case_page_follow_the_share_consent(cast, client):
    signal, _yes, no = h.signal_with_members(cast)
    sharer = h.member(cast, "Peters")
    h.session(cast, employer=signal.employer, member=sharer, share=True)
    from signals.detection import run_detection

    run_detection(full=True)
    case = h.open_case(cast, signal)
    login(client, cast.sector_official)
    page = client.get(reverse("casework:case", kwargs={"pk": case.pk})).content.decode()
    assert "Peters" in page
    assert "Samenvatting van Peters" in page
    assert "Samenvatting van Jansen" not in page  # consented to contact, not to share
    assert no[0].last_name not in page


def test_the_outcome_closes_the_case_and_flows_back_to_its_signals(cast, client):
    signal, _yes, _no = h.signal_with_members(cast)
    case = h.open_case(cast, signal)
    login(client, cast.sector_official)
    url = reverse("casework:outcome", kwargs={"pk": case.pk})
    assert client.get(url).status_code == 405
    client.post(url, {"outcome": "   "})
    case.refresh_from_db()
    assert case.is_open
    client.post(url, {"outcome": "Nabetaling van het loon voor 40 medewerkers."})
    case.refresh_from_db()
    assert case.status == CollectiveCaseStatus.CLOSED
    signal.refresh_from_db()
    assert signal.status == SignalStatus.CLOSED
    assert "Nabetaling van het loon" in signal.outcome
    page = client.get(reverse("signals:signal", kwargs={"pk": signal.pk})).content.decode()
    assert "Nabetaling van het loon" in page
    assert "Collectieve zaak: Onderbetaling Distributiecentrum Oost" in page
    assert AuditEntry.objects.filter(
        object_type="trajectories.collectivecase", detail="uitkomst vastgelegd"
    ).exists()


def test_the_signal_page_offers_the_official_to_open_a_case_and_nobody_else(cast):
    signal, _yes, _no = h.signal_with_members(cast)
    [tile] = registry.signal_actions(signal, user=cast.sector_official)
    assert tile.url == reverse("casework:from_signal", kwargs={"signal_pk": signal.pk})
    assert registry.signal_actions(signal, user=cast.coordinator) == []


def test_a_member_withdraws_the_contact_consent_on_their_consent_page_without_touching_sharing(
    cast, client
):
    employer = EmployerFactory(sector=cast.sector)
    session = h.session(cast, employer=employer, member=cast.member, share=True, contact=True)
    login(client, cast.member_user)
    page = client.get(reverse("signals:my_consents")).content.decode()
    assert "collectieve actie" in page
    contact = session.consents.get(scope=ConsentScope.CONTACT_COLLECTIVE)
    client.post(reverse("signals:my_consent_withdraw", kwargs={"pk": contact.pk}))
    contact.refresh_from_db()
    assert contact.withdrawn_at is not None
    assert session.active_consent() is not None  # the share consent stays


def test_a_non_member_session_never_records_a_contact_consent(cast):
    employer = EmployerFactory(sector=cast.sector)
    session = h.session(cast, employer=employer, member=None, contact=True)
    assert not session.consents.exists()


def test_erasure_removes_invitations_and_participation(cast, django_capture_on_commit_callbacks):
    signal, yes, _no = h.signal_with_members(cast)
    case = h.open_case(cast, signal)
    _invite_all(cast, case, django_capture_on_commit_callbacks)
    services.invitation_answer(
        invitation=CaseInvitation.objects.get(member=yes[0]), by=yes[0].user, accept=True
    )
    report = registry.erase_member(member=yes[0])
    assert report["case_participations_deleted"] == 1
    assert report["case_invitations_deleted"] == 1
    assert not CaseInvitation.objects.filter(member=yes[0]).exists()
