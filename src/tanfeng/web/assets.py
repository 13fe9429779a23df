"""Front-end assets installed from npm at set-up (``package.json`` / ``package-lock.json``).

Nothing is fetched at run time: ``scripts/ensure-frontend.sh`` runs ``npm ci`` into the repository's
``node_modules`` and the web app and the report renderer read the files from there.

* ECharts (``echarts``, v6, Apache-2.0): the charting library served to the browser.
* The Inner Mongolia league boundaries: the province map ``map/json/province/neimenggu.json`` shipped
  with ECharts 4 (installed under the npm alias ``echarts-maps-v4`` = ``echarts@4.9.0``, Apache-2.0).
  Its coordinates are in ECharts' compressed ``UTF8Encoding`` format; :mod:`tanfeng.reference.geo`
  decodes them.

``TANFENG_FRONTEND_DIR`` points to another ``node_modules`` directory (a packaged install, a test).
"""

from __future__ import annotations

import os
from pathlib import Path

from tanfeng.errors import AssetMissingError

__all__ = [
    "ECHARTS_PACKAGE",
    "FRONTEND_DIR_ENV",
    "LEAGUE_MAP_FILE",
    "MAPS_PACKAGE",
    "echarts_dist",
    "frontend_root",
    "league_map_geojson_path",
]

FRONTEND_DIR_ENV = "TANFENG_FRONTEND_DIR"
"""Environment variable that overrides :func:`frontend_root`."""

ECHARTS_PACKAGE = "echarts"
MAPS_PACKAGE = "echarts-maps-v4"
LEAGUE_MAP_FILE = ("map", "json", "province", "neimenggu.json")

_SETUP_HINT = (
    "install the front-end assets: run `bash scripts/ensure-frontend.sh` (it runs `npm ci` in the "
    "repository root), or set TANFENG_FRONTEND_DIR to a node_modules directory that has them"
)


def frontend_root() -> Path:
    """The ``node_modules`` directory the front-end assets are read from.

    Returns
    -------
    pathlib.Path
        ``$TANFENG_FRONTEND_DIR`` when set, else ``node_modules`` at the repository root (three levels
        above the ``tanfeng`` package in the src layout). The directory may not exist yet; the other
        functions check.
    """
    override = os.environ.get(FRONTEND_DIR_ENV)
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[3] / "node_modules"


def _require(path: Path, what: str) -> Path:
    if not path.exists():
        msg = f"{what} is missing: {path} does not exist"
        raise AssetMissingError(msg, hint=_SETUP_HINT)
    return path


def echarts_dist() -> Path:
    """The ``dist`` directory of ECharts (``echarts.min.js`` and friends), to be served as static files.

    Returns
    -------
    pathlib.Path
        ``<frontend_root>/echarts/dist``.

    Raises
    ------
    tanfeng.errors.AssetMissingError
        The directory or ``echarts.min.js`` in it does not exist (the set-up was not run).
    """
    dist = frontend_root() / ECHARTS_PACKAGE / "dist"
    _require(dist / "echarts.min.js", "ECharts (npm package 'echarts')")
    return dist


def league_map_geojson_path() -> Path:
    """The ECharts 4 province map of Inner Mongolia (leagues as features, compressed coordinates).

    Returns
    -------
    pathlib.Path
        ``<frontend_root>/echarts-maps-v4/map/json/province/neimenggu.json``; read it with
        :func:`tanfeng.reference.geo.load_league_geojson`.

    Raises
    ------
    tanfeng.errors.AssetMissingError
        The file does not exist (the set-up was not run).
    """
    path = frontend_root() / MAPS_PACKAGE / Path(*LEAGUE_MAP_FILE)
    return _require(path, f"the Inner Mongolia league map (npm alias '{MAPS_PACKAGE}' = echarts@4.9.0)")
