"""League (盟市) boundaries of Inner Mongolia as plain GeoJSON, and SVG paths for printed maps.

The boundaries come from the province map that ECharts 4 shipped, ``map/json/province/neimenggu.json``
(npm package ``echarts@4.9.0``, Apache-2.0; installed at set-up, see :mod:`tanfeng.web.assets`). Its
features are the 12 leagues; the coordinates are in ECharts' compressed ``UTF8Encoding`` format.
The boundaries are simplified and meant for thematic maps only: they are no legal boundary
(no 审图号); a map for publication needs an approved base map.

This module is pure: it reads the file it is given and touches nothing else.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from tanfeng.errors import ReferenceDataError, UnknownRegionError, at
from tanfeng.reference.regions import children, get_region, legacy_codes

__all__ = ["DEFAULT_SCALE", "OLD_NAMES", "PROVINCE_CODE", "Ring", "bounds", "decode_echarts_geometry", "decode_ring", "label_points", "league_code_for", "leagues_from_echarts", "load_league_geojson", "to_svg_paths"]

PROVINCE_CODE = "150000"
"""Inner Mongolia (内蒙古自治区)."""

DEFAULT_SCALE = 1024
"""ECharts' default quantisation: coordinates are stored as integers of 1/1024 degree."""

OLD_NAMES: Mapping[str, str] = {
    "乌兰察布盟": "150900",
    "巴彦淖尔盟": "150800",
    "哲里木盟": "150500",
    "伊克昭盟": "150600",
    "昭乌达盟": "150400",
}
"""Names used before the leagues became cities (盟改市), mapped to the current code."""

Ring = list[list[float]]
"""A closed ring of [longitude, latitude] pairs in degrees."""


def decode_ring(encoded: str, offset: Sequence[int], scale: int = DEFAULT_SCALE) -> Ring:
    """Decode one compressed ring of an ECharts ``UTF8Encoding`` map.

    Each point is two characters; for each, ``charCode - 64`` is zig-zag decoded
    (``(v >> 1) ^ -(v & 1)``), added to the previous value (delta coding, starting from the
    feature's ``encodeOffsets``) and divided by the scale (``UTF8Scale``, default 1024).
    This is ``decodePolygon`` of ECharts 4, ``src/coord/geo/parseGeoJson.js``
    (apache/echarts, branch 4.x; the built copy is ``lib/coord/geo/parseGeoJson.js`` of the npm
    package ``echarts@4.9.0``).

    Parameters
    ----------
    encoded : str
        The compressed ring.
    offset : sequence of int
        ``[x0, y0]``, the ring's entry of ``encodeOffsets``.
    scale : int
        The quantisation (``UTF8Scale`` of the file, 1024 when absent).

    Returns
    -------
    list of [float, float]
        The ring's [longitude, latitude] points in degrees.
    """
    if len(encoded) % 2:
        msg = f"a compressed ring has an odd number of characters ({len(encoded)})"
        raise ReferenceDataError(msg)
    prev_x, prev_y = int(offset[0]), int(offset[1])
    out: Ring = []
    for i in range(0, len(encoded), 2):
        x = ord(encoded[i]) - 64
        y = ord(encoded[i + 1]) - 64
        x = (x >> 1) ^ -(x & 1)
        y = (y >> 1) ^ -(y & 1)
        prev_x += x
        prev_y += y
        out.append([prev_x / scale, prev_y / scale])
    return out


def decode_echarts_geometry(geometry: Mapping[str, Any], scale: int = DEFAULT_SCALE) -> dict[str, Any]:
    """Decode one ECharts geometry (``Polygon`` or ``MultiPolygon``) to a plain GeoJSON geometry.

    Mirrors ``decode`` in ECharts 4 ``src/coord/geo/parseGeoJson.js``: a ``Polygon``'s rings pair with
    ``encodeOffsets[c]``, a ``MultiPolygon``'s with ``encodeOffsets[c][c2]``. Rings that are already
    lists of points are kept as they are.

    Parameters
    ----------
    geometry : mapping
        ``type``, ``coordinates`` and ``encodeOffsets``.
    scale : int
        The file's ``UTF8Scale`` (1024 when absent).

    Returns
    -------
    dict
        ``{"type": ..., "coordinates": ...}`` with coordinates in degrees.
    """
    kind = geometry.get("type")
    coords = geometry.get("coordinates", [])
    offsets = geometry.get("encodeOffsets", [])

    def ring(value: Any, off: Any) -> Ring:
        if isinstance(value, str):
            return decode_ring(value, off, scale)
        return [[float(p[0]), float(p[1])] for p in value]

    if kind == "Polygon":
        return {"type": "Polygon", "coordinates": [ring(c, offsets[i] if offsets else None)
                                                   for i, c in enumerate(coords)]}
    if kind == "MultiPolygon":
        return {"type": "MultiPolygon", "coordinates": [
            [ring(r, offsets[i][j] if offsets else None) for j, r in enumerate(poly)]
            for i, poly in enumerate(coords)]}
    msg = f"unsupported geometry type {kind!r} (expected Polygon or MultiPolygon)"
    raise ReferenceDataError(msg)


def league_code_for(feature_id: object, name: str | None) -> str | None:
    """The current league code for a map feature, from its id (adcode) or else its name.

    Parameters
    ----------
    feature_id : object
        The feature's ``id`` (or ``properties.adcode``); a legacy code (152600 乌兰察布盟,
        152800 巴彦淖尔盟) gives the current one.
    name : str or None
        The feature's ``properties.name``; current names and the old names in :data:`OLD_NAMES`
        are known.

    Returns
    -------
    str or None
        The current six-digit code of a league of Inner Mongolia, or None when neither matches.
    """
    leagues = {r.code: r for r in children(PROVINCE_CODE)}
    if feature_id is not None:
        code = str(feature_id).strip()
        code = legacy_codes().get(code, code)
        if code in leagues:
            return code
    if name:
        n = name.strip()
        for r in leagues.values():
            if n == r.name_zh:
                return r.code
        if n in OLD_NAMES:
            return OLD_NAMES[n]
    return None


def leagues_from_echarts(data: Mapping[str, Any], *, source: str = "<map>") -> dict[str, Any]:
    """Turn a parsed ECharts province map into a GeoJSON FeatureCollection of the 12 leagues.

    Parameters
    ----------
    data : mapping
        The parsed JSON (``type``, ``features``, optionally ``UTF8Encoding`` and ``UTF8Scale``).
    source : str
        Where the data came from, for error messages.

    Returns
    -------
    dict
        A FeatureCollection; each feature has ``properties.code`` (current code), ``name_zh``
        (current name), ``name_in_map`` (the name in the file), ``label_point`` (the file's ``cp``
        [lon, lat] label position, or None) and a plain geometry. Sorted by code.

    Raises
    ------
    tanfeng.errors.UnknownRegionError
        A feature whose id and name match no league (the message names the feature).
    tanfeng.errors.ReferenceDataError
        The file is not a FeatureCollection, a league appears twice, or a league is missing.
    """
    features = data.get("features")
    if data.get("type") != "FeatureCollection" or not isinstance(features, list):
        msg = "not a GeoJSON FeatureCollection (no 'features' list)"
        raise ReferenceDataError(msg, location=at(source))
    encoded = bool(data.get("UTF8Encoding"))
    scale = int(data.get("UTF8Scale") or DEFAULT_SCALE)
    out: dict[str, dict[str, Any]] = {}
    for i, feat in enumerate(features):
        props = feat.get("properties") or {}
        name = props.get("name")
        fid = feat.get("id", props.get("adcode"))
        code = league_code_for(fid, name)
        if code is None:
            msg = f"map feature {i} (id {fid!r}, name {name!r}) matches no league of Inner Mongolia"
            raise UnknownRegionError(msg, location=at(source, field=f"features[{i}]"),
                                     hint="map it in tanfeng.reference.geo.OLD_NAMES or fix the file")
        if code in out:
            msg = f"league {code} appears twice in the map (feature {i}, name {name!r})"
            raise ReferenceDataError(msg, location=at(source, field=f"features[{i}]"))
        geom = feat.get("geometry") or {}
        plain = decode_echarts_geometry(geom, scale) if encoded else {
            "type": geom.get("type"), "coordinates": geom.get("coordinates")}
        out[code] = {"type": "Feature", "id": code,
                     "properties": {"code": code, "name_zh": get_region(code).name_zh, "name_in_map": name,
                                    "label_point": props.get("cp")},
                     "geometry": plain}
    missing = sorted({r.code for r in children(PROVINCE_CODE)} - set(out))
    if missing:
        msg = f"the map has no feature for leagues {missing}"
        raise ReferenceDataError(msg, location=at(source))
    return {"type": "FeatureCollection", "features": [out[c] for c in sorted(out)]}


def load_league_geojson(path: str | Path) -> dict[str, Any]:
    """Load the ECharts province map at ``path`` and return the leagues as plain GeoJSON.

    Parameters
    ----------
    path : str or pathlib.Path
        Usually :func:`tanfeng.web.assets.league_map_geojson_path`.

    Returns
    -------
    dict
        See :func:`leagues_from_echarts`.

    Raises
    ------
    tanfeng.errors.ReferenceDataError
        The file does not exist, is not JSON or is inconsistent.
    """
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        msg = f"league map file {p} does not exist"
        raise ReferenceDataError(msg, hint="run `bash scripts/ensure-frontend.sh` to install the npm assets") from exc
    except json.JSONDecodeError as exc:
        msg = f"league map file is not JSON: {exc.msg}"
        raise ReferenceDataError(msg, location=at(p, line=exc.lineno)) from exc
    return leagues_from_echarts(data, source=str(p))


def _rings(geometry: Mapping[str, Any]) -> Iterable[Ring]:
    if geometry.get("type") == "Polygon":
        yield from geometry["coordinates"]
    elif geometry.get("type") == "MultiPolygon":
        for poly in geometry["coordinates"]:
            yield from poly


def bounds(collection: Mapping[str, Any]) -> tuple[float, float, float, float]:
    """The (min lon, min lat, max lon, max lat) of all points of a FeatureCollection, in degrees."""
    xs: list[float] = []
    ys: list[float] = []
    for feat in collection["features"]:
        for r in _rings(feat["geometry"]):
            xs.extend(p[0] for p in r)
            ys.extend(p[1] for p in r)
    if not xs:
        msg = "the feature collection has no coordinates"
        raise ReferenceDataError(msg)
    return min(xs), min(ys), max(xs), max(ys)


def to_svg_paths(collection: Mapping[str, Any], width: float, height: float,
                 *, margin: float = 4.0) -> dict[str, str]:
    """Project a FeatureCollection to SVG path data, one path per feature, fitted into a box.

    Equirectangular projection with the longitudes scaled by cos(mean latitude), so that shapes at
    about 45°N keep their proportions; y grows downwards as in SVG. The drawing keeps its aspect ratio
    and is centred in ``width`` x ``height``.

    Parameters
    ----------
    collection : mapping
        A FeatureCollection with ``properties.code`` (as from :func:`load_league_geojson`).
    width, height : float
        The SVG viewport in user units.
    margin : float
        Blank border in user units.

    Returns
    -------
    dict
        ``{code: "M x,y L ... Z M ..."}``, coordinates rounded to 0.1 unit; consecutive points that
        round to the same position are written once.
    """
    if width <= 2 * margin or height <= 2 * margin:
        msg = f"the SVG box {width}x{height} is too small for a margin of {margin}"
        raise ValueError(msg)
    x0, y0, x1, y1 = bounds(collection)
    k = math.cos(math.radians((y0 + y1) / 2))
    span_x = max((x1 - x0) * k, 1e-9)
    span_y = max(y1 - y0, 1e-9)
    s = min((width - 2 * margin) / span_x, (height - 2 * margin) / span_y)
    off_x = (width - span_x * s) / 2
    off_y = (height - span_y * s) / 2

    def pt(p: Sequence[float]) -> str:
        return f"{off_x + (p[0] - x0) * k * s:.1f},{off_y + (y1 - p[1]) * s:.1f}"

    paths: dict[str, str] = {}
    for feat in collection["features"]:
        parts = []
        for r in _rings(feat["geometry"]):
            if len(r) < 2:
                continue
            pts = [pt(r[0])]
            for p in r[1:]:
                q = pt(p)
                if q != pts[-1]:  # drop points that fall on the previous one at this scale
                    pts.append(q)
            parts.append("M" + pts[0] + "L" + " ".join(pts[1:]) + "Z")
        paths[str(feat["properties"]["code"])] = "".join(parts)
    return paths


def label_points(collection: Mapping[str, Any], width: float, height: float,
                 *, margin: float = 4.0, use_label_point: bool = True) -> dict[str, tuple[float, float]]:
    """A label position per feature, projected as in :func:`to_svg_paths`.

    The feature's ``properties.label_point`` ([lon, lat]) when given and ``use_label_point``, else the
    centre of its largest ring's bounding box (which spreads the labels of small neighbouring leagues
    better than their seats do).

    Returns
    -------
    dict
        ``{code: (x, y)}`` in SVG user units.
    """
    x0, y0, x1, y1 = bounds(collection)
    k = math.cos(math.radians((y0 + y1) / 2))
    span_x = max((x1 - x0) * k, 1e-9)
    span_y = max(y1 - y0, 1e-9)
    s = min((width - 2 * margin) / span_x, (height - 2 * margin) / span_y)
    off_x = (width - span_x * s) / 2
    off_y = (height - span_y * s) / 2
    out: dict[str, tuple[float, float]] = {}
    for feat in collection["features"]:
        cp = feat["properties"].get("label_point")
        if cp and use_label_point:
            lon, lat = float(cp[0]), float(cp[1])
        else:
            big = max((r for r in _rings(feat["geometry"]) if r), key=len)
            lon = (min(p[0] for p in big) + max(p[0] for p in big)) / 2
            lat = (min(p[1] for p in big) + max(p[1] for p in big)) / 2
        out[str(feat["properties"]["code"])] = (off_x + (lon - x0) * k * s, off_y + (y1 - lat) * s)
    return out
