"""Open (evaporative) cooling towers: the water they deliver, their fans and their make-up water.

A tower cools its water towards the outdoor wet bulb: the water leaves at ``wet bulb +
approach`` (the design approach, held at every hour; at light load a real tower's approach
shrinks, so this is conservative for free cooling). Defaults and their sources are in
:mod:`dcplanner.scenario.cooling` (``CoolingTower``).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from dcplanner.units import WATER_CP_J_PER_KG_K, WATER_LATENT_HEAT_TOWER_J_PER_KG


def tower_water_c(wet_bulb_c: ArrayLike, approach_k: ArrayLike, min_water_c: ArrayLike) -> NDArray:
    """Water leaving the towers [°C]: ``max(T_wb + approach, T_min)``.

    Parameters
    ----------
    wet_bulb_c : array_like
        Outdoor wet bulb [°C].
    approach_k : array_like
        Leaving water minus entering wet bulb [K].
    min_water_c : array_like
        Lowest leaving water the towers are run at [°C] (freeze protection: fans are slowed
        or stopped below it).

    Examples
    --------
    >>> round(float(tower_water_c(23.7, 3.9, 4.0)), 6)
    27.6
    """
    return np.maximum(np.asarray(wet_bulb_c, dtype=float) + approach_k, min_water_c)


def tower_fan_w(heat_rejected_w: ArrayLike, fan_w_per_w: ArrayLike) -> NDArray:
    """Tower fan power [W] at a fixed electric power per watt rejected [W/W].

    The EnergyPlus autosizing figure, 0.0105 W/W, sits between the ASHRAE 90.1 minimum for
    axial-fan open towers (40.2 gpm/hp at a 10 °F range: 0.0127 W/W of motor nameplate power,
    about 0.012 electric with brake power at 90 % of nameplate and a 0.95 motor, as the PNNL
    prototypes assume) and California's Title 24 2016 standard design (60 gpm/hp, 0.0085 W/W
    of nameplate) (EnergyPlus Input-Output Reference, CoolingTower:SingleSpeed, read 2026-11;
    ASHRAE 90.1-2019 Table 6.8.1-7).

    Examples
    --------
    >>> float(tower_fan_w(1e6, 0.0105))
    10500.0
    """
    return np.asarray(heat_rejected_w, dtype=float) * np.asarray(fan_w_per_w, dtype=float)


def makeup_water_kg_per_s(
    heat_rejected_w: ArrayLike,
    range_k: ArrayLike,
    evaporated_frac: ArrayLike,
    cycles: ArrayLike,
    drift_frac: ArrayLike,
) -> NDArray:
    """Make-up water of open towers [kg/s]: evaporation, drift and blowdown.

    Evaporation ``E = f Q / h_fg``; the circulating flow ``m = Q / (cp range)`` loses drift
    ``D = d m``; blowdown keeps the dissolved solids at ``cycles`` times the make-up's,
    ``B = max(E / (cycles - 1) - D, 0)``; make-up ``M = E + D + B`` (EnergyPlus Engineering
    Reference, cooling tower make-up water, "ConcentrationRatio" blowdown).

    Parameters
    ----------
    heat_rejected_w : array_like
        Heat the towers reject [W].
    range_k : array_like
        Temperature drop of the water through the towers [K].
    evaporated_frac : array_like
        Heat rejected by evaporation as a share of all of it [-] (1.0: all latent).
    cycles : array_like
        Cycles of concentration [-], above 1.
    drift_frac : array_like
        Drift as a share of the circulating water [-].

    Examples
    --------
    1 MW at 5.6 K with 3 cycles: about 0.41 kg/s evaporated and 0.62 kg/s make-up.

    >>> round(float(makeup_water_kg_per_s(1e6, 5.6, 1.0, 3.0, 8e-5)), 3)
    0.617
    """
    q = np.asarray(heat_rejected_w, dtype=float)
    evaporated = np.asarray(evaporated_frac, dtype=float) * q / WATER_LATENT_HEAT_TOWER_J_PER_KG
    drift = np.asarray(drift_frac, dtype=float) * q / (WATER_CP_J_PER_KG_K
                                                       * np.asarray(range_k, dtype=float))
    blowdown = np.maximum(evaporated / (np.asarray(cycles, dtype=float) - 1.0) - drift, 0.0)
    return evaporated + drift + blowdown
