"""Cooling: fans and pumps, dry coolers, chillers, and the plants they make up.

All electrical power ends as heat (reference/facility.md §3). Heat reaches two water loops: the
facility liquid loop (direct-to-chip, warm water, ASHRAE W classes) and the chilled-water loop
of the air side (CRAH / fan walls). Each loop rejects heat through dry coolers where the outdoor
air allows and through a trim chiller for the rest. Equations are in DESIGN §3.3.
"""


from dcplanner.models.cooling.chiller import MIN_LIFT_K, carnot_cop
from dcplanner.models.cooling.dry_cooler import (
    adiabatic_air_temp_c,
    adiabatic_reach_c,
    coil_air_c,
    evaporated_water_kg_per_s,
    free_cooling_frac,
    free_cooling_share,
)
from dcplanner.models.cooling.flows import air_flow_power_w, flow_power_w, water_flow_power_w
from dcplanner.models.cooling.plants import (
    PLANTS,
    dry_cooler_plant,
    loop_heat_rejection,
    loop_pumping,
    plant_arguments,
)

__all__ = [
    "MIN_LIFT_K", "PLANTS", "adiabatic_air_temp_c", "adiabatic_reach_c", "air_flow_power_w",
    "carnot_cop", "coil_air_c", "dry_cooler_plant", "evaporated_water_kg_per_s",
    "flow_power_w", "free_cooling_frac", "free_cooling_share",
    "loop_heat_rejection", "loop_pumping", "plant_arguments", "water_flow_power_w",
]
