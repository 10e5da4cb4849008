"""Costs and carbon: capital recovery, annualized capex, energy cost, emissions.

Pure functions on arrays (scenarios on axis 0); money in euros, energy in MWh, carbon in
tonnes CO2e.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

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
    growth = (1.0 + r) ** n
    safe = np.where(r > 0, growth - 1.0, 1.0)
    return np.where(r > 0, r * growth / safe, 1.0 / n)


def energy_cost_eur(energy_mwh: ArrayLike, price_eur_per_mwh: ArrayLike) -> NDArray:
    """Cost of energy [EUR]: energy [MWh] times the all-in price [EUR/MWh]."""
    return np.asarray(energy_mwh, dtype=float) * np.asarray(price_eur_per_mwh, dtype=float)


def emissions_tco2e(energy_mwh: ArrayLike, intensity_g_per_kwh: ArrayLike) -> NDArray:
    """Emissions [tCO2e] of energy [MWh] at a grid intensity [gCO2e/kWh]:
    ``t = MWh x 1,000 kWh/MWh x g/kWh / 10^6 g/t``."""
    energy_kwh = np.asarray(energy_mwh, dtype=float) * KWH_PER_MWH
    return energy_kwh * np.asarray(intensity_g_per_kwh) / G_PER_TONNE
