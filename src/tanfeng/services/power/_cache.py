"""The power data set and solved studies, kept in memory for the process (a solve takes seconds to minutes).

Results are not stored in the database: a study is a pure function of the shipped data files, the
horizon and the measures switched off, so the same request gives the same result; the cache only spares
a second solve. It holds at most :data:`MAX_RUNS` solved networks.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path

from tanfeng.power.data import PowerData, load_power_data
from tanfeng.power.metrics import StudyResult
from tanfeng.power.network import BuildOptions, BuiltNetwork
from tanfeng.power.profiles import load_profiles
from tanfeng.power.studies import get_study, run_built

__all__ = ["MAX_RUNS", "RunKey", "data_set", "solved"]

MAX_RUNS = 8
RunKey = tuple[str, str, int, int, frozenset[str], str]

_runs: OrderedDict[RunKey, tuple[BuiltNetwork, StudyResult]] = OrderedDict()
_lock = threading.Lock()


@lru_cache(maxsize=4)
def _load(directory: str) -> PowerData:
    return load_power_data(Path(directory) if directory else None)


def data_set(data_dir: Path | None = None) -> PowerData:
    """The checked data set of ``data_dir`` (default: the shipped files), read once per process."""
    return _load(str(data_dir) if data_dir is not None else "")


def solved(study_id: str, *, hours: int, start: int, measures_off: frozenset[str] = frozenset(),
           data_dir: Path | None = None, profiles_file: Path | None = None) -> tuple[BuiltNetwork, StudyResult]:
    """The solved network and results of one study variant, from the cache or solved now.

    ``profiles_file`` holds real capacity factors (``<bus>:<carrier>`` columns, see
    :func:`tanfeng.power.profiles.load_profiles`); buses and carriers it does not name keep the synthetic ones.
    """
    data = data_set(data_dir)
    study = get_study(data, study_id)
    profiles = load_profiles(profiles_file) if profiles_file is not None else None
    key: RunKey = (str(data_dir or ""), study_id, hours, start, measures_off, str(profiles_file or ""))
    with _lock:
        if key in _runs:
            _runs.move_to_end(key)
            return _runs[key]
        result = run_built(data, study, BuildOptions(hours=hours, start=start, measures_off=measures_off,
                                                     profiles=profiles))
        _runs[key] = result
        while len(_runs) > MAX_RUNS:
            _runs.popitem(last=False)
        return result
