"""Figures for the printed report: line charts (matplotlib, SVG) and the league map (inline SVG).

The charts use a Noto CJK font from the Debian package ``fonts-noto-cjk``, found through
``matplotlib.font_manager``; without it Chinese labels would print as boxes, so a missing font is an
error, not a fallback.
"""

from __future__ import annotations

import io
import os
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import Any

from tanfeng.errors import AssetMissingError
from tanfeng.reference.geo import label_points, load_league_geojson, to_svg_paths
from tanfeng.reports.model import LEVEL_HEX, LEVEL_LABELS, NO_LEVEL_HEX, LeagueLevel, OffTrackTarget

__all__ = [
    "CJK_FAMILIES",
    "FONT_HINT",
    "MAP_HINT",
    "cjk_font",
    "default_league_map",
    "league_map_svg",
    "line_chart_svg",
]


CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Serif CJK SC", "Noto Sans CJK JP", "Noto Sans CJK TC")
"""Font families tried, in order (all from the Debian package fonts-noto-cjk)."""

FONT_HINT = "install the Debian package fonts-noto-cjk (apt-get install fonts-noto-cjk)"
MAP_HINT = ("install the front-end assets: run `bash scripts/ensure-frontend.sh` (npm ci), "
            "or set TANFENG_FRONTEND_DIR to a node_modules directory that has them")


@lru_cache(maxsize=1)
def cjk_font() -> tuple[str, str]:
    """The (family, file) of a Noto CJK font known to matplotlib.

    Raises
    ------
    tanfeng.errors.AssetMissingError
        No Noto CJK font is installed.
    """
    from matplotlib import font_manager

    by_name: dict[str, str] = {}
    for f in font_manager.fontManager.ttflist:
        if f.name in CJK_FAMILIES and f.weight in (400, "normal", "regular"):
            by_name.setdefault(f.name, f.fname)
    for f in font_manager.fontManager.ttflist:
        if f.name in CJK_FAMILIES:
            by_name.setdefault(f.name, f.fname)
    for fam in CJK_FAMILIES:
        if fam in by_name:
            return fam, by_name[fam]
    msg = f"no Noto CJK font found by matplotlib (looked for {', '.join(CJK_FAMILIES)})"
    raise AssetMissingError(msg, hint=FONT_HINT)


def line_chart_svg(target: OffTrackTarget, *, sample: bool, width_in: float = 6.4, height_in: float = 2.6) -> str:
    """A line chart of an off-track target: the observed series against the required path.

    Parameters
    ----------
    target : OffTrackTarget
        The series and the path.
    sample : bool
        Mark the chart title with 示例数据.
    width_in, height_in : float
        Size in inches.

    Returns
    -------
    str
        An SVG document (text as paths, so it prints the same everywhere).
    """
    import matplotlib
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    family, _ = cjk_font()
    with matplotlib.rc_context({"font.family": family, "svg.fonttype": "path", "axes.unicode_minus": False,
                                "svg.hashsalt": "tanfeng"}):
        fig = Figure(figsize=(width_in, height_in))
        ax = fig.add_subplot(1, 1, 1)
        xs = [p.year for p in target.series]
        ys = [p.value for p in target.series]
        ax.plot(xs, ys, marker="o", color="#1f5fa8", linewidth=2, label="实际值")
        if target.required_path:
            ax.plot([p.year for p in target.required_path], [p.value for p in target.required_path],
                    linestyle="--", color="#D93025", linewidth=1.6, label="要求进度")
        if target.target_year is not None and target.target_value is not None:
            ax.scatter([target.target_year], [target.target_value], marker="*", s=120, color="#D93025",
                       zorder=5, label=f"{target.target_year}年目标")
        ax.set_title(target.name + (" (示例数据)" if sample else ""), fontsize=11)
        ax.set_ylabel(target.unit, fontsize=9)
        ax.grid(True, alpha=0.3)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.legend(fontsize=8, loc="best")
        fig.tight_layout()
        buf = io.StringIO()
        fig.savefig(buf, format="svg", metadata={"Date": None})
    svg = buf.getvalue()
    return svg[svg.index("<svg"):]


def default_league_map() -> Path:
    """The league map file from the npm assets (``$TANFENG_FRONTEND_DIR`` or the repository's node_modules).

    Mirrors :func:`tanfeng.web.assets.league_map_geojson_path`, which this presentation package does not
    import (it imports domain packages only).

    Raises
    ------
    tanfeng.errors.AssetMissingError
        The file does not exist.
    """
    root = Path(os.environ.get("TANFENG_FRONTEND_DIR") or Path(__file__).resolve().parents[3] / "node_modules")
    path = root / "echarts-maps-v4" / "map" / "json" / "province" / "neimenggu.json"
    if not path.exists():
        msg = f"the Inner Mongolia league map is missing: {path} does not exist"
        raise AssetMissingError(msg, hint=MAP_HINT)
    return path


def league_map_svg(levels: list[LeagueLevel], league_map: Path | None = None, *,
                   width: float = 660, height: float = 470, sample: bool = False) -> str:
    """The 12 leagues coloured by warning level, with names and a legend, as an inline SVG element.

    Parameters
    ----------
    levels : list of LeagueLevel
        Level per league; leagues without an entry are drawn grey.
    league_map : pathlib.Path, optional
        The ECharts map file; default :func:`default_league_map`.
    width, height : float
        Size in CSS px.
    sample : bool
        Add a 示例数据 mark (the chart title says so too).
    """
    collection: dict[str, Any] = load_league_geojson(league_map or default_league_map())
    legend_w = 110
    paths = to_svg_paths(collection, width - legend_w, height)
    labels = label_points(collection, width - legend_w, height, use_label_point=False)
    by_code = {lv.code: lv for lv in levels}
    names = {f["properties"]["code"]: f["properties"]["name_zh"] for f in collection["features"]}
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="league-map" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="Noto Sans CJK SC, sans-serif">']
    for code, d in paths.items():
        lv = by_code.get(code)
        fill = LEVEL_HEX[lv.level] if lv and lv.level else NO_LEVEL_HEX
        title = escape(f"{names[code]}: {LEVEL_LABELS[lv.level] if lv and lv.level else '无等级'}")
        out.append(f'<path d="{d}" fill="{fill}" fill-opacity="0.85" stroke="#ffffff" stroke-width="0.8">'
                   f"<title>{title}</title></path>")
    for code, (x, y) in labels.items():
        short = names[code].removesuffix("市")  # 呼和浩特, 包头 …; the 盟 keep their full names
        out.append(f'<text x="{x:.1f}" y="{y + 3:.1f}" font-size="8.5" text-anchor="middle" fill="#222">'
                   f"{escape(short)}</text>")
    lx = width - legend_w + 10
    for i, lv_ in enumerate((1, 2, 3)):
        y = 20 + i * 20
        out.append(f'<rect x="{lx}" y="{y}" width="14" height="12" fill="{LEVEL_HEX[lv_]}"/>')
        out.append(f'<text x="{lx + 20}" y="{y + 10}" font-size="10">{LEVEL_LABELS[lv_]}</text>')
    out.append(f'<rect x="{lx}" y="80" width="14" height="12" fill="{NO_LEVEL_HEX}"/>')
    out.append(f'<text x="{lx + 20}" y="90" font-size="10">无数据</text>')
    if sample:
        out.append(f'<text x="{lx}" y="{height - 10}" font-size="11" fill="#999">示例数据</text>')
    out.append("</svg>")
    return "".join(out)
