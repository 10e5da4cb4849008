"""Fans and pumps: the power to move heat with air or water."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from dcplanner.units import (
    AIR_CP_J_PER_KG_K,
    AIR_DENSITY_KG_PER_M3,
    WATER_CP_J_PER_KG_K,
    WATER_DENSITY_KG_PER_M3,
)


def flow_power_w(
    heat_w: ArrayLike,
    delta_k: ArrayLike,
    pressure_pa: ArrayLike,
    efficiency: ArrayLike,
    *,
    density_kg_per_m3: float,
    cp_j_per_kg_k: float,
) -> NDArray:
    """Fan or pump power to move heat with a fluid: ``V dp / eta``, ``V = Q / (rho cp dT)``.

    Parameters
    ----------
    heat_w : array_like
        Heat carried [W].
    delta_k : array_like
        Temperature rise of the fluid [K].
    pressure_pa : array_like
        Total pressure rise the fan or pump delivers [Pa].
    efficiency : array_like
        Total (fan or pump x motor x drive) efficiency [-].
    density_kg_per_m3, cp_j_per_kg_k : float
        Fluid density and specific heat.

    References
    ----------
    reference/facility.md §3.6 (1 MW at 12 K of air and 486 Pa at 0.7 gives ~48 kW).
    """
    # The factor is formed on the (small) parameters first: one pass over the heat.
    watts_per_watt = np.asarray(pressure_pa, dtype=float) / (
        np.asarray(efficiency, float) * density_kg_per_m3 * cp_j_per_kg_k
        * np.asarray(delta_k, dtype=float))
    return np.asarray(heat_w, dtype=float) * watts_per_watt


def water_flow_power_w(heat_w: ArrayLike, delta_k: ArrayLike, pressure_pa: ArrayLike,
                       efficiency: ArrayLike) -> NDArray:
    """Pump power [W] for a water loop; see :func:`flow_power_w`."""
    return flow_power_w(
        heat_w, delta_k, pressure_pa, efficiency,
        density_kg_per_m3=WATER_DENSITY_KG_PER_M3, cp_j_per_kg_k=WATER_CP_J_PER_KG_K,
    )


def air_flow_power_w(heat_w: ArrayLike, delta_k: ArrayLike, pressure_pa: ArrayLike,
                     efficiency: ArrayLike) -> NDArray:
    """Fan power [W] for an air stream; see :func:`flow_power_w`."""
    return flow_power_w(
        heat_w, delta_k, pressure_pa, efficiency,
        density_kg_per_m3=AIR_DENSITY_KG_PER_M3, cp_j_per_kg_k=AIR_CP_J_PER_KG_K,
    )
