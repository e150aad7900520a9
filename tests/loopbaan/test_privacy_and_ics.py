import json

from django.urls import reverse

from loopbaan.mail import build_ics
from loopbaan.models import Appointment, AppointmentReport
from loopbaan.retention import erase_member
from members.datadownload import member_data
from tests.loopbaan.helpers import consultant_at, make_appointment, next_weekday_at


def test_the_calendar_file_is_valid_rfc5545(cast):
    pool = [consultant_at(cast.union_house) for _ in range(2)]
    appointment = make_appointment(cast.member, pool, cast.union_house, next_weekday_at(2, 10))
    text = build_ics(
        appointment,
        method="REQUEST",
        recipient=cast.member_user,
        link="https://x.example/" + "a" * 120,
    )
    lines = text.split("\r\n")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    assert all(len(line.encode()) <= 75 for line in lines)
    assert lines[0] == "BEGIN:VCALENDAR" and "METHOD:REQUEST" in lines
    assert any(line.startswith("DTSTART:") and line.endswith("Z") for line in lines)
    assert "LOCATION:Vakbondshuis Utrecht\\," in text


def test_the_data_download_and_erasure_cover_questions_and_reports(cast):
    pool = [consultant_at(cast.union_house) for _ in range(2)]
    appointment = make_appointment(
        cast.member, pool, cast.union_house, question="Mijn baas pest mij"
    )
    AppointmentReport.objects.create(
        appointment=appointment, career_question="conflict", notes="Zwaar gesprek"
    )
    exported = json.dumps(member_data(cast.member), ensure_ascii=False)  # the member's download
    assert "Mijn baas pest mij" in exported and "Zwaar gesprek" in exported
    erase_member(member=cast.member)
    appointment.refresh_from_db()
    assert appointment.question == "" and appointment.report.notes == ""
    assert Appointment.objects.filter(member=cast.member).count() == 1


def test_the_booking_form_ignores_fields_it_does_not_have(cast, login_as):
    pool = [consultant_at(cast.union_house) for _ in range(2)]
    slot_key = next_weekday_at(2, 10).strftime("%Y%m%dT%H%M")
    url = reverse(
        "loopbaan:book_confirm", kwargs={"place": str(cast.union_house.pk), "slot": slot_key}
    )
    login_as(cast.member_user).post(
        url,
        {
            "question": "",
            "member": cast.other_member.pk,
            "status": "held",
            "union_house": cast.other_union_house.pk,
        },
    )
    appointment = Appointment.objects.get()
    assert appointment.member == cast.member
    assert appointment.status == "booked" and appointment.union_house == cast.union_house
    assert set(appointment.active_consultants()) == set(pool)


HOSTILE_NAME = (
    "Jan\rATTENDEE:mailto:evil@example.com\nX-INJECTED:1;CN=x,y\\z " + "Ŝĉħöñ-Ŵéñđę 名前 🙂" * 5
)


def _property_names(text: str) -> list[str]:
    """The name of each logical content line (after unfolding), as a calendar reader sees it."""
    unfolded = text.replace("\r\n ", "").replace("\r\n\t", "")
    return [line.split(":", 1)[0].split(";", 1)[0] for line in unfolded.split("\r\n") if line]


def test_a_hostile_name_cannot_leave_its_attendee_line(cast):
    """A carriage return in an imported name used to end the ATTENDEE line (only \\n was
    escaped), so the rest of the name became a property of its own."""
    from icalendar import Calendar

    cast.member_user.full_name = HOSTILE_NAME
    cast.member_user.save(update_fields=["full_name"])
    pool = [consultant_at(cast.union_house) for _ in range(2)]
    appointment = make_appointment(cast.member, pool, cast.union_house, next_weekday_at(2, 10))
    for method in ("REQUEST", "CANCEL"):
        text = build_ics(appointment, method=method, recipient=cast.member_user, link="https://x/")
        raw = text.encode()
        physical = raw.split(b"\r\n")
        assert raw.endswith(b"\r\n") and physical[-1] == b""
        assert b"\r" not in raw.replace(b"\r\n", b"") and b"\n" not in raw.replace(b"\r\n", b"")
        assert all(len(line) <= 75 for line in physical)
        names = _property_names(text)
        assert names.count("ATTENDEE") == 1 and "X-INJECTED" not in names
        assert not any(line.startswith((b"ATTENDEE:", b"X-INJECTED")) for line in physical)
        [event] = Calendar.from_ical(raw).walk("VEVENT")
        assert Calendar.from_ical(raw)["METHOD"] == method
        assert str(event["UID"]) == f"{appointment.public_token}@fnv-regio"
        attendee = event["ATTENDEE"]
        assert str(attendee) == f"mailto:{cast.member_user.email}"
        assert attendee.params["CN"] == " ".join(HOSTILE_NAME.split())
        assert attendee.params["ROLE"] == "REQ-PARTICIPANT"
        assert str(event["STATUS"]) == ("CANCELLED" if method == "CANCEL" else "CONFIRMED")
