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


COLUMNS = [
    "lidnummer",
    "achternaam",
    "voornaam",
    "postcode",
    "geboortedatum",
    "status",
    "e-mail",
    "sector",
    "Lid Sinds",
    "onbekend",
]
cell = st.one_of(
    st.text(st.characters(blacklist_categories=["Cs"]), max_size=15),
    st.integers(0, 10**11).map(str),
    st.sampled_from(
        [
            "1-2-1980",
            "31-02-2001",
            "2001-13-01",
            "1234 AB",
            "1234ab",
            "0000 AA",
            "actief",
            "beëindigd",
            "=1+1",
            '"',
            ";",
            "\n",
        ]
    ),
)


@st.composite
def member_files(draw) -> bytes:
    if draw(st.booleans()):
        return draw(st.binary(max_size=300))
    delimiter = draw(st.sampled_from([";", ",", "\t", "|"]))
    header = draw(st.lists(st.sampled_from(COLUMNS), min_size=0, max_size=6))
    rows = draw(st.lists(st.lists(cell, min_size=0, max_size=7), max_size=6))
    lines = [delimiter.join(header)] + [delimiter.join(row) for row in rows]
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    return "\r\n".join(lines).encode(encoding, errors="replace")


@FUZZ
@given(content=member_files(), mode=st.sampled_from(["strict", "valid-rows"]))
def test_the_member_import_survives_any_file(tmp_path_factory, content, mode):
    from members.models import ImportStatus, Member
    from tests.members.helpers import run_import

    path = tmp_path_factory.mktemp("fuzz") / "leden.csv"
    path.write_bytes(content)
    before = set(Member.objects.values_list("member_number", "last_name", "updated_at"))
    member_import = run_import(str(path), mode=mode)
    after = set(Member.objects.values_list("member_number", "last_name", "updated_at"))
    assert member_import.status in {ImportStatus.DONE, ImportStatus.REFUSED}, member_import.status
    if member_import.status == ImportStatus.REFUSED:
        assert member_import.message.strip(), "a refused import says why"
        assert after == before, "a refused import changed members"
    if mode == "strict" and member_import.errors.exists():
        assert after == before, "strict mode applied part of a file with rejected rows"
    for error in member_import.errors.all():
        assert error.message.strip() and error.line >= 1
