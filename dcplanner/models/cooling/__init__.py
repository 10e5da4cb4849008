"""Cooling: fans and pumps, dry coolers, cooling towers, chillers, and the plants they make up.

All electrical power ends as heat (reference/facility.md §3). Heat reaches two water loops: the
facility liquid loop (direct-to-chip, warm water, ASHRAE W classes) and the chilled-water loop
of the air side (CRAH / fan walls). A plant (:data:`PLANTS`) rejects the loops' heat: dry
coolers with an adiabatic stage where the outdoor air allows and trim air-cooled chillers for
the rest (``dry_cooler``, DESIGN §3.3), or open cooling towers with a water-side economizer and
water-cooled chillers (``cooling_tower``).
"""


from dcplanner.models.cooling.chiller import MIN_LIFT_K, carnot_cop
from dcplanner.models.cooling.cooling_tower import (
    makeup_water_kg_per_s,
    tower_fan_w,
    tower_water_c,
)
from dcplanner.models.cooling.dry_cooler import (
    adiabatic_air_temp_c,
    adiabatic_reach_c,
    coil_air_c,
    evaporated_water_kg_per_s,
    fan_speed_frac,
    free_cooling_frac,
    free_cooling_share,
)
from dcplanner.models.cooling.flows import air_flow_power_w, flow_power_w, water_flow_power_w
from dcplanner.models.cooling.plants import (
    COMMON_KEYS,
    LOOPS,
    PLANTS,
    cooling_tower_plant,
    dry_cooler_plant,
    loop_heat_rejection,
    loop_pumping,
    plant_arguments,
)

__all__ = [
    "COMMON_KEYS", "LOOPS", "MIN_LIFT_K", "PLANTS", "adiabatic_air_temp_c", "adiabatic_reach_c",
    "air_flow_power_w", "carnot_cop", "coil_air_c", "cooling_tower_plant", "dry_cooler_plant",
    "evaporated_water_kg_per_s", "fan_speed_frac", "flow_power_w", "free_cooling_frac",
    "free_cooling_share",
    "loop_heat_rejection", "loop_pumping", "makeup_water_kg_per_s", "plant_arguments",
    "tower_fan_w", "tower_water_c", "water_flow_power_w",
]
