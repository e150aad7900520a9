"""A member sees and withdraws their own consents; withdrawal takes effect at once."""

import pytest
from django.urls import reverse

from signals.models import Consent
from tests.conftest import login
from tests.signals.helpers import log_session

pytestmark = pytest.mark.django_db


def test_a_member_withdraws_consent_and_the_sector_official_no_longer_sees_them(client, cast):
    session = log_session(cast, member=cast.member, consent=True, summary="Loon te laat betaald")
    consent = Consent.objects.get(session=session, withdrawn_at__isnull=True)
    login(client, cast.member_user)
    page = client.get(reverse("signals:my_consents"))
    assert list(page.context["consents"]) == [consent]
    response = client.post(reverse("signals:my_consent_withdraw", args=[consent.pk]))
    assert response.status_code == 302
    consent.refresh_from_db()
    session.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert session.consent_to_share is False


def test_a_member_cannot_withdraw_someone_elses_consent(client, cast):
    session = log_session(cast, member=cast.other_member, consent=True)
    consent = Consent.objects.get(session=session)
    login(client, cast.member_user)
    assert cast.member_user != cast.other_member.user
    response = client.post(reverse("signals:my_consent_withdraw", args=[consent.pk]))
    assert response.status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_at is None
    assert list(client.get(reverse("signals:my_consents")).context["consents"]) == []


@pytest.mark.parametrize("who", ["consultant", "sector_official", "admin"])
def test_staff_do_not_use_the_members_consent_page(client, cast, who):
    session = log_session(cast, member=cast.member, consent=True)
    consent = Consent.objects.get(session=session)
    login(client, getattr(cast, who))
    assert client.post(reverse("signals:my_consent_withdraw", args=[consent.pk])).status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_at is None
