"""Electrical chain: distribution and UPS losses, transformer losses, redundancy.

Losses in series (reference/facility.md §2): IT load -> distribution (busway/PDU) -> UPS ->
transformer -> grid. Mechanical (cooling) and miscellaneous loads bypass the UPS and the IT
distribution but pass through the transformers.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from dcplanner.models.curves import interp_rows

#: Redundancy topologies; inside the engine's arrays a topology is its index here.
TOPOLOGIES = ("N", "N+1", "catcher", "4N/3", "3N/2", "2N")

#: Module counts each topology needs to be well formed: (minimum, must be a multiple of).
TOPOLOGY_MODULES = {
    "N": (1, 1),
    "N+1": (2, 1),
    "catcher": (2, 1),
    "4N/3": (4, 4),
    "3N/2": (3, 3),
    "2N": (2, 2),
}


#: Usable share of installed capacity of the topologies where it is fixed; the others keep
#: one module or block in reserve, ``(m - 1) / m``.
FIXED_USABLE_FRAC = {"N": 1.0, "4N/3": 0.75, "3N/2": 2 / 3, "2N": 0.5}
#: The same by topology code (NaN: it depends on the module count).
_FIXED_USABLE_FRAC = np.array([FIXED_USABLE_FRAC.get(t, np.nan) for t in TOPOLOGIES])
_CATCHER = TOPOLOGIES.index("catcher")


def usable_capacity_frac(topology_code: ArrayLike, modules: ArrayLike) -> NDArray:
    """Share of installed UPS capacity usable by IT under a redundancy topology [-].

    N 100 %; N+1 with m modules (m-1)/m; catcher (block redundant, m blocks of which one is the
    reserve) (m-1)/m; distributed 4N/3 75 % and 3N/2 67 %; 2N 50 %. Schneider Electric WP75 and
    the distributed-redundancy definitions in reference/facility.md §2.3.

    Parameters
    ----------
    topology_code : array_like of int
        Index of the topology in :data:`TOPOLOGIES`.
    modules : array_like
        Modules or blocks installed [-].
    """
    m = np.asarray(modules, dtype=float)
    fixed = _FIXED_USABLE_FRAC[np.asarray(topology_code, dtype=int)]
    return np.where(np.isnan(fixed), (m - 1.0) / np.maximum(m, 1.0), fixed)


def active_capacity_frac(topology_code: ArrayLike, modules: ArrayLike) -> NDArray:
    """Share of installed UPS capacity that shares the load in normal operation [-].

    All modules share the load except in a catcher (block redundant) design, whose reserve
    block idles until a primary block fails; so a catcher's modules run at a higher load
    fraction than N+1 modules carrying the same IT load.
    """
    m = np.asarray(modules, dtype=float)
    return np.where(np.asarray(topology_code) == _CATCHER, (m - 1.0) / np.maximum(m, 1.0), 1.0)


def ups_losses(
    ups_output_w: ArrayLike,
    active_capacity_w: ArrayLike,
    curve_load_frac: ArrayLike,
    curve_efficiency: ArrayLike,
) -> tuple[NDArray, NDArray, NDArray]:
    """UPS load fraction, efficiency and loss.

    Parameters
    ----------
    ups_output_w : array_like, shape (S,) or (S, H)
        Power delivered by the UPS [W].
    active_capacity_w : array_like, shape (S,)
        Installed capacity of the modules sharing the load [W].
    curve_load_frac, curve_efficiency : array_like, shape (S, K)
        UPS efficiency table against load fraction (np.interp between points; Schneider WP113
        shape: low efficiency at light load from the no-load loss).

    Returns
    -------
    load_frac, efficiency, loss_w : ndarray
        Per-module load fraction [-], efficiency [-] and loss [W].
    """
    out = np.asarray(ups_output_w, dtype=float)
    trailing = (1,) * (out.ndim - 1)
    cap = np.asarray(active_capacity_w, dtype=float).reshape(-1, *trailing)
    load_frac = out / cap
    efficiency = interp_rows(load_frac, curve_load_frac, curve_efficiency)
    return load_frac, efficiency, out / efficiency - out


def transformer_loss_w(
    load_w: ArrayLike, rated_w: ArrayLike, no_load_loss_frac: ArrayLike, load_loss_frac: ArrayLike,
    power_factor: ArrayLike = 1.0,
) -> NDArray:
    """Transformer loss ``P0 + Pk * (S / Sr)**2`` [W], with the apparent power
    ``S = P / power factor``.

    Parameters
    ----------
    load_w : array_like
        Real power through the transformers P [W].
    rated_w : array_like
        Installed transformer rating Sr [VA].
    no_load_loss_frac : array_like
        No-load (iron) loss P0 as a fraction of Sr [-].
    load_loss_frac : array_like
        Load (copper) loss Pk at rated load as a fraction of Sr [-].
    power_factor : array_like
        The site's power factor, real over apparent power [-].

    References
    ----------
    Commission Regulation (EU) 548/2014 (loss definitions); reference/facility.md §2.1.
    """
    rated_w = np.asarray(rated_w, dtype=float)
    # P0 + Pk (S/Sr)^2 with the factors formed on the ratings: two passes over the load.
    per_w2 = np.asarray(load_loss_frac) / (rated_w * np.square(np.asarray(power_factor, float)))
    return rated_w * np.asarray(no_load_loss_frac) + per_w2 * np.square(np.asarray(load_w, float))
