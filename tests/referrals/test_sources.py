"""Referrals are made where the consultant records them: the session form (signals) and the
career report (loopbaan), through the real views, linked to their source by label and id."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from loopbaan.models import AppointmentReport
from referrals.models import Receiver, Referral
from signals.models import ConsultationSession, Place
from tests.factories import EmployerFactory, UserFactory
from tests.loopbaan.helpers import make_appointment
from tests.signals.helpers import theme

pytestmark = pytest.mark.django_db


def _session_post(client, **fields):
    data = {
        "at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "place": Place.UNION_HOUSE,
        "kind": "work_income",
        "themes": [theme("Ontslag").pk],
    }
    data.update(fields)
    return client.post(reverse("signals:session_new"), data)


def test_a_session_with_a_legal_referral_and_consent_makes_a_task_for_the_legal_department(
    cast, login_as
):
    employer = EmployerFactory(sector=cast.sector, name="Distributiecentrum Noord B.V.")
    client = login_as(cast.consultant)
    response = _session_post(
        client,
        union_house=cast.union_house.pk,
        member_number=cast.member.member_number,
        employer=employer.pk,
        summary="Ontslagen na ziekmelding",
        referrals=["legal", "sector_official"],
        referral_consent="on",
    )
    assert response.status_code == 302
    session = ConsultationSession.objects.get()
    legal = Referral.objects.get(source_app="signals", source_id=session.pk, kind="legal")
    assert legal.routed_to == Receiver.LEGAL and legal.referred_by == cast.consultant
    assert legal.member_name == cast.member.display_name
    assert legal.summary == "Ontslagen na ziekmelding"
    assert legal.topic == "Ontslag" and legal.employer_name == "Distributiecentrum Noord B.V."
    sector = Referral.objects.get(source_id=session.pk, kind="sector_official")
    assert sector.routed_to == Receiver.SECTOR_OFFICIAL and sector.sector == cast.sector


def test_a_session_without_referral_consent_passes_no_name_or_summary(cast, login_as):
    client = login_as(cast.consultant)
    _session_post(
        client,
        union_house=cast.union_house.pk,
        member_number=cast.member.member_number,
        summary="Vertrouwelijk",
        referrals=["legal"],
    )
    referral = Referral.objects.get()
    assert not referral.consent
    assert (referral.member_name, referral.member_contact, referral.summary) == ("", "", "")
    assert referral.region == cast.union_house.region


def test_correcting_a_session_adds_only_new_referrals(cast, login_as):
    client = login_as(cast.consultant)
    response = _session_post(
        client,
        union_house=cast.union_house.pk,
        member_number=cast.member.member_number,
        referrals=["legal"],
    )
    assert response.status_code == 302, response.context["form"].errors
    session = ConsultationSession.objects.get()
    response = client.post(
        reverse("signals:session_edit", args=[session.pk]),
        {
            "at": timezone.localtime(session.at).strftime("%Y-%m-%dT%H:%M"),
            "place": Place.UNION_HOUSE,
            "union_house": cast.union_house.pk,
            "member_number": cast.member.member_number,
            "kind": "work_income",
            "themes": [theme("Ontslag").pk],
            "referrals": ["legal", "reintegration"],
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    kinds = sorted(Referral.objects.filter(source_id=session.pk).values_list("kind", flat=True))
    assert kinds == ["legal", "reintegration"]


def test_a_career_report_with_referrals_makes_tasks_but_not_for_a_trajectory(cast, login_as):
    partner = UserFactory(role="consultant", totp=False)
    start = timezone.now() - dt.timedelta(days=1)
    appointment = make_appointment(
        cast.member, [cast.consultant, partner], cast.union_house, starts_at=start
    )
    client = login_as(cast.consultant)
    response = client.post(
        reverse("loopbaan:report", args=[appointment.pk]),
        {
            "career_question": "job_loss",
            "referrals": ["legal", "workshop", "trajectory"],
            "referral_consent": "on",
            "notes": "Wil weten wat de reorganisatie betekent.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    report = AppointmentReport.objects.get(appointment=appointment)
    referrals = Referral.objects.filter(source_app="loopbaan", source_id=report.pk)
    assert sorted(r.kind for r in referrals) == ["legal", "workshop"]
    workshop = referrals.get(kind="workshop")
    assert workshop.routed_to == Receiver.COORDINATOR and workshop.region == cast.member.region
    assert workshop.topic == "dreigend baanverlies"
    assert workshop.summary == "Wil weten wat de reorganisatie betekent."
