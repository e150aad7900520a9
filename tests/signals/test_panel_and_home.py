"""Region panel figures, home tiles and dashboards."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from signals.detection import run_detection
from signals.panel import region_panel
from tests.signals.helpers import log_session, theme

pytestmark = pytest.mark.django_db


def test_the_panel_is_aggregate_json_and_hides_small_theme_counts(cast):
    for _ in range(3):
        log_session(cast, themes=[theme("Ontslag")])
    log_session(cast, themes=[theme("Werkdruk")])
    today = timezone.localdate()
    panel = region_panel(cast.region, since=today - dt.timedelta(days=365), until=today)
    json.dumps(panel)
    figures = dict(panel["figures"])
    assert figures["Spreekuurgesprekken"] == 4
    assert figures["Thema: Ontslag"] == 3
    assert "Thema: Werkdruk" not in figures


def test_home_tiles_lead_each_role_to_its_pages(cast, login_as):
    page = login_as(cast.consultant).get(reverse("home")).content.decode()
    assert reverse("signals:session_new") in page
    page = login_as(cast.sector_official).get(reverse("home")).content.decode()
    assert reverse("signals:signal_list") in page


def test_the_region_page_and_map_render_with_signals(cast, login_as):
    for _ in range(5):
        log_session(cast, themes=[theme("Faillissement")])
    run_detection(full=True)
    client = login_as(cast.coordinator)
    response = client.get(reverse("signals:region", kwargs={"code": "AM13"}))
    assert "Faillissement" in response.content.decode()
    assert len(response.context["signals"]) == 1
    response = client.get(reverse("signals:map"))
    assert response.status_code == 200
    assert "level-4" in response.content.decode()
