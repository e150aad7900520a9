"""Reads of employers that every app's forms need: the search behind the employer fields, and
the lookup of an employer id that a form sent back."""

from __future__ import annotations

import re

from django.db import connection

from core import bounds
from members.models import Employer

KVK_RE = re.compile(r"^\d{8}$")
# A search longer than any employer name finds nothing more; trigrams of a very long text only
# cost time.
QUERY_MAX_LENGTH = 200


def employer_search(query: str, *, limit: int = 8, confirmed_only: bool = False) -> list[Employer]:
    """Employers by KvK number (exact), name and alias (trigram similarity, case-insensitive):
    "AH", "Albert Heijn" and "Albert Heijn B.V." all find the same employer. Merged employers
    are left out (their names live on as aliases of the one they were merged into); with
    `confirmed_only`, so are the employers that consultants proposed and no admin confirmed."""
    query = " ".join(query.split())
    if not query:
        return []
    if KVK_RE.match(query):
        by_kvk = Employer.objects.filter(kvk_number=query, merged_into__isnull=True)
        return list(by_kvk.filter(is_confirmed=True) if confirmed_only else by_kvk)
    # The nearest names by each of the two measures come from the GiST trigram index (KNN, members
    # migration 0011): the best `limit` by the greater of the two are among the best `limit` of
    # one of them. Filtering every name above the threshold and ranking them all took 1.6 s when
    # 50,000 names were alike ("Benchwerkgever 1 B.V." …, bench/pages.py).
    nearest = max(4 * limit, 32)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT id, max(score) AS score FROM (
                SELECT id, GREATEST(similarity(UPPER(name), UPPER(%(q)s)),
                                    word_similarity(UPPER(%(q)s), UPPER(name))) AS score
                FROM (
                    (SELECT id, name FROM members_employer
                     WHERE merged_into_id IS NULL AND (is_confirmed OR NOT %(confirmed_only)s)
                     ORDER BY UPPER(name) <-> UPPER(%(q)s) LIMIT %(nearest)s)
                    UNION
                    (SELECT id, name FROM members_employer
                     WHERE merged_into_id IS NULL AND (is_confirmed OR NOT %(confirmed_only)s)
                     ORDER BY UPPER(%(q)s) <<-> UPPER(name) LIMIT %(nearest)s)
                ) near
                WHERE UPPER(name) %% UPPER(%(q)s) OR UPPER(%(q)s) <%% UPPER(name)
                UNION ALL
                -- cardinality(aliases) > 0 with merged_into_id IS NULL is the condition of the
                -- partial index employer_with_aliases (members 0013): only those are read.
                SELECT e.id, CASE WHEN UPPER(a) = UPPER(%(q)s) THEN 1.0
                                  ELSE similarity(UPPER(a), UPPER(%(q)s)) END
                FROM members_employer e, unnest(e.aliases) AS a
                WHERE e.merged_into_id IS NULL AND cardinality(e.aliases) > 0
                  AND (e.is_confirmed OR NOT %(confirmed_only)s)
                  AND (UPPER(a) = UPPER(%(q)s) OR UPPER(a) %% UPPER(%(q)s))
            ) hits GROUP BY id ORDER BY score DESC, id LIMIT %(limit)s
            """,
            {"q": query, "limit": limit, "nearest": nearest, "confirmed_only": confirmed_only},
        )
        ids = [row[0] for row in cursor.fetchall()]
    found = Employer.objects.in_bulk(ids)
    return [found[i] for i in ids if i in found]


def confirmed_employer(value: object) -> Employer | None:
    """The confirmed, not merged employer whose id a form sent back, or None for anything else:
    text, a NUL byte, a number beyond any id, a proposed or merged employer."""
    pk = bounds.int_param({"pk": value} if isinstance(value, str) else {}, "pk", minimum=1)
    if pk is None:
        return None
    return Employer.objects.confirmed().filter(pk=pk).first()
