"""The scenario schema: what a config file holds (pydantic v2, frozen, unknown keys rejected).

Units are in the field names. Defaults carry their source in the field description; the ones
marked "assumption" are planner choices with no published figure behind them, to be replaced
by a site's own design values. One module per section; :mod:`.resolve` looks up catalog names.
"""

from dcplanner.scenario.cooling import (
    PLANT_NAMES,
    Adiabatic,
    AirSide,
    Chiller,
    Cooling,
    CoolingTower,
    CoolingTowerPlant,
    DryCooler,
    DryCoolerPlant,
    WaterCooledChiller,
    WaterLoop,
)
from dcplanner.scenario.electrical import Electrical, Topology, Transformer, Ups, UpsEfficiencyCurve
from dcplanner.scenario.heat_reuse import Demand, HeatPump, HeatReuse, Reporting
from dcplanner.scenario.money import (
    DEFAULT_CAPEX_SPLIT,
    GRID_INTENSITY_PRESETS,
    Carbon,
    Economics,
)
from dcplanner.scenario.phases import Phase, PhaseDeployment, Retirement
from dcplanner.scenario.resolve import ResolvedDeployment, ResolvedScenario, resolve
from dcplanner.scenario.schema import Scenario
from dcplanner.scenario.site import Heatwave, Site, Weather
from dcplanner.scenario.workload import (
    Deployment,
    Network,
    Profile,
    ProfileKind,
    ProvisioningBasis,
    Workload,
)

__all__ = [
    "DEFAULT_CAPEX_SPLIT",
    "GRID_INTENSITY_PRESETS",
    "PLANT_NAMES",
    "Adiabatic",
    "AirSide",
    "Carbon",
    "Chiller",
    "Cooling",
    "CoolingTower",
    "CoolingTowerPlant",
    "Demand",
    "Deployment",
    "DryCooler",
    "DryCoolerPlant",
    "Economics",
    "Electrical",
    "HeatPump",
    "HeatReuse",
    "Heatwave",
    "Network",
    "Phase",
    "PhaseDeployment",
    "Profile",
    "ProfileKind",
    "ProvisioningBasis",
    "Reporting",
    "ResolvedDeployment",
    "ResolvedScenario",
    "Retirement",
    "Scenario",
    "Site",
    "Topology",
    "Transformer",
    "Ups",
    "UpsEfficiencyCurve",
    "WaterCooledChiller",
    "WaterLoop",
    "Weather",
    "Workload",
    "resolve",
]
