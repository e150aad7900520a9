"""The employer search behind the employer fields (members:employer_search, htmx): who may ask
it, and that it offers only employers a form accepts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.roles import Role
from members.employers import employer_search
from tests.conftest import login
from tests.factories import EmployerFactory

pytestmark = pytest.mark.django_db

URL = "members:employer_search"


@pytest.fixture
def jumbo(cast):
    return EmployerFactory(name="Jumbo Supermarkten B.V.", kvk_number="17037342")


@pytest.mark.parametrize("role", [Role.ADVISER, Role.COORDINATOR, Role.CONSULTANT, Role.ADMIN])
def test_it_answers_the_roles_that_fill_in_an_employer(client, cast, jumbo, role):
    login(client, cast.by_role()[role])
    response = client.get(reverse(URL), {"employer_query": "Jumbo"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'name="employer" id="employer-found-{jumbo.pk}" value="{jumbo.pk}"' in html
    assert "Jumbo Supermarkten B.V." in html


@pytest.mark.parametrize(
    "role",
    [Role.MEMBER, Role.REGIONAL_OFFICIAL, Role.SECTOR_OFFICIAL, Role.LEGAL],
)
def test_other_roles_get_not_found(client, cast, jumbo, role):
    login(client, cast.by_role()[role])
    response = client.get(reverse(URL), {"employer_query": "Jumbo"})
    assert response.status_code == 404
    assert b"Supermarkten" not in response.content


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, jumbo):
    response = client.get(reverse(URL), {"employer_query": "Jumbo"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_it_offers_only_confirmed_employers_that_were_not_merged(client, cast, jumbo):
    proposed = EmployerFactory(name="Jumbo Voorgesteld", is_confirmed=False)
    merged = EmployerFactory(name="Jumbo Oud", merged_into=jumbo)
    login(client, cast.adviser)
    html = client.get(reverse(URL), {"employer_query": "Jumbo"}).content.decode()
    assert "Jumbo Supermarkten B.V." in html
    assert "Jumbo Voorgesteld" not in html and "Jumbo Oud" not in html
    # The session form's search still offers proposed employers (a consultant may pick one).
    assert proposed in employer_search("Jumbo")
    assert merged not in employer_search("Jumbo")
    assert employer_search("Jumbo", confirmed_only=True) == [jumbo]


def test_a_kvk_number_finds_only_a_confirmed_employer(cast, jumbo):
    proposed = EmployerFactory(name="Voorstel", kvk_number="12345678", is_confirmed=False)
    assert employer_search("17037342", confirmed_only=True) == [jumbo]
    assert employer_search("12345678") == [proposed]
    assert employer_search("12345678", confirmed_only=True) == []


def test_it_says_when_nothing_is_found_and_stays_quiet_without_a_search(client, cast, jumbo):
    login(client, cast.adviser)
    nothing = client.get(reverse(URL), {"employer_query": "Qqqxxzz"}).content.decode()
    assert "Geen werkgever gevonden." in nothing and 'type="radio"' not in nothing
    empty = client.get(reverse(URL), {"employer_query": ""}).content.decode()
    assert empty.strip() == ""
    hostile = client.get(reverse(URL), {"employer_query": "Jumbo\x00"})
    assert hostile.status_code == 200 and b'type="radio"' not in hostile.content


def test_the_alias_match_reads_only_the_employers_with_other_names(cast, jumbo):
    """The partial index employer_with_aliases (members 0013) holds the employers with another
    name; the search's own SQL must imply its condition, or the planner reads every employer.
    With fresh statistics and sequential scans priced out, the plan of the search as it is sent
    uses the index; and
    an alias still finds its employer, a merged employer's alias its successor."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    jumbo.aliases = ["De Boer Supermarkten"]
    jumbo.save()
    EmployerFactory(name="Jumbo Oud", merged_into=jumbo, aliases=["Oude Jumbo"])
    for i in range(30):
        EmployerFactory(name=f"Werkgever zonder andere naam {i}")
    with CaptureQueriesContext(connection) as captured:
        assert employer_search("De Boer Supermarkten") == [jumbo]
    search = next(q["sql"] for q in captured.captured_queries if "unnest" in q["sql"])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE members_employer")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + search)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "employer_with_aliases" in plan, plan
    assert "Oud" not in str(employer_search("Oude Jumbo"))
