"""The map of the 35 regions as inline SVG, drawn on the server from the GeoJSON boundaries.

No tiles, no CDN: a simple equirectangular projection scaled by cos(latitude), which is
accurate enough for a country the size of the Netherlands.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

WIDTH = 600
MID_LATITUDE = 52.2
X_SCALE = math.cos(math.radians(MID_LATITUDE))


@dataclass(frozen=True)
class MapShape:
    code: str
    name: str
    path: str
    url: str
    css_class: str = ""
    label: str = ""


def _rings(geometry: dict) -> Iterable[list[list[float]]]:
    polygons = (
        geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    )
    for polygon in polygons:
        yield from polygon


def _bounds(geometries: list[dict]) -> tuple[float, float, float, float]:
    xs, ys = [], []
    for geometry in geometries:
        for ring in _rings(geometry):
            for lon, lat in ring:
                xs.append(lon * X_SCALE)
                ys.append(lat)
    return min(xs), min(ys), max(xs), max(ys)


def build_map(regions: list[dict]) -> dict:
    """regions: dicts with code, name, boundary (GeoJSON geometry), url, css_class, label.

    Returns the viewBox size and one SVG path per region.
    """
    geometries = [r["boundary"] for r in regions if r.get("boundary")]
    if not geometries:
        return {"width": WIDTH, "height": 0, "shapes": []}
    min_x, min_y, max_x, max_y = _bounds(geometries)
    scale = WIDTH / (max_x - min_x)
    height = round((max_y - min_y) * scale)
    shapes = []
    for region in regions:
        if not region.get("boundary"):
            continue
        parts = []
        for ring in _rings(region["boundary"]):
            points = [
                f"{(lon * X_SCALE - min_x) * scale:.1f},{(max_y - lat) * scale:.1f}"
                for lon, lat in ring
            ]
            parts.append("M" + "L".join(points) + "Z")
        shapes.append(
            MapShape(
                code=region["code"],
                name=region["name"],
                path="".join(parts),
                url=region["url"],
                css_class=region.get("css_class", ""),
                label=region.get("label", region["name"]),
            )
        )
    return {"width": WIDTH, "height": height, "shapes": shapes}
