"""Use cases: the figures the pages draw (dispatch stack, duration curves, curtailment by measure, map)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from tanfeng.power.data import HOURS_PER_YEAR, load_power_data
from tanfeng.services.power._cache import solved
from tanfeng.services.power.exports import hourly_by_carrier
from tanfeng.services.power.runs import compare_study
from tanfeng.services.power.studies import build_study

__all__ = ["WEEK", "curtailment_by_measure", "dispatch_stack", "duration_curves", "network_map"]

WEEK = 168


def dispatch_stack(study_id: str, *, week: int = 0, data_dir: Path | None = None) -> dict[str, Any]:
    """Hourly output by carrier (MW) over week ``week`` (0…51) of the study's year, solved for that week.

    Storage and demand response come as two series each: ``<carrier>`` (discharge, ≥ 0) and
    ``<carrier>_charge`` (charging, ≤ 0, drawn below the zero axis).
    """
    start = min(max(week, 0), HOURS_PER_YEAR // WEEK - 1) * WEEK
    frame = hourly_by_carrier(study_id, hours=WEEK, start=start, data_dir=data_dir, split_storage=True)
    return {"study": study_id, "week": start // WEEK, "hours": [int(str(h)) for h in frame.index],
            "series": {str(c): [round(float(v), 1) for v in frame[c]] for c in frame.columns}, "unit": "MW"}


def duration_curves(study_id: str, *, hours: int, start: int = 0, data_dir: Path | None = None) -> dict[str, Any]:
    """Load, net load (load minus available wind and solar) and coal output, each sorted high to low (MW)."""
    built, _ = solved(study_id, hours=hours, start=start, data_dir=data_dir)
    n = built.network
    load = n.loads_t.p_set.sum(axis=1).to_numpy()
    gens = n.generators
    ws = gens.index[gens.carrier.isin(("wind", "solar"))]
    avail = (n.get_switchable_as_dense("Generator", "p_max_pu")[ws] * gens.p_nom[ws]).sum(axis=1).to_numpy()
    coal = n.generators_t.p[gens.index[gens.carrier.isin(("coal", "coal_flex"))]].sum(axis=1).to_numpy()

    def curve(values: np.ndarray) -> list[float]:
        return [round(float(v), 1) for v in np.sort(values)[::-1]]

    return {"study": study_id, "hours": hours, "start": start, "unit": "MW",
            "curves": {"load": curve(load), "net_load": curve(load - avail), "coal": curve(coal)}}


def curtailment_by_measure(study_id: str, *, hours: int, start: int = 0,
                           data_dir: Path | None = None) -> dict[str, Any]:
    """Curtailment (TWh) by carrier in the full study and with each measure switched off."""
    rows = compare_study(study_id, hours=hours, start=start, data_dir=data_dir)
    _, full = solved(study_id, hours=hours, start=start, data_dir=data_dir)
    cases = {"full": full.summary()["curtailment_by_carrier"]}
    cases.update({f"without {r.measure_off}": r.curtailment_by_carrier for r in rows})
    return {"study": study_id, "hours": hours, "start": start, "unit": "TWh", "cases": cases}


def network_map(study_id: str, *, data_dir: Path | None = None) -> dict[str, Any]:
    """Buses with coordinates and Chinese names (from the data files) and links with capacities, for the league
    map (nothing solved)."""
    net = build_study(study_id, hours=24, data_dir=data_dir)
    data = load_power_data(data_dir)
    names = {n.node: n.name_zh for n in data.nodes.values()}
    names |= {f"ext:{c.name}": f"{c.name_zh}(受端)" for c in data.channels}
    names |= {lg.code: lg.name_zh for lg in data.leagues}
    buses = [{**b.model_dump(), "name_zh": names.get(b.name, b.name)} for b in net.buses]
    return {"study": study_id, "buses": buses, "links": net.links}
