"""Power oversubscription: provisioning a connection or a UPS below the load's peak, with
per-GPU capping when the budget binds.

References
----------
X. Fan, W.-D. Weber, L. A. Barroso, "Power provisioning for a warehouse-sized computer",
ISCA 2007: fleets measured 7-16 % below their summed peak. S. Li et al., "Thunderbolt",
OSDI 2020: 9-25 % oversubscription with QoS-aware capping. C. Zhang et al., "Flex:
High-availability datacenters with zero reserved power", ISCA 2021: the reserve of a
distributed-redundant UPS used for load, capped on a failure, "up to 33 %" more servers.
P. Patel et al., "POLCA", 2024: 30 % more inference servers.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from dcplanner.models import electrical


def budget_w(power_w: NDArray, percentile_frac: ArrayLike) -> NDArray:
    """The power budget [W] at a percentile of a power distribution along its last axis:
    the draw exceeded in ``1 - percentile_frac`` of the samples (linear interpolation)."""
    q = np.asarray(percentile_frac, dtype=float)
    return np.quantile(np.asarray(power_w, dtype=float), q, axis=-1).T


def capped_hours(percentile_frac: ArrayLike, hours: float) -> NDArray:
    """Hours [h] a budget at ``percentile_frac`` binds over ``hours`` [h] of samples."""
    return (1.0 - np.asarray(percentile_frac, dtype=float)) * hours


def reserve_gain_frac(topology_code: ArrayLike, modules: ArrayLike,
                      feed_code: ArrayLike = 0) -> NDArray:
    """Extra IT capacity [-] of a redundant UPS whose reserve carries load, capped on a
    failure (Flex's zero reserved power): installed over usable capacity, minus one.

    A distributed-redundant 4N/3 (usable 75 %) gives 1 / 0.75 - 1 = +33.3 % (Flex's "up to
    33 %"); 3N/2 +50 %; 2N +100 %; a catcher of m blocks 1 / (m - 1); N nothing.
    """
    usable = electrical.usable_capacity_frac(topology_code, modules, feed_code)
    with np.errstate(divide="ignore"):
        return 1.0 / np.asarray(usable, dtype=float) - 1.0
