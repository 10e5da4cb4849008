"""Cooling plant: free cooling with dry coolers, adiabatic assist, trim chillers, fans, pumps.

All electrical power ends as heat (reference/facility.md §3). Heat reaches two water loops: the
facility liquid loop (direct-to-chip, warm water, ASHRAE W classes) and the chilled-water loop
of the air side (CRAH / fan walls). Each loop rejects heat through dry coolers where the outdoor
air allows and through a trim chiller for the rest. Equations are in DESIGN §3.3.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from dcplanner.units import (
    AIR_CP_J_PER_KG_K,
    AIR_DENSITY_KG_PER_M3,
    WATER_CP_J_PER_KG_K,
    WATER_DENSITY_KG_PER_M3,
    WATER_LATENT_HEAT_J_PER_KG,
    ZERO_C_IN_K,
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
    volume_m3_per_s = np.asarray(heat_w, dtype=float) / (
        density_kg_per_m3 * cp_j_per_kg_k * np.asarray(delta_k, dtype=float)
    )
    return volume_m3_per_s * np.asarray(pressure_pa, dtype=float) / np.asarray(efficiency, float)


def water_flow_power_w(heat_w, delta_k, pressure_pa, efficiency) -> NDArray:
    """Pump power [W] for a water loop; see :func:`flow_power_w`."""
    return flow_power_w(
        heat_w, delta_k, pressure_pa, efficiency,
        density_kg_per_m3=WATER_DENSITY_KG_PER_M3, cp_j_per_kg_k=WATER_CP_J_PER_KG_K,
    )


def air_flow_power_w(heat_w, delta_k, pressure_pa, efficiency) -> NDArray:
    """Fan power [W] for an air stream; see :func:`flow_power_w`."""
    return flow_power_w(
        heat_w, delta_k, pressure_pa, efficiency,
        density_kg_per_m3=AIR_DENSITY_KG_PER_M3, cp_j_per_kg_k=AIR_CP_J_PER_KG_K,
    )


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
