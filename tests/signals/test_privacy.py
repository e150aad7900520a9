"""What the sector official sees: identity and summary only with consent; small counts hidden."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse

from audit.models import AuditEntry
from signals.detection import run_detection
from signals.models import Place, Signal
from signals.selectors import suppress
from tests.factories import EmployerFactory, MemberFactory
from tests.signals.helpers import log_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(cast):
    employer = EmployerFactory(sector=cast.sector)
    consenting = MemberFactory(last_name="Toestemming", sector=cast.sector)
    silent = MemberFactory(last_name="Zwijgzaam", sector=cast.sector)
    shared = log_session(
        cast, employer=employer, member=consenting, consent=True, summary="Rooster klopt niet"
    )
    log_session(cast, employer=employer, member=silent, summary="Geheime klacht")
    log_session(cast, employer=employer, summary="Nog een geheime klacht")
    run_detection(full=True)
    signal = Signal.objects.get(key=f"employer:{employer.pk}")
    return signal, shared, consenting, silent


def test_the_official_sees_only_consented_identity_and_summary(cast, login_as, setup):
    signal, shared, consenting, silent = setup
    client = login_as(cast.sector_official)
    page = client.get(reverse("signals:signal", kwargs={"pk": signal.pk})).content.decode()
    assert "Toestemming" in page and "Rooster klopt niet" in page
    assert "Zwijgzaam" not in page and "Geheime klacht" not in page
    assert silent.member_number not in page
    assert AuditEntry.objects.filter(
        object_type="signals.consultationsession",
        object_id=str(shared.pk),
        subject_member_id=consenting.pk,
    ).exists()
    assert AuditEntry.objects.filter(
        object_type="signals.signal", object_id=str(signal.pk)
    ).exists()


def test_withdrawn_consent_hides_the_member_at_once(cast, login_as, setup):
    signal, shared, consenting, _ = setup
    client = login_as(cast.consultant)
    client.post(reverse("signals:consent_withdraw", kwargs={"pk": shared.pk}))
    client = login_as(cast.sector_official)
    page = client.get(reverse("signals:signal", kwargs={"pk": signal.pk})).content.decode()
    assert "Toestemming" not in page and "Rooster klopt niet" not in page


def test_another_consultant_cannot_withdraw_or_see_the_session(cast, login_as, setup):
    _, shared, _, _ = setup
    client = login_as(cast.other_consultant)
    response = client.post(reverse("signals:consent_withdraw", kwargs={"pk": shared.pk}))
    assert response.status_code == 404
    assert shared.active_consent() is not None


def test_counts_below_the_minimum_group_size_are_not_broken_down(cast, login_as, setup):
    signal, *_ = setup
    client = login_as(cast.sector_official)
    response = client.get(reverse("signals:signal", kwargs={"pk": signal.pk}))
    evidence = response.context["evidence"]
    assert evidence.total == 3
    # three sessions at one place: shown; one week with all three: shown
    assert [c.count for c in evidence.places] == [3]


def test_suppression_hides_small_cells_and_one_more_so_they_cannot_be_derived():
    cells = suppress([("a", 10), ("b", 2), ("c", 4), ("d", 0)])
    assert [c.count for c in cells] == [10, None, None, 0]
    cells = suppress([("a", 1), ("b", 2), ("c", 7)])
    assert [c.count for c in cells] == [None, None, 7]


@override_settings(FNV={"MIN_GROUP_SIZE": 5, "IMPORT_MAX_BYTES": 1})
def test_a_signal_smaller_than_the_minimum_group_shows_no_breakdown(cast, login_as, setup):
    signal, *_ = setup
    log_session(cast, employer=signal.employer, place=Place.PHONE)
    client = login_as(cast.sector_official)
    response = client.get(reverse("signals:signal", kwargs={"pk": signal.pk}))
    assert response.context["evidence"].places == []
    assert "Minder dan 5 gesprekken" in response.content.decode()


def test_a_part_hidden_to_protect_another_is_not_called_small():
    """A cell hidden only so that a small one cannot be worked out is not "minder dan N"."""
    from django.template.loader import render_to_string

    from signals.charts import bar_chart
    from signals.selectors import Cell

    cells = [Cell("a", 40), Cell("b", None), Cell("c", None)]
    table = render_to_string("signals/_cells.html", {"cells": cells, "caption": "x"})
    assert table.count("afgeschermd") == 2 and "minder dan" not in table
    chart = bar_chart(cells)
    assert [bar.value for bar in chart["bars"]] == ["40", "afgeschermd", "afgeschermd"]
