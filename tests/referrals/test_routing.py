"""Each kind of referral reaches its receiver, and nothing is dropped: without a receiver of
its own a referral goes to the region's coordinator, and the admin sees a count."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from core.registry import home_tiles
from core.roles import Role
from referrals.models import Receiver, Referral
from referrals.services import Source, add_working_days, refer
from tests.factories import EmployerFactory, MemberFactory, region
from tests.referrals.helpers import make_referral

pytestmark = pytest.mark.django_db


def _seen_by(user):
    return set(Referral.objects.visible_to(user).values_list("pk", flat=True))


def test_a_legal_referral_goes_to_the_legal_department_only(cast):
    referral = make_referral(cast, kind="legal")
    assert referral.routed_to == Receiver.LEGAL and referral.fallback_reason == ""
    assert referral.pk in _seen_by(cast.legal)
    for outsider in (cast.coordinator, cast.adviser, cast.sector_official, cast.other_consultant):
        assert referral.pk not in _seen_by(outsider)
    assert referral.pk in _seen_by(cast.consultant)  # who referred
    assert referral.pk in _seen_by(cast.admin)


def test_a_reintegration_referral_goes_to_the_advisers_of_the_region(cast):
    referral = make_referral(cast, kind="reintegration")
    assert referral.routed_to == Receiver.ADVISER
    assert referral.pk in _seen_by(cast.adviser)
    assert referral.pk not in _seen_by(cast.other_adviser)
    assert referral.pk not in _seen_by(cast.legal)


def test_a_sector_referral_goes_to_the_official_of_the_members_sector(cast):
    referral = make_referral(cast, kind="sector_official")
    assert referral.routed_to == Receiver.SECTOR_OFFICIAL
    assert referral.sector == cast.sector
    assert referral.pk in _seen_by(cast.sector_official)
    assert referral.pk not in _seen_by(cast.other_sector_official)


def test_a_workshop_referral_goes_to_the_coordinator_of_the_region(cast):
    referral = make_referral(cast, kind="workshop")
    assert referral.routed_to == Receiver.COORDINATOR and referral.fallback_reason == ""
    assert referral.pk in _seen_by(cast.coordinator)
    assert referral.pk not in _seen_by(cast.other_coordinator)


def test_without_an_adviser_in_the_region_it_falls_back_to_the_coordinator(cast):
    cast.adviser.is_active = False
    cast.adviser.save(update_fields=["is_active"])
    referral = make_referral(cast, kind="reintegration")
    assert referral.routed_to == Receiver.COORDINATOR
    assert "trajectadviseur" in referral.fallback_reason
    assert referral.pk in _seen_by(cast.coordinator)
    assert referral.pk not in _seen_by(cast.adviser)


def test_without_a_legal_department_it_falls_back_and_the_admin_sees_the_count(cast):
    cast.legal.is_active = False
    cast.legal.save(update_fields=["is_active"])
    referral = make_referral(cast, kind="legal")
    assert referral.routed_to == Receiver.COORDINATOR and referral.fallback_reason
    assert referral.pk in _seen_by(cast.coordinator)
    [tile] = [t for t in home_tiles(cast.admin) if t.url == "/doorverwijzingen/"]
    assert tile.description.startswith("1 zonder eigen ontvanger")
    assert tile.badge == "1"


def test_a_sector_referral_without_a_sector_goes_to_the_coordinator(cast):
    member = MemberFactory(sector=None, region=cast.region)
    referral = make_referral(cast, kind="sector_official", member=member)
    assert referral.routed_to == Receiver.COORDINATOR
    assert referral.fallback_reason == "De sector is niet bekend."


def test_without_a_region_only_the_admin_sees_it(cast):
    member = MemberFactory(region=None, postcode="", sector=cast.sector)
    [referral] = refer(
        by=cast.consultant,
        source=Source(app="signals", id=77, member=member, region=None, sector=None, employer=None),
        kinds=["workshop"],
        consent=False,
    )
    assert referral.fallback_reason == "De regio is niet bekend."
    users = [cast.coordinator, cast.other_coordinator, cast.legal, cast.adviser]
    assert all(referral.pk not in _seen_by(user) for user in users)
    assert Referral.objects.fallen_back().filter(pk=referral.pk).exists()


def test_with_consent_the_receiver_gets_name_contact_and_summary(cast):
    referral = make_referral(cast, kind="legal", consent=True)
    assert referral.member_name == cast.member.display_name
    assert cast.member.email in referral.member_contact
    assert referral.summary.startswith("Ontslag op staande voet")


def test_without_consent_only_topic_employer_and_region_pass_on(cast):
    employer = EmployerFactory(name="Bakkerij Jansen B.V.", sector=cast.sector)
    [referral] = refer(
        by=cast.consultant,
        source=Source(
            app="signals",
            id=5,
            member=cast.member,
            region=cast.region,
            sector=cast.sector,
            employer=employer,
            topic="Loon",
            summary="Vertrouwelijk verhaal",
        ),
        kinds=["legal"],
        consent=False,
    )
    assert (referral.member_name, referral.member_contact, referral.summary) == ("", "", "")
    assert (referral.topic, referral.employer_name, referral.region) == (
        "Loon",
        "Bakkerij Jansen B.V.",
        cast.region,
    )


def test_a_kind_is_referred_once_per_source_and_other_values_are_skipped(cast):
    source = Source(
        app="loopbaan", id=12, member=cast.member, region=cast.region, sector=None, employer=None
    )
    first = refer(by=cast.consultant, source=source, kinds=["legal", "trajectory"], consent=True)
    again = refer(by=cast.consultant, source=source, kinds=["legal", "workshop"], consent=True)
    assert [r.kind for r in first] == ["legal"]
    assert [r.kind for r in again] == ["workshop"]
    assert Referral.objects.filter(source_app="loopbaan", source_id=12).count() == 2


def test_the_due_date_is_five_working_days_later():
    amsterdam = ZoneInfo("Europe/Amsterdam")
    friday = dt.datetime(2026, 3, 6, 10, 0, tzinfo=amsterdam)
    assert add_working_days(friday, 5) == dt.datetime(2026, 3, 13, 10, 0, tzinfo=amsterdam)
    wednesday = dt.datetime(2026, 3, 4, 10, 0, tzinfo=amsterdam)
    assert add_working_days(wednesday, 5) == dt.datetime(2026, 3, 11, 10, 0, tzinfo=amsterdam)


def test_the_due_date_follows_the_setting(cast, settings):
    settings.FNV = {**settings.FNV, "REFERRAL_DUE_WORKING_DAYS": 1}
    referral = make_referral(cast)
    assert referral.due_at - referral.created_at <= dt.timedelta(days=3)


def test_the_legal_role_is_staff_with_a_home_page(client, cast):
    from tests.conftest import login

    assert cast.legal.is_staff_role and Role.LEGAL == "legal"
    make_referral(cast, kind="legal")
    login(client, cast.legal)
    page = client.get("/").content.decode()
    assert "Juridisch medewerker" in page and "/doorverwijzingen/" in page
    assert region("AM13")  # the cast's region exists for the home page's scope
