"""Access-table rows for the collective cases opened from signals.

"Own" cases are at an employer of the cast's sector (Handel) in Midden-Utrecht; "foreign" ones
in the other sector and region.
"""

from casework.models import CaseInvitation
from signals.models import DetectionRule, RuleKind, Signal
from tests.access_table_base import (
    ADMIN,
    ADVISER,
    COORDINATOR,
    MEMBER,
    NOBODY,
    SECTOR_OFFICIAL,
    Access,
)
from tests.factories import EmployerFactory
from trajectories.models import CollectiveCase

CASE_VIEWERS = frozenset({SECTOR_OFFICIAL, ADVISER, COORDINATOR, ADMIN})
OFFICIAL = frozenset({SECTOR_OFFICIAL})


def _case(cast, *, foreign=False) -> CollectiveCase:
    sector = cast.other_sector if foreign else cast.sector
    return CollectiveCase.objects.create(
        name="Zaak",
        kind="other",
        employer=EmployerFactory(sector=sector),
        region=cast.other_region if foreign else cast.region,
        sector=sector,
    )


def _signal_pk(cast, *, foreign=False) -> dict:
    sector = cast.other_sector if foreign else cast.sector
    employer = EmployerFactory(sector=sector)
    signal = Signal.objects.create(
        rule=DetectionRule.objects.get(kind=RuleKind.EMPLOYER_CLUSTER),
        key=f"employer:{employer.pk}",
        employer=employer,
        region=cast.other_region if foreign else cast.region,
        sector=sector,
        window_start="2026-01-01",
        window_end="2026-01-31",
        count=3,
    )
    return {"signal_pk": signal.pk}


def _invitation(cast, *, foreign=False) -> dict:
    member = cast.other_member if foreign else cast.member
    invitation = CaseInvitation.objects.create(case=_case(cast, foreign=foreign), member=member)
    return {"token": invitation.token}


POST_ONLY = "POST only; tested in tests/casework/test_cases.py"

ROWS: list[Access] = [
    Access("casework:case_list", CASE_VIEWERS),
    Access("casework:case", CASE_VIEWERS, kwargs=lambda cast: {"pk": _case(cast).pk}),
    Access(
        "casework:case",
        frozenset({ADMIN}),
        kwargs=lambda cast: {"pk": _case(cast, foreign=True).pk},
        label="foreign",
    ),
    Access("casework:invite", OFFICIAL, kwargs=lambda cast: {"pk": _case(cast).pk}),
    Access(
        "casework:invite",
        NOBODY,
        kwargs=lambda cast: {"pk": _case(cast, foreign=True).pk},
        label="foreign",
    ),
    Access("casework:outcome", OFFICIAL, probe=False, reason=POST_ONLY),
    Access("casework:from_signal", OFFICIAL, kwargs=_signal_pk),
    Access(
        "casework:from_signal",
        NOBODY,
        kwargs=lambda cast: _signal_pk(cast, foreign=True),
        label="foreign",
    ),
    Access("casework:invitation", frozenset({MEMBER}), kwargs=_invitation),
    Access(
        "casework:invitation",
        NOBODY,
        kwargs=lambda cast: _invitation(cast, foreign=True),
        label="foreign",
    ),
]
