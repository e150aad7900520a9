"""Referrals built for tests through the real service, from a source described by hand."""

from __future__ import annotations

from referrals.services import Source, refer


def make_referral(
    cast,
    *,
    kind="legal",
    consent=True,
    member=None,
    region=None,
    sector=None,
    by=None,
    source_id=None,
    summary="Ontslag op staande voet, wil bezwaar maken.",
):
    member = member if member is not None else cast.member
    cast._referral_sources = getattr(cast, "_referral_sources", 0) + 1
    source = Source(
        app="signals",
        id=source_id or 900_000 + cast._referral_sources,
        member=member,
        region=region if region is not None else member.region,
        sector=sector if sector is not None else member.sector,
        employer=None,
        topic="Ontslag",
        summary=summary,
    )
    [referral] = refer(by=by or cast.consultant, source=source, kinds=[kind], consent=consent)
    return referral
