"""One way to read feature settings."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from core.conf import feature_setting
from loopbaan.models import knob
from plans.conf import plans_setting


def test_a_feature_setting_comes_from_settings_fnv_else_its_default(settings):
    settings.FNV = {**settings.FNV, "APPOINTMENT_MINUTES": 45, "PLANS_PANEL_DAYS": 30}
    assert knob("MINUTES") == 45 and knob("BUFFER_MINUTES") == 15
    assert plans_setting("PANEL_DAYS") == 30 and plans_setting("REMINDER_HOUR") == 9
    assert feature_setting("NO_SUCH_THING", 7) == 7


def test_a_setting_without_a_default_that_is_missing_says_which(settings):
    settings.FNV = {}
    with pytest.raises(ImproperlyConfigured, match="MIN_GROUP_SIZE"):
        feature_setting("MIN_GROUP_SIZE")
