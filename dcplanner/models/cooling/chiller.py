"""Chillers: coefficient of performance against the lift."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from dcplanner.units import ZERO_C_IN_K

#: Smallest lift used in the Carnot formula [K]; any COP it gives is above every cap.
MIN_LIFT_K = 1e-6


def carnot_cop(
    evaporator_c: ArrayLike, condenser_c: ArrayLike, carnot_frac: ArrayLike, max_cop: ArrayLike
) -> NDArray:
    """Chiller coefficient of performance as a fraction of Carnot [-].

    ``COP = eta T_evap / (T_cond - T_evap)`` (kelvin), capped at ``max_cop``; a condenser at or
    below the evaporator gives ``max_cop``.

    Parameters
    ----------
    evaporator_c, condenser_c : array_like
        Evaporator (chilled water leaving) and condenser (heat sink) temperatures [°C].
    carnot_frac : array_like
        Fraction of the Carnot COP the machine reaches [-] (sourced with each plant's default).
    max_cop : array_like
        Cap on the COP at small lifts [-].
    """
    evaporator_c = np.asarray(evaporator_c, dtype=float)
    lift_k = np.asarray(condenser_c, dtype=float) - evaporator_c
    # A lift at or below zero gives an unbounded Carnot COP, which the cap replaces.
    carnot = (np.asarray(carnot_frac) * (evaporator_c + ZERO_C_IN_K)) / np.clip(
        lift_k, MIN_LIFT_K, None)
    return np.clip(carnot, None, max_cop)
