"""Per-league installed capacity of Inner Mongolia from the WRI Global Power Plant Database (CC-BY-4.0).

Reads a local snapshot (a git directory) of the repository ``wri/global-power-plant-database``; nothing
is downloaded. The database's flat file (``output_database/global_power_plant_database.csv``) is stored
in that repository as a large blob that a partial snapshot may not hold, so the script rebuilds the
database's China rows from the two inputs the repository's own build uses for China
(``build_databases/build_database_WRI.py`` and step 3.1 of ``build_global_power_plant_database.py``):

* ``raw_source_files/WRI/China.csv`` (WRI's manually assembled China plants): rows with an operational
  status of ``Operational``, ``Operating`` or blank; units sharing a ``Power Plant ID`` are summed into one
  plant (id ``WRI`` + seven digits); the primary fuel is the fuel with the most capacity, standardised
  with ``resources/fuel_type_thesaurus``; the last located unit gives the location;
* ``raw_source_files/Wiki-Solar/wiki-solar-plant-additions-2019.csv``, country ``CHN``, less the ids in
  ``resources/wiki-solar-exclusion.csv`` (id ``WKS`` + seven digits, fuel Solar);

and keeps plants of at least 1 MW with a location, as the build does. The rebuilt China rows are checked
against the database's own ``output_database/global_power_plant_database_country_summary.csv`` (count and
capacity by fuel) and the check is printed and written into the metadata.

Each plant is then placed in a league by a point-in-polygon test against the league boundaries the
project ships (:func:`tanfeng.reference.geo.load_league_geojson`, the ECharts 4 province map). The map is
simplified, so a plant of Inner Mongolia near the border can fall just outside every polygon: plants
outside every league but within ``--near-km`` of one are listed in the metadata with their nearest league
and are *not* counted (the counts and capacities of both groups are reported).

Writes, under ``src/tanfeng/power/data/``:

* ``wri_plants_im.csv``: every plant placed in a league (id, name, fuel, MW, coordinates, league);
* ``league_capacity_wri.csv``: capacity by league × fuel (MW and plant count);
* ``league_capacity_wri.yaml``: repository, commit, paths, licence, vintage and what the join did.

Usage::

    python scripts/power_wri_leagues.py --repo <git dir of the snapshot> [--commit <sha>] [--near-km 10]
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import re
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from shapely.affinity import scale
from shapely.geometry import Point, shape
from shapely.prepared import prep

from tanfeng.reference.geo import load_league_geojson
from tanfeng.web.assets import league_map_geojson_path

REPOSITORY = "wri/global-power-plant-database"
CHINA = "raw_source_files/WRI/China.csv"
WIKI_SOLAR = "raw_source_files/Wiki-Solar/wiki-solar-plant-additions-2019.csv"
WIKI_SOLAR_EXCLUSION = "resources/wiki-solar-exclusion.csv"
THESAURUS = "resources/fuel_type_thesaurus"
SUMMARY = "output_database/global_power_plant_database_country_summary.csv"
VERSION = "output_database/DATABASE_VERSION"
DATABASE = "output_database/global_power_plant_database.csv"
MINIMUM_CAPACITY_MW = 1.0
OPERATIONAL = ("Operational", "Operating", "")
OUT = Path(__file__).resolve().parents[1] / "src" / "tanfeng" / "power" / "data"
KM_PER_DEGREE = 111.32
PREFECTURES = {"Hohhot": "150100", "Baotou": "150200", "Wuhai": "150300", "Chifeng": "150400",
               "Tongliao": "150500", "Ordos": "150600", "Hulunbuir": "150700", "Bayannur": "150800",
               "Ulanqab": "150900", "Hinggan": "152200", "Xilingol": "152500", "Alxa": "152900"}
"""English prefecture names in the addresses of the GCPT rows, mapped to league codes."""
OTHER_PROVINCES = ("Hebei", "Shanxi", "Shaanxi", "Ningxia", "Gansu", "Jilin", "Liaoning", "Heilongjiang")


@dataclass
class Plant:
    gppd_idnr: str
    name: str
    capacity_mw: float
    lat: float | None
    lon: float | None
    fuels: dict[str, float]
    source: str
    year_of_data: str
    technology: str = ""
    address: str = ""

    @property
    def fuel(self) -> str:
        return max(self.fuels, key=lambda f: self.fuels[f]) if self.fuels else ""


def git_show(repo: Path, commit: str, path: str) -> str:
    out = subprocess.run(["git", "--git-dir", str(repo), "show", f"{commit}:{path}"], check=True,
                         capture_output=True)
    return out.stdout.decode("utf-8")


def thesaurus(repo: Path, commit: str) -> dict[str, str]:
    """Alias → standard fuel name, as ``make_fuel_thesaurus``/``standardize_fuel`` match them (exact text)."""
    listing = subprocess.run(["git", "--git-dir", str(repo), "ls-tree", "--name-only", f"{commit}:{THESAURUS}"],
                             check=True, capture_output=True, text=True).stdout.split()
    out: dict[str, str] = {}
    for name in sorted(listing):
        lines = [x.rstrip() for x in git_show(repo, commit, f"{THESAURUS}/{name}").splitlines()]
        standard = lines[0]
        for alias in [standard, *lines[1:]]:
            out.setdefault(alias, standard)
    return out


def standard_fuel(text: str, aliases: dict[str, str]) -> str:
    parts = [p.strip() for p in re.split("/| y |,| and ", text)]
    found = {aliases[p] for p in parts if p in aliases}
    if len(found) != 1:
        msg = f"fuel {text!r} maps to {sorted(found)}"
        raise SystemExit(msg)
    return found.pop()


def _float(value: str) -> float | None:
    try:
        return float(value.replace(",", ""))
    except ValueError:
        return None


def china_plants(repo: Path, commit: str) -> tuple[list[Plant], dict[str, Any]]:
    """The database's China rows rebuilt from its two China inputs; and what was dropped."""
    aliases = thesaurus(repo, commit)
    plants: dict[str, Plant] = {}
    dropped: dict[str, Any] = {"not_operational_rows": 0}
    for row in csv.DictReader(io.StringIO(git_show(repo, commit, CHINA))):
        if row["Operational Status"] not in OPERATIONAL:
            dropped["not_operational_rows"] += 1
            continue
        if not row["Name"].strip():
            continue
        idnr = f"WRI{int(row['Power Plant ID']):07d}"
        cap = _float(row["Capacity (MW)"]) or 0.0
        fuel = standard_fuel(row["Fuel"], aliases)
        lat, lon = _float(row["Latitude"]), _float(row["Longitude"])
        plant = plants.get(idnr)
        if plant is None:
            plants[idnr] = Plant(idnr, row["Name"].strip(), cap, lat, lon, {fuel: cap}, row["Source"].strip(),
                                 row["Year of Data"].strip().removesuffix(".0"), row["Generator Technology"].strip(),
                                 row["Location"].strip())
        else:
            plant.capacity_mw += cap
            plant.fuels[fuel] = plant.fuels.get(fuel, 0.0) + cap
            plant.address = plant.address or row["Location"].strip()
            if lat and lon:
                plant.lat, plant.lon = lat, lon
    exclusion = {r["id"] for r in csv.DictReader(io.StringIO(git_show(repo, commit, WIKI_SOLAR_EXCLUSION)))}
    for row in csv.DictReader(io.StringIO(git_show(repo, commit, WIKI_SOLAR))):
        if row["country"] != "CHN" or row["id"] in exclusion:
            continue
        idnr = f"WKS{int(row['id']):07d}"
        cap = float(row["capacity"])
        plants[idnr] = Plant(idnr, row["name"].strip(), cap, float(row["lat"]), float(row["lon"]), {"Solar": cap},
                             "Wiki-Solar", "")
    kept: list[Plant] = []
    small = unlocated = 0
    unlocated_mw = 0.0
    for p in plants.values():
        if p.capacity_mw < MINIMUM_CAPACITY_MW:
            small += 1
            continue
        if not p.lat or not p.lon:
            unlocated += 1
            unlocated_mw += p.capacity_mw
            continue
        kept.append(p)
    dropped.update({"below_1_mw": small, "without_location": unlocated,
                    "without_location_mw": round(unlocated_mw, 3),
                    "note": "as the database's build drops them (they are not in the database: the rebuilt count "
                            "equals its total)"})
    return kept, dropped


def check_summary(repo: Path, commit: str, plants: list[Plant]) -> dict[str, Any]:
    """Compare the rebuilt China rows with the database's own country summary."""
    row = next(r for r in csv.DictReader(io.StringIO(git_show(repo, commit, SUMMARY))) if r["iso_code"] == "CHN")
    by_fuel: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
    for p in plants:
        key = p.fuel.lower().replace(" ", "_")
        by_fuel[key][0] += 1
        by_fuel[key][1] += p.capacity_mw
    out: dict[str, Any] = {"plants": {"summary": int(row["count"]), "rebuilt": len(plants)},
                           "capacity_gw": {"summary": round(float(row["total_capacity_gw"]), 3),
                                           "rebuilt": round(sum(p.capacity_mw for p in plants) / 1000, 3)}}
    fuels: dict[str, Any] = {}
    for key in sorted(set(by_fuel) | {k[len("count_fuel_"):] for k in row if k.startswith("count_fuel_")}):
        summary_n = int(row.get(f"count_fuel_{key}", 0) or 0)
        if summary_n == 0 and key not in by_fuel:
            continue
        fuels[key] = {"summary_plants": summary_n, "rebuilt_plants": int(by_fuel[key][0]),
                      "summary_gw": round(float(row.get(f"capacity_gw_fuel_{key}", 0) or 0), 3),
                      "rebuilt_gw": round(by_fuel[key][1] / 1000, 3)}
    out["by_fuel"] = fuels
    out["summary_fuel_columns_add_up_to"] = {
        "plants": sum(v["summary_plants"] for v in fuels.values()),
        "gw": round(sum(v["summary_gw"] for v in fuels.values()), 3),
        "note": "the summary's own fuel columns exceed its totals by the plant(s) it counts under two fuels; "
                "the rebuilt rows give each plant one primary fuel and match the totals"}
    return out


def _km(point: Point, geom: Any) -> float:
    """Distance in km from a point to a geometry: longitudes scaled by cos(latitude of the point)."""
    k = math.cos(math.radians(point.y))
    return float(scale(geom, xfact=k, yfact=1.0, origin=(0, 0)).distance(Point(point.x * k, point.y))) * KM_PER_DEGREE


def join(plants: list[Plant], near_km: float) -> tuple[list[tuple[Plant, str, str]], list[dict[str, Any]], int, float]:
    """Place each plant in a league; returns (placed, near misses, outside count, outside MW)."""
    collection = load_league_geojson(league_map_geojson_path())
    leagues = [(f["properties"]["code"], f["properties"]["name_zh"], shape(f["geometry"]))
               for f in collection["features"]]
    prepared = [(code, name, prep(geom), geom) for code, name, geom in leagues]
    placed: list[tuple[Plant, str, str]] = []
    near: list[dict[str, Any]] = []
    outside = 0
    outside_mw = 0.0
    for p in plants:
        pt = Point(p.lon, p.lat)
        hits = [(code, name) for code, name, pg, _ in prepared if pg.covers(pt)]
        if hits:
            placed.append((p, *hits[0]))
            continue
        outside += 1
        outside_mw += p.capacity_mw
        if min(g.distance(pt) for _, _, _, g in prepared) * KM_PER_DEGREE * 0.5 > near_km:
            continue  # farther than near_km from every league: cos(latitude) > 0.5 below 60°N
        code, name, dist = min(((c, n, _km(pt, g)) for c, n, _, g in prepared), key=lambda t: t[2])
        if dist <= near_km:
            near.append({"gppd_idnr": p.gppd_idnr, "name": p.name, "fuel": p.fuel,
                         "capacity_mw": round(p.capacity_mw, 3), "lat": p.lat, "lon": p.lon,
                         "nearest_league": code, "nearest_league_zh": name, "distance_km": round(dist, 1)})
    return placed, near, outside, outside_mw


def address_check(plants: list[Plant], placed: list[tuple[Plant, str, str]]) -> dict[str, Any]:
    """Compare the join with the plant addresses that name Inner Mongolia (mostly the GCPT coal rows)."""
    where = {p.gppd_idnr: code for p, code, _ in placed}
    same = 0
    no_prefecture_placed = 0
    differ: list[dict[str, Any]] = []
    for p in plants:
        if "Inner Mongolia" not in p.address:
            continue
        named = next((c for k, c in PREFECTURES.items() if k in p.address), None)
        got = where.get(p.gppd_idnr)
        if named is not None and got == named:
            same += 1
        elif named is None and got is not None:
            no_prefecture_placed += 1
        else:
            differ.append({"gppd_idnr": p.gppd_idnr, "name": p.name, "fuel": p.fuel,
                           "capacity_mw": round(p.capacity_mw, 3), "address": p.address,
                           "league_by_address": named, "league_by_point": got})
    return {"plants_with_an_inner_mongolia_address": same + no_prefecture_placed + len(differ),
            "placed_in_the_league_the_address_names": same,
            "address_names_no_league_and_placed_in_one": no_prefecture_placed,
            "other_league_or_outside": differ,
            "handling": "the point decides; these plants are counted where their coordinates lie"}


def name_hints(placed: list[tuple[Plant, str, str]], near: list[dict[str, Any]]) -> dict[str, Any]:
    """Placed plants whose name names a neighbouring province; near misses whose name says Inner Mongolia."""
    inside = [{"gppd_idnr": p.gppd_idnr, "name": p.name, "fuel": p.fuel, "capacity_mw": round(p.capacity_mw, 3),
               "league": code} for p, code, _ in placed if any(x in p.name for x in OTHER_PROVINCES)]
    outside = [r for r in near if "Inner Mongolia" in r["name"] or "Bayannaoer" in r["name"]]
    return {"placed_but_named_after_another_province": inside,
            "outside_but_named_after_inner_mongolia": outside,
            "handling": "kept where the coordinates put them (the names of CDM projects often name the "
                        "developer's province; the coordinates are the only location the database gives)"}


def history(repo: Path, commit: str, path: str) -> list[str]:
    """The commits that changed ``path``: date and subject."""
    out = subprocess.run(["git", "--git-dir", str(repo), "log", "--format=%cs %s", commit, "--", path],
                         check=True, capture_output=True, text=True).stdout
    return [line for line in out.splitlines() if line]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", type=Path, required=True, help="git directory of the repository snapshot")
    parser.add_argument("--commit", default="HEAD")
    parser.add_argument("--near-km", type=float, default=10.0,
                        help="list plants outside every league but this close to one (not counted)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    commit = subprocess.run(["git", "--git-dir", str(args.repo), "rev-parse", f"{args.commit}^{{commit}}"],
                            check=True, capture_output=True, text=True).stdout.strip()
    when = subprocess.run(["git", "--git-dir", str(args.repo), "show", "-s", "--format=%cs", commit],
                          check=True, capture_output=True, text=True).stdout.strip()
    version = git_show(args.repo, commit, VERSION).strip()
    plants, dropped = china_plants(args.repo, commit)
    check = check_summary(args.repo, commit, plants)
    placed, near, outside, outside_mw = join(plants, args.near_km)
    placed.sort(key=lambda t: (t[1], t[0].fuel, t[0].gppd_idnr))

    out: Path = args.out
    with (out / "wri_plants_im.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["gppd_idnr", "name", "fuel", "technology", "capacity_mw", "lat", "lon", "league", "league_zh",
                    "source", "certainty"])
        for p, code, name in placed:
            w.writerow([p.gppd_idnr, p.name, p.fuel, p.technology, f"{p.capacity_mw:g}", f"{p.lat:g}", f"{p.lon:g}",
                        code, name, f"WRI GPPD v{version} ({p.source})", "S"])
    totals: dict[tuple[str, str, str], list[float]] = defaultdict(lambda: [0, 0.0, 0.0])
    for p, code, name in placed:
        totals[(code, name, p.fuel)][0] += 1
        totals[(code, name, p.fuel)][1] += p.capacity_mw
        if p.technology == "Pumped Storage":
            totals[(code, name, p.fuel)][2] += p.capacity_mw
    note = (f"WRI Global Power Plant Database v{version} (CC-BY-4.0), {REPOSITORY}@{commit[:12]}; China rows rebuilt "
            f"from {CHINA} and {WIKI_SOLAR}; league by point-in-polygon (scripts/power_wri_leagues.py)")
    with (out / "league_capacity_wri.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["league", "name_zh", "fuel", "plants", "capacity_mw", "pumped_storage_mw", "source", "certainty"])
        for (code, name, fuel), (n, mw, ps) in sorted(totals.items()):
            w.writerow([code, name, fuel, int(n), f"{mw:g}", f"{ps:g}", note, "S"])
    years = sorted({p.year_of_data for p, _, _ in placed if p.year_of_data})
    meta = {
        "dataset": "WRI Global Power Plant Database",
        "repository": REPOSITORY,
        "commit": commit,
        "commit_date": when,
        "database_version": version,
        "licence": "CC-BY-4.0 (database); attribution: Global Energy Observatory, Google, KTH Royal Institute of "
                   "Technology in Stockholm, Enipedia, World Resources Institute. 2018. Global Power Plant "
                   "Database. Published on Resource Watch and Google Earth Engine",
        "paths": {"database": DATABASE, "china_input": CHINA, "wiki_solar_input": WIKI_SOLAR,
                  "wiki_solar_exclusion": WIKI_SOLAR_EXCLUSION, "fuel_thesaurus": THESAURUS,
                  "country_summary": SUMMARY},
        "why_rebuilt": f"the snapshot lists {DATABASE} but does not hold its blob; the China rows are rebuilt "
                       "from the repository's China inputs by the rules of its build scripts and checked against "
                       "its country summary (below)",
        "vintage": {
            "release": f"v{version}, last commit {when}; WRI states no further updates",
            "china_input_history": history(args.repo, commit, CHINA),
            "wiki_solar_input_history": history(args.repo, commit, WIKI_SOLAR),
            "year_of_data_in_league_rows": years or ["not given"],
            "note": "about 2018–2019: plants built after that (most of the region's wind and solar since 2019) "
                    "are missing, so the file gives spatial *shares*, not today's totals",
        },
        "rebuilt_vs_country_summary": check,
        "dropped_before_join": dropped,
        "spatial_join": {
            "boundaries": "tanfeng.reference.geo.load_league_geojson (ECharts 4 province map, Apache-2.0; "
                          "simplified, no 审图号)",
            "rule": "a plant belongs to the league whose polygon covers its point (longitude, latitude as given)",
            "china_plants": len(plants),
            "placed_in_a_league": len(placed),
            "placed_mw": round(sum(p.capacity_mw for p, _, _ in placed), 3),
            "outside_every_league": outside,
            "outside_every_league_mw": round(outside_mw, 3),
            "outside_handling": "not counted (plants of other provinces); those within "
                                f"{args.near_km:g} km of a league are listed below and not counted either",
            "near_km": args.near_km,
            "near_outside": near,
            "address_check": address_check(plants, placed),
            "name_check": name_hints(placed, near),
        },
    }
    with (out / "league_capacity_wri.yaml").open("w", encoding="utf-8") as f:
        f.write("# Written by scripts/power_wri_leagues.py; do not edit by hand.\n")
        yaml.safe_dump(meta, f, allow_unicode=True, sort_keys=False, width=110)
    print(yaml.safe_dump({"rebuilt_vs_country_summary": check, "dropped": dropped,
                          "placed": len(placed), "outside": outside, "near": len(near)},
                         allow_unicode=True, sort_keys=False), file=sys.stderr)


if __name__ == "__main__":
    main()
