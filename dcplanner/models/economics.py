"""Costs and carbon: capital recovery, annualized capex, energy cost, emissions.

Pure functions on arrays (scenarios on axis 0); money in euros, energy in MWh, carbon in
tonnes CO2e.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from dcplanner.models.goodput import optimal_interval_h, wall_time_h
from dcplanner.units import G_PER_TONNE, KWH_PER_MWH


def capital_recovery_factor(rate_frac: ArrayLike, years: ArrayLike) -> NDArray:
    """Share of a capital cost paid each year to recover it with interest [-/year].

    ``CRF = r (1 + r)^n / ((1 + r)^n - 1)``, and ``1 / n`` at ``r = 0`` (straight line). The
    standard annuity formula (e.g. Short, Packey and Holt, "A Manual for the Economic
    Evaluation of Energy Efficiency and Renewable Energy Technologies", NREL/TP-462-5173,
    1995, eq. 4-7).
    """
    r = np.asarray(rate_frac, dtype=float)
    n = np.asarray(years, dtype=float)
    # (1 + r)^n - 1 as expm1(n log1p(r)): exact for the smallest rates, where 1 + r rounds
    # to 1 and the quotient would be 0 / 0.
    excess = np.expm1(n * np.log1p(r))
    safe = np.where(r > 0, excess, 1.0)
    return np.where(r > 0, r * (1.0 + excess) / safe, 1.0 / n)


def energy_cost_eur(energy_mwh: ArrayLike, price_eur_per_mwh: ArrayLike) -> NDArray:
    """Cost of energy [EUR]: energy [MWh] times the all-in price [EUR/MWh]."""
    return np.asarray(energy_mwh, dtype=float) * np.asarray(price_eur_per_mwh, dtype=float)


def emissions_tco2e(energy_mwh: ArrayLike, intensity_g_per_kwh: ArrayLike) -> NDArray:
    """Emissions [tCO2e] of energy [MWh] at a grid intensity [gCO2e/kWh]:
    ``t = MWh x 1,000 kWh/MWh x g/kWh / 10^6 g/t``."""
    energy_kwh = np.asarray(energy_mwh, dtype=float) * KWH_PER_MWH
    return energy_kwh * np.asarray(intensity_g_per_kwh) / G_PER_TONNE


def fabric_capex_usd(switches: ArrayLike, optical_ends: ArrayLike, switch_usd: ArrayLike,
                     end_usd: ArrayLike, link_usd: ArrayLike) -> dict[str, NDArray]:
    """Capex of a compute fabric from its sizing [USD]: ``switches`` x the switch price,
    ``optical_ends`` x the optics price per end, and one cable per link (two ends a link).

    Parameters
    ----------
    switches, optical_ends : array_like
        Switch count and optical link ends of the fat tree
        (:func:`dcplanner.models.network.fat_tree_switches`, ``fat_tree_optical_ends``) [-].
    switch_usd, end_usd, link_usd : array_like
        Price of a switch, of the optics of one link end, and of one link's cable [USD].

    Returns
    -------
    dict of ndarray
        ``switches``, ``optics`` and ``cables`` [USD].
    """
    ends = np.asarray(optical_ends, dtype=float)
    return {"switches": np.asarray(switches, dtype=float) * np.asarray(switch_usd, dtype=float),
            "optics": ends * np.asarray(end_usd, dtype=float),
            "cables": ends / 2.0 * np.asarray(link_usd, dtype=float)}


def goodput_frac(rate_per_h: ArrayLike, write_h: ArrayLike, restart_h: ArrayLike,
                 interval_h: ArrayLike | None = None) -> NDArray:
    """Long-run share of a synchronous job's wall time that is useful compute [-].

    The compute of one hour over its expected wall time, ``1 / W(T = 1)``, with
    :func:`dcplanner.models.goodput.wall_time_h` (interruptions at ``rate_per_h``, restarts
    of ``restart_h``, checkpoints of ``write_h`` every ``interval_h`` of compute, by default
    the Young/Daly optimum ``sqrt(2 δ / λ)``). 1 without interruptions and checkpoints; 0
    where the job never finishes.
    """
    if interval_h is None:
        interval_h = optimal_interval_h(write_h, rate_per_h)
    wall = wall_time_h(1.0, interval_h, write_h, restart_h, rate_per_h)
    return np.where(np.isfinite(wall), 1.0 / np.where(np.isfinite(wall), wall, 1.0), 0.0)
