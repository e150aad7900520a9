"""Every write of the regioplannen: typed, keyword-only, atomic, with Dutch messages."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.models import AuditAction, AuditEntry
from audit.services import audit_log
from core import registry
from members.models import User
from plans.conf import plans_setting
from plans.models import (
    AUTHOR,
    TRANSITIONS,
    PlanAction,
    PlanStatus,
    PlanVersion,
    RegionPlan,
    ReminderKind,
    ReviewerNote,
    Section,
    SectionComment,
    illegal_transition_message,
)
from plans.selectors import is_region_coordinator, is_region_official
from plans.tasks import notify_status_change
from regions.models import Region

MAX_SECTION_LENGTH = 20_000


def _require_author(user: User, plan: RegionPlan) -> None:
    if not is_region_official(user, plan.region_id):
        raise ValidationError(
            _("Alleen een regiobestuurder van %(region)s mag dit plan schrijven en indienen."),
            params={"region": plan.region.name},
            code="not_author",
        )


def _require_reviewer(user: User, plan: RegionPlan, action: str) -> None:
    if not is_region_coordinator(user, plan.region_id):
        raise ValidationError(
            _("Alleen een regiocoördinator van %(region)s mag dit plan beoordelen."),
            params={"region": plan.region.name},
            code="not_reviewer",
        )
    if user.pk in plan.author_ids():
        if action == PlanAction.APPROVE:
            message = _("Je hebt aan dit plan geschreven: je mag het niet zelf goedkeuren.")
        else:
            message = _(
                "Je hebt aan dit plan geschreven: een andere coördinator moet het beoordelen."
            )
        raise ValidationError(message, code="self_review")


# --- the data panel ----------------------------------------------------------------------------


@dataclass(frozen=True)
class DataPanel:
    figures: dict
    taken_at: dt.datetime
    since: dt.date
    until: dt.date


def data_panel(region: Region, *, now: dt.datetime | None = None) -> DataPanel:
    """The region's figures from every app over the last PANEL_DAYS days, taken now."""
    now = now or timezone.now()
    until = timezone.localdate(now)
    since = until - dt.timedelta(days=plans_setting("PANEL_DAYS"))
    raw = registry.region_panel(region, since=since, until=until)
    # Apps without figures return {}; keep only the ones that have something to show.
    figures = {app: block for app, block in raw.items() if block and block.get("figures")}
    return DataPanel(figures=figures, taken_at=now, since=since, until=until)


def recent_data_panel(region: Region) -> DataPanel:
    """The data panel of a plan being written: the region's figures taken at most
    FNV["PLANS_PANEL_CACHE_SECONDS"] ago, kept per region and language (the labels are
    translated). Aggregates only, the same for everyone who may see the plan; the view checks
    access before. The page shows when they were taken; submitting a version takes them anew
    (`data_panel`)."""
    seconds = plans_setting("PANEL_CACHE_SECONDS")
    if seconds <= 0:
        return data_panel(region)
    key = f"plans:panel:{region.pk}:{translation.get_language()}"
    panel = cache.get(key)
    if not isinstance(panel, DataPanel):
        panel = data_panel(region)
        cache.set(key, panel, seconds)
    return panel


# --- plans -------------------------------------------------------------------------------------


@transaction.atomic
def plan_create(
    *,
    user: User,
    region: Region,
    year: int,
    copy_from: RegionPlan | None = None,
) -> RegionPlan:
    """Start a region's plan for a year; a regional official of the region does this."""
    if not is_region_official(user, region.pk):
        raise ValidationError(
            _("Alleen een regiobestuurder van %(region)s mag een plan beginnen."),
            params={"region": region.name},
        )
    existing = RegionPlan.objects.filter(region=region, year=year).first()
    if existing is not None and (existing.sections or existing.status != PlanStatus.DRAFT):
        raise ValidationError(
            _("Voor %(region)s bestaat al een regioplan %(year)s."),
            params={"region": region.name, "year": year},
            code="exists",
        )
    # A coordinator may have set a deadline before anyone wrote a word: reuse that plan.
    plan = existing or RegionPlan(region=region, year=year, created_by=user)
    if copy_from is not None:
        plan.sections = dict(copy_from.sections)
        plan.previous = copy_from
    plan.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError as error:  # someone started the same plan a moment ago
        raise ValidationError(
            _("Voor %(region)s bestaat al een regioplan %(year)s."),
            params={"region": region.name, "year": year},
            code="exists",
        ) from error
    if copy_from is not None:
        # The carried-over text was written by last year's authors: they stay authors, so none
        # of them can approve it later as coordinator.
        plan.authors.add(*copy_from.authors.all(), user)
    audit_log(user=user, action=AuditAction.CREATE, obj=plan)
    return plan


def plan_start_next_year(*, user: User, plan: RegionPlan) -> RegionPlan:
    """Start next year's plan from this one: same text, a fresh draft, the deadline a year on.
    Only from an approved plan: a draft or a plan in review is not finished yet."""
    if plan.status != PlanStatus.APPROVED:
        raise ValidationError(
            _(
                "Het plan %(next)s kan pas vanuit dit plan beginnen als dit plan is "
                "goedgekeurd. Begin het anders als nieuw plan."
            ),
            params={"next": plan.year + 1},
            code="not_approved",
        )
    new_plan = plan_create(user=user, region=plan.region, year=plan.year + 1, copy_from=plan)
    if plan.deadline and not new_plan.deadline:
        try:
            new_plan.deadline = plan.deadline.replace(year=plan.deadline.year + 1)
        except ValueError:  # 29 February
            new_plan.deadline = plan.deadline + dt.timedelta(days=365)
        new_plan.save(update_fields=["deadline", "updated_at"])
    return new_plan


def _clean_section(key: str, text: str | None) -> str:
    if key not in Section.values:
        raise ValidationError(_("Onbekend onderdeel: %(key)s"), params={"key": key})
    text = (text or "").replace("\r\n", "\n").replace("\x00", "").strip()
    if len(text) > MAX_SECTION_LENGTH:
        raise ValidationError(
            _("Het onderdeel ‘%(section)s’ is te lang (hoogstens %(max)s tekens)."),
            params={"section": Section(key).label, "max": MAX_SECTION_LENGTH},
        )
    return text


def _require_editable(plan: RegionPlan) -> None:
    if not plan.is_editable:
        raise ValidationError(
            _("Dit plan heeft de status ‘%(status)s’ en kan nu niet worden gewijzigd."),
            params={"status": plan.get_status_display()},
            code="not_editable",
        )


def section_fingerprint(text: str) -> str:
    """What an editor saw of a section when they started, to notice a change by someone else."""
    return hashlib.sha256((text or "").encode()).hexdigest()[:16]


# An autosave writes the audit trail at most once per this period, per plan and author.
AUTOSAVE_AUDIT_EVERY = dt.timedelta(minutes=10)


@transaction.atomic
def plan_save_sections(*, user: User, plan: RegionPlan, sections: dict[str, str]) -> None:
    """Save the authors' text; only while the plan is a draft or changes are requested."""
    plan = RegionPlan.objects.select_for_update().get(pk=plan.pk)
    _require_author(user, plan)
    _require_editable(plan)
    cleaned = {}
    for key, text in sections.items():
        text = _clean_section(key, text)
        if text:
            cleaned[key] = text
    if cleaned == (plan.sections or {}):
        return
    plan.sections = cleaned
    plan.full_clean()
    plan.save(update_fields=["sections", "updated_at"])
    plan.authors.add(user)
    audit_log(user=user, action=AuditAction.CHANGE, obj=plan, detail="tekst")


@transaction.atomic
def plan_save_section(
    *,
    user: User,
    plan: RegionPlan,
    section: str,
    text: str,
    seen: str | None = None,
    autosave: bool = False,
) -> str:
    """Save one section and return its new fingerprint.

    `seen` is the fingerprint of the text the editor started from: when someone else saved the
    section since, nothing is saved and the editor is told (their text stays in their form).
    An autosave writes the audit trail at most once per AUTOSAVE_AUDIT_EVERY.
    """
    plan = RegionPlan.objects.select_for_update().get(pk=plan.pk)
    _require_author(user, plan)
    _require_editable(plan)
    text = _clean_section(section, text)
    sections = dict(plan.sections or {})
    current = sections.get(section, "")
    if seen is not None and seen != section_fingerprint(current) and text != current:
        raise ValidationError(
            _(
                "Iemand anders heeft ‘%(section)s’ intussen gewijzigd. Je tekst is niet "
                "opgeslagen: neem de wijzigingen hieronder over in je tekst en sla opnieuw op."
            ),
            params={"section": Section(section).label},
            code="conflict",
        )
    if text == current:
        return section_fingerprint(current)
    if text:
        sections[section] = text
    else:
        sections.pop(section, None)
    plan.sections = sections
    plan.full_clean()
    plan.save(update_fields=["sections", "updated_at"])
    plan.authors.add(user)
    recently = AuditEntry.objects.filter(
        actor_id=user.pk,
        object_type=plan._meta.label_lower,
        object_id=str(plan.pk),
        detail="tekst",
        at__gte=timezone.now() - AUTOSAVE_AUDIT_EVERY,
    ).exists()
    if not (autosave and recently):
        audit_log(user=user, action=AuditAction.CHANGE, obj=plan, detail="tekst")
    return section_fingerprint(text)


@transaction.atomic
def plan_transition(*, user: User, plan: RegionPlan, action: str) -> RegionPlan:
    """Move a plan one step through its workflow, or refuse with a message a person understands.

    Submitting and resubmitting freeze the text and the data panel into a new version.
    """
    if action not in TRANSITIONS:
        raise ValidationError(_("Onbekende actie."), code="unknown_action")
    plan = RegionPlan.objects.select_for_update().select_related("region").get(pk=plan.pk)
    sources, _target, who = TRANSITIONS[action]
    if who == AUTHOR:
        _require_author(user, plan)
    else:
        _require_reviewer(user, plan, action)
    if plan.status not in sources:
        raise ValidationError(illegal_transition_message(action, plan.status), code="illegal")
    if action in (PlanAction.SUBMIT, PlanAction.RESUBMIT):
        if not any((plan.sections or {}).values()):
            raise ValidationError(
                _("Het plan is nog leeg: schrijf eerst minstens één onderdeel."), code="empty"
            )
        getattr(plan, action)()
        _freeze_version(plan=plan, user=user)
    elif action == PlanAction.START_REVIEW:
        plan.start_review(reviewer=user)
    else:
        getattr(plan, action)()
    audit_log(
        user=user,
        action=AuditAction.CHANGE,
        obj=plan,
        detail=f"status {plan.status}",
    )
    notify_status_change.delay_on_commit(plan.pk, plan.status)  # type: ignore[attr-defined]  # celery-types: shared_task gives Task, Django's app makes DjangoTask
    return plan


def _freeze_version(*, plan: RegionPlan, user: User) -> PlanVersion:
    panel = data_panel(plan.region)
    last = plan.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = PlanVersion(
        plan=plan,
        number=last + 1,
        sections=dict(plan.sections),
        panel=panel.figures,
        panel_taken_at=panel.taken_at,
        panel_since=panel.since,
        panel_until=panel.until,
        submitted_by=user,
    )
    version.full_clean()
    version.save()
    plan.authors.add(user)
    return version


@transaction.atomic
def plan_set_deadline(*, user: User, region: Region, year: int, deadline: dt.date) -> RegionPlan:
    """A coordinator sets the region's deadline for a year (the plan is created if need be)."""
    if not is_region_coordinator(user, region.pk):
        raise ValidationError(
            _("Alleen een regiocoördinator van %(region)s mag de deadline zetten."),
            params={"region": region.name},
        )
    plan, _created = RegionPlan.objects.select_for_update().get_or_create(
        region=region, year=year, defaults={"created_by": user}
    )
    if plan.status == PlanStatus.APPROVED:
        raise ValidationError(_("Dit plan is al goedgekeurd; een deadline is niet meer nodig."))
    if plan.deadline != deadline:
        plan.deadline = deadline
        plan.full_clean()
        plan.save(update_fields=["deadline", "updated_at"])
        # A new deadline gets its own reminders.
        plan.reminders.filter(kind=ReminderKind.DEADLINE, sent_at__isnull=True).delete()
        for sent in plan.reminders.filter(kind=ReminderKind.DEADLINE, key__startswith="d-"):
            # Sent reminders of the old deadline stay as the record of what was sent, under a
            # key that no reminder of the new deadline uses.
            sent.key = f"old{sent.pk}-{sent.key}"[:30]
            sent.save(update_fields=["key"])
        audit_log(user=user, action=AuditAction.CHANGE, obj=plan, detail="deadline")
    return plan


# --- comments and notes ------------------------------------------------------------------------


def _require_participant(user: User, plan: RegionPlan) -> None:
    if not (
        is_region_official(user, plan.region_id) or is_region_coordinator(user, plan.region_id)
    ):
        raise ValidationError(_("Je hoort niet bij de regio van dit plan."))


@transaction.atomic
def comment_add(*, user: User, plan: RegionPlan, section: str, text: str) -> SectionComment:
    """A comment on one section, by a reviewer or an author of the region."""
    _require_participant(user, plan)
    if plan.status == PlanStatus.APPROVED:
        raise ValidationError(_("Dit plan is goedgekeurd; opmerkingen zijn gesloten."))
    comment = SectionComment(
        plan=plan,
        section=section,
        version=plan.latest_version,
        author=user,
        text=(text or "").strip(),
    )
    comment.full_clean()
    comment.save()
    audit_log(user=user, action=AuditAction.CREATE, obj=comment)
    return comment


@transaction.atomic
def comment_resolve(*, user: User, comment: SectionComment) -> SectionComment:
    _require_participant(user, comment.plan)
    if not comment.resolve(by=user):
        raise ValidationError(_("Deze opmerking was al afgehandeld."))
    audit_log(user=user, action=AuditAction.CHANGE, obj=comment, detail="afgehandeld")
    return comment


@transaction.atomic
def note_add(*, user: User, plan: RegionPlan, text: str) -> ReviewerNote:
    """A private note for the region's coordinators; the authors never see it."""
    if not is_region_coordinator(user, plan.region_id):
        raise ValidationError(_("Alleen regiocoördinatoren van deze regio maken notities."))
    note = ReviewerNote(plan=plan, author=user, text=(text or "").strip())
    note.full_clean()
    note.save()
    audit_log(user=user, action=AuditAction.CREATE, obj=note)
    return note
