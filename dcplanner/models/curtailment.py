"""A flexible grid connection: the hours a site's hourly power exceeds its connection.

Pure, vectorized functions on hourly facility power (S, H): scenarios on the first axis, the
hours of the year on the last. A site that accepts a curtailment budget sheds load (caps or
pauses GPUs) in the hours its draw would exceed the connection; those hours are its own peaks
(hot afternoons), so a site whose power varies over the year hosts more GPUs on the same
connection, and a flat one gains nothing (every hour would be over at once).

References
----------
T. Norris et al., "Rethinking Load Growth", Nicholas Institute, Duke University, Feb. 2025:
"curtailment-enabled headroom" of 76 / 98 / 126 GW at 0.25 / 0.5 / 1 % average annual
curtailment (0.5 % of a year is about 44 h; events of about 2 h on average).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from dcplanner.units import HOURS_PER_YEAR


def budget_hours(year_frac: ArrayLike, hours: float = HOURS_PER_YEAR) -> NDArray:
    """A curtailment budget given as a share of the year, in hours [h].

    >>> round(float(budget_hours(0.005)), 9)
    43.8
    """
    return np.asarray(year_frac, dtype=float) * hours


def longest_run(mask: NDArray) -> NDArray:
    """Length of the longest run of True along the last axis [steps], loop-free: each step's
    run length is its index minus the index of the last False before it."""
    mask = np.asarray(mask, dtype=bool)
    idx = np.arange(mask.shape[-1])
    last_false = np.maximum.accumulate(np.where(mask, -1, idx), axis=-1)
    run = np.where(mask, idx - last_false, 0)
    return run.max(axis=-1, initial=0)


def exceedance(facility_w: NDArray, connection_w: ArrayLike) -> dict[str, NDArray]:
    """What holding hourly facility power within a connection costs, per scenario (S,).

    Parameters
    ----------
    facility_w : ndarray (S, H)
        Hourly facility power [W] as the site would draw it.
    connection_w : array_like (S,)
        Connection (contracted) power [W].

    Returns
    -------
    dict of ndarray (S,)
        ``hours_over`` [h] the hours above the connection; ``longest_event_h`` [h] the
        longest run of consecutive such hours; ``curtailed_energy_frac`` [-] the energy above
        the connection over the year's energy; ``lost_compute_frac`` [-] the share of the
        year's compute lost, the load shed pro rata to the hour's draw (each curtailed hour
        loses ``(P - C) / P`` of its compute: conservative, a GPU capped by a share of its
        power loses less than that share of its throughput); ``lost_days`` [d] that share as
        days of the whole site's compute per year.
    """
    f = np.asarray(facility_w, dtype=float)
    c = np.asarray(connection_w, dtype=float)[..., None]
    over = f > c
    excess = np.where(over, f - c, 0.0)
    hours = f.shape[-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        shed = np.where(over, excess / f, 0.0)
        energy_frac = excess.sum(axis=-1) / f.sum(axis=-1)
    lost = shed.sum(axis=-1) / hours
    return {"hours_over": over.sum(axis=-1).astype(float),
            "longest_event_h": longest_run(over).astype(float),
            "curtailed_energy_frac": np.nan_to_num(energy_frac),
            "lost_compute_frac": lost, "lost_days": lost * hours / 24.0}


def within_budget(figures: dict[str, NDArray], hours: ArrayLike, max_event_h: ArrayLike = np.inf,
                  energy_frac: ArrayLike = np.inf) -> NDArray:
    """Whether the figures of :func:`exceedance` keep within a curtailment budget: at most
    ``hours`` [h] over the connection, no event longer than ``max_event_h`` [h] and at most
    ``energy_frac`` [-] of the energy curtailed (every argument broadcasts)."""
    return ((figures["hours_over"] <= np.asarray(hours) + 1e-9)
            & (figures["longest_event_h"] <= np.asarray(max_event_h) + 1e-9)
            & (figures["curtailed_energy_frac"] <= np.asarray(energy_frac) + 1e-12))
