"""Dates have plausible ranges, and hand-parsed values are parsed safely (core/bounds.py)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core import bounds
from tests.conftest import login

TODAY = dt.date(2026, 11, 30)


def test_a_range_includes_both_ends_and_moves_with_today():
    goal = bounds.GOAL
    assert goal.limits(TODAY) == (dt.date(2024, 11, 30), dt.date(2031, 11, 30))
    assert timezone.localdate() in goal
    assert dt.date(1, 1, 1) not in goal
    assert dt.datetime(9999, 12, 31, 23, 59) not in bounds.PORTAL


def test_a_range_from_29_february_lands_on_28_february():
    assert bounds.years_from_today(1)(dt.date(2028, 2, 29)) == dt.date(2029, 2, 28)


def test_the_message_says_which_dates_are_possible():
    with pytest.raises(Exception) as raised:
        bounds.PORTAL.validate(dt.date(1, 1, 1))
    assert raised.value.messages == ["Kies een datum tussen 1 januari 2000 en 31 december 2100."]


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2026-12-01", dt.date(2026, 12, 1)),
        ("0001-01-01", None),
        ("9999-12-31", None),
        ("2026-02-30", None),
        ("a\x00b", None),
        ("x" * 100_000, None),
        ("２０２６-12-01", None),
        ("", None),
    ],
)
def test_a_date_parameter_is_a_plausible_date_or_nothing(value, expected):
    assert bounds.date_param({"dag": value}, "dag") == expected


@pytest.mark.parametrize(
    "value, expected",
    [("12", 12), ("abc", None), ("99999999999999999999", None), ("9" * 5000, None), ("١٢", None)],
)
def test_an_integer_parameter_fits_a_database_integer_or_is_nothing(value, expected):
    assert bounds.int_param({"n": value}, "n") == expected


def test_a_text_parameter_with_a_nul_byte_is_empty_and_a_long_one_is_cut():
    assert bounds.text_param({"q": "a\x00b"}, "q") == ""
    assert len(bounds.text_param({"q": "x" * 100_000}, "q")) == 200


@pytest.mark.django_db
def test_a_session_dated_in_the_year_1_is_refused_with_a_message_and_not_stored(client, cast):
    """It used to be stored as a BC timestamp that Python cannot read back: every page showing
    the session answered 500 from then on."""
    from signals.models import ConsultationSession
    from tests.signals.helpers import theme

    login(client, cast.consultant)
    response = client.post(
        reverse("signals:session_new"),
        {
            "at": "0001-01-01T00:00",
            "place": "union_house",
            "union_house": cast.union_house.pk,
            "kind": "work_income",
            "not_a_member": "on",
            "themes": [theme().pk],
        },
    )
    assert response.status_code == 200
    assert "Kies een datum tussen" in response.content.decode()
    assert not ConsultationSession.objects.exists()
    assert client.get(reverse("signals:session_list")).status_code == 200


@pytest.mark.django_db
def test_the_date_picker_is_told_the_range(client, cast):
    login(client, cast.consultant)
    page = client.get(reverse("loopbaan:availability")).content.decode()
    first, last = bounds.AVAILABILITY.limits()
    assert f'min="{first.isoformat()}"' in page and f'max="{last.isoformat()}"' in page


@pytest.mark.django_db
def test_a_goal_date_out_of_range_is_refused_with_the_range_as_message(client, cast):
    from tests.trajectories import factories as f

    trajectory = f.trajectory(adviser=cast.adviser, member=cast.member)
    login(client, cast.adviser)
    response = client.post(
        reverse("trajectories:goal_add", kwargs={"pk": trajectory.pk}),
        {"description": "Cv bijwerken", "due_on": "9999-12-31"},
        follow=True,
    )
    assert "Kies een datum tussen" in response.content.decode()
    assert not trajectory.plan.goals.exists()


@pytest.mark.django_db
def test_a_blocked_day_in_the_year_9999_is_refused(client, cast):
    from loopbaan.models import BlockedDay

    login(client, cast.consultant)
    response = client.post(
        reverse("loopbaan:availability"), {"action": "blocked", "blocked-date": "9999-12-31"}
    )
    assert response.status_code == 400
    assert "Kies een datum tussen" in response.content.decode()
    assert not BlockedDay.objects.exists()


def _admin_field(cast, model, name, *, inline=None):
    from django.contrib import admin
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = cast.admin
    model_admin = admin.site._registry[model]
    if inline is not None:
        model_admin = next(
            i for i in model_admin.get_inline_instances(request) if isinstance(i, inline)
        )
        return model_admin.get_formset(request).form.base_fields[name]
    return model_admin.get_form(request).base_fields[name]


@pytest.mark.django_db
def test_the_admin_refuses_a_birth_date_in_the_year_1_and_keeps_old_members(cast):
    from django.core.exceptions import ValidationError

    from members.models import Member

    field = _admin_field(cast, Member, "birth_date")
    with pytest.raises(ValidationError, match="1 januari 1900"):
        field.clean("0001-01-01")
    assert field.clean("1931-05-01") == dt.date(1931, 5, 1)


@pytest.mark.django_db
def test_the_admin_refuses_a_workshop_session_in_the_year_9999_inline_too(cast):
    from django.core.exceptions import ValidationError

    from trajectories.admin import WorkshopSessionInline
    from trajectories.models import Workshop, WorkshopSession

    for field in [
        _admin_field(cast, WorkshopSession, "starts_at"),
        _admin_field(cast, Workshop, "starts_at", inline=WorkshopSessionInline),
    ]:
        with pytest.raises(ValidationError, match="Kies een datum tussen"):
            field.clean(["9999-12-31", "23:59"])
        assert field.clean(["2027-03-01", "10:00"]).year == 2027


@pytest.mark.django_db
def test_a_nul_byte_in_an_admin_filter_is_a_bad_request(client, cast):
    login(client, cast.admin)
    url = reverse("admin:members_member_changelist")
    assert client.get(url, {"status": "a\x00b"}).status_code == 400
    assert client.get(url, {"status": "active"}).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        {"starts_at__year": "99999999999999999999"},
        {"starts_at__year": "9999", "starts_at__month": "12", "starts_at__day": "31"},
    ],
)
def test_a_date_drill_down_far_from_any_record_is_a_bad_request(client, cast, query):
    login(client, cast.admin)
    url = reverse("admin:trajectories_workshopsession_changelist")
    assert client.get(url, query).status_code == 400
    assert client.get(url, {"starts_at__year": "2026"}).status_code == 200


@pytest.mark.django_db
def test_a_refused_admin_form_with_autocomplete_shows_again_for_a_key_that_is_no_number(
    client, cast
):
    from loopbaan.models import BlockedDay

    login(client, cast.admin)
    response = client.post(
        reverse("admin:loopbaan_blockedday_add"), {"consultant": "abc", "date": "2027-01-04"}
    )
    assert response.status_code == 200
    assert not BlockedDay.objects.exists()


@pytest.mark.django_db
def test_plan_reminders_cannot_be_added_by_hand(client, cast):
    login(client, cast.admin)
    assert client.post(reverse("admin:plans_planreminder_add"), {}).status_code == 403
