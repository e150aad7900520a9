"""Logging a session in one form, and correcting one's own sessions for 7 days."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from members.models import Employer
from signals import services
from signals.models import (
    Consent,
    ConsultationSession,
    Place,
    SessionKind,
    ThemeDayCount,
    ThemeWeekCount,
)
from tests.factories import EmployerFactory, MemberFactory
from tests.signals.helpers import log_session, theme

pytestmark = pytest.mark.django_db


def _post(client, **overrides):
    data = {
        "at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "place": Place.UNION_HOUSE,
        "kind": "work_income",
        "themes": [theme("Ontslag").pk],
    }
    data.update(overrides)
    return client.post(reverse("signals:session_new"), data)


def test_the_form_defaults_to_now_and_the_consultants_union_house(cast, login_as):
    client = login_as(cast.consultant)
    form = client.get(reverse("signals:session_new")).context["form"]
    assert form.initial["union_house"] == cast.union_house.pk
    assert abs(form.initial["at"] - timezone.localtime()) < dt.timedelta(minutes=2)


def test_a_consultant_logs_a_session_with_member_employer_themes_and_consent(cast, login_as):
    employer = EmployerFactory(sector=cast.sector)
    client = login_as(cast.consultant)
    response = _post(
        client,
        union_house=cast.union_house.pk,
        member_number=cast.member.member_number,
        employer=employer.pk,
        summary="Loon te laat",
        consent_to_share="on",
        referrals=["legal"],
    )
    assert response.status_code == 302
    session = ConsultationSession.objects.get()
    assert session.member == cast.member
    assert session.employer == employer and session.sector == cast.sector
    assert session.region == cast.union_house.region
    assert session.referrals == ["legal"]
    assert Consent.objects.get(session=session).withdrawn_at is None
    assert ThemeDayCount.objects.filter(region=session.region, count=1).exists()
    assert AuditEntry.objects.filter(action="create", subject_member_id=cast.member.pk).exists()


def test_an_unknown_member_number_is_refused_and_not_a_member_is_accepted(cast, login_as):
    client = login_as(cast.consultant)
    response = _post(client, union_house=cast.union_house.pk, member_number="99999999")
    assert response.status_code == 200 and not ConsultationSession.objects.exists()
    _post(client, union_house=cast.union_house.pk, not_a_member="on")
    session = ConsultationSession.objects.get()
    assert session.member is None and not session.is_member


def test_a_new_employer_is_proposed_inline(cast, login_as):
    client = login_as(cast.consultant)
    _post(
        client,
        union_house=cast.union_house.pk,
        not_a_member="on",
        employer="new",
        new_employer_name="Bakkerij  De Korenschoof",
        sector=cast.sector.pk,
    )
    employer = Employer.objects.get(name="Bakkerij De Korenschoof")
    assert not employer.is_confirmed and employer.proposed_by == cast.consultant
    assert ConsultationSession.objects.get().employer == employer


def test_without_javascript_a_typed_employer_shows_choices(cast, login_as):
    EmployerFactory(name="Albert Heijn B.V.", aliases=["AH"])
    client = login_as(cast.consultant)
    response = _post(
        client, union_house=cast.union_house.pk, not_a_member="on", employer_query="AH"
    )
    assert response.status_code == 200
    assert "Albert Heijn B.V." in response.content.decode()
    assert not ConsultationSession.objects.exists()


def test_a_consultant_corrects_an_own_session_within_seven_days(cast, login_as):
    session = log_session(cast, themes=[theme("Ontslag")])
    client = login_as(cast.consultant)
    url = reverse("signals:session_edit", kwargs={"pk": session.pk})
    assert client.get(url).status_code == 200
    client.post(
        url,
        {
            "at": timezone.localtime(session.at).strftime("%Y-%m-%dT%H:%M"),
            "place": Place.PHONE,
            "kind": "work_income",
            "not_a_member": "on",
            "themes": [theme("Werkdruk").pk],
        },
    )
    session.refresh_from_db()
    assert session.place == Place.PHONE
    assert list(session.themes.values_list("name", flat=True)) == ["Werkdruk"]
    counts = dict(
        ThemeDayCount.objects.filter(region=session.region).values_list("theme__name", "count")
    )
    assert counts == {"Ontslag": 0, "Werkdruk": 1}


def test_a_session_older_than_seven_days_cannot_be_corrected(cast, login_as):
    session = log_session(cast)
    ConsultationSession.objects.filter(pk=session.pk).update(
        created_at=timezone.now() - dt.timedelta(days=7, minutes=1)
    )
    client = login_as(cast.consultant)
    assert client.get(reverse("signals:session_edit", kwargs={"pk": session.pk})).status_code == 404


def test_consultants_see_only_their_own_sessions(cast, login_as):
    mine = log_session(cast)
    theirs = log_session(cast, consultant=cast.other_consultant)
    client = login_as(cast.consultant)
    sessions = list(client.get(reverse("signals:session_list")).context["sessions"])
    assert mine in sessions and theirs not in sessions
    assert client.get(reverse("signals:session_edit", kwargs={"pk": theirs.pk})).status_code == 404


def test_posting_a_foreign_consultant_field_changes_nothing(cast, login_as):
    client = login_as(cast.consultant)
    _post(
        client,
        union_house=cast.union_house.pk,
        not_a_member="on",
        consultant=cast.other_consultant.pk,
    )
    assert ConsultationSession.objects.get().consultant == cast.consultant


def test_a_member_lookup_uses_the_exact_number(cast, login_as):
    other = MemberFactory(member_number="12345678")
    client = login_as(cast.consultant)
    _post(client, union_house=cast.union_house.pk, member_number="1234567")
    assert not ConsultationSession.objects.exists()
    _post(client, union_house=cast.union_house.pk, member_number="12345678")
    assert ConsultationSession.objects.get().member == other


def test_a_correction_naming_a_merged_employer_files_the_session_under_the_one_it_joined(cast):
    """Logging and correcting share one way of writing the details; correcting used to keep a
    merged-away employer (and its sector) that logging replaced."""
    from signals import services
    from tests.factories import EmployerFactory
    from tests.signals.helpers import log_session

    source, target = EmployerFactory(sector=cast.sector), EmployerFactory(sector=cast.sector)
    session = log_session(cast)
    services.employer_merge(source=source, target=target, by=cast.admin)
    source.refresh_from_db()
    services.session_update(
        session=session,
        by=cast.consultant,
        details=services.SessionDetails(
            at=session.at,
            place=session.place,
            union_house=session.union_house,
            kind=session.kind,
            member=None,
            employer=source,
            sector=None,
            themes=list(session.themes.all()),
        ),
    )
    session.refresh_from_db()
    assert session.employer == target and session.sector == cast.sector


def _by_week(rows) -> dict[tuple, int]:
    weeks: dict[tuple, int] = {}
    for day, theme_id, region_id, sector_id, count in rows:
        key = (day - dt.timedelta(days=day.weekday()), theme_id, region_id, sector_id)
        weeks[key] = weeks.get(key, 0) + count
    return {key: count for key, count in weeks.items() if count}


def test_the_week_counts_follow_the_day_counts_through_logging_correcting_and_deleting(cast):
    """The trigger on the day counts keeps the week counts (the theme-rise rule reads both)."""
    fields = ("day", "theme_id", "region_id", "sector_id", "count")
    employer = EmployerFactory(sector=cast.sector)
    sessions = [
        log_session(cast, employer=employer if i % 2 else None, days_ago=i * 3, themes=[theme()])
        for i in range(6)
    ]
    moved = sessions[1]
    services.session_update(
        session=moved,
        by=cast.consultant,
        details=services.SessionDetails(
            at=moved.at - dt.timedelta(days=9),  # into another week, with another theme
            place=Place.UNION_HOUSE,
            union_house=cast.consultant.union_houses.first(),
            kind=SessionKind.WORK_INCOME,
            member=None,
            employer=employer,
            sector=None,
            themes=[theme("Werkdruk")],
        ),
    )
    ThemeDayCount.objects.filter(day=sessions[4].day).delete()
    days = _by_week(ThemeDayCount.objects.values_list(*fields))
    weeks = {
        (week, theme_id, region_id, sector_id): count
        for week, theme_id, region_id, sector_id, count in ThemeWeekCount.objects.values_list(
            "week", "theme_id", "region_id", "sector_id", "count"
        )
        if count
    }
    assert weeks == days
    assert any(sector_id == cast.sector.pk for _, _, _, sector_id in weeks)
    assert len({week for week, *_ in weeks}) >= 3


def test_the_ticked_themes_stay_ticked_when_correcting_and_after_an_error(cast, login_as):
    ontslag, werkdruk, loon = theme("Ontslag"), theme("Werkdruk"), theme("Loon")
    session = log_session(cast, themes=[ontslag, werkdruk])
    client = login_as(cast.consultant)

    def ticked(html: str) -> set[int]:
        return {
            t.pk
            for t in (ontslag, werkdruk, loon)
            if f'value="{t.pk}" id="theme-{t.pk}" checked' in html
        }

    page = client.get(reverse("signals:session_edit", kwargs={"pk": session.pk}))
    assert ticked(page.content.decode()) == {ontslag.pk, werkdruk.pk}
    # A refused form (a date in the far future) shows what was ticked in the post.
    refused = _post(client, at="2999-01-01T10:00", themes=[loon.pk])
    assert refused.status_code == 200
    assert ticked(refused.content.decode()) == {loon.pk}
