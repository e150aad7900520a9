"""The employer search that the employer fields of the forms ask as a person types (htmx)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from core import bounds
from core.access import role_required
from core.roles import Role
from members.employer_fields import RESULTS_LIMIT
from members.employers import QUERY_MAX_LENGTH, employer_search
from members.http import AuthenticatedRequest

# Who fills in a form with an employer field: trajectory advisers (a trajectory's outcome, a
# collective case), coordinators (a collective case, a meeting), consultants and admins.
SEARCH_ROLES = (Role.ADVISER, Role.COORDINATOR, Role.CONSULTANT, Role.ADMIN)


@role_required(*SEARCH_ROLES)
def employer_search_view(request: AuthenticatedRequest) -> HttpResponse:
    """Confirmed employers as radio buttons named "employer", so the keyboard alone can choose.
    Employers are no personal data: nothing to write in the audit log."""
    query = bounds.text_param(request.GET, "employer_query", max_length=QUERY_MAX_LENGTH)
    return render(
        request,
        "members/_employer_results.html",
        {
            "employer_results": employer_search(query, limit=RESULTS_LIMIT, confirmed_only=True),
            "query": query,
        },
    )
