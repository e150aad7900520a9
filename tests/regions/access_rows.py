"""Access-table rows for the regions app's union house pages (merged into tests/access_table.py):
public pages with reference data and hours only, so everyone may see them."""

from tests.access_table_base import EVERYONE, NOBODY, Access


def _house(cast):
    return {"slug": cast.union_house.slug}


def _hidden_house(cast):
    from tests.factories import UnionHouseFactory

    return {"slug": UnionHouseFactory(name="Vakbondshuis Verborgen", is_public=False).slug}


ROWS: list[Access] = [
    Access("regions:houses", EVERYONE),
    Access("regions:house", EVERYONE, kwargs=_house),
    Access(
        "regions:house",
        NOBODY,
        kwargs=_hidden_house,
        label="foreign: a house an admin took off the public pages",
    ),
]
