"""The scenario schema: what a config file holds (pydantic v2, frozen, unknown keys rejected).

Units are in the field names. Defaults carry their source in the field description; the ones
marked "assumption" are planner choices with no published figure behind them, to be replaced
by a site's own design values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import Literal

from pydantic import Field, model_validator

from dcplanner.catalog import (
    Accelerator,
    Catalog,
    CatalogPatch,
    Fabric,
    System,
    builtin,
    unknown_name,
)
from dcplanner.errors import ConfigError, Problem
from dcplanner.models.electrical import TOPOLOGIES, TOPOLOGY_MODULES
from dcplanner.models.it_power import PROVISIONING_BASES
from dcplanner.validation import StrictModel

Topology = Literal[TOPOLOGIES]
ProvisioningBasis = Literal[PROVISIONING_BASES]


class Site(StrictModel):
    """Grid connection, design weather and physical limits."""

    grid_mw: float = Field(gt=0, description="Grid connection capacity [MW]")
    design_ambient_c: float = Field(
        ge=-50, le=60,
        description="Outdoor dry bulb the plant is sized for [°C]; 42.0 = Brétigny-sur-Orge "
        "record of 25 Jul 2019 (reference/paris-climate.md §3)",
    )
    design_dew_point_c: float = Field(
        ge=-60, le=40,
        description="Outdoor dew point at the design hour [°C]; sets the wet bulb for the "
        "adiabatic stage",
    )
    max_racks: int | None = Field(None, gt=0, description="Racks the white space holds [-]")
    max_rack_power_kw: float | None = Field(
        None, gt=0, description="Highest rack power the floor and busways accept [kW]"
    )
    misc_load_frac: float = Field(
        0.002, ge=0, le=1,
        description="Lighting, offices and security as a share of IT load [-]; large data "
        "centers 0-0.2 % (Lei & Masanet 2022, reference/facility.md §2.2)",
    )

    @model_validator(mode="after")
    def _dew_point_below_dry_bulb(self) -> Site:
        if self.design_dew_point_c > self.design_ambient_c:
            raise ValueError(
                f"design_dew_point_c ({self.design_dew_point_c:g}) must not exceed "
                f"design_ambient_c ({self.design_ambient_c:g})"
            )
        return self


class UpsEfficiencyCurve(StrictModel):
    """UPS efficiency against per-module load fraction, linear between points."""

    load_frac: list[float] = Field(
        [0.1, 0.25, 0.5, 0.75, 1.0], min_length=2, description="Increasing load fractions [-]"
    )
    efficiency: list[float] = Field(
        [0.86, 0.93, 0.96, 0.965, 0.965], min_length=2,
        description="Efficiency at each load fraction [-]. Default: double conversion; shape from "
        "Schneider WP113 (no-load loss dominates at light load; ~85 % at 20-25 % load per Riello), "
        "level within LBNL 2024's 90-99 % for hyperscale/AI (reference/facility.md §2.2). "
        "Eco mode: 0.98-0.99",
    )

    @model_validator(mode="after")
    def _check(self) -> UpsEfficiencyCurve:
        if len(self.load_frac) != len(self.efficiency):
            raise ValueError("load_frac and efficiency must have the same number of points")
        if any(b <= a for a, b in zip(self.load_frac, self.load_frac[1:], strict=False)):
            raise ValueError("load_frac must be strictly increasing")
        if any(not 0 < x <= 2 for x in self.load_frac):
            raise ValueError("load_frac points must lie in (0, 2]")
        if any(not 0 < e <= 1 for e in self.efficiency):
            raise ValueError("efficiency points must lie in (0, 1]")
        return self


class Ups(StrictModel):
    """Installed UPS capacity and its redundancy topology."""

    topology: Topology = Field(description="Redundancy: N, N+1, catcher, 4N/3, 3N/2 or 2N")
    module_mw: float = Field(gt=0, description="Capacity of one UPS module or block [MW]")
    modules: int = Field(gt=0, description="Modules or blocks installed [-]")
    efficiency_curve: UpsEfficiencyCurve = Field(default_factory=UpsEfficiencyCurve)

    @model_validator(mode="after")
    def _modules_fit_topology(self) -> Ups:
        minimum, multiple = TOPOLOGY_MODULES[self.topology]
        if self.modules < minimum or self.modules % multiple:
            rule = f"at least {minimum}" + (f", a multiple of {multiple}" if multiple > 1 else "")
            raise ValueError(f"modules = {self.modules} does not fit topology "
                             f"{self.topology}: {rule}")
        return self


class Transformer(StrictModel):
    """Equivalent transformer stage between the grid and the site."""

    rated_mva: float | None = Field(
        None, gt=0, description="Installed rating [MVA]; default: the grid connection"
    )
    no_load_loss_frac: float = Field(
        0.001, ge=0, le=0.1,
        description="No-load loss P0 / rating [-]; assumption of the order of EU 548/2014 Tier 2 "
        "limits (values not retrieved, reference/facility.md §2.1)",
    )
    load_loss_frac: float = Field(
        0.009, ge=0, le=0.1,
        description="Load loss Pk at rated load / rating [-]; assumption, as no_load_loss_frac",
    )


class Electrical(StrictModel):
    """Power chain from the grid to the IT load."""

    distribution_efficiency: float = Field(
        0.99, gt=0, le=1,
        description="Busway/PDU efficiency after the UPS [-]; large data centers lose 0-2 % "
        "(Lei & Masanet 2022, reference/facility.md §2.2)",
    )
    ups: Ups
    transformer: Transformer = Field(default_factory=Transformer)


class WaterLoop(StrictModel):
    """A water loop's temperatures and pumping."""

    supply_c: float = Field(ge=0, le=70, description="Supply temperature [°C]")
    return_c: float = Field(ge=0, le=80, description="Return temperature [°C]")
    pump_head_kpa: float = Field(
        250, gt=0, le=2000,
        description="Total pump head, facility pumps and CDU together [kPa]; assumption "
        "(no sourced value, reference/facility.md §3.6)",
    )
    pump_efficiency: float = Field(
        0.7, gt=0, le=1, description="Pump total efficiency [-]; EnergyPlus example 0.7 (§3.6)"
    )

    @model_validator(mode="after")
    def _supply_below_return(self) -> WaterLoop:
        if self.supply_c >= self.return_c:
            raise ValueError(f"supply_c ({self.supply_c:g}) must be below return_c "
                             f"({self.return_c:g})")
        return self


class AirSide(StrictModel):
    """CRAH / fan walls for the heat that reaches room air, on a chilled-water loop."""

    water: WaterLoop = Field(
        default_factory=lambda: WaterLoop(supply_c=18.0, return_c=24.0),
        description="Chilled-water loop of the CRAH coils; default 18/24 °C, assumption "
        "suiting ASHRAE A1 recommended inlet 18-27 °C (reference/facility.md §3.1)",
    )
    delta_k: float = Field(
        12.0, gt=0, le=40, description="Room-air temperature rise across IT [K] (§3.6 example)"
    )
    fan_pressure_pa: float = Field(
        486.0, gt=0, le=5000, description="CRAH fan pressure [Pa]; EnergyPlus CRAC example"
    )
    fan_efficiency: float = Field(
        0.7, gt=0, le=1, description="CRAH fan total efficiency [-]; EnergyPlus CRAC example"
    )


class DryCooler(StrictModel):
    """Dry coolers (and air-cooled chiller condensers) rejecting heat to outdoor air."""

    approach_k: float = Field(
        10.0, ge=0, le=30,
        description="Leaving water minus entering air [K]; median ~10 K over 6,730 models "
        "(Energies 16(9) 3661, 2023; reference/facility.md §3.5)",
    )
    coil_air_delta_k: float = Field(
        10.0, gt=0, le=40, description="Air temperature rise across the coils [K]; assumption"
    )
    fan_pressure_pa: float = Field(
        150.0, gt=0, le=2000, description="Coil fan pressure [Pa]; assumption"
    )
    fan_efficiency: float = Field(
        0.5, gt=0, le=1, description="Coil fan total efficiency [-]; assumption"
    )


class Adiabatic(StrictModel):
    """Evaporative pre-cooling of the dry coolers' inlet air."""

    enabled: bool = True
    effectiveness: float = Field(
        0.8, ge=0, le=1,
        description="Saturation effectiveness, share of the wet-bulb depression removed [-]; "
        "assumption (typical pads 0.7-0.9)",
    )


class Chiller(StrictModel):
    """Trim chillers for the heat the dry coolers cannot reject."""

    model: Literal["carnot"] = Field("carnot", description="COP model: Carnot fraction")
    carnot_efficiency_frac: float = Field(
        0.405, gt=0, le=1,
        description="Fraction of Carnot COP [-]; gives COP 2.96 (ASHRAE 90.1 path A air-cooled "
        "minimum, 10.1 EER) at the AHRI point 6.67 °C water / 35 °C air with a 10 K approach",
    )
    max_cop: float = Field(
        7.5, gt=0, le=50,
        description="Cap on COP at small lift [-]; best EnergyPlus dataset water-cooled chiller "
        "7.47 (reference/facility.md §3.4)",
    )


class Cooling(StrictModel):
    """Cooling plant."""

    liquid: WaterLoop = Field(
        default_factory=lambda: WaterLoop(supply_c=32.0, return_c=42.0),
        description="Facility liquid loop (direct-to-chip); default ASHRAE W32 with a 10 K range",
    )
    air: AirSide = Field(default_factory=AirSide)
    dry_cooler: DryCooler = Field(default_factory=DryCooler)
    adiabatic: Adiabatic = Field(default_factory=Adiabatic)
    chiller: Chiller = Field(default_factory=Chiller)
    heat_rejection_mw: float | None = Field(
        None, gt=0, description="Installed heat rejection at the design ambient [MW]; "
        "unset = not a constraint",
    )


class Heatwave(StrictModel):
    """A multi-day heatwave injected into the weather year (see dcplanner.weather.stress)."""

    enabled: bool = Field(True, description="Set false to keep the settings but skip the event")
    peak_c: float = Field(
        42.0, ge=-30, le=60,
        description="Hottest hour of the peak day [°C]; default 42.0 °C, Brétigny-sur-Orge on "
        "25 Jul 2019 (paris-climate.md §3)",
    )
    month: int = Field(7, ge=1, le=12, description="Month of the peak day [1-12]")
    day: int = Field(25, ge=1, le=31, description="Day of the month of the peak day [1-31]")
    days: int = Field(
        5, ge=1, le=31,
        description="Length of the event [days]; default 5, the span of the July 2019 heatwave "
        "in Paris (22-26 July; assumption on the exact length)",
    )


class Weather(StrictModel):
    """The hourly weather year of the annual simulation, and heat stress on it."""

    file: str | None = Field(
        None, description="EPW weather file (relative to the scenario file); unset = the "
        "built-in Paris-area year from Brétigny-sur-Orge 1991-2020 normals",
    )
    shift_k: float = Field(
        0.0, ge=-15, le=15,
        description="Uniform shift of dry bulb and dew point [K]; +1.0 brings the built-in "
        "year to the 2015-2024 hot-day counts (README, Built-in weather year)",
    )
    heatwave: Heatwave | None = Field(None, description="Inject a heatwave; unset = none")

    @model_validator(mode="before")
    @classmethod
    def _file_shorthand(cls, data: object) -> object:
        return {"file": data} if isinstance(data, str) else data


ProfileKind = Literal["training", "inference", "file"]


class Profile(StrictModel):
    """How the busy share of GPUs varies hour by hour over the year."""

    kind: ProfileKind = Field(
        "training",
        description="training: flat at utilization_frac; inference: a daily and weekly shape "
        "whose busiest hour is utilization_frac; file: hourly values from a CSV file",
    )
    trough_frac: float = Field(
        0.5, ge=0, le=1,
        description="Inference: night low as a share of the day's peak [-]; assumption (LLM "
        "serving load has a daily and weekly cycle, SageServe, arXiv 2502.14617, 2025)",
    )
    peak_hour: int = Field(
        14, ge=0, le=23, description="Inference: hour of the daily peak, local time [0-23]; "
        "assumption (European afternoon overlapping the US morning)",
    )
    weekend_frac: float = Field(
        0.7, ge=0, le=1,
        description="Inference: Saturday and Sunday load as a share of weekdays [-]; assumption",
    )
    file: str | None = Field(
        None, description="kind file: CSV with one utilization_frac (0-1) per hour of the "
        "weather year, optionally under a header line; relative to the scenario file",
    )

    @model_validator(mode="before")
    @classmethod
    def _kind_shorthand(cls, data: object) -> object:
        return {"kind": data} if isinstance(data, str) else data

    @model_validator(mode="after")
    def _file_for_kind_file(self) -> Profile:
        if (self.kind == "file") != (self.file is not None):
            raise ValueError("give file exactly when kind is file")
        return self


class Deployment(StrictModel):
    """Systems of one catalog type, given as a count of systems or of GPUs."""

    system: str = Field(description="System catalog name, e.g. gb200-nvl72")
    count: int | None = Field(None, ge=0, description="Number of systems [-]")
    gpus: int | None = Field(
        None, ge=0, description="Number of GPUs [-], a whole number of systems"
    )
    fabric: str | None = Field(None, description="Compute fabric; default: the system's")
    name: str = Field("", description="Label in reports")

    @model_validator(mode="after")
    def _count_or_gpus(self) -> Deployment:
        if (self.count is None) == (self.gpus is None):
            raise ValueError("give exactly one of count (systems) or gpus")
        return self


#: Named grid carbon intensities [gCO2e/kWh] and their sources (reference/facility.md §6).
GRID_INTENSITY_PRESETS = {
    "fr-production-2024": (21.7, "RTE Bilan électrique 2024, direct production emissions "
                                 "[F-S57]"),
    "fr-lifecycle-2021": (55.0, "ADEME life-cycle consumption mix 2021 [F-S63]"),
    "fr-lifecycle-2022": (73.0, "ADEME life-cycle consumption mix 2022 [F-S63]"),
    "us-average": (345.0, "US grid 0.34-0.35 kgCO2/kWh, midpoint [F-S20]"),
}

#: Facility capex split by category (Cushman & Wakefield 2025 US build costs [F-S65]).
DEFAULT_CAPEX_SPLIT = {"critical_capacity": 0.53, "shell": 0.21, "site": 0.10,
                       "fit_out": 0.10, "back_of_house": 0.04, "office": 0.02}


class Economics(StrictModel):
    """Capital and running costs, in euros."""

    eur_per_usd: float = Field(
        0.923, gt=0, description="Exchange rate for USD catalog prices [EUR/USD]; derived from "
        "the paired figures $9.1 M = €8.4 M per MW, Europe 2023 [F-S67]",
    )
    facility_eur_per_mw_it: float = Field(
        8.4e6, ge=0, description="Facility build cost per MW of design IT load [EUR/MW]; "
        "Europe 2023 average €8.4 M/MW critical load, excl. IT [F-S67]",
    )
    ai_premium_frac: float = Field(
        0.085, ge=0, le=2, description="Extra facility cost of AI / liquid-cooled builds [-]; "
        "7-10 % (US), midpoint [F-S66]",
    )
    capex_split: dict[str, float] = Field(
        default_factory=lambda: dict(DEFAULT_CAPEX_SPLIT),
        description="Facility capex by category, shares summing to 1; default Cushman & "
        "Wakefield 2025: critical capacity (electrical and mechanical) 53 %, shell 21 %, site "
        "10 %, fit-out 10 %, back of house 4 %, office 2 % [F-S65]",
    )
    network_frac_of_it: float = Field(
        0.10, ge=0, le=2, description="Scale-out fabric and frontend network as a share of "
        "system prices [-]; assumption",
    )
    storage_frac_of_capex: float = Field(
        0.0125, ge=0, lt=1, description="Storage as a share of capex [-]; 1-1.5 % of AI "
        "data-center capex, Bernstein 2025 (hardware.md §5 [S54])",
    )
    facility_lifetime_years: float = Field(20.0, gt=0, le=100,
                                           description="Facility depreciation [years]; "
                                           "assumption")
    it_lifetime_years: float = Field(5.0, gt=0, le=30,
                                     description="IT depreciation [years]; assumption")
    discount_rate_frac: float = Field(0.08, ge=0, le=1,
                                      description="Cost of capital [-/year]; assumption")
    energy_eur_per_mwh: float = Field(
        87.0, ge=0, description="Electricity price [EUR/MWh]; French consumers above 150 "
        "GWh/yr, H1 2024, excl. VAT (SDES [F-S58]); may already hold network costs and taxes "
        "(facility.md §9 note 7)",
    )
    network_tariff_eur_per_mwh: float = Field(
        0.0, ge=0, description="Grid network tariff on top of the price [EUR/MWh]; TURPE 7 "
        "HTB per-MWh figure not retrieved [F-S62], so 0",
    )
    excise_eur_per_mwh: float = Field(
        12.0, ge=0, description="Electricity excise [EUR/MWh]; data-center reduced rate above "
        "1 GWh/yr, CIBS L.312-64/70 [F-S61]",
    )
    maintenance_frac_per_year: float = Field(
        0.02, ge=0, le=1, description="Facility maintenance per year as a share of facility "
        "capex [-]; assumption",
    )
    staff_fte: float = Field(40.0, ge=0, description="Site staff [FTE]; assumption")
    staff_eur_per_fte_year: float = Field(90_000.0, ge=0,
                                          description="Loaded cost per FTE [EUR/year]; "
                                          "assumption")

    @model_validator(mode="after")
    def _split_sums_to_one(self) -> Economics:
        total = sum(self.capex_split.values())
        if abs(total - 1.0) > 1e-6 or any(v < 0 for v in self.capex_split.values()):
            raise ValueError(f"capex_split shares must be >= 0 and sum to 1 (they sum to "
                             f"{total:g})")
        return self


class Carbon(StrictModel):
    """Grid carbon intensity and embodied carbon."""

    grid_intensity: float | str = Field(
        "fr-production-2024",
        description="gCO2e per kWh, or a preset: " + ", ".join(
            f"{k} ({v:g}: {src})" for k, (v, src) in GRID_INTENSITY_PRESETS.items()),
    )
    intensity_file: str | None = Field(
        None, description="Hourly intensities [gCO2e/kWh], one per hour of the weather year "
        "(CSV, optional header); replaces grid_intensity; relative to the scenario file",
    )
    embodied_tco2e_per_system: dict[str, float] = Field(
        default_factory=dict, description="Embodied carbon per system by catalog name "
        "[tCO2e], spread over the IT lifetime; none by default (no sourced figure)",
    )

    @model_validator(mode="after")
    def _known_preset(self) -> Carbon:
        if isinstance(self.grid_intensity, str) and \
                self.grid_intensity not in GRID_INTENSITY_PRESETS:
            raise ValueError(f"grid_intensity '{self.grid_intensity}' is not a preset; give "
                             f"gCO2e/kWh or one of: {', '.join(GRID_INTENSITY_PRESETS)}")
        if isinstance(self.grid_intensity, float) and self.grid_intensity < 0:
            raise ValueError("grid_intensity must be >= 0 gCO2e/kWh")
        if any(v < 0 for v in self.embodied_tco2e_per_system.values()):
            raise ValueError("embodied_tco2e_per_system values must be >= 0")
        return self

    @property
    def grid_g_per_kwh(self) -> float:
        """The constant intensity [gCO2e/kWh] (the preset's value for a name)."""
        if isinstance(self.grid_intensity, str):
            return GRID_INTENSITY_PRESETS[self.grid_intensity][0]
        return float(self.grid_intensity)


class PhaseDeployment(StrictModel):
    """Systems a phase adds: a count, a number of GPUs, or as many as fit."""

    system: str = Field(description="System catalog name, e.g. gb300-nvl72")
    count: int | None = Field(None, ge=0, description="Number of systems [-]")
    gpus: int | None = Field(None, ge=0, description="Number of GPUs [-], whole systems")
    fill: bool = Field(False, description="As many as the phase's site holds (capacity fit)")
    fabric: str | None = Field(None, description="Compute fabric; default: the system's")
    name: str = Field("", description="Label in reports, and for retiring it later")

    @model_validator(mode="after")
    def _one_size(self) -> PhaseDeployment:
        if (self.count is not None) + (self.gpus is not None) + self.fill != 1:
            raise ValueError("give exactly one of count, gpus or fill: true")
        return self


class Retirement(StrictModel):
    """Systems a phase takes out of service."""

    name: str = Field(description="Label of a deployment: its name, or its system if unnamed")
    count: int | None = Field(None, gt=0, description="Systems retired [-]; unset = all")


class Phase(StrictModel):
    """One step of a site's build-out, applied to the state the phase before it left."""

    name: str = Field(min_length=1)
    start: date = Field(description="Date the phase enters service (YYYY-MM-DD)")
    grid_mw: float | None = Field(None, gt=0, description="New grid connection [MW]")
    add: list[PhaseDeployment] = Field(default_factory=list)
    retire: list[Retirement] = Field(default_factory=list)
    ups_modules_added: int = Field(0, ge=0, description="UPS modules (of the site's size) "
                                   "added [-]")
    transformer_mva_added: float = Field(0.0, ge=0, description="Transformer rating added [MVA]")
    heat_rejection_mw_added: float = Field(0.0, ge=0,
                                           description="Heat rejection added [MW]")
    max_racks_added: int = Field(0, ge=0, description="White-space racks added [-]")

    @model_validator(mode="after")
    def _one_fill(self) -> Phase:
        if sum(d.fill for d in self.add) > 1:
            raise ValueError("at most one deployment per phase may fill")
        return self


class Workload(StrictModel):
    """How the systems are used and how they are provisioned."""

    operating_power_frac: float = Field(
        0.8, gt=0, le=1,
        description="Busy draw as a share of peak, GPUs and hosts [-]; Meta provisions GB200 at "
        "960 W = 80 % of TDP; measured H100 training 0.76-0.82 of rating (hardware.md §6)",
    )
    utilization_frac: float = Field(
        1.0, ge=0, le=1,
        description="Share of GPUs busy [-]; training runs ~1; with the inference profile, the "
        "busiest hour's share",
    )
    mfu_frac: float = Field(
        0.40, gt=0, le=1,
        description="Model FLOPs utilization [-]; LLaMA-1 65B 47.6 %, PaLM 45.7 % "
        "(reference/validation.md); 0.40 leaves margin for larger clusters",
    )
    provisioning_basis: ProvisioningBasis = Field(
        "peak",
        description="Power the plant is sized for: peak (GPUs at TDP or cap, host at peak; equals "
        "the rated system maximum at catalog values) or operating (busy draw, Meta-style)",
    )
    profile: Profile = Field(default_factory=Profile,
                             description="Hourly shape of the load in the annual simulation")


class Network(StrictModel):
    """IT beyond the systems and their compute fabric."""

    frontend_storage_w_per_gpu: float = Field(
        67.0, ge=0,
        description="Frontend/storage network and storage servers per GPU [W]; derived: storage "
        "~12 kW per 256 GPUs (Kedios estimate, hardware.md §5) = 47 W + storage fabric 12 "
        "QM9700 x 1.72 kW per 1,024 GPUs (DGX SuperPOD, §4) = 20 W",
    )
    management_w_per_rack: float = Field(
        98.0, ge=0,
        description="Out-of-band management per rack [W]; one SN2201 at 98 W typical (§4)",
    )


class Scenario(StrictModel):
    """A data-center scenario: site, power chain, cooling, deployments and workload."""

    name: str = Field(min_length=1)
    description: str = ""
    site: Site
    electrical: Electrical
    cooling: Cooling = Field(default_factory=Cooling)
    deployments: list[Deployment] = Field(min_length=1)
    workload: Workload = Field(default_factory=Workload)
    network: Network = Field(default_factory=Network)
    weather: Weather = Field(default_factory=Weather)
    economics: Economics = Field(default_factory=Economics)
    carbon: Carbon = Field(default_factory=Carbon)
    catalog: CatalogPatch = Field(default_factory=CatalogPatch)
    phases: list[Phase] = Field(
        default_factory=list,
        description="Build-out in order: each phase changes the state before it, the first "
        "phase the scenario as written",
    )

    @model_validator(mode="after")
    def _something_deployed(self) -> Scenario:
        if not any(d.count or d.gpus for d in self.deployments):
            raise ValueError("deployments: every deployment is empty; give at least one a "
                             "count or gpus above 0")
        return self

    @model_validator(mode="after")
    def _phases_in_order(self) -> Scenario:
        starts = [p.start for p in self.phases]
        if any(b <= a for a, b in pairwise(starts)):
            raise ValueError("phases: start dates must increase from one phase to the next")
        names = [p.name for p in self.phases]
        if len(set(names)) != len(names):
            raise ValueError("phases: names must be unique")
        return self


@dataclass(frozen=True)
class ResolvedDeployment:
    """A deployment with its catalog entries looked up and its system count fixed."""

    label: str
    system_name: str
    system: System
    accelerator: Accelerator
    fabric_name: str
    fabric: Fabric
    count: int

    @property
    def gpus(self) -> int:
        return self.count * self.system.gpus_per_system

    @property
    def racks(self) -> int:
        return -(-self.count // self.system.systems_per_rack)


@dataclass(frozen=True)
class ResolvedScenario:
    """A scenario with its catalog overrides applied and every name resolved."""

    scenario: Scenario
    catalog: Catalog
    deployments: tuple[ResolvedDeployment, ...]


def resolve(scenario: Scenario, base: Catalog | None = None, *,
            merged: bool = False) -> ResolvedScenario:
    """Apply the scenario's catalog overrides and resolve deployments (``merged``: ``base``
    already holds the scenario's overrides, as for the cases of a study).

    Raises
    ------
    ConfigError
        Every unknown catalog name (listing the available ones) and every GPU count that is not
        a whole number of systems.
    """
    catalog = base if merged and base is not None else (base or builtin()).merged(scenario.catalog)
    problems = []
    resolved = []
    for i, dep in enumerate(scenario.deployments):
        system = catalog.systems.get(dep.system)
        if system is None:
            problems.append(unknown_name(("deployments", i, "system"), dep.system, "systems",
                                         catalog))
            continue
        fabric_name = dep.fabric or system.fabric
        if fabric_name not in catalog.fabrics:
            problems.append(unknown_name(("deployments", i, "fabric"), fabric_name, "fabrics",
                                         catalog))
            continue
        count = dep.count
        if count is None:
            per = system.gpus_per_system
            count, rest = divmod(dep.gpus, per)
            if rest:
                problems.append(Problem(
                    "", f"deployments.{i}.gpus",
                    f"{dep.gpus} GPUs is not a whole number of {dep.system} systems ({per} GPUs "
                    f"each); use {count * per} or {(count + 1) * per}, or give count",
                ))
                continue
        resolved.append(ResolvedDeployment(
            label=dep.name or dep.system, system_name=dep.system, system=system,
            accelerator=catalog.accelerators[system.accelerator], fabric_name=fabric_name,
            fabric=catalog.fabrics[fabric_name], count=count,
        ))
    for name in scenario.carbon.embodied_tco2e_per_system:
        if name not in catalog.systems:
            problems.append(unknown_name(("carbon", "embodied_tco2e_per_system", name), name,
                                         "systems", catalog))
    if problems:
        raise ConfigError(problems)
    return ResolvedScenario(scenario, catalog, tuple(resolved))
