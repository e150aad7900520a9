"""Load the reference data shipped in regions/data/ (see regions/data/PROVENANCE.md).

Used by the data migration and by `manage.py load_reference_data`; idempotent, so running it
again updates names and links without creating duplicates.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


def _centroid(geometry: dict) -> tuple[float, float]:
    """Average of the outer ring's vertices: good enough to order union houses by distance."""
    polygons = (
        geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    )
    points = [point for polygon in polygons for point in polygon[0]]
    longitude = sum(p[0] for p in points) / len(points)
    latitude = sum(p[1] for p in points) / len(points)
    return latitude, longitude


def load_reference_data(Region, Municipality, PostcodeArea) -> dict[str, int]:  # noqa: N803 (models passed in by migrations)
    region_shapes = {
        feature["properties"]["statcode"]: feature["geometry"]
        for feature in json.loads((DATA_DIR / "regions_2025.geojson").read_text("utf-8"))[
            "features"
        ]
    }
    regions = {}
    with (DATA_DIR / "regions_2025.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            region, _ = Region.objects.update_or_create(
                code=row["code"],
                defaults={"name": row["naam"], "boundary": region_shapes.get(row["code"])},
            )
            regions[row["code"]] = region

    municipality_shapes = {
        feature["properties"]["statcode"]: feature["geometry"]
        for feature in json.loads((DATA_DIR / "municipalities_2025.geojson").read_text("utf-8"))[
            "features"
        ]
    }
    municipalities = {}
    with (DATA_DIR / "municipality_region_2025.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            latitude = longitude = None
            if row["gemeentecode"] in municipality_shapes:
                latitude, longitude = _centroid(municipality_shapes[row["gemeentecode"]])
            municipality, _ = Municipality.objects.update_or_create(
                code=row["gemeentecode"],
                defaults={
                    "name": row["gemeentenaam"],
                    "region": regions[row["arbeidsmarktregio_code"]],
                    "latitude": latitude,
                    "longitude": longitude,
                },
            )
            municipalities[row["gemeentecode"]] = municipality

    existing = set(PostcodeArea.objects.values_list("pc4", flat=True))
    new_rows = []
    with (DATA_DIR / "pc4_municipality.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            values = {
                "municipality": municipalities[row["gemeentecode"]],
                "place_names": row["plaatsnamen"][:200],
                "spans_municipalities": int(row["n_gemeenten_hit"] or 1) > 1,
            }
            if row["pc4"] in existing:
                PostcodeArea.objects.filter(pc4=row["pc4"]).update(**values)
            else:
                new_rows.append(PostcodeArea(pc4=row["pc4"], **values))
    PostcodeArea.objects.bulk_create(new_rows, batch_size=1000)
    return {
        "regions": len(regions),
        "municipalities": len(municipalities),
        "postcodes": PostcodeArea.objects.count(),
    }
