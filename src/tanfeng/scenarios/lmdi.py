"""Additive LMDI-I decomposition (Ang 2005) with the analytical zero-value limits (Ang & Liu 2007).

An aggregate ``V = Σ_i V_i`` with ``V_i = Π_k x_{k,i}`` changes from ``V^0`` to ``V^T``. The effect of
factor ``k`` is ``ΔV_k = Σ_i L(V_i^T, V_i^0) · ln(x_{k,i}^T / x_{k,i}^0)`` with the logarithmic mean
``L(a, b) = (a − b) / (ln a − ln b)`` and ``L(a, a) = a``; the effects add up to ``V^T − V^0`` exactly
(perfect decomposition).

Zero values (Ang & Liu 2007, Energy Policy 35:238–246): the term of an element whose value is zero in a
period is replaced by its limit. If ``V_i^0 = V_i^T = 0`` every effect of ``i`` is 0. If ``V_i^0 = 0 <
V_i^T`` (some factor was zero at the start) the factors that were zero take the whole ``V_i^T`` (shared
equally when several were zero) and the others take 0; symmetrically ``V_i^T = 0 < V_i^0`` gives
``−V_i^0`` to the factors that became zero. Replacing zeros by a small δ is not used (Wood & Lenzen 2006
show it can err).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import numpy.typing as npt

__all__ = ["Array", "decompose", "logmean"]

Array = npt.NDArray[np.float64]


def logmean(a: Array | float, b: Array | float) -> Array:
    """The logarithmic mean ``L(a, b)`` element-wise for positive values (``L(a, a) = a``; 0 where either is 0)."""
    a_arr = np.asarray(a, dtype=np.float64)
    b_arr = np.asarray(b, dtype=np.float64)
    out = np.zeros(np.broadcast(a_arr, b_arr).shape)
    a_b, b_b = np.broadcast_arrays(a_arr, b_arr)
    pos = (a_b > 0) & (b_b > 0)
    same = pos & np.isclose(a_b, b_b, rtol=1e-12, atol=0.0)
    diff = pos & ~same
    out[same] = a_b[same]
    out[diff] = (a_b[diff] - b_b[diff]) / (np.log(a_b[diff]) - np.log(b_b[diff]))
    return out


def decompose(start: Mapping[str, Array | float], end: Mapping[str, Array | float],
              *, axis: int | tuple[int, ...] | None = None) -> dict[str, Array]:
    """Additive LMDI-I effects of each factor between two periods.

    Parameters
    ----------
    start, end
        Factor name → non-negative values, broadcastable against each other (one element per sub-category
        ``i``); the same names in both. ``V_i`` is the product of the factors.
    axis
        Axes summed over (the sub-categories); ``None`` sums everything.

    Returns
    -------
    dict
        Factor name → effect (same units as ``V``); the effects sum to ``ΣV^T − ΣV^0``.
    """
    names = list(start)
    if set(names) != set(end):
        msg = f"the two periods name different factors: {sorted(start)} against {sorted(end)}"
        raise ValueError(msg)
    x0 = [np.asarray(start[k], dtype=np.float64) for k in names]
    xt = [np.asarray(end[k], dtype=np.float64) for k in names]
    if any((a < 0).any() for a in (*x0, *xt)):
        msg = "LMDI-I here takes non-negative factors only"
        raise ValueError(msg)
    shape = np.broadcast_shapes(*(a.shape for a in (*x0, *xt)))
    x0 = [np.broadcast_to(a, shape) for a in x0]
    xt = [np.broadcast_to(a, shape) for a in xt]
    v0 = np.prod(np.stack(x0), axis=0)
    vt = np.prod(np.stack(xt), axis=0)
    weight = logmean(vt, v0)
    both = (v0 > 0) & (vt > 0)
    zero0 = np.stack([a == 0 for a in x0])
    zerot = np.stack([a == 0 for a in xt])
    n_zero0 = zero0.sum(axis=0)
    n_zerot = zerot.sum(axis=0)
    effects: dict[str, Array] = {}
    for k, name in enumerate(names):
        term = np.zeros(shape)
        ratio = np.divide(xt[k], x0[k], out=np.ones(shape), where=both)
        term[both] = weight[both] * np.log(ratio[both])
        rises = (v0 == 0) & (vt > 0) & zero0[k]
        term[rises] = vt[rises] / n_zero0[rises]
        falls = (vt == 0) & (v0 > 0) & zerot[k]
        term[falls] = -v0[falls] / n_zerot[falls]
        effects[name] = np.asarray(term.sum(axis=axis), dtype=np.float64)
    return effects
