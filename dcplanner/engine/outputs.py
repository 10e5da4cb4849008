"""Engine outputs, each declared once: its place in the record, its source, unit and label.

An :class:`Output` names one value of a scenario's result: where it sits in the record (the
JSON of ``dcplanner run``), which engine array it comes from and the divisor from the engine's
base unit (``design_facility_w`` / ``W_PER_MW`` -> ``facility_peak_mw``), its unit, label and
kind. A :class:`Result` holds a batch's arrays and gives, from these declarations only, the
records, any output as a column (study rows, CSV, Parquet), the labels of tables and reports,
and the hourly export. Annual outputs may declare their hourly reduction
(``reduce=("max", "water_m3_per_h")``), so that a new annual figure is one line here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from dcplanner.engine.chain import facility_water
from dcplanner.engine.design import CONSTRAINTS
from dcplanner.engine.economics import CAPEX_ITEMS, NETWORK_PARTS, OPEX_ITEMS
from dcplanner.engine.params import BY_KEY, Arrays, object_array, text_of
from dcplanner.engine.provisioning import CAP_FRAC, facility_peak_w
from dcplanner.errors import ConfigError, Problem
from dcplanner.models.compute import PRECISIONS
from dcplanner.models.it_power import accelerator_peak_w
from dcplanner.units import (
    G_PER_TONNE,
    W_PER_KW,
    W_PER_MW,
    WATER_M3_PER_H_PER_KG_PER_S,
    WH_PER_KWH,
)

Table = Literal["x", "design", "annual", "money"]
Kind = Literal["float", "int", "bool", "text", "json"]
#: Hourly reductions an annual output may declare: "mwh" sums power [W] over hours into MWh;
#: "count" counts the hours where a condition holds.
Reduce = tuple[Literal["mwh", "sum", "max", "min", "mean", "count"], str]


@dataclass(frozen=True)
class Output:
    """One value of a result.

    Attributes
    ----------
    path : str
        Dotted place in the record; ``[]`` marks a list (``deployments[].gpus``: one value per
        deployment; ``annual.monthly[].pue``: per month).
    source : str or callable
        The array in ``table`` holding the value in the engine's base unit, or a function of
        the :class:`Result` giving the column.
    unit : str
        Unit of the recorded value ("" for text).
    label : str
        How tables and reports name it.
    table : str
        Which arrays ``source`` names: ``x`` (inputs), ``design`` (design point), ``annual``
        (the year's reductions) or ``money`` (economics).
    divisor : float
        Recorded value = array / divisor.
    kind : str
        ``float``, ``int``, ``bool``, ``text`` or ``json`` (a list or mapping).
    nullable : bool
        NaN is recorded as null (a limit that is not set, a price that is unknown).
    plant : str, optional
        Only for scenarios with this cooling plant.
    hourly : str, optional
        Column name in the hourly export; ``source`` (without the design/operating prefix)
        is then also a key of the hourly chain.
    reduce : tuple, optional
        For an annual output: (reduction, hourly key) computing it from the hours.
    part : bool
        One of the parts that add up to facility power (IT parts, losses, cooling, misc).
    row : str
        The row that shows it in a text table, when not its label (a liquid loop's value
        heads the row that its air-side twin joins).
    """

    path: str
    source: str | Callable[[Result], NDArray]
    unit: str = ""
    label: str = ""
    table: Table = "design"
    divisor: float = 1.0
    kind: Kind = "float"
    nullable: bool = False
    plant: str | None = None
    hourly: str | None = None
    reduce: Reduce | None = None
    part: bool = False
    row: str = ""

    @property
    def section(self) -> str:
        return self.path.split(".")[0].removesuffix("[]")


def _const(value: Any) -> Callable[[Result], NDArray]:
    def column(r: Result) -> NDArray:
        return object_array([value] * len(r))

    return column


def _mw(path: str, source: str, label: str = "", **kw: Any) -> Output:
    return Output(path, source, "MW", label, divisor=W_PER_MW, **kw)


# -- top-level figures ----------------------------------------------------------------------

def _binding(r: Result) -> NDArray:
    names = np.array(list(CONSTRAINTS), dtype=object)
    return names[r.design["binding"].astype(int)]


def _violated(r: Result) -> NDArray:
    over = np.stack([r.design[f"{n}_value"] > r.design[f"{n}_limit"] for n in CONSTRAINTS],
                    axis=1)  # a NaN limit (not set) compares False
    return object_array([[n for n, o in zip(CONSTRAINTS, row, strict=True) if o] for row in over])


#: The facility peaks under each provisioning alternative (:mod:`dcplanner.engine.provisioning`):
#: label, and the row that shows it in the run table.
PROVISIONING_LABELS = {
    "nameplate": ("Facility peak, systems at nameplate (supply capacity)",
                  "nameplate (supply capacity)"),
    "peak": ("Facility peak, GPUs at TDP and hosts at component peak",
             "peak (TDP, host components)"),
    "capped": (f"Facility peak, GPUs capped at {CAP_FRAC:.0%} of TDP",
               f"GPUs capped at {CAP_FRAC:.0%} of TDP"),
    "operating": ("Facility peak, busy draw (operating_power_frac)", "operating (busy draw)"),
    "no_water": ("Facility peak, chosen basis with no adiabatic water",
                 "chosen basis, no adiabatic water"),
}


def _liquid(r: Result, end: str, side: str) -> NDArray:
    """A liquid-loop temperature [°C] on the facility or the chip side of the CDUs."""
    facility = facility_water(r.x)[f"liquid_{end}_c"]
    return facility + r.x["cdu_approach_k"] if side == "chip" else facility


def _alternative_peak(name: str) -> Callable[[Result], NDArray]:
    def column(r: Result) -> NDArray:
        return facility_peak_w(r.x, name) / W_PER_MW

    return column


def _grid_headroom(r: Result) -> NDArray:
    return r.design["grid_limit"] / W_PER_MW - r.design["design_facility_w"] / W_PER_MW


def _choice(key: str) -> Callable[[Result], NDArray]:
    return lambda r: text_of(key, r.x[key])


TOP = (
    Output("scenario", "scenario", table="x", kind="text", label="Scenario"),
    Output("feasible", "feasible", kind="bool", label="Fits at design point"),
    Output("binding_constraint", _binding, kind="text", label="Binding constraint"),
    Output("violated", _violated, kind="json", label="Violated constraints"),
    _mw("grid_mw", "grid_limit", "Grid connection"),
    _mw("facility_peak_mw", "design_facility_w", "Facility peak"),
    Output("grid_headroom_mw", _grid_headroom, "MW", "Grid headroom"),
    *(Output(f"provisioning.{name}_mw", _alternative_peak(name), "MW", label, row=row)
      for name, (label, row) in PROVISIONING_LABELS.items()),
    Output("liquid_loop.facility_supply_c", lambda r: _liquid(r, "supply", "facility"), "°C",
           "Facility water supply"),
    Output("liquid_loop.facility_return_c", lambda r: _liquid(r, "return", "facility"), "°C",
           "Facility water return"),
    Output("liquid_loop.chip_supply_c", lambda r: _liquid(r, "supply", "chip"), "°C",
           "Chip-side (CDU secondary) supply"),
    Output("liquid_loop.chip_return_c", lambda r: _liquid(r, "return", "chip"), "°C",
           "Chip-side (CDU secondary) return"),
    Output("chiller.model", _choice("chiller_model"), kind="text", label="Chiller model"),
    Output("chiller.curves", "chiller_curves_name", table="x", kind="text",
           label="Chiller EIR curves"),
    Output("chiller.carnot_frac", "carnot_frac", "-", "Chiller fraction of Carnot", table="x"),
    Output("chiller.max_cop", "max_cop", "-", "Chiller COP cap (Carnot model)", table="x"),
    Output("chiller.rated_cop", "chiller_rated_cop", "-", "Chiller rated COP (EIR model)",
           table="x"),
    _mw("it_design_mw", "design_it_w", "IT load at design"),
    _mw("it_operating_mw", "operating_it_w", "IT load operating"),
    _mw("it_busy_mw", "busy_it_w", "IT load, every GPU busy"),
    Output("pue_design", "design_pue", "-", "PUE at design point", nullable=True),
    _mw("facility_operating_mw", "operating_facility_w", "Facility at operating load"),
    Output("pue_operating", "operating_pue", "-", "PUE at operating load",
           nullable=True),
    Output("gpus", "gpus", "GPUs", "GPUs", kind="int"),
    Output("racks", "racks", "racks", "Racks", kind="int"),
    Output("design_ambient_c", "design_dry_bulb_c", "°C", "Design dry bulb", table="x"),
    Output("design_wet_bulb_c", "design_wet_bulb_c", "°C", "Design wet bulb"),
    Output("provisioning_basis", _choice("provisioning_basis"), kind="text",
           label="Provisioning basis"),
    Output("cooling_plant", _choice("cooling_plant"), kind="text", label="Cooling plant"),
)


# -- constraints ----------------------------------------------------------------------------

def _limit(name: str) -> Callable[[Result], NDArray]:
    return lambda r: r.design[f"{name}_limit"] / CONSTRAINTS[name].divisor


def _headroom(name: str) -> Callable[[Result], NDArray]:
    c = CONSTRAINTS[name]
    return lambda r: r.design[f"{name}_limit"] / c.divisor - r.design[f"{name}_value"] / c.divisor


def _status(name: str) -> Callable[[Result], NDArray]:
    def column(r: Result) -> NDArray:
        room = _headroom(name)(r)
        return object_array(["not set" if np.isnan(h) else "ok" if h >= 0 else "VIOLATED"
                         for h in room.tolist()])

    return column


def _constraint_outputs(name: str) -> tuple[Output, ...]:
    c = CONSTRAINTS[name]
    at = f"constraints.{name}"
    return (
        Output(f"{at}.meaning", _const(c.meaning), kind="text"),
        Output(f"{at}.unit", _const(c.unit), kind="text"),
        Output(f"{at}.value", f"{name}_value", c.unit, name, divisor=c.divisor),
        Output(f"{at}.limit", _limit(name), c.unit, f"{name} limit", nullable=True),
        Output(f"{at}.headroom", _headroom(name), c.unit, f"{name} headroom", nullable=True),
        Output(f"{at}.headroom_frac", f"{name}_headroom_frac", "-", f"{name} headroom share",
               nullable=True),
        Output(f"{at}.status", _status(name), kind="text"),
    )


# -- the facility chain at design and operating load, and each hour -------------------------

IT_PARTS = ("gpus", "hosts", "compute_fabric", "frontend_storage", "management")

@dataclass(frozen=True)
class _Link:
    """One output of the facility chain, recorded at design and at operating load."""

    path: str  # below design. / operating.
    key: str  # chain key; design_ / operating_ prefixed in the design-point arrays
    unit: str
    label: str
    divisor: float = 1.0
    hourly: str | None = None  # column in the hourly export
    part: bool = False  # one of the parts that add up to facility power
    row: str = ""  # text-table row, when not the label
    nullable: bool = False  # NaN (null) possible: a ratio without IT load


_KG_PER_S_PER_M3_PER_H = 1.0 / WATER_M3_PER_H_PER_KG_PER_S  # divisor: kg/s to m3/h
_CHAIN = (
    _Link("it_mw", "it_w", "MW", "total IT", W_PER_MW, "it_mw"),
    _Link("facility_mw", "facility_w", "MW", "facility", W_PER_MW, "facility_mw"),
    _Link("pue", "pue", "-", "PUE", hourly="pue", nullable=True),
    *(_Link(f"parts_mw.{p}", f"{p}_w", "MW", p.replace("_", " "), W_PER_MW, part=True)
      for p in IT_PARTS),
    _Link("electrical.distribution_loss_mw", "distribution_loss_w", "MW", "distribution loss",
          W_PER_MW, "distribution_loss_mw", part=True),
    _Link("electrical.ups_output_mw", "ups_output_w", "MW", "UPS output", W_PER_MW),
    _Link("electrical.ups_load_frac", "ups_load_frac", "-", "UPS load"),
    _Link("electrical.ups_efficiency", "ups_efficiency", "-", "UPS efficiency"),
    _Link("electrical.ups_loss_mw", "ups_loss_w", "MW", "UPS loss", W_PER_MW, "ups_loss_mw",
          part=True),
    _Link("electrical.ups_reserve_loss_mw", "ups_reserve_loss_w", "MW",
          "of which idle reserve", W_PER_MW),
    _Link("electrical.ups_pumps_mw", "ups_pumps_w", "MW", "pumps fed through the UPS",
          W_PER_MW),
    _Link("electrical.generator_heaters_mw", "generator_heater_w", "MW",
          "generator block heaters (in misc)", W_PER_MW),
    _Link("electrical.transformer_loss_mw", "transformer_loss_w", "MW", "transformer loss",
          W_PER_MW, "transformer_loss_mw", part=True),
    _Link("electrical.misc_mw", "misc_w", "MW", "misc", W_PER_MW, "misc_mw", part=True),
)
_HEAT = (_Link("liquid_heat_mw", "liquid_heat_w", "MW", "heat to liquid", W_PER_MW,
               row="heat to liquid / air"),
         _Link("air_heat_mw", "air_heat_w", "MW", "heat to air", W_PER_MW))
_LOOPS = (_Link("liquid_free_cooling_frac", "liquid_free_frac", "-", "free-cooling share liquid",
                hourly="liquid_free_cooling_frac", row="free-cooling share liquid / air"),
          _Link("air_free_cooling_frac", "air_free_frac", "-", "free-cooling share air",
                hourly="air_free_cooling_frac"),
          _Link("liquid_chiller_cop", "liquid_cop", "-", "chiller COP liquid",
                row="chiller COP liquid / air"),
          _Link("air_chiller_cop", "air_cop", "-", "chiller COP air"))
_CHILLERS = _Link("chillers_mw", "chiller_w", "MW", "chillers", W_PER_MW, "chillers_mw",
                  part=True)
_PUMPS = _Link("pumps_mw", "pump_w", "MW", "pumps", W_PER_MW, "pumps_mw", part=True)
_CDU_PUMPS = _Link("cdu_pumps_mw", "chip_pump_w", "MW", "of which CDU pumps", W_PER_MW)
_AIR_FANS = _Link("air_fans_mw", "air_fan_w", "MW", "CRAH fans", W_PER_MW, "air_fans_mw",
                  part=True)
_TOTALS = (_Link("cooling_mw", "cooling_w", "MW", "total cooling", W_PER_MW, "cooling_mw"),
           _Link("heat_rejected_mw", "heat_rejected_w", "MW", "heat rejected", W_PER_MW,
                 "heat_rejected_mw"))
#: Each plant's cooling outputs (below cooling.), in record order.
_COOLING = {
    "dry_cooler": (
        *_HEAT, *_LOOPS,
        _Link("liquid_coil_air_c", "liquid_coil_air_c", "°C", "coil air liquid",
              row="coil air after adiabatic"),
        _Link("air_coil_air_c", "air_coil_air_c", "°C", "coil air air-side"),
        _CHILLERS, _PUMPS, _CDU_PUMPS, _AIR_FANS,
        _Link("dry_cooler_fans_mw", "dry_cooler_fan_w", "MW", "dry-cooler fans", W_PER_MW,
              "dry_cooler_fans_mw", part=True),
        *_TOTALS,
        _Link("adiabatic_water_m3_per_h", "water_kg_per_s", "m3/h", "adiabatic water",
              _KG_PER_S_PER_M3_PER_H, "water_m3_per_h"),
    ),
    "cooling_tower": (
        *_HEAT, *_LOOPS,
        _Link("tower_water_c", "tower_water_c", "°C", "water leaving the towers",
              hourly="tower_water_c"),
        _CHILLERS, _PUMPS, _CDU_PUMPS,
        _Link("condenser_pumps_mw", "condenser_pump_w", "MW", "of which condenser pumps",
              W_PER_MW),
        _AIR_FANS,
        _Link("tower_fans_mw", "tower_fan_w", "MW", "tower fans", W_PER_MW, "tower_fans_mw",
              part=True),
        *_TOTALS,
        _Link("makeup_water_m3_per_h", "water_kg_per_s", "m3/h", "tower make-up water",
              _KG_PER_S_PER_M3_PER_H, "water_m3_per_h"),
    ),
}


def _chain_outputs(basis: str) -> tuple[Output, ...]:
    links = [(None, "", link) for link in _CHAIN]
    links += [(plant, "cooling.", link) for plant, entries in _COOLING.items()
              for link in entries]
    return tuple(Output(f"{basis}.{below}{link.path}", f"{basis}_{link.key}", link.unit,
                        link.label, divisor=link.divisor, hourly=link.hourly, plant=plant,
                        part=link.part, row=link.row, nullable=link.nullable)
                 for plant, below, link in links)


def _ups_outputs() -> tuple[Output, ...]:
    return (
        Output("ups.topology", _choice("ups_topology"), kind="text", label="UPS topology"),
        Output("ups.modules", "ups_modules", "-", "UPS modules", table="x", kind="int"),
        _mw("ups.module_mw", "ups_module_w", "UPS module", table="x"),
        _mw("ups.installed_mw", "design_ups_installed_w", "UPS installed"),
        _mw("ups.usable_mw", "design_ups_usable_w", "UPS usable"),
        Output("ups.feed", _choice("ups_feed"), kind="text", label="UPS feed"),
        Output("ups.efficiency", "ups_preset", table="x", kind="text",
               label="UPS efficiency preset"),
        Output("ups.pumps_on_ups", "pumps_on_ups", table="x", kind="bool",
               label="pumps on the UPS"),
        Output("generators.units", "design_generator_units", "-", "standby generators",
               kind="int"),
        Output("generators.redundant_units", "generator_redundant_units", "-",
               "generators in reserve", table="x", kind="int"),
        Output("generators.unit_mva", "generator_unit_va", "MVA", "generator rating",
               table="x", divisor=W_PER_MW),
    )


# -- compute --------------------------------------------------------------------------------

def _supported(r: Result, precision: str) -> NDArray:
    """Whether a deployed chip supports the precision (a precision it lacks has 0 TFLOPS)."""
    return (r.x[f"tflops_{precision}"] > 0).any(axis=1)


def _per_precision(prefix: str, precision: str) -> Callable[[Result], NDArray]:
    return lambda r: np.where(_supported(r, precision), r.design[f"{prefix}_{precision}"],
                              np.nan)


def _compute_outputs() -> tuple[Output, ...]:
    return (
        Output("compute.gpus", "gpus", "GPUs", "GPUs", kind="int"),
        *(Output(f"compute.peak_pflops.{p}", _per_precision("peak_pflops", p), "PFLOPS",
                 f"peak dense {p.upper()}", nullable=True) for p in PRECISIONS),
        *(Output(f"compute.sustained_pflops.{p}", _per_precision("sustained_pflops", p),
                 "PFLOPS", f"sustained {p.upper()}", nullable=True) for p in PRECISIONS),
        Output("compute.mfu_frac", "mfu_frac", "-", "MFU", table="x"),
        Output("compute.utilization_frac", "utilization_frac", "-", "utilization", table="x"),
        Output("compute.hbm_tb", "hbm_tb", "TB", "HBM"),
    )


def _deployment_outputs() -> tuple[Output, ...]:
    at = "deployments[]"
    return (
        Output(f"{at}.name", "deployment_name", table="x", kind="text", label="name"),
        Output(f"{at}.system", "system", table="x", kind="text", label="system"),
        Output(f"{at}.accelerator", "accelerator", table="x", kind="text", label="accelerator"),
        Output(f"{at}.count", "count", "systems", "count", table="x", kind="int"),
        Output(f"{at}.gpus", "dep_gpus", "GPUs", "GPUs", kind="int"),
        Output(f"{at}.racks", "dep_racks", "racks", "racks", kind="int"),
        Output(f"{at}.system_design_kw", "dep_design_system_w", "kW", "kW/system",
               divisor=W_PER_KW),
        Output(f"{at}.system_operating_kw", "dep_operating_system_w", "kW",
               "kW/system operating", divisor=W_PER_KW),
        Output(f"{at}.rack_design_kw", "dep_rack_w", "kW", "kW/rack", divisor=W_PER_KW),
        Output(f"{at}.fabric", "fabric", table="x", kind="text", label="fabric"),
        Output(f"{at}.fabric_tiers", "dep_fabric_tiers", "-", "tiers", kind="int"),
        Output(f"{at}.fabric_switches", "dep_fabric_switches", "-", "switches", kind="int"),
        Output(f"{at}.fabric_optical_ends", "dep_fabric_optical_ends", "-", "optical ends",
               kind="int"),
        _mw(f"{at}.fabric_mw", "dep_fabric_w", "fabric"),
    )


# -- the year -------------------------------------------------------------------------------

def _a(path: str, source: str = "", unit: str = "", label: str = "", **kw: Any) -> Output:
    """An annual output; its array is named as its path's last part unless ``source`` says."""
    return Output(f"annual.{path}", source or path.rsplit(".", 1)[-1], unit, label,
                  table="annual", **kw)


def _heat_limit(r: Result) -> NDArray:
    return r.design["heat_rejection_limit"] / W_PER_MW


def _plant_holds(r: Result) -> NDArray:
    heat = r.annual["heat_rejection_exceeded_hours"]
    return (r.annual["grid_exceeded_hours"] == 0) & ~(heat > 0)  # NaN (no limit) holds


MODES = ("free", "partial", "chiller")
#: Loops whose cooling-mode hours are reported, with their label.
COOLING_LOOPS = {"plant": "whole plant", "liquid": "liquid loop", "air": "air-side loop"}


def _annual_outputs() -> tuple[Output, ...]:
    return (
        _a("weather", "weather", kind="text", label="Weather"),
        _a("weather_notes", "weather_notes", kind="json"),
        Output("annual.profile", _choice("profile_kind"), kind="text", label="Load profile"),
        _a("hours", "hours", "h", "hours", kind="int"),
        _a("it_mwh", "it_mwh", "MWh", "IT energy", reduce=("mwh", "it_w")),
        _a("facility_mwh", "facility_mwh", "MWh", "facility energy",
           reduce=("mwh", "facility_w")),
        # PUE and WUE are null without IT load (no GPU deployed).
        _a("pue", "pue", "-", "annual PUE", nullable=True),
        _a("pue_hourly_min", "pue_min", "-", "lowest hourly PUE", reduce=("min", "pue"),
           nullable=True),
        _a("pue_hourly_max", "pue_max", "-", "highest hourly PUE", reduce=("max", "pue"),
           nullable=True),
        _a("electrical_loss_mwh", "electrical_loss_mwh", "MWh", "electrical losses",
           reduce=("mwh", "electrical_loss_w")),
        _a("cooling_mwh", "cooling_mwh", "MWh", "cooling", reduce=("mwh", "cooling_w")),
        _a("chiller_mwh", "chiller_mwh", "MWh", "chillers", reduce=("mwh", "chiller_w")),
        _a("pumps_mwh", "pumps_mwh", "MWh", "pumps", reduce=("mwh", "pump_w")),
        _a("fans_mwh", "fans_mwh", "MWh", "fans", reduce=("mwh", "fan_w")),
        _a("misc_mwh", "misc_mwh", "MWh", "misc", reduce=("mwh", "misc_w")),
        _a("facility_peak_mw", "facility_peak_w", "MW", "facility peak", divisor=W_PER_MW,
           reduce=("max", "facility_w")),
        _a("facility_peak_hour", "facility_peak_label", kind="text", label="peak hour"),
        _a("dry_bulb_at_peak_c", "dry_bulb_at_peak_c", "°C", "dry bulb at the peak"),
        _a("facility_mean_mw", "facility_mean_w", "MW", "mean facility power",
           divisor=W_PER_MW, reduce=("mean", "facility_w")),
        _a("it_peak_mw", "it_peak_w", "MW", "IT peak", divisor=W_PER_MW,
           reduce=("max", "it_w")),
        _a("utilization_mean_frac", "utilization_mean_frac", "-", "mean utilization",
           reduce=("mean", "utilization_frac")),
        _a("dry_bulb_max_c", "dry_bulb_max_c", "°C", "hottest hour",
           reduce=("max", "dry_bulb_c")),
        _a("wet_bulb_max_c", "wet_bulb_max_c", "°C", "highest wet bulb",
           reduce=("max", "wet_bulb_c")),
        *(_a(f"cooling_hours.{loop}.{mode}", f"{loop}_{mode}_hours", "h",
             f"{label} {mode} hours", kind="int")
          for loop, label in COOLING_LOOPS.items() for mode in MODES),
        _a("water_m3", "water_m3", "m3", "water", reduce=("sum", "water_m3_per_h")),
        _a("water_peak_m3_per_h", "", "m3/h", "peak-hour water", reduce=("max", "water_m3_per_h")),
        _a("wue_l_per_kwh", "wue_l_per_kwh", "L/kWh", "WUE", nullable=True),
        Output("annual.grid.limit_mw", "grid_limit", "MW", "grid", divisor=W_PER_MW),
        _a("grid.exceeded_hours", "grid_exceeded_hours", "h", "hours above the grid",
           kind="int", reduce=("count", "grid_exceeded")),
        _a("grid.excess_max_mw", "grid_excess_max_w", "MW", "largest excess over the grid",
           divisor=W_PER_MW, reduce=("max", "grid_excess_w")),
        _a("grid.excess_mwh", "grid_excess_mwh", "MWh", "energy above the grid",
           reduce=("mwh", "grid_excess_w")),
        Output("annual.heat_rejection.limit_mw", _heat_limit, "MW", "heat rejection limit",
               nullable=True),
        _a("heat_rejection.peak_mw", "heat_rejected_peak_w", "MW", "peak heat rejected",
           divisor=W_PER_MW, reduce=("max", "heat_rejected_w")),
        # NaN (null) where the scenario sets no heat-rejection limit.
        _a("heat_rejection.exceeded_hours", "heat_rejection_exceeded_hours", "h",
           "hours above the heat rejection", kind="int", nullable=True),
        _a("heat_rejection.excess_max_mw", "heat_rejection_excess_max_w", "MW",
           "largest excess over the heat rejection", divisor=W_PER_MW, nullable=True),
        Output("annual.plant_holds", _plant_holds, kind="bool", label="Within limits every hour"),
        _a("monthly[].month", "monthly_month", kind="text"),
        _a("monthly[].it_mwh", "monthly_it_mwh", "MWh", "IT MWh", reduce=("mwh", "it_w")),
        _a("monthly[].facility_mwh", "monthly_facility_mwh", "MWh", "facility MWh",
           reduce=("mwh", "facility_w")),
        _a("monthly[].pue", "monthly_pue", "-", "PUE", nullable=True),
        _a("monthly[].facility_peak_mw", "monthly_facility_peak_w", "MW", "peak MW",
           divisor=W_PER_MW, reduce=("max", "facility_w")),
        _a("monthly[].dry_bulb_mean_c", "monthly_dry_bulb_mean_c", "°C", "mean °C",
           reduce=("mean", "dry_bulb_c")),
        _a("monthly[].dry_bulb_max_c", "monthly_dry_bulb_max_c", "°C", "max °C",
           reduce=("max", "dry_bulb_c")),
        _a("monthly[].liquid_free_hours", "monthly_liquid_free_hours", "h", "liquid free h",
           kind="int", reduce=("count", "liquid_free")),
        _a("monthly[].chiller_mwh", "monthly_chiller_mwh", "MWh", "chiller MWh",
           reduce=("mwh", "chiller_w")),
        _a("monthly[].water_m3", "monthly_water_m3", "m3", "water m3",
           reduce=("sum", "water_m3_per_h")),
        *(_a(f"monthly[].cooling_hours.{mode}", f"monthly_plant_{mode}_hours", "h",
             f"plant {mode} h", kind="int") for mode in MODES),
    )


# -- economics and carbon -------------------------------------------------------------------

def _m(path: str, source: str, label: str = "", **kw: Any) -> Output:
    return Output(f"economics.{path}", source, kw.pop("unit", "EUR"), label, table="money",
                  **kw)


def _by_category(r: Result) -> NDArray:
    facility = r.money["facility_eur"].tolist()
    return object_array([{k: share * f for k, share in split.items()}
                     for split, f in zip(r.x["capex_split"], facility, strict=True)])


def _missing_prices(r: Result) -> NDArray:
    """The deployed systems and fabrics without a price (IT or network capex unknown)."""
    used = r.x["count"] > 0
    out = []
    for i in range(len(r)):
        names: set[str] = set()
        for key, price in (("system", "price_usd"), ("fabric", "fabric_switch_usd"),
                           ("fabric", "fabric_transceiver_usd_per_end"),
                           ("fabric", "fabric_cable_usd_per_link")):
            names.update(r.x[key][i][used[i] & np.isnan(r.x[price][i])].tolist())
        out.append(sorted(names))
    return object_array(out)


#: Labels of the TCO items (:data:`dcplanner.engine.economics.CAPEX_ITEMS`, ``OPEX_ITEMS``).
TCO_LABELS = {
    "facility": "facility", "it_hardware": "IT hardware", "network": "network",
    "storage": "storage", "spares": "spares", "grid_connection": "grid connection",
    "energy": "energy", "grid_tariff": "grid tariff", "excise": "excise",
    "maintenance": "maintenance", "it_support": "IT support", "insurance": "insurance",
    "local_taxes": "local taxes", "staff": "staff",
}


def _money_outputs() -> tuple[Output, ...]:
    return (
        Output("economics.currency", _const("EUR"), kind="text"),
        _m("capex_eur.facility", "facility_eur", "facility capex"),
        Output("economics.capex_eur.facility_by_category", _by_category, "EUR", kind="json"),
        _m("capex_eur.it_hardware", "it_hardware_eur", "IT hardware capex", nullable=True),
        _m("capex_eur.network", "network_eur", "network capex", nullable=True),
        *(_m(f"capex_eur.network_by_part.{part}", f"network_{part}_eur",
             f"network {part.replace('_', ' ')}", nullable=True) for part in NETWORK_PARTS),
        _m("capex_eur.storage", "storage_eur", "storage capex", nullable=True),
        _m("capex_eur.spares", "spares_eur", "spares capex", nullable=True),
        _m("capex_eur.grid_connection", "grid_connection_eur", "grid connection capex"),
        _m("capex_eur.total", "capex_eur", "capex", nullable=True),
        _m("annualized_capex_eur", "annualized_capex_eur", "annualized capex", nullable=True),
        *(_m(f"opex_eur.{item}", f"{item}_eur", TCO_LABELS[item],
             nullable=item in ("it_support", "insurance")) for item in OPEX_ITEMS),
        _m("opex_eur.total", "opex_eur", "opex", nullable=True),
        *(_m(f"tco_by_item_eur.{item}", f"tco_{item}_eur", f"TCO: {TCO_LABELS[item]}",
             nullable=True) for item in (*CAPEX_ITEMS, *OPEX_ITEMS)),
        _m("tco_eur_per_year", "tco_eur", "TCO per year", nullable=True),
        _m("cost_per_gpu_hour_eur", "cost_per_gpu_hour_eur", "cost per installed GPU-hour",
           nullable=True),
        _m("cost_per_sold_gpu_hour_eur", "cost_per_sold_gpu_hour_eur",
           "cost per sold GPU-hour", nullable=True),
        _m("cost_per_delivered_gpu_hour_eur", "cost_per_delivered_gpu_hour_eur",
           "cost per delivered GPU-hour", nullable=True),
        Output("economics.sold_frac", "sold_frac", "-", "sold share of GPU-hours", table="x"),
        _m("goodput_frac", "goodput_frac", "goodput", unit="-"),
        _m("sold_gpu_hours", "sold_gpu_hours", "sold GPU-hours", unit="GPU-h"),
        _m("delivered_gpu_hours", "delivered_gpu_hours", "delivered GPU-hours", unit="GPU-h"),
        _m("market_eur_per_gpu_hour", "market_eur_per_gpu_hour", "market price per GPU-hour",
           unit="EUR/GPU-h", nullable=True),
        _m("margin_eur_per_gpu_hour", "margin_eur_per_gpu_hour",
           "margin per sold GPU-hour", unit="EUR/GPU-h", nullable=True),
        _m("margin_frac", "margin_frac", "margin share of the market price", unit="-",
           nullable=True),
        _m("cost_per_sustained_pflop_day_eur", "cost_per_pflop_day_eur",
           "cost per sustained PFLOP-day", nullable=True),
        _m("energy_share_of_tco_frac", "energy_share_frac", "electricity share of TCO",
           unit="-", nullable=True),
        _m("energy_price_eur_per_mwh", "energy_price_eur_per_mwh", "electricity price per MWh",
           unit="EUR/MWh"),
        _m("electricity_eur", "electricity_eur", "electricity (energy, grid tariff, excise)"),
        Output("economics.discount_rate_frac", "discount_rate_frac", "-", "discount rate",
               table="x"),
        Output("economics.lifetimes_years.facility", "facility_lifetime_years", "years",
               "facility lifetime", table="x"),
        Output("economics.lifetimes_years.it", "it_lifetime_years", "years", "IT lifetime",
               table="x"),
        Output("economics.missing_prices", _missing_prices, kind="json"),
    )


def _carbon_total(r: Result) -> NDArray:
    return r.money["operational_tco2e"] + r.money["embodied_tco2e"]


def _carbon_outputs() -> tuple[Output, ...]:
    return (
        Output("carbon.intensity", "carbon_basis", table="x", kind="text", label="intensity"),
        Output("carbon.operational_tco2e", "operational_tco2e", "tCO2e", "operational",
               table="money"),
        Output("carbon.embodied_tco2e", "embodied_tco2e", "tCO2e", "embodied", table="money"),
        Output("carbon.total_tco2e", _carbon_total, "tCO2e", "carbon per year"),
    )


# -- heat reuse and reporting KPIs ---------------------------------------------------------

def _heat_column(key: str) -> Callable[[Result], NDArray]:
    def column(r: Result) -> NDArray:
        from dcplanner.engine.heat_reuse import cost_benefit

        return cost_benefit(r.x, r._arrays("annual"))[key]

    return column


def _heat_source_c(r: Result) -> NDArray:
    from dcplanner.engine.heat_reuse import source_c

    return source_c(r.x)


def _heat_network(r: Result) -> NDArray:
    return ~np.isnan(r.x["heat_supply_c"])


def _heat_owner(r: Result) -> NDArray:
    names = np.array(["none", *BY_KEY_CHOICES["heat_owner"]], dtype=object)
    code = np.nan_to_num(r.x["heat_owner"], nan=-1.0).astype(int) + 1
    return names[code]


BY_KEY_CHOICES = {"heat_owner": BY_KEY["heat_owner"].choices}


def _heat_outputs() -> tuple[Output, ...]:
    at = "heat_reuse"
    cb = f"{at}.cost_benefit"
    return (
        _a("erf", "erf", "-", "ERF", nullable=True),
        _a("ref", "ref", "-", "REF", nullable=True),
        _a("cue_kg_per_kwh", "cue_kg_per_kwh", "kgCO2e/kWh", "CUE", nullable=True),
        _a("renewable_mwh", "renewable_mwh", "MWh", "renewable energy"),
        Output(f"annual.{at}.network", _heat_network, kind="bool", label="district network"),
        Output(f"annual.{at}.owner", _heat_owner, kind="text", label="heat pump owner"),
        Output(f"annual.{at}.source_c", _heat_source_c, "°C", "heat source (loop return)"),
        _a(f"{at}.available_mwh", "heat_available_mwh", "MWh", "heat available",
           reduce=("mwh", "liquid_heat_w")),
        _a(f"{at}.available_peak_mw", "heat_available_peak_w", "MW", "peak heat available",
           divisor=W_PER_MW, reduce=("max", "liquid_heat_w")),
        Output(f"annual.{at}.supply_c", "heat_supply_c", "°C", "network supply", table="x",
               nullable=True),
        _a(f"{at}.cop", "heat_cop", "-", "heat pump COP", nullable=True),
        _a(f"{at}.demand_mwh", "heat_demand_mwh", "MWh", "network demand",
           reduce=("mwh", "heat_demand_w")),
        _a(f"{at}.delivered_mwh", "heat_delivered_mwh", "MWh", "heat delivered (sold)",
           reduce=("mwh", "heat_delivered_w")),
        _a(f"{at}.delivered_peak_mw", "heat_delivered_peak_w", "MW", "peak heat delivered",
           divisor=W_PER_MW, reduce=("max", "heat_delivered_w")),
        _a(f"{at}.recovered_mwh", "heat_recovered_mwh", "MWh", "heat taken from the loop",
           reduce=("mwh", "heat_recovered_w")),
        _a(f"{at}.heat_pump_mwh", "heat_pump_mwh", "MWh", "heat pump electricity",
           reduce=("mwh", "heat_pump_w")),
        _a(f"{at}.reused_mwh", "heat_reused_mwh", "MWh", "reused energy (ERF numerator)"),
        _a(f"{at}.pue_without_heat_pump", "pue_without_heat_pump", "-",
           "PUE without the heat pump", nullable=True),
        Output(f"annual.{cb}.capacity_mw", _heat_column("capacity_w"), "MW",
               "heat pump capacity", divisor=W_PER_MW, nullable=True),
        Output(f"annual.{cb}.capex_eur", _heat_column("capex_eur"), "EUR", "heat capex",
               nullable=True),
        Output(f"annual.{cb}.annualized_capex_eur_per_year",
               _heat_column("annualized_capex_eur"), "EUR/year", "annualized heat capex",
               nullable=True),
        Output(f"annual.{cb}.maintenance_eur_per_year", _heat_column("maintenance_eur"),
               "EUR/year", "heat maintenance", nullable=True),
        Output(f"annual.{cb}.electricity_eur_per_year", _heat_column("electricity_eur"),
               "EUR/year", "heat pump electricity cost", nullable=True),
        Output(f"annual.{cb}.revenue_eur_per_year", _heat_column("revenue_eur"), "EUR/year",
               "heat sale revenue", nullable=True),
        Output(f"annual.{cb}.net_benefit_eur_per_year", _heat_column("net_benefit_eur"),
               "EUR/year", "net yearly benefit of the heat export", nullable=True),
        Output(f"annual.{cb}.cost_eur_per_mwh", _heat_column("cost_eur_per_mwh"), "EUR/MWh",
               "cost of the heat delivered", nullable=True),
    )


def _reporting_outputs() -> tuple[Output, ...]:
    return (
        Output("reporting.country", _choice("reporting_country"), kind="text",
               label="country"),
        Output("reporting.renewable_frac", "renewable_frac", "-", "renewable share (contracts)",
               table="x"),
        Output("reporting.commissioning_year", "commissioning_year", "-", "commissioning year",
               table="x", kind="int"),
        Output("reporting.commissioning_month", "commissioning_month", "-",
               "commissioning month", table="x", kind="int"),
    )


#: Every output, in record order.
OUTPUTS: tuple[Output, ...] = (
    *TOP,
    *(o for name in CONSTRAINTS for o in _constraint_outputs(name)),
    *_chain_outputs("design"),
    *_chain_outputs("operating"),
    *_ups_outputs(),
    *_compute_outputs(),
    *_deployment_outputs(),
    *_annual_outputs(),
    *_money_outputs(),
    *_carbon_outputs(),
    *_heat_outputs(),
    *_reporting_outputs(),
)
#: Sections that exist only when the year was simulated.
ANNUAL_SECTIONS = ("annual", "economics", "carbon")
BY_PATH: dict[str, Output] = {o.path: o for o in OUTPUTS}
#: The weather and load of each hour, exported before the chain (not record fields).
HOURLY_INPUTS = (("dry_bulb_c", "dry_bulb_c"), ("wet_bulb_c", "wet_bulb_c"),
                 ("dew_point_c", "dew_point_c"), ("utilization_frac", "utilization_frac"))


#: The heat export of each hour (heat_reuse), after the chain: (column, chain key, divisor).
HOURLY_HEAT = (("heat_available_mw", "liquid_heat_w", W_PER_MW),
               ("heat_demand_mw", "heat_demand_w", W_PER_MW),
               ("heat_delivered_mw", "heat_delivered_w", W_PER_MW),
               ("heat_pump_mw", "heat_pump_w", W_PER_MW))


def find(path: str) -> tuple[Output, int | None]:
    """The output at a concrete record path (``deployments.0.gpus``) and its list index."""
    if path in BY_PATH:
        return BY_PATH[path], None
    parts = path.split(".")
    for k, part in enumerate(parts):
        if part.isdigit() and k:
            template = ".".join([*parts[:k - 1], parts[k - 1] + "[]", *parts[k + 1:]])
            if template in BY_PATH:
                return BY_PATH[template], int(part)
    raise KeyError(path)


def output_names(*, annual: bool = True, deployments: int = 1, months: int = 12,
                 plants: Iterable[str] = ("dry_cooler",)) -> list[str]:
    """Every concrete output path a run gives, without running it."""
    plants = set(plants)
    names = []
    for o in OUTPUTS:
        if (o.section in ANNUAL_SECTIONS and not annual) or (o.plant and o.plant not in plants):
            continue
        if "[]" not in o.path:
            names.append(o.path)
            continue
        count = deployments if o.section == "deployments" else months
        names += [o.path.replace("[]", f".{k}") for k in range(count)]
    return names


@cache
def reductions(monthly: bool) -> tuple[tuple[str, Reduce], ...]:
    """(annual key, reduction) of every annual output that declares one."""
    return tuple((o.source, o.reduce) for o in OUTPUTS
                 if o.reduce is not None and ("monthly[]" in o.path) == monthly)


def plant_outputs(plant: str, basis: str = "design") -> list[Output]:
    """The cooling outputs of a plant at design (or operating) load, in record order."""
    return [o for o in OUTPUTS if o.plant == plant and o.path.startswith(f"{basis}.")]


def facility_parts(plant: str) -> list[Output]:
    """The design-point outputs that add up to facility power, for a plant."""
    return [o for o in OUTPUTS if o.part and o.path.startswith("design.")
            and o.plant in (None, plant)]


def hourly_columns(plant: str) -> list[tuple[str, str, float]]:
    """Columns of the hourly export of a scenario with ``plant``: (name, chain key, divisor);
    the weather and load, each power of the chain, the heat export, then the hour's carbon and
    cost (:func:`hourly_accounts`)."""
    columns = [(name, key, 1.0) for name, key in HOURLY_INPUTS]
    columns += [(o.hourly, o.source.removeprefix("design_"), o.divisor) for o in OUTPUTS
                if o.hourly and o.path.startswith("design.") and o.plant in (None, plant)]
    return columns + list(HOURLY_HEAT) + list(HOURLY_ACCOUNTS)


#: The carbon and cost of each hour: (column, key of :func:`hourly_accounts`, divisor).
HOURLY_ACCOUNTS = (("grid_g_per_kwh", "grid_g_per_kwh", 1.0),
                   ("operational_tco2e", "operational_tco2e", 1.0),
                   ("electricity_eur", "electricity_eur", 1.0))


def hourly_accounts(hours: Arrays, price_eur_per_mwh: float) -> Arrays:
    """The operational carbon and the electricity cost of each hour of a kept year.

    Parameters
    ----------
    hours : dict of ndarray
        One scenario's hourly chain, with ``facility_w`` [W] and ``grid_g_per_kwh``
        [gCO2e/kWh] (H,) (a single intensity broadcast when the scenario gives no file).
    price_eur_per_mwh : float
        Electricity price per MWh drawn [EUR/MWh]: energy, the network tariff's energy part
        and excise (:func:`dcplanner.engine.economics.energy_price_eur_per_mwh`).

    Returns
    -------
    dict of ndarray
        ``grid_g_per_kwh`` (H,), ``operational_tco2e`` [tCO2e] of each hour (facility energy
        of the hour times its intensity: their sum is the year's ``annual`` operational
        carbon) and ``electricity_eur`` [EUR] (facility energy of the hour times the price:
        the fixed per-kW part of the grid tariff is a yearly charge, not in any hour).
    """
    facility_w = np.asarray(hours["facility_w"], dtype=float)
    intensity = np.broadcast_to(np.asarray(hours["grid_g_per_kwh"], dtype=float),
                                facility_w.shape)
    # One hour at facility_w watts is facility_w Wh.
    return {"grid_g_per_kwh": np.array(intensity),
            "operational_tco2e": facility_w * intensity / WH_PER_KWH / G_PER_TONNE,
            "electricity_eur": facility_w / W_PER_MW * price_eur_per_mwh}


@dataclass(frozen=True)
class Result:
    """The results of a batch of scenarios, as arrays; records and columns come from
    :data:`OUTPUTS`.

    Attributes
    ----------
    x : dict of ndarray
        The inputs (:func:`~dcplanner.engine.params.flatten`).
    design : dict of ndarray
        The design point (:func:`~dcplanner.engine.design.evaluate`).
    annual : dict of ndarray, optional
        The year's reductions (:func:`~dcplanner.engine.annual.simulate`); None without it.
    money : dict of ndarray, optional
        Economics and carbon (:func:`~dcplanner.engine.economics.costs`).
    hourly : dict
        The hourly chain of the scenarios whose hours were kept, by index.
    """

    x: Arrays
    design: Arrays
    annual: Arrays | None = None
    money: Arrays | None = None
    hourly: dict[int, Arrays] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.x["count"])

    def select(self, i: int) -> Result:
        """Scenario ``i`` alone, as a batch of one."""
        n = len(self)

        def one(arrays: Arrays | None) -> Arrays | None:
            if arrays is None:
                return None
            return {k: v[i:i + 1] if isinstance(v, np.ndarray) and v.ndim and len(v) == n
                    else v for k, v in arrays.items()}

        return Result(one(self.x), one(self.design), one(self.annual), one(self.money),
                      {0: self.hourly[i]} if i in self.hourly else {})

    def _arrays(self, table: Table) -> Arrays:
        arrays = {"x": self.x, "design": self.design, "annual": self.annual,
                  "money": self.money}[table]
        if arrays is None:
            raise KeyError(f"no {table} results: run with the annual simulation")
        return arrays

    def _column(self, o: Output) -> NDArray:
        arrays = None if callable(o.source) else self._arrays(o.table)
        if arrays is not None and o.plant is not None and o.source not in arrays:
            return np.full(len(self), np.nan)  # no scenario of the batch has this plant
        values = o.source(self) if arrays is None else arrays[o.source]
        return values / o.divisor if o.divisor != 1.0 else values

    def __getitem__(self, path: str) -> NDArray:
        """An output as a column, in its recorded unit: ``result["facility_peak_mw"]`` (S,),
        ``result["deployments[].gpus"]`` (S, D), ``result["deployments.0.gpus"]`` (S,)."""
        o, index = find(path)
        values = self._column(o)
        return values if index is None else values[:, index]

    def plants(self) -> NDArray:
        """Each scenario's cooling plant."""
        return text_of("cooling_plant", self.x["cooling_plant"])

    def deployments(self) -> NDArray:
        """Deployments of each scenario (padding columns are not deployments)."""
        return (self.x["system"] != None).sum(axis=1)  # noqa: E711 (object array)

    def check(self) -> None:
        """Raise :class:`~dcplanner.errors.ConfigError` for every scenario that is not valid
        (:meth:`invalid`), one problem each."""
        problems = [Problem("", path if len(self) == 1 else
                            ": ".join(filter(None, (f"scenario {i}", path))), message)
                    for i, (path, message) in enumerate(found or ("", "")
                                                        for found in self.invalid())
                    if message]
        if problems:
            raise ConfigError(problems)

    def invalid(self, keys: Iterable[str] | None = None) -> list[tuple[str, str] | None]:
        """Each scenario's first reason to refuse its result, as (dotted path, message): a
        system that would draw more than its supply capacity, or a number output that is not
        finite (:meth:`non_finite` of ``keys``); None for a valid scenario."""
        over = self.design["dep_over_supply"]
        found: list[tuple[str, str] | None] = [
            None if path is None else ("", not_finite(path)) for path in self.non_finite(keys)]
        # Only the cases that break it are visited: a batch is mostly valid.
        for i in np.flatnonzero(over.any(axis=1)).tolist():
            k = int(np.argmax(over[i]))
            found[i] = (f"deployments.{k}.system", self._over_supply(i, k))
        return found

    def _over_supply(self, i: int, k: int) -> str:
        x = self.x
        gpu_w = float(accelerator_peak_w(x["gpu_tdp_w"][i, k], x["gpu_power_cap_w"][i, k]))
        return (f"{x['system'][i, k]} draws {self.design['dep_peak_system_w'][i, k] / 1e3:,.2f}"
                f" kW at peak ({x['gpus_per_system'][i, k]:g} x {gpu_w:g} W GPUs + "
                f"{x['host_peak_w'][i, k]:g} W host), above its {x['rated_w'][i, k] / 1e3:,.2f}"
                " kW supply capacity (rated_w): lower the power cap or the host power, or raise "
                "rated_w")

    def non_finite(self, keys: Iterable[str] | None = None) -> list[str | None]:
        """Each scenario's first number output that is infinite, or NaN where the output is not
        nullable (None: every number is finite): what a run refuses rather than reports.
        ``keys``: only those outputs (a study's), so that an output nobody asked for, some of
        which re-evaluate the batch (the provisioning alternatives), costs nothing."""
        first: list[str | None] = [None] * len(self)
        plants, deployments = self.plants(), self.deployments()
        wanted = OUTPUTS if keys is None else list(dict.fromkeys(find(k)[0] for k in keys))
        for o in wanted:
            if o.kind != "float" or (o.section in ANNUAL_SECTIONS and self.annual is None):
                continue
            values = np.asarray(self._column(o), dtype=float)
            bad = np.isinf(values) if o.nullable else ~np.isfinite(values)
            if values.ndim == 2:
                if o.section == "deployments":  # padding columns are not deployments
                    bad &= np.arange(values.shape[1]) < deployments[:, None]
                bad = bad.any(axis=1)
            if o.plant is not None:
                bad &= plants == o.plant
            for i in np.flatnonzero(bad).tolist():
                first[i] = first[i] or o.path
        return first

    def records(self) -> list[dict]:
        """One nested dict per scenario: the JSON of ``dcplanner run``, keys in declaration
        order; a value declared nullable is None where it is NaN."""
        n = len(self)
        plants = self.plants().tolist()
        deployments = self.deployments().tolist()
        records: list[dict] = [{} for _ in range(n)]
        present = set(plants)
        for o in OUTPUTS:
            if (o.section in ANNUAL_SECTIONS and self.annual is None) or (
                    o.plant is not None and o.plant not in present):
                continue
            values = _python(o, self._column(o))
            for i in range(n):
                if o.plant is not None and o.plant != plants[i]:
                    continue
                if "[]" in o.path:
                    head, rest = o.path.split("[].", 1)
                    count = deployments[i] if o.section == "deployments" else len(values[i])
                    items = _node(records[i], head, list)
                    while len(items) < count:
                        items.append({})
                    for k in range(count):
                        _put(items[k], rest, values[i][k])
                else:
                    _put(records[i], o.path, values[i])
        return records


def not_finite(path: str) -> str:
    """Why a result is refused: its output ``path`` is not a finite number."""
    return (f"result {path} is not a finite number: an input lies beyond what the model "
            "computes with (a value near zero that it divides by, or near 1e308); check the "
            "inputs of that result")


def _python(o: Output, values: NDArray) -> list:
    """A column as Python values of the output's kind (None for nullable NaN)."""
    items = values.tolist() if isinstance(values, np.ndarray) else list(values)
    convert = {"float": float, "int": int, "bool": bool}.get(o.kind)
    if convert is None:
        return items

    def one(v: Any) -> Any:
        if isinstance(v, list):
            return [one(u) for u in v]
        if o.nullable and v != v:  # NaN
            return None
        return convert(v)

    return [one(v) for v in items]


def _node(record: dict, path: str, kind: type) -> Any:
    node = record
    parts = path.split(".")
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    return node.setdefault(parts[-1], kind())


def _put(record: dict, path: str, value: Any) -> None:
    parts = path.split(".")
    node = record
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = value


__all__ = ["OUTPUTS", "Output", "Result", "find", "hourly_columns", "output_names"]
