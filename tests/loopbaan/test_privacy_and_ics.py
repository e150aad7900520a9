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
