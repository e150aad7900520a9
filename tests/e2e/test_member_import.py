"""An admin imports a sample file through the portal's import pages and sees the report."""

import pytest

from members.models import Member
from tests.e2e.conftest import log_in, serious_accessibility_violations
from tests.members.helpers import SAMPLES

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_an_admin_imports_the_xlsx_sample_and_sees_the_report(page, live_cast):
    log_in(page, live_cast.admin)
    page.get_by_role("link", name="Leden importeren").first.click()
    page.get_by_label("Bestand:").set_input_files(str(SAMPLES / "leden.xlsx"))
    page.get_by_label("alles of niets").check()
    assert serious_accessibility_violations(page) == []
    page.get_by_role("button", name="Bestand controleren").click()
    page.get_by_role("heading", name="Voorvertoning: dit zou er veranderen").wait_for()
    assert serious_accessibility_violations(page) == []
    page.get_by_role("button", name="Bevestigen en verwerken").click()
    page.get_by_role("heading", name="Rapport").wait_for()
    report = page.locator("#import-report").inner_text()
    assert "Nieuw\n3" in report or "Nieuw 3" in report.replace("\n", " ")
    assert Member.objects.filter(member_number__in=["1400001", "1400002", "1400003"]).count() == 3
    assert serious_accessibility_violations(page) == []
