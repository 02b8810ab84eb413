"""OpenStreetMap GeoJSON into rows of the blocks import: centroids, addresses, codes, rejects."""

import json

import pytest

from impex.formats import FileError, centroid, feature_row, geojson_to_dataset
from tests.impex.conftest import FILES


def test_point_is_its_own_centroid():
    assert centroid({"type": "Point", "coordinates": [30.3, 59.9]}) == (30.3, 59.9)


@pytest.mark.parametrize("clockwise", [False, True])
def test_polygon_centroid_is_the_middle_of_a_square_whichever_way_it_is_wound(clockwise):
    ring = [[30.0, 59.0], [30.2, 59.0], [30.2, 59.2], [30.0, 59.2], [30.0, 59.0]]
    if clockwise:
        ring.reverse()
    lon, lat = centroid({"type": "Polygon", "coordinates": [ring]})
    assert lon == pytest.approx(30.1) and lat == pytest.approx(59.1)


def test_multipolygon_centroid_weighs_its_parts_by_area():
    small = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]
    big = [[10, 0], [13, 0], [13, 3], [10, 3], [10, 0]]
    lon, lat = centroid({"type": "MultiPolygon", "coordinates": [[small], [big]]})
    # Areas 1 and 9: (0.5 * 1 + 11.5 * 9) / 10.
    assert lon == pytest.approx(10.4) and lat == pytest.approx((0.5 + 1.5 * 9) / 10)


@pytest.mark.parametrize(
    "geometry",
    [
        None,
        {"type": "LineString", "coordinates": [[30, 59], [31, 60]]},
        {"type": "Point", "coordinates": ["x", "y"]},
        {"type": "Polygon", "coordinates": []},
    ],
)
def test_no_usable_geometry_gives_no_centroid(geometry):
    assert centroid(geometry) is None


def test_address_and_code_from_the_tags_and_the_osm_id():
    row = feature_row(
        {
            "id": "way/777",
            "properties": {"addr:street": "Сердобольская улица", "addr:housenumber": "64"},
            "geometry": {"type": "Point", "coordinates": [30.3, 59.9]},
        }
    )
    assert row["address"] == "Сердобольская улица, 64"
    assert row["code"] == "W777"
    assert row["reject"] == ""


def test_a_feature_without_address_or_geometry_carries_the_reasons():
    row = feature_row({"properties": {"building": "yes"}, "geometry": None})
    assert "addr:street" in row["reject"]
    assert "outline" in row["reject"] or "контур" in row["reject"]


def test_the_fixture_file_gives_one_row_per_feature():
    dataset = geojson_to_dataset((FILES / "blocks.geojson").read_text())
    assert len(dataset) == 5
    assert dataset["code"][:3] == ["N4242", "W777", "M1"]


@pytest.mark.parametrize("text", ["not json", "[]", json.dumps({"type": "Topology"})])
def test_a_file_that_is_not_geojson_is_refused_as_a_whole(text):
    with pytest.raises(FileError):
        geojson_to_dataset(text)
