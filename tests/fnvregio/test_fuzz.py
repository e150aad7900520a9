"""Property-based tests: random input never crashes a form or parser, never writes half, and
always gets a clear message."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import login

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

text = st.text(st.characters(blacklist_categories=["Cs"]), max_size=60)
field_value = st.one_of(
    text,
    st.integers(-(10**12), 10**12).map(str),
    st.sampled_from(
        ["", "0", "-1", "online", "union_house", "phone", "new", "work_income", "career"]
    ),
)
SESSION_FIELDS = [
    "at",
    "place",
    "union_house",
    "kind",
    "member_number",
    "not_a_member",
    "employer_query",
    "employer",
    "new_employer_name",
    "new_employer_kvk",
    "sector",
    "themes",
    "summary",
    "referrals",
    "consent_to_share",
    "follow_up_needed",
]


@FUZZ
@given(
    data=st.dictionaries(
        st.sampled_from(SESSION_FIELDS), st.one_of(field_value, st.lists(field_value, max_size=3))
    )
)
def test_the_session_form_survives_any_input(client, cast, data):
    from signals.models import ConsultationSession

    login(client, cast.consultant)
    before = ConsultationSession.objects.count()
    response = client.post(reverse("signals:session_new"), data)
    after = ConsultationSession.objects.count()
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert after == before, "a refused form wrote a session"
        assert 'class="errorlist' in response.content.decode(), "a refused form says what to fix"
    else:
        assert after == before + 1
