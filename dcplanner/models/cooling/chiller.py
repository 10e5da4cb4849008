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
    """
    t_evap_k = np.asarray(evaporator_c, dtype=float) + ZERO_C_IN_K
    lift_k = np.asarray(condenser_c, dtype=float) + ZERO_C_IN_K - t_evap_k
    # A lift at or below zero gives an unbounded Carnot COP, which the cap replaces.
    carnot = np.asarray(carnot_frac) * t_evap_k / np.maximum(lift_k, MIN_LIFT_K)
    return np.minimum(carnot, max_cop)
