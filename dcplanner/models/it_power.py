"""Power of accelerators and systems against load, and the provisioning bases.

Two bases must not be mixed up (DESIGN §3.1): *design* (provisioned) power is what the
electrical and cooling plant must carry; *operating* power is the average draw during the
workload, which energy uses.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

#: Provisioning bases; inside the engine's arrays a basis is its index here. ``peak``: GPUs at
#: TDP (or cap) and hosts at their component peak; ``operating``: the busy draw;
#: ``nameplate``: every system at its supply capacity (rated_w).
PROVISIONING_BASES = ("peak", "operating", "nameplate")


def component_power_w(idle_w: ArrayLike, peak_w: ArrayLike, load_frac: ArrayLike) -> NDArray:
    """Linear power model ``P = P_idle + (P_peak - P_idle) * L``.

    Parameters
    ----------
    idle_w : array_like
        Draw at zero load [W].
    peak_w : array_like
        Draw at full load [W].
    load_frac : array_like
        Load fraction L in [0, 1] [-].

    Returns
    -------
    ndarray
        Draw [W].

    References
    ----------
    X. Fan, W.-D. Weber, L. A. Barroso, "Power Provisioning for a Warehouse-sized Computer",
    ISCA 2007 (linear variant of their server model; reference/facility.md §8).
    """
    idle_w = np.asarray(idle_w, dtype=float)
    return idle_w + (np.asarray(peak_w, dtype=float) - idle_w) * np.asarray(load_frac, float)


def accelerator_peak_w(tdp_w: ArrayLike, power_cap_w: ArrayLike) -> NDArray:
    """Peak accelerator draw [W]: the TDP, or the power cap where one is set (NaN = no cap)."""
    return np.fmin(np.asarray(tdp_w, dtype=float), np.asarray(power_cap_w, dtype=float))


def busy_power_w(peak_w: ArrayLike, idle_w: ArrayLike, operating_power_frac: ArrayLike) -> NDArray:
    """Average draw of a busy component [W]: ``operating_power_frac * peak``, never below idle.

    Measured training draw is about 0.76-0.85 of rating (Latif et al. 2025; Newkirk et al. 2025)
    and Meta provisions GB200 at 80 % of TDP (arXiv 2605.24461); reference/hardware.md §6.
    """
    return np.maximum(
        np.asarray(operating_power_frac, dtype=float) * np.asarray(peak_w, dtype=float),
        np.asarray(idle_w, dtype=float),
    )
