"""An admin imports a sample file through the portal's import pages and sees the report."""

from pathlib import Path

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


def test_an_admin_imports_through_the_django_admin_and_downloads_the_rejected_rows(page, live_cast):
    """django-import-export in the admin: preview with reasons, confirm, report, rejected rows."""
    log_in(page, live_cast.admin)
    page.goto("/beheer/members/member/")
    page.get_by_role("link", name="Importeren", exact=True).click()
    page.get_by_label("Bestand om te importeren").set_input_files(
        str(SAMPLES / "leden-met-fouten.csv")
    )
    page.get_by_label("Alleen de goede rijen verwerken").check()
    assert serious_accessibility_violations(page) == []
    page.get_by_role("button", name="Indienen").click()
    warning = page.locator(".messagelist .warning")
    warning.wait_for()
    assert "8 rij(en) afgewezen en overgeslagen" in warning.inner_text()
    assert "31-02-1980" in warning.inner_text() and "staat ook op regel 9" in warning.inner_text()
    assert not Member.objects.filter(member_number="1300009").exists()  # only a preview
    page.get_by_role("button", name="Accepteer de import").click()
    success = page.locator(".messagelist .success")
    assert "Import klaar: 1 nieuw, 0 gewijzigd, 0 ongewijzigd, 8 afgewezen" in success.inner_text()
    success.get_by_role("link", name="Bekijk het rapport").click()
    page.get_by_role("heading", name="Rapport").wait_for()
    report = " ".join(page.locator("#import-report").inner_text().split())
    assert "Nieuw 1" in report and "Afgewezen 8" in report
    assert serious_accessibility_violations(page) == []
    with page.expect_download() as download:
        page.get_by_role("link", name="Download alle 8 afgewezen rijen (CSV)").click()
    rejected = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert rejected.startswith("regel;kolom;reden")
    assert "geboortedatum;‘31-02-1980’ is geen bestaande datum." in rejected
    assert Member.objects.filter(member_number="1300009").exists()
    assert not Member.objects.filter(member_number="1300001").exists()
