"""Cooling plants: how the loops, the heat rejection and the chillers of a site fit together.

Every plant has the same two water loops (reference/facility.md §3): the facility liquid loop
(direct-to-chip, warm water) and the chilled-water loop of the air side (CRAH / fan walls),
moved by the pumps and fans of :func:`loop_pumping`. Plants differ in how they reject the
loops' heat. Each plant is one function in :data:`PLANTS`, called with the heat of both loops,
the outdoor air and its own keyword parameters, and returning at least the keys of
:data:`COMMON_KEYS` (plus its own).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from functools import cache

import numpy as np
from numpy.typing import ArrayLike, NDArray

from dcplanner.models.cooling.chiller import CHILLER_ARGS, chiller, chiller_inputs
from dcplanner.models.cooling.coolant import pumping_factor
from dcplanner.models.cooling.cooling_tower import (
    makeup_water_kg_per_s,
    tower_fan_w,
    tower_water_c,
)
from dcplanner.models.cooling.dry_cooler import (
    FAN_LAW_EXPONENT,
    adiabatic_reach_c,
    coil_air_c,
    evaporated_water_kg_per_s,
    fan_speed_frac,
    free_cooling_share,
)
from dcplanner.models.cooling.economizer import indirect_economizer_frac
from dcplanner.models.cooling.flows import air_flow_power_w, water_flow_power_w

#: What every plant returns: powers [W] (``chip_pump_w`` the CDUs' share of ``pump_w``), the
#: free-cooling share, chiller COP and coil or heat-sink temperature of each loop, and water
#: [kg/s].
COMMON_KEYS = (
    "chiller_w", "pump_w", "chip_pump_w", "air_fan_w", "fan_w", "cooling_w", "heat_rejected_w",
    "water_kg_per_s", "liquid_free_frac", "air_free_frac", "liquid_cop", "air_cop",
)


def loop_pumping(
    liquid_heat_w: ArrayLike,
    air_heat_w: ArrayLike,
    dry_bulb_c: ArrayLike | None = None,
    *,
    liquid_supply_c: ArrayLike,
    liquid_return_c: ArrayLike,
    liquid_pump_pa: ArrayLike,
    liquid_pump_efficiency: ArrayLike,
    chip_pump_pa: ArrayLike,
    cdu_approach_k: ArrayLike,
    liquid_glycol_frac: ArrayLike,
    chip_glycol_frac: ArrayLike,
    glycol_approach_k: ArrayLike,
    air_water_supply_c: ArrayLike,
    air_water_return_c: ArrayLike,
    air_pump_pa: ArrayLike,
    air_pump_efficiency: ArrayLike,
    air_delta_k: ArrayLike,
    air_fan_pa: ArrayLike,
    air_fan_efficiency: ArrayLike,
    air_economizer: ArrayLike = 0,
    air_economizer_effectiveness: ArrayLike = 0.0,
    air_supply_c: ArrayLike = 24.0,
    air_economizer_fan_pa: ArrayLike = 0.0,
) -> dict[str, NDArray]:
    """Pumps and CRAH fans of the two loops, and the heat each loop carries to the plant.

    Parameters
    ----------
    The liquid heat is carried by two loops in series: the chip-side (technology cooling)
    loop from the cold plates to the CDUs, at the facility water plus the CDU approach, moved
    by the CDUs' pumps (``chip_pump_pa``), and the facility loop from the CDUs to the heat
    rejection (``liquid_pump_pa``); both have the facility range. A loop carrying glycol
    needs :func:`~dcplanner.models.cooling.coolant.pumping_factor` times the pump power of
    water.

    Parameters
    ----------
    liquid_heat_w : array_like
        Heat captured by the liquid loop at the cold plates [W].
    air_heat_w : array_like
        Heat released to room air [W] (IT air share plus electrical-room losses).
    liquid_supply_c, liquid_return_c, air_water_supply_c, air_water_return_c : array_like
        Supply and return of the facility liquid loop and of the air side's chilled-water
        loop [°C].
    liquid_pump_pa, chip_pump_pa, air_pump_pa : array_like
        Pump heads of the facility loop, the chip-side loop and the chilled-water loop [Pa];
        ``*_pump_efficiency`` their total efficiencies [-] (the CDU pumps take the facility
        pumps').
    cdu_approach_k : array_like
        Chip-side supply minus facility supply [K].
    liquid_glycol_frac, chip_glycol_frac : array_like
        Propylene glycol mass fractions of the facility and chip-side loops [-].
    glycol_approach_k : array_like
        Extra approach of the exchangers cooling a facility loop with glycol [K]; used by the
        plants (:func:`liquid_approach_k`), not here.
    air_delta_k, air_fan_pa, air_fan_efficiency : array_like
        Room-air temperature rise across IT [K], CRAH fan pressure [Pa] and efficiency [-].
    dry_bulb_c : array_like, optional
        Outdoor air [°C], for the air-side economizer.
    air_economizer, air_economizer_effectiveness, air_supply_c, air_economizer_fan_pa : \
array_like
        Whether the hall has an indirect air-side economizer (1 or 0), its exchanger's
        effectiveness [-], the hall's supply air [°C] and the scavenger fans' pressure [Pa]:
        the economizer takes :func:`indirect_economizer_frac` of the air side's heat (hall
        heat and CRAH fan work) to outdoor air before the chilled-water coils, its fans moving
        the hall's airflow whenever it does.

    Returns
    -------
    dict of ndarray
        ``liquid_pump_w`` (both liquid loops), ``chip_pump_w`` (its CDU share),
        ``air_pump_w``, ``air_fan_w`` (CRAH and scavenger fans), ``economizer_fan_w`` [W],
        ``air_economized_frac`` [-]; ``liquid_loop_w`` and ``air_loop_w`` [W], the heat each
        loop brings to the plant: pump and fan work ends as heat in the fluid it moves.
    """
    range_k = np.asarray(liquid_return_c) - liquid_supply_c
    mean_c = 0.5 * (np.asarray(liquid_supply_c) + liquid_return_c)
    chip_pump_w = water_flow_power_w(liquid_heat_w, range_k, chip_pump_pa,
                                     liquid_pump_efficiency) \
        * _glycol_factor(chip_glycol_frac, mean_c + cdu_approach_k)
    facility_pump_w = water_flow_power_w(np.asarray(liquid_heat_w, float) + chip_pump_w,
                                         range_k, liquid_pump_pa, liquid_pump_efficiency) \
        * _glycol_factor(liquid_glycol_frac, mean_c)
    liquid_pump_w = chip_pump_w + facility_pump_w
    air_fan_w = air_flow_power_w(air_heat_w, air_delta_k, air_fan_pa, air_fan_efficiency)
    air_side_w = np.asarray(air_heat_w, dtype=float) + air_fan_w
    economized: NDArray | float = 0.0
    scavenger_w: NDArray | float = 0.0
    if dry_bulb_c is not None and np.any(np.asarray(air_economizer) > 0):
        economized = np.where(np.asarray(air_economizer) > 0, indirect_economizer_frac(
            dry_bulb_c, np.asarray(air_supply_c) + air_delta_k, air_delta_k,
            air_economizer_effectiveness), 0.0)
        scavenger_w = np.where(economized > 0, air_flow_power_w(
            air_heat_w, air_delta_k, air_economizer_fan_pa, air_fan_efficiency), 0.0)
        air_side_w = air_side_w * (1.0 - economized)
    air_pump_w = water_flow_power_w(
        air_side_w, np.asarray(air_water_return_c) - air_water_supply_c,
        air_pump_pa, air_pump_efficiency,
    )
    return {
        "liquid_pump_w": liquid_pump_w,
        "chip_pump_w": chip_pump_w,
        "air_pump_w": air_pump_w,
        "air_fan_w": air_fan_w + scavenger_w,
        "economizer_fan_w": scavenger_w,
        "air_economized_frac": economized,
        "liquid_loop_w": np.asarray(liquid_heat_w, float) + liquid_pump_w,
        "air_loop_w": air_side_w + air_pump_w,
    }


def _glycol_factor(mass_frac: ArrayLike, temp_c: ArrayLike) -> NDArray | float:
    """:func:`pumping_factor`, and 1 without computing it for batches of water loops."""
    if not np.any(np.asarray(mass_frac) > 0):
        return 1.0
    return pumping_factor(mass_frac, temp_c)


def _without_compressors(name: str, free_frac: NDArray, flows: dict[str, NDArray]) -> NDArray:
    """A loop's share of heat rejected without chillers: its free-cooling share, and for the
    air side also what the economizer took before the coils."""
    economized = flows["air_economized_frac"]
    if name != "air" or (np.ndim(economized) == 0 and economized == 0):
        return free_frac
    return economized + (1.0 - economized) * free_frac


def liquid_approach_k(approach_k: ArrayLike, liquid_glycol_frac: ArrayLike,
                      glycol_approach_k: ArrayLike) -> NDArray:
    """Approach of the exchanger cooling the facility liquid loop [K]: ``approach_k``, plus
    ``glycol_approach_k`` when the loop carries glycol."""
    return np.asarray(approach_k, float) + np.where(
        np.asarray(liquid_glycol_frac) > 0, glycol_approach_k, 0.0)


def loop_heat_rejection(
    heat_w: ArrayLike,
    air_c: ArrayLike,
    *,
    supply_c: ArrayLike,
    return_c: ArrayLike,
    approach_k: ArrayLike,
    carnot_frac: ArrayLike,
    max_cop: ArrayLike,
    rated_w: ArrayLike | None = None,
    **chiller_args: ArrayLike,
) -> dict[str, NDArray]:
    """Split one loop's heat between dry coolers and the trim chiller, and price the chiller.

    The chiller's evaporator leaves at the loop supply temperature; its condenser rejects to
    the same (pre-cooled) air: condensing at ``air + approach`` in the Carnot model, the air
    entering the condenser in the EIR model (:func:`~dcplanner.models.cooling.chiller.chiller`,
    with ``rated_w`` the bank as sized at the design hour and ``chiller_args`` its inputs).

    Returns
    -------
    dict
        ``free_frac`` [-], ``chiller_heat_w`` [W], ``cop`` [-], ``chiller_w`` [W]; at the
        design hour (no ``rated_w``) also ``rated_w`` [W], the bank sized on it.
    """
    leaving_c = np.asarray(air_c, dtype=float) + np.asarray(approach_k, dtype=float)
    free = free_cooling_share(leaving_c, supply_c, return_c)
    chiller_heat_w = (1.0 - free) * np.asarray(heat_w, dtype=float)
    machine = chiller(chiller_heat_w, supply_c, carnot_condenser_c=leaving_c,
                      entering_condenser_c=air_c, carnot_frac=carnot_frac, max_cop=max_cop,
                      rated_w=rated_w, **chiller_args)
    return {"free_frac": free, "chiller_heat_w": chiller_heat_w, **machine}


def duty_share_frac(design_w: ArrayLike, unit_w: ArrayLike, redundant_units: ArrayLike) -> NDArray:
    """Share of a bank's units that its design heat needs, ``N / (N + R)`` [-], with
    ``N = ceil(design / unit)`` (at least one unit).

    Examples
    --------
    >>> float(duty_share_frac(20.5e6, 1e6, 1))
    0.9545454545454546
    """
    duty = np.maximum(np.ceil(np.asarray(design_w, float) / np.asarray(unit_w, float)), 1.0)
    return duty / (duty + np.asarray(redundant_units, float))


#: The two water loops every plant serves, by the prefix of their outputs (``liquid_free_frac``).
LOOPS = ("liquid", "air")
#: The design hour's values a plant's equipment is sized on, per loop (the annual engine passes
#: them as ``installed``, see :func:`dry_cooler_plant`).
INSTALLED_KEYS = tuple(f"{loop}_{key}" for loop in LOOPS
                       for key in ("heat_rejected_w", "coil_air_c", "chiller_rated_w"))


def _loops(p: dict[str, ArrayLike]) -> tuple[tuple[str, ArrayLike, ArrayLike], ...]:
    """Each loop's name, supply and return temperature [°C]."""
    supply_return = {"liquid": ("liquid_supply_c", "liquid_return_c"),
                     "air": ("air_water_supply_c", "air_water_return_c")}
    return tuple((loop, p[supply_return[loop][0]], p[supply_return[loop][1]]) for loop in LOOPS)


def dry_cooler_plant(
    liquid_heat_w: ArrayLike,
    air_heat_w: ArrayLike,
    dry_bulb_c: ArrayLike,
    wet_bulb_c: ArrayLike,
    *,
    approach_k: ArrayLike,
    coil_air_delta_k: ArrayLike,
    dry_cooler_fan_pa: ArrayLike,
    dry_cooler_fan_efficiency: ArrayLike,
    adiabatic_enabled: ArrayLike,
    adiabatic_effectiveness: ArrayLike,
    adiabatic_switch_on_c: ArrayLike,
    adiabatic_frost_lockout_c: ArrayLike,
    adiabatic_cycles: ArrayLike,
    min_fan_speed_frac: ArrayLike,
    dry_cooler_unit_w: ArrayLike,
    dry_cooler_redundant_units: ArrayLike,
    carnot_frac: ArrayLike,
    max_cop: ArrayLike,
    installed: dict[str, ArrayLike] | None = None,
    **loops: ArrayLike,
) -> dict[str, NDArray]:
    """Dry coolers with an adiabatic stage and trim air-cooled chillers, one bank per loop.

    Each loop's dry coolers take outdoor air, pre-cooled by the pads only as far as the loop
    needs (:func:`coil_air_c` of :func:`adiabatic_reach_c`), and reject the share of its heat
    that air allows (:func:`free_cooling_share` at coil air + approach); a trim chiller,
    rejecting to the same air, takes the rest.

    Parameters
    ----------
    liquid_heat_w, air_heat_w : array_like
        Heat into the liquid loop and into room air [W] (see :func:`loop_pumping`).
    dry_bulb_c, wet_bulb_c : array_like
        Outdoor air [°C].
    approach_k : array_like
        Dry-cooler approach, leaving water minus entering air [K].
    coil_air_delta_k, dry_cooler_fan_pa, dry_cooler_fan_efficiency : array_like
        Air temperature rise across the dry-cooler coils [K], their fan pressure [Pa] and
        efficiency [-].
    adiabatic_enabled, adiabatic_effectiveness : array_like
        Whether the evaporative pads are installed (1 or 0) and their saturation
        effectiveness [-].
    adiabatic_switch_on_c, adiabatic_frost_lockout_c : array_like
        Dry bulb from which the pads are wetted, and below which they never are [°C]; when
        dry the coils take outdoor air.
    adiabatic_cycles : array_like
        Cycles of concentration of the pads' water [-]: the bleed-off is evaporation /
        (cycles - 1) (reference/facility.md §3.5).
    min_fan_speed_frac : array_like
        Lowest speed of the dry-cooler fans [-] (see ``installed``).
    dry_cooler_unit_w, dry_cooler_redundant_units : array_like
        Heat one unit rejects at the design hour [W], and the units each bank has beyond
        those its design heat needs [-] (see ``installed``).
    carnot_frac, max_cop : array_like
        Chiller model, see :func:`~dcplanner.models.cooling.chiller.chiller` (the other
        inputs of the chillers, ``chiller_*``, come among ``loops``).
    installed : dict of array_like, optional
        The banks as sized at the design hour: ``{loop}_heat_rejected_w``,
        ``{loop}_coil_air_c`` and ``{loop}_chiller_rated_w`` of this plant there, and the
        loops' return temperatures being those of ``loops``. With it the fans are
        speed-controlled (:func:`fan_speed_frac`, cube law from the design hour's fan power)
        and every unit of a bank runs, the redundant ones too, so that N units' air goes
        through N + R fans: the speed is ``N / (N + R)`` of N units' and the power
        ``(N / (N + R))^2`` of theirs above the minimum speed. Without it (the design hour
        itself) the redundant units are taken as out of service, the fans run at the design
        air rise and the chillers are sized on it.
    **loops : array_like
        The loop parameters of :func:`loop_pumping`.

    Returns
    -------
    dict of ndarray
        :data:`COMMON_KEYS`, with ``water_kg_per_s`` the pads' evaporation and bleed-off, and
        ``dry_cooler_fan_w`` [W], ``liquid_coil_air_c`` and ``air_coil_air_c`` [°C] (the air
        entering each dry-cooler bank).
    """
    chiller_args = chiller_inputs(loops)
    flows = loop_pumping(liquid_heat_w, air_heat_w, dry_bulb_c, **loops)
    wet = np.asarray(dry_bulb_c) >= np.maximum(adiabatic_switch_on_c, adiabatic_frost_lockout_c)
    effectiveness = np.asarray(adiabatic_effectiveness) * np.asarray(adiabatic_enabled) * wet
    reach_c = adiabatic_reach_c(dry_bulb_c, wet_bulb_c, effectiveness)
    # Recirculated pad water: what evaporates, and the bleed-off that keeps it fresh.
    makeup_per_evaporated = np.asarray(adiabatic_cycles, float) / (
        np.asarray(adiabatic_cycles, float) - 1.0)
    out: dict[str, NDArray] = {}
    parts: dict[str, list[NDArray]] = {"chiller_w": [], "heat_rejected_w": [],
                                       "water_kg_per_s": [], "dry_cooler_fan_w": []}
    approaches = {"liquid": liquid_approach_k(approach_k, loops["liquid_glycol_frac"],
                                              loops["glycol_approach_k"]),
                  "air": approach_k}
    for name, supply_c, return_c in _loops(loops):
        heat_w = flows[f"{name}_loop_w"]
        loop_approach_k = approaches[name]
        coil_c = coil_air_c(dry_bulb_c, reach_c, np.asarray(supply_c) - loop_approach_k)
        loop = loop_heat_rejection(
            heat_w, coil_c, supply_c=supply_c, return_c=return_c, approach_k=loop_approach_k,
            carnot_frac=carnot_frac, max_cop=max_cop, **chiller_args,
            rated_w=None if installed is None else installed.get(f"{name}_chiller_rated_w"),
        )
        if "rated_w" in loop:
            out[f"{name}_chiller_rated_w"] = loop["rated_w"]
        rejected_w = heat_w + loop["chiller_w"]
        parts["chiller_w"].append(loop["chiller_w"])
        parts["heat_rejected_w"].append(rejected_w)
        parts["water_kg_per_s"].append(makeup_per_evaporated * evaporated_water_kg_per_s(
            rejected_w, dry_bulb_c, coil_c, coil_air_delta_k))
        if installed is None:  # the design hour: air at the design rise across the coils
            fan_w = air_flow_power_w(rejected_w, coil_air_delta_k, dry_cooler_fan_pa,
                                     dry_cooler_fan_efficiency)
        else:
            design_w = np.asarray(installed[f"{name}_heat_rejected_w"])
            share = duty_share_frac(design_w, dry_cooler_unit_w, dry_cooler_redundant_units)
            speed = fan_speed_frac(rejected_w, design_w, return_c, coil_c, return_c,
                                   installed[f"{name}_coil_air_c"], loop["free_frac"],
                                   min_fan_speed_frac, share, coil_air_delta_k)
            # The fan law's cube as products (no power function per hour), over N + R units.
            full_w = air_flow_power_w(design_w, coil_air_delta_k, dry_cooler_fan_pa,
                                      dry_cooler_fan_efficiency) / share
            fan_w = speed * speed * (speed * full_w) if FAN_LAW_EXPONENT == 3.0 \
                else full_w * speed ** FAN_LAW_EXPONENT
        parts["dry_cooler_fan_w"].append(fan_w)
        out[f"{name}_free_frac"] = _without_compressors(name, loop["free_frac"], flows)
        out[f"{name}_cop"] = loop["cop"]
        out[f"{name}_coil_air_c"] = coil_c
        out[f"{name}_heat_rejected_w"] = rejected_w
    out.update({key: liquid + air for key, (liquid, air) in parts.items()})
    out["pump_w"] = flows["liquid_pump_w"] + flows["air_pump_w"]
    out["chip_pump_w"] = flows["chip_pump_w"]
    out["air_fan_w"] = flows["air_fan_w"]
    out["fan_w"] = flows["air_fan_w"] + out["dry_cooler_fan_w"]
    out["cooling_w"] = out["pump_w"] + flows["air_fan_w"] + out["dry_cooler_fan_w"] \
        + out["chiller_w"]
    return out


def cooling_tower_plant(
    liquid_heat_w: ArrayLike,
    air_heat_w: ArrayLike,
    dry_bulb_c: ArrayLike,
    wet_bulb_c: ArrayLike,
    *,
    tower_approach_k: ArrayLike,
    tower_range_k: ArrayLike,
    tower_min_water_c: ArrayLike,
    tower_fan_w_per_w: ArrayLike,
    tower_evaporated_frac: ArrayLike,
    tower_cycles: ArrayLike,
    tower_drift_frac: ArrayLike,
    economizer_approach_k: ArrayLike,
    condenser_pump_pa: ArrayLike,
    condenser_pump_efficiency: ArrayLike,
    carnot_frac: ArrayLike,
    max_cop: ArrayLike,
    installed: dict[str, ArrayLike] | None = None,
    **loops: ArrayLike,
) -> dict[str, NDArray]:
    """Open cooling towers with a water-side economizer and water-cooled chillers.

    The towers deliver water at :func:`tower_water_c`. Each loop's return first passes a plate
    heat exchanger against tower water, which takes the share of its heat that the water
    allows (:func:`free_cooling_share` at tower water + the exchanger's approach);
    water-cooled chillers take the rest, their evaporators at the loop supply and their
    condensers at the water leaving them, tower water plus the range (the temperatures the
    Carnot fraction was derived at). The towers reject the loops' heat and the chillers' work;
    their fans (:func:`tower_fan_w`) and the condenser pumps (sized on the range) run with it,
    and the pumps' own heat is added to what the towers reject.

    Parameters
    ----------
    liquid_heat_w, air_heat_w : array_like
        Heat into the liquid loop and into room air [W] (see :func:`loop_pumping`).
    dry_bulb_c, wet_bulb_c : array_like
        Outdoor air [°C]; towers follow the wet bulb.
    tower_approach_k, tower_range_k, tower_min_water_c : array_like
        Tower approach to the wet bulb [K], water range [K] and lowest leaving water [°C].
    tower_fan_w_per_w : array_like
        Fan power per watt rejected [W/W].
    tower_evaporated_frac, tower_cycles, tower_drift_frac : array_like
        Make-up water model, see :func:`makeup_water_kg_per_s`.
    economizer_approach_k : array_like
        Approach of the economizer heat exchangers, loop water minus tower water [K].
    condenser_pump_pa, condenser_pump_efficiency : array_like
        Condenser-water pump head [Pa] and total efficiency [-].
    carnot_frac, max_cop : array_like
        Chiller model, see :func:`~dcplanner.models.cooling.chiller.chiller` (the other
        inputs of the chillers, ``chiller_*``, come among ``loops``; the EIR model takes the
        tower water as the entering condenser water).
    installed : dict of array_like, optional
        ``{loop}_chiller_rated_w``, the chiller banks as sized at the design hour.
    **loops : array_like
        The loop parameters of :func:`loop_pumping`.

    Returns
    -------
    dict of ndarray
        :data:`COMMON_KEYS`, with ``water_kg_per_s`` the towers' make-up water, and
        ``tower_fan_w``, ``condenser_pump_w`` [W] and ``tower_water_c`` [°C].
    """
    chiller_args = chiller_inputs(loops)
    flows = loop_pumping(liquid_heat_w, air_heat_w, dry_bulb_c, **loops)
    tower_c = tower_water_c(wet_bulb_c, tower_approach_k, tower_min_water_c)
    condenser_c = tower_c + tower_range_k
    out: dict[str, NDArray] = {"chiller_w": 0.0, "heat_rejected_w": 0.0}
    for name, supply_c, return_c in _loops(loops):
        heat_w = flows[f"{name}_loop_w"]
        exchanger_k = economizer_approach_k if name == "air" else liquid_approach_k(
            economizer_approach_k, loops["liquid_glycol_frac"], loops["glycol_approach_k"])
        free = free_cooling_share(tower_c + exchanger_k, supply_c, return_c)
        machine = chiller(
            (1.0 - free) * heat_w, supply_c, carnot_condenser_c=condenser_c,
            entering_condenser_c=tower_c, carnot_frac=carnot_frac, max_cop=max_cop,
            rated_w=None if installed is None else installed.get(f"{name}_chiller_rated_w"),
            **chiller_args)
        cop, chiller_w = machine["cop"], machine["chiller_w"]
        if "rated_w" in machine:
            out[f"{name}_chiller_rated_w"] = machine["rated_w"]
        out["chiller_w"] = out["chiller_w"] + chiller_w
        out["heat_rejected_w"] = out["heat_rejected_w"] + heat_w + chiller_w
        out[f"{name}_free_frac"] = _without_compressors(name, free, flows)
        out[f"{name}_cop"] = cop
    condenser_pump_w = water_flow_power_w(out["heat_rejected_w"], tower_range_k,
                                          condenser_pump_pa, condenser_pump_efficiency)
    out["heat_rejected_w"] = out["heat_rejected_w"] + condenser_pump_w
    out["tower_fan_w"] = tower_fan_w(out["heat_rejected_w"], tower_fan_w_per_w)
    out["condenser_pump_w"] = condenser_pump_w
    out["tower_water_c"] = tower_c
    out["water_kg_per_s"] = makeup_water_kg_per_s(
        out["heat_rejected_w"], tower_range_k, tower_evaporated_frac, tower_cycles,
        tower_drift_frac)
    out["pump_w"] = flows["liquid_pump_w"] + flows["air_pump_w"] + condenser_pump_w
    out["chip_pump_w"] = flows["chip_pump_w"]
    out["air_fan_w"] = flows["air_fan_w"]
    out["fan_w"] = flows["air_fan_w"] + out["tower_fan_w"]
    out["cooling_w"] = out["pump_w"] + out["fan_w"] + out["chiller_w"]
    return out


#: Plants by the name a scenario's ``cooling.plant`` gives.
PLANTS: dict[str, Callable[..., dict[str, NDArray]]] = {
    "dry_cooler": dry_cooler_plant,
    "cooling_tower": cooling_tower_plant,
}


@cache
def takes_installed(name: str) -> bool:
    """Whether a plant controls its equipment against the design hour's (``installed``)."""
    return "installed" in inspect.signature(PLANTS[name]).parameters


@cache
def plant_arguments(name: str) -> tuple[str, ...]:
    """The keyword parameters a plant takes (its own and those of :func:`loop_pumping`); the
    engine inputs of the same names are passed to it."""
    own = [p.name for p in inspect.signature(PLANTS[name]).parameters.values()
           if p.kind is inspect.Parameter.KEYWORD_ONLY and p.name != "installed"]
    shared = [p.name for p in inspect.signature(loop_pumping).parameters.values()
              if p.kind is inspect.Parameter.KEYWORD_ONLY]
    return (*own, *shared, *CHILLER_ARGS)
