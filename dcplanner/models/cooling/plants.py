"""Cooling plants: how the loops, heat rejection and chillers of a site fit together."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from dcplanner.models.cooling.chiller import carnot_cop
from dcplanner.models.cooling.dry_cooler import (
    adiabatic_air_temp_c,
    evaporated_water_kg_per_s,
    free_cooling_frac,
)
from dcplanner.models.cooling.flows import air_flow_power_w, water_flow_power_w


def loop_heat_rejection(
    heat_w: ArrayLike,
    air_c: ArrayLike,
    *,
    supply_c: ArrayLike,
    return_c: ArrayLike,
    approach_k: ArrayLike,
    carnot_frac: ArrayLike,
    max_cop: ArrayLike,
) -> dict[str, NDArray]:
    """Split one loop's heat between dry coolers and the trim chiller, and price the chiller.

    The chiller's evaporator leaves at the loop supply temperature; its condenser rejects to
    the same (pre-cooled) air at ``air + approach``.

    Returns
    -------
    dict
        ``free_frac`` [-], ``chiller_heat_w`` [W], ``cop`` [-], ``chiller_w`` [W].
    """
    free = free_cooling_frac(air_c, supply_c, return_c, approach_k)
    chiller_heat_w = (1.0 - free) * np.asarray(heat_w, dtype=float)
    cop = carnot_cop(supply_c, np.asarray(air_c) + np.asarray(approach_k), carnot_frac, max_cop)
    return {
        "free_frac": free,
        "chiller_heat_w": chiller_heat_w,
        "cop": cop,
        "chiller_w": chiller_heat_w / cop,
    }


def cooling_plant(
    liquid_heat_w: ArrayLike,
    air_heat_w: ArrayLike,
    dry_bulb_c: ArrayLike,
    wet_bulb_c: ArrayLike,
    *,
    liquid_supply_c: ArrayLike,
    liquid_return_c: ArrayLike,
    liquid_pump_pa: ArrayLike,
    liquid_pump_efficiency: ArrayLike,
    air_water_supply_c: ArrayLike,
    air_water_return_c: ArrayLike,
    air_pump_pa: ArrayLike,
    air_pump_efficiency: ArrayLike,
    air_delta_k: ArrayLike,
    air_fan_pa: ArrayLike,
    air_fan_efficiency: ArrayLike,
    approach_k: ArrayLike,
    coil_air_delta_k: ArrayLike,
    dry_cooler_fan_pa: ArrayLike,
    dry_cooler_fan_efficiency: ArrayLike,
    adiabatic_effectiveness: ArrayLike,
    carnot_frac: ArrayLike,
    max_cop: ArrayLike,
) -> dict[str, NDArray]:
    """Electrical power and water of the whole cooling plant at one outdoor condition.

    Parameters
    ----------
    liquid_heat_w : array_like
        Heat captured by the facility liquid loop [W].
    air_heat_w : array_like
        Heat released to room air [W] (IT air share plus electrical-room losses).
    dry_bulb_c, wet_bulb_c : array_like
        Outdoor air [°C].
    liquid_supply_c, liquid_return_c, air_water_supply_c, air_water_return_c : array_like
        Supply and return of the liquid loop and of the air side's chilled-water loop [°C].
    liquid_pump_pa, air_pump_pa : array_like
        Loop pump heads [Pa]; ``*_efficiency`` their total efficiencies [-].
    air_delta_k, air_fan_pa, air_fan_efficiency : array_like
        Room-air temperature rise across IT [K], CRAH fan pressure [Pa] and efficiency [-].
    approach_k : array_like
        Dry-cooler approach, leaving water minus entering air [K].
    coil_air_delta_k, dry_cooler_fan_pa, dry_cooler_fan_efficiency : array_like
        Air temperature rise across the dry-cooler coils [K], their fan pressure [Pa] and
        efficiency [-].
    adiabatic_effectiveness : array_like
        Saturation effectiveness of the evaporative pads, 0 for none [-].
    carnot_frac, max_cop : array_like
        Chiller model, see :func:`carnot_cop`.

    Returns
    -------
    dict of ndarray
        Powers [W]: ``pump_w``, ``air_fan_w``, ``dry_cooler_fan_w``, ``chiller_w``,
        ``cooling_w`` (their sum), ``heat_rejected_w``; ``liquid_free_frac``, ``air_free_frac``,
        ``liquid_cop``, ``air_cop`` [-]; ``water_kg_per_s``; ``liquid_coil_air_c`` and
        ``air_coil_air_c`` [°C], the air entering each dry-cooler bank.
    """
    liquid_pump_w = water_flow_power_w(
        liquid_heat_w, np.asarray(liquid_return_c) - liquid_supply_c,
        liquid_pump_pa, liquid_pump_efficiency,
    )
    air_fan_w = air_flow_power_w(air_heat_w, air_delta_k, air_fan_pa, air_fan_efficiency)
    air_loop_heat_w = np.asarray(air_heat_w, dtype=float) + air_fan_w
    air_pump_w = water_flow_power_w(
        air_loop_heat_w, np.asarray(air_water_return_c) - air_water_supply_c,
        air_pump_pa, air_pump_efficiency,
    )
    # Pump work ends as heat in the water it moves.
    loops = {
        "liquid": (
            np.asarray(liquid_heat_w, float) + liquid_pump_w, liquid_supply_c, liquid_return_c
        ),
        "air": (air_loop_heat_w + air_pump_w, air_water_supply_c, air_water_return_c),
    }
    out: dict[str, NDArray] = {"chiller_w": 0.0, "dry_cooler_fan_w": 0.0, "heat_rejected_w": 0.0,
                               "water_kg_per_s": 0.0}
    for name, (heat_w, supply_c, return_c) in loops.items():
        target_c = np.asarray(supply_c) - approach_k
        coil_air_c = adiabatic_air_temp_c(dry_bulb_c, wet_bulb_c, adiabatic_effectiveness, target_c)
        loop = loop_heat_rejection(
            heat_w, coil_air_c, supply_c=supply_c, return_c=return_c, approach_k=approach_k,
            carnot_frac=carnot_frac, max_cop=max_cop,
        )
        rejected_w = heat_w + loop["chiller_w"]
        out["chiller_w"] = out["chiller_w"] + loop["chiller_w"]
        out["heat_rejected_w"] = out["heat_rejected_w"] + rejected_w
        out["dry_cooler_fan_w"] = out["dry_cooler_fan_w"] + air_flow_power_w(
            rejected_w, coil_air_delta_k, dry_cooler_fan_pa, dry_cooler_fan_efficiency
        )
        out["water_kg_per_s"] = out["water_kg_per_s"] + evaporated_water_kg_per_s(
            rejected_w, dry_bulb_c, coil_air_c, coil_air_delta_k
        )
        out[f"{name}_free_frac"] = loop["free_frac"]
        out[f"{name}_cop"] = loop["cop"]
        out[f"{name}_coil_air_c"] = coil_air_c
    out["pump_w"] = liquid_pump_w + air_pump_w
    out["air_fan_w"] = air_fan_w
    out["cooling_w"] = out["pump_w"] + air_fan_w + out["dry_cooler_fan_w"] + out["chiller_w"]
    return out
