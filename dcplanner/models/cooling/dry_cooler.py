"""Dry coolers with an adiabatic stage: free cooling against outdoor air, and pad water."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from dcplanner.units import WATER_LATENT_HEAT_J_PER_KG


def adiabatic_air_temp_c(
    dry_bulb_c: ArrayLike, wet_bulb_c: ArrayLike, effectiveness: ArrayLike, target_c: ArrayLike
) -> NDArray:
    """Air temperature entering the dry-cooler coils after adiabatic pre-cooling [°C].

    Evaporative pads lower the air toward the wet bulb, ``T = Tdb - eff (Tdb - Twb)``, but only
    as far as needed: water is sprayed when the dry bulb is above ``target_c`` (the air
    temperature at which the coolers carry the whole load unassisted), and never below it.
    ``effectiveness = 0`` means no adiabatic stage.
    """
    tdb = np.asarray(dry_bulb_c, dtype=float)
    reachable = tdb - np.asarray(effectiveness, dtype=float) * (tdb - np.asarray(wet_bulb_c))
    target = np.asarray(target_c, dtype=float)
    return np.where(tdb > target, np.maximum(reachable, target), tdb)


def free_cooling_frac(
    air_c: ArrayLike, supply_c: ArrayLike, return_c: ArrayLike, approach_k: ArrayLike
) -> NDArray:
    """Share of a loop's heat the dry coolers reject without compressors [-].

    Dry coolers cool the returning water to at best ``air + approach``; the share of the
    supply-return range they cover is ``clip((Tr - (Ta + approach)) / (Tr - Ts), 0, 1)``
    (DESIGN §3.3; dry-cooler approach median ~10 K, Energies 16(9) 3661, 2023).
    """
    supply = np.asarray(supply_c, dtype=float)
    ret = np.asarray(return_c, dtype=float)
    leaving = np.asarray(air_c, dtype=float) + np.asarray(approach_k, dtype=float)
    return np.clip((ret - leaving) / (ret - supply), 0.0, 1.0)


def evaporated_water_kg_per_s(
    heat_rejected_w: ArrayLike, dry_bulb_c: ArrayLike, air_c: ArrayLike, coil_air_delta_k: ArrayLike
) -> NDArray:
    """Water evaporated by the adiabatic pads [kg/s].

    The coils need an air mass flow ``m = Q / (cp dT_coil)``; cooling it from the dry bulb to
    ``air_c`` evaporates ``m cp (Tdb - Ta) / h_fg`` of water.
    """
    depression_k = np.asarray(dry_bulb_c, dtype=float) - np.asarray(air_c, dtype=float)
    return (
        np.asarray(heat_rejected_w, dtype=float)
        * depression_k
        / (np.asarray(coil_air_delta_k, dtype=float) * WATER_LATENT_HEAT_J_PER_KG)
    )
