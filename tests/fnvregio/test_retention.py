from datetime import timedelta

import pytest
from django.utils import timezone

from audit.models import AuditAction, AuditEntry
from audit.services import audit_log
from fnvregio.tasks import apply_retention

pytestmark = pytest.mark.django_db


def test_it_deletes_audit_entries_past_their_period_and_keeps_the_rest(cast, settings):
    """The log is append-only, so rather than ageing rows the test moves the clock forward."""
    from audit.retention import apply_retention as audit_retention

    days = {**settings.FNV_RETENTION_DAYS, "audit_entries": 30}
    first = audit_log(user=cast.admin, action=AuditAction.VIEW, obj=cast.member)
    second = audit_log(user=cast.admin, action=AuditAction.VIEW, obj=cast.member)
    assert audit_retention(now=timezone.now() + timedelta(days=29), days=days) == {
        "audit_entries_deleted": 0
    }
    assert audit_retention(now=timezone.now() + timedelta(days=31), days=days) == {
        "audit_entries_deleted": 2
    }
    assert not AuditEntry.objects.filter(pk__in=[first.pk, second.pk]).exists()


def test_it_records_what_it_did_in_the_audit_log(cast):
    apply_retention.apply().get()
    entry = AuditEntry.objects.filter(object_type="retention").latest("at")
    assert "audit_entries_deleted=0" in entry.detail


def test_retention_runs_nightly_from_beat(settings):
    assert settings.CELERY_BEAT_SCHEDULE["retention"]["task"] == "fnvregio.tasks.apply_retention"


def test_session_summaries_past_their_period_are_blanked_and_the_sessions_stay(cast, settings):
    from signals.models import ConsultationSession
    from signals.retention import apply_retention as signals_retention
    from tests.signals.helpers import log_session

    old = log_session(cast, days_ago=40, summary="Oude vertrouwelijke tekst")
    new = log_session(cast, days_ago=5, summary="Nieuwe vertrouwelijke tekst")
    days = {**settings.FNV_RETENTION_DAYS, "session_summaries": 30}
    assert signals_retention(now=timezone.now(), days=days) == {"session_summaries_blanked": 1}
    assert ConsultationSession.objects.get(pk=old.pk).summary == ""
    assert ConsultationSession.objects.get(pk=new.pk).summary == "Nieuwe vertrouwelijke tekst"
    assert ConsultationSession.objects.count() == 2
    assert signals_retention(now=timezone.now(), days=days) == {"session_summaries_blanked": 0}


def test_appointment_texts_past_their_period_are_blanked(cast, settings):
    from loopbaan.models import Appointment, AppointmentReport
    from loopbaan.retention import apply_retention as loopbaan_retention
    from tests.factories import UserFactory
    from tests.loopbaan.helpers import make_appointment

    partner = UserFactory(role="consultant")
    appointment = make_appointment(
        cast.member,
        [cast.consultant, partner],
        cast.union_house,
        starts_at=timezone.now() - timedelta(days=400),
        question="Mijn beoordeling",
    )
    AppointmentReport.objects.create(
        appointment=appointment, career_question="training", notes="Vertrouwelijk"
    )
    days = {**settings.FNV_RETENTION_DAYS, "appointment_reports": 365}
    result = loopbaan_retention(now=timezone.now(), days=days)
    assert result == {"appointment_reports_blanked": 1, "appointment_questions_blanked": 1}
    appointment = Appointment.objects.get(pk=appointment.pk)
    assert appointment.question == "" and appointment.report.notes == ""
    assert appointment.report.career_question == "training"


def test_progress_notes_of_long_ended_trajectories_are_deleted(cast, settings):
    from tests.trajectories.factories import trajectory
    from trajectories.models import ProgressNote, Trajectory
    from trajectories.retention import apply_retention as trajectories_retention

    ended = trajectory(adviser=cast.adviser, member=cast.member)
    running = trajectory(adviser=cast.adviser, member=cast.other_member)
    for item in (ended, running):
        ProgressNote.objects.create(trajectory=item, author=cast.adviser, text="Notitie")
    Trajectory.objects.filter(pk=ended.pk).update(ended_at=timezone.now() - timedelta(days=100))
    days = {**settings.FNV_RETENTION_DAYS, "trajectory_notes": 90}
    assert trajectories_retention(now=timezone.now(), days=days) == {
        "trajectory_notes_deleted": 1,
        "public_signups_deleted": 0,
    }
    assert list(ProgressNote.objects.values_list("trajectory_id", flat=True)) == [running.pk]


def test_import_reports_and_uploads_past_their_period_are_deleted(cast, settings, tmp_path):
    from members.models import MemberImport, MemberImportError
    from members.retention import apply_retention as members_retention

    upload = tmp_path / "leden.csv"
    upload.write_text("lidnummer;achternaam\n12;Jansen\n", encoding="utf-8")
    old = MemberImport.objects.create(file_name="oud.csv", file_path=str(upload), source="portal")
    MemberImportError.objects.create(
        member_import=old, line=2, column="lidnummer", message="te kort"
    )
    recent = MemberImport.objects.create(file_name="nieuw.csv", source="portal")
    MemberImportError.objects.create(
        member_import=recent, line=2, column="lidnummer", message="te kort"
    )
    MemberImport.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    days = {**settings.FNV_RETENTION_DAYS, "import_files": 7}
    assert members_retention(now=timezone.now(), days=days) == {
        "import_uploads_deleted": 1,
        "import_rejected_rows_deleted": 1,
    }
    assert not upload.exists()
    assert list(MemberImportError.objects.values_list("member_import_id", flat=True)) == [recent.pk]
