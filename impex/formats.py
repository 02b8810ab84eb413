"""File formats of the imports: CSV (comma or semicolon), and OpenStreetMap GeoJSON turned into
the same rows as the blocks' CSV, so one Resource (impex.resources.BlockResource) holds every rule.

GeoJSON: points, and building outlines (Polygon, MultiPolygon) reduced to their centroid; the
address is `addr:street` + `addr:housenumber`. A feature without either, or without a usable
geometry, becomes a row with a `reject` reason, which the Resource reports line by line.
"""

from __future__ import annotations

import hashlib
import json
import math

import tablib
from django.utils.translation import gettext as _
from import_export.formats import base_formats

from neighbors.models import Block

# The columns of a blocks file; GeoJSON rows also carry `source` (the OSM id) and `reject`.
BLOCK_COLUMNS = ("code", "address", "entrances", "floors", "latitude", "longitude")
GEOJSON_COLUMNS = (*BLOCK_COLUMNS, "source", "reject")
CODE_MAX_LENGTH = Block._meta.get_field("code").max_length
OSM_PREFIXES = {"node": "N", "way": "W", "relation": "R"}


class FileError(ValueError):
    """A file that cannot be read at all; its message is shown to the user as it is."""


class CSVFormat(base_formats.CSV):
    """CSV as spreadsheets save it: comma- or semicolon-separated, in UTF-8 or, as a Russian
    Excel saves "CSV", in Windows-1251."""

    # The first data row is the file's line 2 (line 1 holds the column names).
    first_line = 2

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            try:
                in_stream = in_stream.decode(self.encoding or "utf-8-sig")
            except UnicodeDecodeError:
                in_stream = in_stream.decode("cp1251")
        header = in_stream.lstrip("\ufeff").split("\n", 1)[0]
        if header.count(";") > header.count(","):
            kwargs.setdefault("delimiter", ";")
        return tablib.import_set(in_stream, format="csv", **kwargs)


class GeoJSONFormat(base_formats.TextFormat):
    """OpenStreetMap GeoJSON (overpass turbo, osmtogeojson, ogr2ogr) for the blocks import."""

    CONTENT_TYPE = "application/geo+json"
    # Rows are the file's features, counted from 1.
    first_line = 1

    def get_title(self):
        return "geojson"

    def get_extension(self):
        return "geojson"

    @classmethod
    def is_available(cls):
        return True

    def can_import(self):
        return True

    def can_export(self):
        return False

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            in_stream = in_stream.decode(self.encoding or "utf-8-sig")
        return geojson_to_dataset(in_stream)


def geojson_to_dataset(text: str) -> tablib.Dataset:
    """One row per feature, in the blocks' columns (GEOJSON_COLUMNS)."""
    try:
        document = json.loads(text)
    except ValueError as error:
        raise FileError(_("The file is not GeoJSON: it cannot be read as JSON.")) from error
    if not isinstance(document, dict):
        raise FileError(_("The file is not GeoJSON: no FeatureCollection in it."))
    if document.get("type") == "Feature":
        features = [document]
    elif document.get("type") == "FeatureCollection" and isinstance(document.get("features"), list):
        features = document["features"]
    else:
        raise FileError(_("The file is not GeoJSON: no FeatureCollection in it."))
    dataset = tablib.Dataset(headers=list(GEOJSON_COLUMNS))
    for feature in features:
        row = feature_row(feature if isinstance(feature, dict) else {})
        dataset.append([row.get(column, "") for column in GEOJSON_COLUMNS])
    return dataset


def feature_row(feature: dict) -> dict:
    """A feature as a row of the blocks import (strings, as a CSV gives them)."""
    properties = feature.get("properties")
    properties = properties if isinstance(properties, dict) else {}
    street = str(properties.get("addr:street") or "").strip()
    house = str(properties.get("addr:housenumber") or "").strip()
    address = f"{street}, {house}" if street and house else ""
    source = osm_id(feature, properties)
    row = {"address": address, "source": source}
    point = centroid(feature.get("geometry"))
    if point is not None:
        row["longitude"], row["latitude"] = (f"{value:.7f}" for value in point)
    row["entrances"] = str(
        properties.get("entrances") or properties.get("building:entrances") or ""
    ).strip()
    levels = str(properties.get("building:levels") or "").strip()
    row["floors"] = levels if levels.isdigit() else ""
    row["code"] = block_code(properties, source, address)
    reasons = []
    if not address:
        reasons.append(_("No address: the feature has no addr:street and addr:housenumber."))
    if point is None:
        reasons.append(_("No location: the feature is neither a point nor a building outline."))
    row["reject"] = " ".join(reasons)
    return row


def osm_id(feature: dict, properties: dict) -> str:
    """ "way/123" as overpass turbo and osmtogeojson write it; ogr2ogr's osm_id/osm_way_id."""
    for value in (feature.get("id"), properties.get("@id"), properties.get("id")):
        if isinstance(value, str) and "/" in value:
            return value
    if properties.get("osm_way_id"):
        return f"way/{properties['osm_way_id']}"
    if properties.get("osm_id"):
        return f"node/{properties['osm_id']}"
    return ""


def block_code(properties: dict, source: str, address: str) -> str:
    """The block's code: the feature's own `code`, else its OSM id (W123456), else one made
    from the address. The same file gives the same codes, so importing it again updates the
    blocks instead of adding them twice."""
    own = str(properties.get("code") or "").strip()
    if own:
        return own
    kind, _slash, number = source.partition("/")
    if kind in OSM_PREFIXES and number.isdigit():
        code = OSM_PREFIXES[kind] + number
        if len(code) <= CODE_MAX_LENGTH:
            return code
    if address:
        digest = hashlib.sha256(address.casefold().encode()).hexdigest()
        return "A" + digest[: CODE_MAX_LENGTH - 4].upper()
    return ""


def centroid(geometry) -> tuple[float, float] | None:
    """(longitude, latitude) of a Point, or the area centroid of a Polygon's or MultiPolygon's
    outer rings (planar: a building is small enough); None for anything else."""
    if not isinstance(geometry, dict):
        return None
    kind, coordinates = geometry.get("type"), geometry.get("coordinates")
    try:
        if kind == "Point":
            point = (float(coordinates[0]), float(coordinates[1]))
        elif kind == "Polygon":
            point = _rings_centroid([coordinates[0]])
        elif kind == "MultiPolygon":
            point = _rings_centroid([polygon[0] for polygon in coordinates])
        else:
            return None
    except (TypeError, ValueError, IndexError, ZeroDivisionError):
        return None
    if point is None or not all(math.isfinite(value) for value in point):
        return None
    return point


def _rings_centroid(rings) -> tuple[float, float] | None:
    """Area-weighted centroid of rings, whichever way each is wound."""
    total = cx = cy = 0.0
    vertices = []
    for ring in rings:
        points = [(float(p[0]), float(p[1])) for p in ring]
        vertices.extend(points)
        area = sx = sy = 0.0
        for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True):
            cross = x0 * y1 - x1 * y0
            area += cross
            sx += (x0 + x1) * cross
            sy += (y0 + y1) * cross
        area /= 2
        if abs(area) > 1e-15:
            weight = abs(area)
            total += weight
            cx += weight * sx / (6 * area)
            cy += weight * sy / (6 * area)
    if not vertices:
        return None
    if not total:
        # A degenerate outline (all points on a line): the mean of its points.
        return (
            sum(x for x, _y in vertices) / len(vertices),
            sum(y for _x, y in vertices) / len(vertices),
        )
    return cx / total, cy / total
