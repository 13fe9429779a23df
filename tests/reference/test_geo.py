"""League boundaries: decoding ECharts' compressed map, league codes, legacy mapping, SVG paths.

The map file comes from the npm assets (``scripts/ensure-frontend.sh``, run by the test script). When
it is missing these tests FAIL with the set-up hint: they never skip.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tanfeng.errors import AssetMissingError, ReferenceDataError, UnknownRegionError
from tanfeng.reference.geo import (
    bounds,
    decode_ring,
    label_points,
    league_code_for,
    leagues_from_echarts,
    load_league_geojson,
    to_svg_paths,
)
from tanfeng.web.assets import league_map_geojson_path

LEAGUES = {
    "150100", "150200", "150300", "150400", "150500", "150600",
    "150700", "150800", "150900", "152200", "152500", "152900",
}

# The region's extent as the official overview (区情) states it: 97°12′–126°04′E, 37°24′–53°23′N
# (内蒙古自治区人民政府 "内蒙古概况"; the same figures are quoted in encyclopaedia entries).
# ECharts' boundary is simplified and quantised to 1/1024°, so we allow a margin of 0.3°.
OFFICIAL = (97.2, 37.4, 126 + 4 / 60, 53 + 23 / 60)
MARGIN = 0.3


def _map_path() -> Path:
    try:
        return league_map_geojson_path()
    except AssetMissingError as exc:  # a clear failure, never a skip
        pytest.fail(f"league map not installed: {exc}")


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(_map_path().read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def leagues() -> dict[str, Any]:
    return load_league_geojson(_map_path())


def _encode_ring(points: list[tuple[int, int]]) -> tuple[str, list[int]]:
    """The inverse of ECharts' decodePolygon for integer (already quantised) points."""
    prev = points[0]
    out = []
    for x, y in points:
        for d in (x - prev[0], y - prev[1]):
            z = (d << 1) ^ (d >> 31)  # zig-zag
            out.append(chr(z + 64))
        prev = (x, y)
    return "".join(out), list(points[0])


def test_decode_ring_inverts_the_encoder() -> None:
    pts = [(111 * 1024, 40 * 1024), (111 * 1024 + 5, 40 * 1024 - 3), (111 * 1024 - 20, 40 * 1024 + 17)]
    enc, off = _encode_ring(pts)
    assert decode_ring(enc, off) == [[x / 1024, y / 1024] for x, y in pts]


def test_decode_ring_rejects_odd_length() -> None:
    with pytest.raises(ReferenceDataError, match="odd number"):
        decode_ring("@@A", [0, 0])


def test_the_file_is_compressed(raw: dict[str, Any]) -> None:
    assert raw["UTF8Encoding"] is True
    assert isinstance(raw["features"][0]["geometry"]["coordinates"][0], str | list)


def test_decoded_coordinates_lie_inside_inner_mongolia(leagues: dict[str, Any]) -> None:
    x0, y0, x1, y1 = bounds(leagues)
    assert OFFICIAL[0] - MARGIN <= x0
    assert x1 <= OFFICIAL[2] + MARGIN
    assert OFFICIAL[1] - MARGIN <= y0
    assert y1 <= OFFICIAL[3] + MARGIN
    # and the decoded extent reaches the official one: a wrong decoder would not
    assert abs(x0 - OFFICIAL[0]) < MARGIN
    assert abs(x1 - OFFICIAL[2]) < MARGIN
    assert abs(y0 - OFFICIAL[1]) < MARGIN
    assert abs(y1 - OFFICIAL[3]) < MARGIN


def test_every_league_once_with_current_code_and_name(leagues: dict[str, Any]) -> None:
    codes = [f["properties"]["code"] for f in leagues["features"]]
    assert sorted(codes) == sorted(LEAGUES)
    assert len(codes) == len(set(codes)) == 12
    names = {f["properties"]["code"]: f["properties"]["name_zh"] for f in leagues["features"]}
    assert names["150900"] == "乌兰察布市"
    assert names["152900"] == "阿拉善盟"
    for f in leagues["features"]:
        assert f["type"] == "Feature"
        assert f["geometry"]["type"] in {"Polygon", "MultiPolygon"}


def test_hohhot_lies_in_its_own_league(leagues: dict[str, Any]) -> None:
    # Hohhot city centre (about 111.7°E, 40.8°N) lies inside the bounding box of 150100
    feat = next(f for f in leagues["features"] if f["properties"]["code"] == "150100")
    x0, y0, x1, y1 = bounds({"features": [feat]})
    assert x0 < 111.7 < x1
    assert y0 < 40.8 < y1


def test_legacy_codes_and_old_names_map_to_current() -> None:
    assert league_code_for("152600", None) == "150900"
    assert league_code_for(152800, None) == "150800"
    assert league_code_for(None, "乌兰察布盟") == "150900"
    assert league_code_for(None, "巴彦淖尔盟") == "150800"
    assert league_code_for("999999", "兴安盟") == "152200"
    assert league_code_for(None, "火星市") is None


def test_legacy_map_file_is_read(raw: dict[str, Any]) -> None:
    old = json.loads(json.dumps(raw))
    for f in old["features"]:
        if f["properties"]["name"] == "乌兰察布市":
            f["id"] = "152600"
            f["properties"]["name"] = "乌兰察布盟"
        if f["properties"]["name"] == "巴彦淖尔市":
            f.pop("id")
            f["properties"]["name"] = "巴彦淖尔盟"
    fc = leagues_from_echarts(old)
    by_code = {f["properties"]["code"]: f["properties"] for f in fc["features"]}
    assert by_code["150900"]["name_in_map"] == "乌兰察布盟"
    assert by_code["150900"]["name_zh"] == "乌兰察布市"
    assert by_code["150800"]["name_in_map"] == "巴彦淖尔盟"


def test_unknown_feature_is_reported(raw: dict[str, Any]) -> None:
    bad = json.loads(json.dumps(raw))
    bad["features"][3].pop("id")
    bad["features"][3]["properties"]["name"] = "火星市"
    with pytest.raises(UnknownRegionError, match=r"features\[3\].*火星市"):
        leagues_from_echarts(bad, source="bad.json")


def test_duplicate_and_missing_leagues_are_reported(raw: dict[str, Any]) -> None:
    dup = json.loads(json.dumps(raw))
    dup["features"].append(dup["features"][0])
    with pytest.raises(ReferenceDataError, match="twice"):
        leagues_from_echarts(dup)
    short = json.loads(json.dumps(raw))
    short["features"] = short["features"][:-1]
    with pytest.raises(ReferenceDataError, match="no feature for leagues"):
        leagues_from_echarts(short)


def test_missing_file_gives_the_setup_hint(tmp_path: Path) -> None:
    with pytest.raises(ReferenceDataError, match="ensure-frontend"):
        load_league_geojson(tmp_path / "nope.json")


def test_assets_missing_gives_the_setup_hint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TANFENG_FRONTEND_DIR", str(tmp_path))
    with pytest.raises(AssetMissingError, match="ensure-frontend"):
        league_map_geojson_path()


def test_svg_paths_fit_the_box(leagues: dict[str, Any]) -> None:
    w, h = 400.0, 300.0
    paths = to_svg_paths(leagues, w, h)
    assert set(paths) == LEAGUES
    nums = [float(n) for d in paths.values() for n in re.findall(r"-?\d+\.\d", d)]
    xs, ys = nums[0::2], nums[1::2]
    assert min(xs) >= 0
    assert max(xs) <= w
    assert min(ys) >= 0
    assert max(ys) <= h
    # the drawing fills the box in one direction (aspect ratio kept)
    assert max(xs) - min(xs) > 0.95 * (w - 8) or max(ys) - min(ys) > 0.95 * (h - 8)
    for d in paths.values():
        assert d.startswith("M")
        assert d.endswith("Z")
    # Hulunbuir (north-east) is right of and above Alxa (south-west); SVG y grows downwards
    for use_cp in (True, False):
        lp = label_points(leagues, w, h, use_label_point=use_cp)
        assert lp["150700"][0] > lp["152900"][0]
        assert lp["150700"][1] < lp["152900"][1]


def test_svg_box_too_small(leagues: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="too small"):
        to_svg_paths(leagues, 5, 5)


def test_lock_pins_the_map_package_without_download_addresses() -> None:
    root = Path(__file__).resolve().parents[2]
    lock_text = (root / "package-lock.json").read_text(encoding="utf-8")
    lock = json.loads(lock_text)
    pkgs = lock["packages"]
    assert pkgs["node_modules/echarts-maps-v4"]["name"] == "echarts"
    assert pkgs["node_modules/echarts-maps-v4"]["version"] == "4.9.0"
    assert pkgs["node_modules/echarts"]["version"].startswith("6.")
    assert '"resolved"' not in lock_text
    assert "http" not in lock_text
