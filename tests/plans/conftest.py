import pytest

from core import registry
from tests.plans.helpers import FAKE_FIGURES, FAKE_PROVIDERS, panel_providers


@pytest.fixture(autouse=True)
def fake_panel(monkeypatch):
    """The other apps fill their panels in parallel: test with a provider of our own."""
    monkeypatch.setattr(registry, "region_panel_providers", panel_providers(*FAKE_PROVIDERS))
    FAKE_FIGURES["members"] = 120
    return FAKE_FIGURES
