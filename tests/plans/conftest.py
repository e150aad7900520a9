import pytest

from tests.plans.helpers import FAKE_FIGURES, FAKE_PROVIDERS


@pytest.fixture(autouse=True)
def fake_panel(settings):
    """The other apps fill their panels in parallel: test with a provider of our own."""
    settings.FNV_REGION_PANEL_PROVIDERS = FAKE_PROVIDERS
    FAKE_FIGURES["members"] = 120
    return FAKE_FIGURES
