"""A union house's hours: the compact week notation, the next consultation hour across closures
and weeks, closed days, and the model rules (closes after opens, no overlaps, bounded dates)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from regions.hours import (
    HouseCalendar,
    closed_on,
    format_week,
    next_consultation_hours,
    opening_table,
    parse_week,
)
from regions.models import ConsultationHours, HoursKind, HouseClosure, OpeningHours, UnionHouse
from tests.factories import UnionHouseFactory

AMS = ZoneInfo("Europe/Amsterdam")


def t(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


# --- the notation ---------------------------------------------------------------------------


def test_it_reads_the_compact_dutch_week():
    assert parse_week("ma 09:00-17:00; wo 13:00-17:00; vr 09:00-12:30") == [
        (0, t("09:00"), t("17:00")),
        (2, t("13:00"), t("17:00")),
        (4, t("09:00"), t("12:30")),
    ]


def test_it_reads_day_ranges_breaks_full_names_dots_and_new_lines():
    rows = parse_week("ma-wo 9:00-12:00, 13.00-17:00\nVrijdag 10:00-11:00;")
    assert rows == [
        (0, t("09:00"), t("12:00")),
        (0, t("13:00"), t("17:00")),
        (1, t("09:00"), t("12:00")),
        (1, t("13:00"), t("17:00")),
        (2, t("09:00"), t("12:00")),
        (2, t("13:00"), t("17:00")),
        (4, t("10:00"), t("11:00")),
    ]


def test_an_empty_text_is_an_empty_week():
    assert parse_week("") == [] and parse_week("  ;\n ") == []


def test_format_week_is_the_inverse_of_parse_week():
    text = "ma 09:00-12:00, 13:00-17:00; wo 13:00-17:00; za 10:00-12:00"
    assert format_week(parse_week(text)) == text
    rows = parse_week("di-do 08:30-12:15")
    assert parse_week(format_week(rows)) == rows


@pytest.mark.parametrize(
    "text, named",
    [
        ("ma 25:00-26:00", "25:00"),
        ("di 09:60-10:00", "09:60"),
        ("wo 17:00-09:00", "wo 17:00-09:00"),  # reversed
        ("do 10:00-10:00", "do 10:00-10:00"),  # empty
        ("xx 09:00-10:00", "xx 09:00-10:00"),  # unknown day
        ("vr-ma 09:00-10:00", "vr-ma"),  # days the wrong way round
        ("ma 09:00", "09:00"),  # no end
        ("maandag", "maandag"),  # no hours
        ("ma 09:00-12:00; ma 11:00-13:00", "maandag"),  # overlap
    ],
)
def test_bad_notation_gets_a_dutch_message_naming_the_bad_part(text, named):
    with pytest.raises(ValidationError) as caught:
        parse_week(text)
    message = " ".join(caught.value.messages)
    assert named in message, message


def test_hostile_notation_is_refused_without_echoing_it():
    with pytest.raises(ValidationError) as caught:
        parse_week("ma 09:00-\x0017:00")
    assert "\x00" not in " ".join(caught.value.messages)
    with pytest.raises(ValidationError) as caught:
        parse_week("ma 09:00-17:00; " * 700)  # over 10,000 characters
    assert "te lang" in " ".join(caught.value.messages)
    with pytest.raises(ValidationError) as caught:
        parse_week("ma " + "9" * 500 + ":00-17:00")
    assert len(" ".join(caught.value.messages)) < 300


# --- a house's week -------------------------------------------------------------------------


@pytest.fixture
def house(db) -> UnionHouse:
    house = UnionHouseFactory(name="Vakbondshuis Oudegracht")
    for weekday, opens, closes in parse_week("ma-vr 09:00-12:30, 13:00-17:00"):
        OpeningHours.objects.create(house=house, weekday=weekday, opens=opens, closes=closes)
    ConsultationHours.objects.create(
        house=house, kind=HoursKind.WORK_INCOME, weekday=1, starts=t("13:00"), ends=t("16:00")
    )
    ConsultationHours.objects.create(
        house=house, kind=HoursKind.CAREER, weekday=3, starts=t("09:00"), ends=t("12:00")
    )
    return house


def test_the_opening_table_has_seven_days_and_says_when_closed(house):
    table = opening_table(house)
    assert [day.name for day in table][:2] == ["maandag", "dinsdag"]
    assert table[0].text == "09:00 – 12:30, 13:00 – 17:00"
    assert table[6].text == "gesloten"


def test_the_next_consultation_hour_skips_a_closure_and_crosses_the_week(house):
    # Monday 21 December 2026: the Tuesday 22nd is in the Christmas closure, and so is the
    # Tuesday 29th; the next work-and-income hour is Tuesday 5 January 2027.
    HouseClosure.objects.create(
        house=house,
        starts_on=dt.date(2026, 12, 22),
        ends_on=dt.date(2027, 1, 1),
        reason="Kerstvakantie",
    )
    after = dt.datetime(2026, 12, 21, 10, 0, tzinfo=AMS)
    found = next_consultation_hours(house, kind=HoursKind.WORK_INCOME, after=after, limit=2)
    assert [o.starts_at for o in found] == [
        dt.datetime(2027, 1, 5, 13, 0, tzinfo=AMS),
        dt.datetime(2027, 1, 12, 13, 0, tzinfo=AMS),
    ]
    assert found[0].ends_at == dt.datetime(2027, 1, 5, 16, 0, tzinfo=AMS)
    assert found[0].kind_label == "Spreekuur werk & inkomen"


def test_an_hour_that_has_begun_is_not_the_next_one(house):
    during = dt.datetime(2026, 12, 3, 9, 30, tzinfo=AMS)  # a Thursday, in the career hour
    (found,) = next_consultation_hours(house, kind=HoursKind.CAREER, after=during)
    assert found.starts_at == dt.datetime(2026, 12, 10, 9, 0, tzinfo=AMS)


def test_a_house_without_hours_of_a_kind_has_no_next_one(house):
    ConsultationHours.objects.filter(house=house, kind=HoursKind.CAREER).delete()
    now = dt.datetime(2026, 12, 1, 9, 0, tzinfo=AMS)
    assert next_consultation_hours(house, kind=HoursKind.CAREER, after=now) == []


def test_closed_on_gives_the_reason_and_none_on_open_days(house):
    HouseClosure.objects.create(
        house=house, starts_on=dt.date(2026, 12, 24), ends_on=dt.date(2026, 12, 26), reason="Kerst"
    )
    assert closed_on(house, dt.date(2026, 12, 25)) == "Kerst"
    assert closed_on(house, dt.date(2026, 12, 26)) == "Kerst"
    assert closed_on(house, dt.date(2026, 12, 27)) is None


def test_the_calendar_allows_only_open_periods_and_open_days(house):
    HouseClosure.objects.create(
        house=house, starts_on=dt.date(2026, 12, 25), ends_on=dt.date(2026, 12, 25), reason="Kerst"
    )
    calendar = HouseCalendar.load(house.pk, dt.date(2026, 12, 20), dt.date(2026, 12, 31))
    thursday, friday, saturday = dt.date(2026, 12, 24), dt.date(2026, 12, 25), dt.date(2026, 12, 26)
    assert calendar.allows(thursday, t("10:00"), t("11:00"))
    assert not calendar.allows(thursday, t("12:00"), t("13:00"))  # the lunch break
    assert not calendar.allows(thursday, t("16:30"), t("17:30"))  # after closing
    assert not calendar.allows(friday, t("10:00"), t("11:00"))  # closed for Christmas
    assert not calendar.allows(saturday, t("10:00"), t("11:00"))  # no opening hours
    OpeningHours.objects.filter(house=house).delete()
    unrecorded = HouseCalendar.load(house.pk, dt.date(2026, 12, 20), dt.date(2026, 12, 31))
    assert unrecorded.allows(saturday, t("10:00"), t("11:00"))
    assert not unrecorded.allows(friday, t("10:00"), t("11:00"))


# --- the model rules ------------------------------------------------------------------------


def test_a_closing_time_before_the_opening_time_is_refused(house):
    row = OpeningHours(house=house, weekday=5, opens=t("12:00"), closes=t("09:00"))
    with pytest.raises(ValidationError) as caught:
        row.full_clean()
    assert "na de openingstijd" in str(caught.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()


def test_overlapping_opening_hours_and_consultation_hours_are_refused(house):
    with pytest.raises(ValidationError, match="overlapt"):
        OpeningHours(house=house, weekday=0, opens=t("12:00"), closes=t("14:00")).full_clean()
    with pytest.raises(ValidationError, match="overlapt"):
        ConsultationHours(
            house=house, kind=HoursKind.CAREER, weekday=3, starts=t("11:00"), ends=t("13:00")
        ).full_clean()
    # The same time of another kind is fine: both hours are held.
    ConsultationHours(
        house=house, kind=HoursKind.WORK_INCOME, weekday=3, starts=t("11:00"), ends=t("13:00")
    ).full_clean()


def test_a_closure_must_end_after_it_starts_fall_in_range_and_not_overlap(house):
    HouseClosure.objects.create(
        house=house, starts_on=dt.date(2026, 12, 24), ends_on=dt.date(2026, 12, 26), reason="Kerst"
    )
    with pytest.raises(ValidationError, match="vóór de eerste dag"):
        HouseClosure(
            house=house, starts_on=dt.date(2027, 1, 2), ends_on=dt.date(2027, 1, 1), reason="x"
        ).full_clean()
    with pytest.raises(ValidationError, match="Kies een datum"):
        HouseClosure(
            house=house, starts_on=dt.date(1, 1, 1), ends_on=dt.date(1, 1, 2), reason="x"
        ).full_clean()
    with pytest.raises(ValidationError, match="overlapt"):
        HouseClosure(
            house=house, starts_on=dt.date(2026, 12, 26), ends_on=dt.date(2026, 12, 27), reason="y"
        ).full_clean()


def test_every_house_gets_a_unique_slug_from_its_name(db):
    first = UnionHouseFactory(name="Vakbondshuis 's-Hertogenbosch")
    assert first.slug == "vakbondshuis-s-hertogenbosch"
    first.name = "Vakbondshuis Den Bosch"
    first.save()
    assert first.slug == "vakbondshuis-s-hertogenbosch"  # a published address stays
    second = UnionHouseFactory(name="Vakbondshuis 's Hertogenbosch")
    assert second.slug == "vakbondshuis-s-hertogenbosch-2"
