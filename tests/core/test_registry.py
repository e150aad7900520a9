"""The one extension mechanism: each app declares what it contributes in its apps.py, and the
shared parts collect it from there (no list of apps in the settings)."""

from __future__ import annotations

from dataclasses import fields

import pytest
from django.apps import apps
from django.conf import settings
from django.utils.module_loading import import_string

from core import registry

pytestmark = pytest.mark.django_db


def _portal_configs():
    return [c for c in apps.get_app_configs() if isinstance(c, registry.PortalAppConfig)]


def test_every_portal_app_declares_what_it_contributes_and_every_path_resolves():
    configs = {c.label: c for c in _portal_configs()}
    assert set(configs) == {
        "regions",
        "members",
        "audit",
        "referrals",
        "loopbaan",
        "trajectories",
        "signals",
        "plans",
        "meetings",
        "pages",
        "labourmarket",
        "dashboard",
        "casework",
    }
    for config in configs.values():
        for field in fields(registry.Contributions):
            path = getattr(config.contributes, field.name)
            if path:
                assert import_string(path) is not None, (config.label, field.name)


def test_what_each_kind_collects():
    def labels(kind):
        return [label for label, _provider in registry._declared(kind)]

    # In the order of INSTALLED_APPS; a new app's contributions show up here on purpose.
    assert labels("home_tiles") == [
        "members",
        "referrals",
        "loopbaan",
        "trajectories",
        "signals",
        "plans",
        "meetings",
        "pages",
        "labourmarket",
        "dashboard",
        "casework",
    ]
    assert labels("region_panel") == [
        "members",
        "referrals",
        "loopbaan",
        "trajectories",
        "signals",
        "meetings",
        "labourmarket",
    ]
    assert labels("demo_seed") == [
        "regions",
        "referrals",
        "loopbaan",
        "trajectories",
        "signals",
        "plans",
        "meetings",
        "labourmarket",
    ]
    assert labels("retention") == [
        "members",
        "audit",
        "referrals",
        "loopbaan",
        "trajectories",
        "signals",
        "meetings",
    ]
    assert labels("erasure") == [
        "referrals",
        "loopbaan",
        "trajectories",
        "signals",
        "meetings",
        "casework",
    ]
    assert labels("receivers") == ["members", "trajectories"]
    assert labels("house_facts") == ["loopbaan", "meetings"]
    assert labels("public_agenda") == ["meetings"]
    assert labels("region_trends") == ["members", "loopbaan", "trajectories", "signals", "plans"]
    assert labels("signal_actions") == ["casework"]


def test_the_beat_schedule_holds_every_apps_declared_entries():
    for config in _portal_configs():
        if config.contributes.beat_schedule:
            for name, entry in import_string(config.contributes.beat_schedule).items():
                assert settings.CELERY_BEAT_SCHEDULE[name] == entry
    assert settings.CELERY_BEAT_SCHEDULE["heartbeat"]["task"] == "fnvregio.tasks.heartbeat"


def test_the_settings_name_no_app_list_besides_the_installed_apps():
    assert not [
        name
        for name in dir(settings)
        if name.startswith("FNV_") and name.endswith(("_PROVIDERS", "_HANDLERS", "_SEEDERS"))
    ]
    assert not hasattr(settings, "FEATURE_APPS")


def test_the_receivers_are_connected_once():
    from allauth.mfa.signals import authenticator_added

    from members.events import trajectory_referral_made

    assert len(trajectory_referral_made.receivers) == 1
    assert any("record_second_factor_on_setup" in str(r) for r in authenticator_added.receivers)
