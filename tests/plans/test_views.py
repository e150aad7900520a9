"""The pages: writing, comments, private notes, deadlines, next year, lists, print, and 404s."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from core.roles import Role
from plans import services
from plans.home import tiles
from plans.models import (
    CommentStatus,
    PlanStatus,
    RegionPlan,
    ReviewerNote,
    Section,
    SectionComment,
)
from regions.models import Region
from tests.conftest import login, session_queries
from tests.factories import UserFactory
from tests.plans.helpers import make_plan, make_version


def _url(name, plan, **extra):
    return reverse(f"plans:{name}", kwargs={"pk": plan.pk, **extra})


def test_an_author_writes_one_section_at_a_time(cast, client):
    plan = make_plan(cast.region, sections={})
    login(client, cast.regional_official)
    index = client.get(_url("edit", plan)).content.decode()
    assert index.count('href="/regioplannen/') >= len(Section)
    assert "0 van de 15 onderdelen hebben tekst" in index
    page = client.get(_url("edit_section", plan, section="funds")).content.decode()
    assert "Fondsen: ESF, EFRO, JTF en O&amp;O-fondsen" in page
    # The outline beside the text links every other section and marks this one.
    assert page.count("/bewerken/") >= len(Section)
    assert '<strong aria-current="page">Fondsen' in page
    assert 'name="text"' in page and page.count("<textarea") == 1
    response = client.post(
        _url("edit_section", plan, section="funds"),
        {"text": "ESF+ voor **omscholing** naar de zorg", "seen": "", "next": "1"},
    )
    # "Opslaan en volgende onderdeel" goes on to the next section.
    assert response.status_code == 302
    assert response.url == _url("edit_section", plan, section="sectors")
    plan.refresh_from_db()
    assert plan.sections == {"funds": "ESF+ voor **omscholing** naar de zorg"}
    assert cast.regional_official in plan.authors.all()
    assert AuditEntry.objects.filter(object_type="plans.regionplan", action="change").exists()
    page = client.get(_url("detail", plan)).content.decode()
    assert "<strong>omscholing</strong>" in page
    assert "1 van de 15 onderdelen hebben tekst" in client.get(_url("edit", plan)).content.decode()


def test_an_unknown_section_is_404(cast, client):
    plan = make_plan(cast.region)
    login(client, cast.regional_official)
    assert client.get(_url("edit_section", plan, section="nope")).status_code == 404
    assert client.post(_url("autosave", plan, section="nope"), {"text": "x"}).status_code == 404


def test_the_section_page_shows_its_open_comments(cast, client):
    plan = make_plan(cast.region, status=PlanStatus.CHANGES_REQUESTED)
    SectionComment.objects.create(
        plan=plan, section="themes", author=cast.coordinator, text="Noem de RMT"
    )
    login(client, cast.regional_official)
    assert "1 open opmerking" in client.get(_url("edit", plan)).content.decode()
    page = client.get(_url("edit_section", plan, section="themes")).content.decode()
    assert "Noem de RMT" in page
    other = client.get(_url("edit_section", plan, section="context")).content.decode()
    assert "Noem de RMT" not in other


def test_a_submitted_plan_cannot_be_edited(cast, client):
    plan = make_plan(cast.region, status=PlanStatus.SUBMITTED)
    login(client, cast.regional_official)
    response = client.post(_url("edit_section", plan, section="context"), {"text": "Nieuw"})
    assert response.status_code == 302
    response = client.post(_url("autosave", plan, section="context"), {"text": "Nieuw"})
    assert "Niet automatisch opgeslagen" in response.content.decode()
    plan.refresh_from_db()
    assert plan.sections["context"].startswith("Krapte")


def test_autosave_saves_and_returns_the_new_fingerprint(cast, client):
    plan = make_plan(cast.region)
    login(client, cast.regional_official)
    seen = services.section_fingerprint(plan.sections["context"])
    response = client.post(
        _url("autosave", plan, section="context"), {"text": "Eerste versie", "seen": seen}
    )
    body = response.content.decode()
    assert "Automatisch opgeslagen om" in body
    new_seen = services.section_fingerprint("Eerste versie")
    assert f'value="{new_seen}"' in body and 'hx-swap-oob="true"' in body
    # Typing on: the next autosave starts from what was saved.
    client.post(
        _url("autosave", plan, section="context"), {"text": "Tweede versie", "seen": new_seen}
    )
    plan.refresh_from_db()
    assert plan.sections["context"] == "Tweede versie"
    # Autosaves are audited at most once per ten minutes; a saved form always.
    changes = AuditEntry.objects.filter(object_type="plans.regionplan", action="change")
    assert changes.count() == 1
    client.post(
        _url("edit_section", plan, section="context"),
        {"text": "Derde versie", "seen": services.section_fingerprint("Tweede versie")},
    )
    assert changes.count() == 2


def test_two_authors_at_once_never_overwrite_each_other(cast, client):
    plan = make_plan(cast.region)
    second = UserFactory(role=Role.REGIONAL_OFFICIAL)
    second.regions.add(cast.region)
    seen = services.section_fingerprint(plan.sections["context"])
    # The second author saves first.
    services.plan_save_section(
        user=second, plan=plan, section="context", text="Tekst van de tweede", seen=seen
    )
    login(client, cast.regional_official)
    response = client.post(
        _url("edit_section", plan, section="context"), {"text": "Mijn tekst", "seen": seen}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Iemand anders heeft ‘Context en arbeidsmarktanalyse" in page
    assert "Tekst van de tweede" in page  # theirs, to merge
    assert "Mijn tekst" in page  # mine, kept in the form
    plan.refresh_from_db()
    assert plan.sections["context"] == "Tekst van de tweede"
    # Autosave refuses the same way.
    auto = client.post(
        _url("autosave", plan, section="context"), {"text": "Mijn tekst", "seen": seen}
    ).content.decode()
    assert "Niet automatisch opgeslagen" in auto
    # Saving again from the page (which now carries their fingerprint) is a deliberate choice.
    again = services.section_fingerprint("Tekst van de tweede")
    client.post(
        _url("edit_section", plan, section="context"), {"text": "Mijn tekst", "seen": again}
    )
    plan.refresh_from_db()
    assert plan.sections["context"] == "Mijn tekst"


def test_the_transition_view_refuses_with_a_clear_message(cast, client):
    plan = make_plan(cast.region, status=PlanStatus.DRAFT)
    login(client, cast.coordinator)
    response = client.post(_url("transition", plan), {"action": "approve"}, follow=True)
    assert (
        "Dit kan niet: ‘Goedkeuren’ is niet mogelijk als het plan de status ‘Concept’ heeft."
        in (response.content.decode())
    )
    assert RegionPlan.objects.get(pk=plan.pk).status == PlanStatus.DRAFT


def test_the_detail_page_offers_only_the_actions_this_person_may_take(cast, client):
    plan = make_plan(cast.region, status=PlanStatus.IN_REVIEW)
    login(client, cast.coordinator)
    actions = [a for a, _label in client.get(_url("detail", plan)).context["actions"]]
    assert actions == ["request_changes", "approve"]
    login(client, cast.regional_official)
    assert client.get(_url("detail", plan)).context["actions"] == []


def test_comments_per_section_can_be_resolved(cast, client):
    plan = make_plan(cast.region, status=PlanStatus.IN_REVIEW)
    make_version(plan)
    login(client, cast.coordinator)
    client.post(_url("comment_add", plan), {"section": "funds", "text": "Welke JTF-projecten?"})
    comment = SectionComment.objects.get(plan=plan)
    assert comment.section == "funds" and comment.status == CommentStatus.OPEN
    assert comment.version.number == 1
    login(client, cast.regional_official)
    client.post(_url("comment_resolve", plan, comment_pk=comment.pk))
    comment.refresh_from_db()
    assert (
        comment.status == CommentStatus.RESOLVED and comment.resolved_by == cast.regional_official
    )
    page = client.get(_url("detail", plan)).content.decode()
    assert "Welke JTF-projecten?" in page and "Afgehandeld door" in page


def test_a_comment_on_an_unknown_section_is_refused(cast, client):
    plan = make_plan(cast.region)
    login(client, cast.coordinator)
    client.post(_url("comment_add", plan), {"section": "evil", "text": "x"})
    assert not SectionComment.objects.exists()


def test_reviewer_notes_are_private_to_the_coordinators(cast, client):
    plan = make_plan(cast.region, status=PlanStatus.IN_REVIEW)
    login(client, cast.coordinator)
    client.post(_url("note_add", plan), {"text": "Bespreken in het MT"})
    assert ReviewerNote.objects.get(plan=plan).author == cast.coordinator
    assert "Bespreken in het MT" in client.get(_url("detail", plan)).content.decode()
    login(client, cast.regional_official)
    assert "Bespreken in het MT" not in client.get(_url("detail", plan)).content.decode()
    assert client.post(_url("note_add", plan), {"text": "Ik ook"}).status_code == 404
    assert ReviewerNote.objects.count() == 1


def test_a_coordinator_sets_the_deadline(cast, client):
    plan = make_plan(cast.region)
    login(client, cast.coordinator)
    client.post(_url("deadline", plan), {"deadline": "2026-12-01"})
    plan.refresh_from_db()
    assert plan.deadline == dt.date(2026, 12, 1)


def test_next_years_plan_starts_from_this_years(cast, client):
    plan = make_plan(cast.region, status=PlanStatus.APPROVED, deadline=dt.date(2026, 12, 1))
    plan.authors.add(cast.regional_official)
    login(client, cast.regional_official)
    response = client.post(_url("next_year", plan))
    new_plan = RegionPlan.objects.get(region=cast.region, year=plan.year + 1)
    assert response.url == _url("edit", new_plan)
    assert new_plan.sections == plan.sections and new_plan.status == PlanStatus.DRAFT
    assert new_plan.previous == plan and new_plan.deadline == dt.date(2027, 12, 1)
    # A second time is refused: the plan exists.
    client.post(_url("next_year", plan))
    assert RegionPlan.objects.filter(region=cast.region).count() == 2


def test_a_regional_official_starts_a_plan_for_their_own_region_only(cast, client):
    login(client, cast.regional_official)
    response = client.post(reverse("plans:start"), {"region": cast.other_region.pk, "year": 2027})
    assert response.status_code == 200 and not RegionPlan.objects.exists()
    response = client.post(reverse("plans:start"), {"region": cast.region.pk, "year": 2027})
    assert response.status_code == 302
    assert RegionPlan.objects.get().created_by == cast.regional_official


def test_starting_reuses_a_plan_a_coordinator_made_by_setting_the_deadline(cast, client):
    plan = make_plan(cast.region, sections={}, deadline=dt.date(2026, 12, 1))
    login(client, cast.regional_official)
    client.post(reverse("plans:start"), {"region": cast.region.pk, "year": plan.year})
    assert RegionPlan.objects.get().pk == plan.pk


def test_the_overview_lists_all_35_regions_and_links_only_own_plans(cast, client):
    own = make_plan(cast.region, status=PlanStatus.SUBMITTED)
    foreign = make_plan(cast.other_region, status=PlanStatus.APPROVED)
    login(client, cast.coordinator)
    response = client.get(reverse("plans:overview"), {"jaar": own.year})
    assert len(response.context["rows"]) == 35
    page = response.content.decode()
    assert _url("detail", own) in page and _url("detail", foreign) not in page
    assert "Goedgekeurd" in page


def test_the_awaiting_list_holds_the_coordinators_waiting_plans(cast, client):
    waiting = make_plan(cast.region, status=PlanStatus.RESUBMITTED)
    make_plan(cast.other_region, status=PlanStatus.SUBMITTED)
    login(client, cast.coordinator)
    response = client.get(reverse("plans:awaiting"))
    assert list(response.context["plans"]) == [waiting]


def test_home_tiles_for_regional_officials_and_coordinators(cast):
    make_plan(cast.region, status=PlanStatus.SUBMITTED)
    [coordinator_tile, _overview] = tiles(cast.coordinator)
    assert coordinator_tile.badge == "1 wachtend"
    assert tiles(cast.regional_official)[0].badge == ""
    assert tiles(cast.member_user) == []


def test_the_print_view_shows_the_plan_with_its_frozen_panel(cast, client):
    plan = make_plan(cast.region, status=PlanStatus.SUBMITTED)
    make_version(plan, number=1)
    login(client, cast.regional_official)
    page = client.get(_url("print", plan)).content.decode()
    assert "css/plans.css" in page
    assert "Krapte in de zorg" in page
    assert "Testcijfers" in page and "Vastgelegd bij het indienen" in page


POST_VIEWS = [
    ("transition", {"action": "submit"}),
    ("comment_add", {"section": "context", "text": "x"}),
    ("note_add", {"text": "x"}),
    ("deadline", {"deadline": "2026-12-01"}),
    ("next_year", {}),
    ("edit_section", {"text": "overschreven"}),
    ("autosave", {"text": "overschreven"}),
]


@pytest.mark.parametrize(("name", "data"), POST_VIEWS)
@pytest.mark.parametrize("who", ["regional_official", "coordinator", "member_user", "admin"])
def test_writes_to_a_foreign_plan_are_404_and_change_nothing(cast, client, name, data, who):
    plan = make_plan(cast.other_region)
    before = (plan.status, plan.sections, plan.deadline)
    login(client, getattr(cast, who))
    extra = {"section": "context"} if name in ("edit_section", "autosave") else {}
    assert client.post(_url(name, plan, **extra), data).status_code == 404
    plan.refresh_from_db()
    assert (plan.status, plan.sections, plan.deadline) == before
    assert not SectionComment.objects.exists() and not ReviewerNote.objects.exists()
    assert RegionPlan.objects.count() == 1


def test_resolving_a_comment_of_a_foreign_plan_is_404(cast, client):
    plan = make_plan(cast.other_region)
    comment = SectionComment.objects.create(plan=plan, section="context", text="x")
    login(client, cast.coordinator)
    assert client.post(_url("comment_resolve", plan, comment_pk=comment.pk)).status_code == 404
    # Nor through an own plan's URL with a foreign comment id.
    own = make_plan(cast.region)
    assert client.post(_url("comment_resolve", own, comment_pk=comment.pk)).status_code == 404
    comment.refresh_from_db()
    assert comment.status == CommentStatus.OPEN


def test_a_coordinator_of_another_region_gets_404(cast, client):
    plan = make_plan(cast.region)
    login(client, cast.other_coordinator)
    for name in ["detail", "print", "compare"]:
        assert client.get(_url(name, plan)).status_code == 404


def test_a_regional_official_who_also_has_another_region_sees_both(cast, client):
    official = UserFactory(role=Role.REGIONAL_OFFICIAL)
    official.regions.add(cast.region, cast.other_region)
    a, b = make_plan(cast.region), make_plan(cast.other_region)
    assert set(RegionPlan.objects.visible_to(official)) == {a, b}
    assert set(RegionPlan.objects.visible_to(cast.regional_official)) == {a}


def test_a_coordinator_sets_a_deadline_from_the_overview_before_any_plan_exists(cast, client):
    login(client, cast.coordinator)
    response = client.post(
        reverse("plans:region_deadline"),
        {"region": "AM13", "year": 2027, "deadline": "2026-12-15"},
    )
    assert response.status_code == 302
    plan = RegionPlan.objects.get(region=cast.region, year=2027)
    assert plan.deadline == dt.date(2026, 12, 15) and plan.status == PlanStatus.DRAFT
    assert plan.sections == {} and not plan.authors.exists()


@pytest.mark.parametrize("who", ["other_coordinator", "regional_official"])
def test_a_deadline_for_a_foreign_region_is_404(cast, client, who):
    login(client, getattr(cast, who))
    response = client.post(
        reverse("plans:region_deadline"),
        {
            "region": "AM13" if who == "other_coordinator" else "AM18",
            "year": 2027,
            "deadline": "2026-12-15",
        },
    )
    assert response.status_code == 404
    assert not RegionPlan.objects.exists()


def test_the_lists_take_a_fixed_number_of_queries(cast, client, django_assert_num_queries):
    for code in ["AM01", "AM02", "AM05", "AM08", "AM13"]:
        plan = make_plan(Region.objects.get(code=code), status=PlanStatus.SUBMITTED)
        make_version(plan)
    login(client, cast.coordinator)
    client.get(reverse("plans:awaiting"))  # the first page moves the staff idle clock: a write
    # (session,) user with its TOTP flag; plans of the year, late plan ids, visible plan ids,
    # own region ids, the 35 regions, the years, my plans.
    with django_assert_num_queries(session_queries() + 8):
        assert client.get(reverse("plans:overview"), {"jaar": 2027}).status_code == 200
    # (session,) user with its TOTP flag; the waiting plans with their open-comment counts.
    with django_assert_num_queries(session_queries() + 2):
        assert client.get(reverse("plans:awaiting")).status_code == 200


def test_a_plan_in_review_waits_only_for_its_own_reviewer(cast):
    second = UserFactory(role=Role.COORDINATOR)
    second.regions.add(cast.region)
    plan = make_plan(cast.region, status=PlanStatus.IN_REVIEW, reviewer=cast.coordinator)
    assert list(RegionPlan.objects.awaiting_review_by(cast.coordinator)) == [plan]
    assert list(RegionPlan.objects.awaiting_review_by(second)) == []


def test_the_admin_lists_and_shows_plans_read_only(cast, client):
    plan = make_plan(cast.region, status=PlanStatus.SUBMITTED)
    make_version(plan)
    login(client, cast.admin)
    assert client.get(reverse("admin:plans_regionplan_changelist")).status_code == 200
    page = client.get(reverse("admin:plans_regionplan_change", args=[plan.pk]))
    assert page.status_code == 200
    assert 'name="status"' not in page.content.decode()


def test_a_status_mail_is_skipped_when_the_plan_moved_on(cast):
    from django.core import mail

    from plans.tasks import notify_status_change

    plan = make_plan(cast.region, status=PlanStatus.IN_REVIEW)
    assert notify_status_change(plan.pk, PlanStatus.SUBMITTED) == 0
    assert mail.outbox == []
