"""Result records: the engine's arrays turned into one nested dict per scenario.

Keys carry their units. The record is what ``--format json`` prints; the table and CSV
renderers in :mod:`dcplanner.output` read the same record.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING

import numpy as np

from dcplanner.engine.params import Arrays
from dcplanner.models.compute import PRECISIONS
from dcplanner.scenario import ResolvedScenario
from dcplanner.units import L_PER_M3, S_PER_H, W_PER_KW, W_PER_MW
from dcplanner.weather.year import MONTH_NAMES, hour_label

if TYPE_CHECKING:  # hourly_inputs imports the scenario layer; results only needs the type
    from dcplanner.engine.hourly import ScenarioHours


#: Unit, divisor from the engine's base unit, and meaning of each constraint.
CONSTRAINT_INFO = {
    "grid": ("MW", W_PER_MW, "facility peak vs grid connection"),
    "ups": ("MW", W_PER_MW, "UPS output vs usable UPS capacity under the topology"),
    "heat_rejection": ("MW", W_PER_MW, "heat rejected vs installed heat rejection"),
    "racks": ("racks", 1.0, "racks vs white-space racks"),
    "rack_power": ("kW", W_PER_KW, "highest rack power vs rack power limit"),
}
#: Constraints checked at the design point, in report order.
CONSTRAINTS = tuple(CONSTRAINT_INFO)

IT_PARTS = ("gpus", "hosts", "compute_fabric", "frontend_storage", "management")


def _f(value) -> float | None:
    """A JSON-safe float: None for NaN (a limit that is not set)."""
    value = float(value)
    return None if math.isnan(value) else value


def _mw(value) -> float:
    return float(value) / W_PER_MW


def _constraints(out: Arrays, i: int) -> dict:
    table = {}
    for name in CONSTRAINTS:
        unit, scale, meaning = CONSTRAINT_INFO[name]
        limit = _f(out[f"{name}_limit"][i])
        value = float(out[f"{name}_value"][i]) / scale
        table[name] = {
            "meaning": meaning,
            "unit": unit,
            "value": value,
            "limit": None if limit is None else limit / scale,
            "headroom": None if limit is None else limit / scale - value,
            "headroom_frac": _f(out[f"{name}_headroom_frac"][i]),
            "status": "not set" if limit is None
            else ("ok" if limit / scale - value >= 0 else "VIOLATED"),
        }
    return table


def _chain(out: Arrays, basis: str, i: int) -> dict:
    def get(key: str) -> float:
        return float(out[f"{basis}_{key}"][i])

    return {
        "it_mw": get("it_w") / W_PER_MW,
        "facility_mw": get("facility_w") / W_PER_MW,
        "pue": get("pue"),
        "parts_mw": {part: get(f"{part}_w") / W_PER_MW for part in IT_PARTS},
        "electrical": {
            "distribution_loss_mw": get("distribution_loss_w") / W_PER_MW,
            "ups_output_mw": get("ups_output_w") / W_PER_MW,
            "ups_load_frac": get("ups_load_frac"),
            "ups_efficiency": get("ups_efficiency"),
            "ups_loss_mw": get("ups_loss_w") / W_PER_MW,
            "transformer_loss_mw": get("transformer_loss_w") / W_PER_MW,
            "misc_mw": get("misc_w") / W_PER_MW,
        },
        "cooling": {
            "liquid_heat_mw": get("liquid_heat_w") / W_PER_MW,
            "air_heat_mw": get("air_heat_w") / W_PER_MW,
            "liquid_free_cooling_frac": get("cooling_liquid_free_frac"),
            "air_free_cooling_frac": get("cooling_air_free_frac"),
            "liquid_chiller_cop": get("cooling_liquid_cop"),
            "air_chiller_cop": get("cooling_air_cop"),
            "liquid_coil_air_c": get("cooling_liquid_coil_air_c"),
            "air_coil_air_c": get("cooling_air_coil_air_c"),
            "chillers_mw": get("cooling_chiller_w") / W_PER_MW,
            "pumps_mw": get("cooling_pump_w") / W_PER_MW,
            "air_fans_mw": get("cooling_air_fan_w") / W_PER_MW,
            "dry_cooler_fans_mw": get("cooling_dry_cooler_fan_w") / W_PER_MW,
            "cooling_mw": get("cooling_cooling_w") / W_PER_MW,
            "heat_rejected_mw": get("cooling_heat_rejected_w") / W_PER_MW,
            "adiabatic_water_m3_per_h": get("cooling_water_kg_per_s") * S_PER_H / L_PER_M3,
        },
    }


def _deployments(r: ResolvedScenario, out: Arrays, i: int) -> list[dict]:
    rows = []
    for j, dep in enumerate(r.deployments):
        rows.append({
            "name": dep.label,
            "system": dep.system_name,
            "accelerator": dep.system.accelerator,
            "count": dep.count,
            "gpus": int(out["dep_gpus"][i][j]),
            "racks": int(out["dep_racks"][i][j]),
            "system_design_kw": float(out["dep_design_system_w"][i][j]) / W_PER_KW,
            "system_operating_kw": float(out["dep_operating_system_w"][i][j]) / W_PER_KW,
            "rack_design_kw": float(out["dep_rack_w"][i][j]) / W_PER_KW,
            "fabric": dep.fabric_name,
            "fabric_tiers": int(out["dep_fabric_tiers"][i][j]),
            "fabric_switches": int(out["dep_fabric_switches"][i][j]),
            "fabric_optical_ends": int(out["dep_fabric_optical_ends"][i][j]),
            "fabric_mw": float(out["dep_fabric_w"][i][j]) / W_PER_MW,
        })
    return rows


def _precisions(out: Arrays, prefix: str, i: int, supported: set[str]) -> dict:
    return {p: (float(out[f"{prefix}_{p}"][i]) if p in supported else None) for p in PRECISIONS}


def as_lists(arrays: Arrays) -> dict[str, list]:
    """Arrays as nested Python lists: indexing them per scenario is many times faster."""
    return {key: np.asarray(value).tolist() for key, value in arrays.items()}


#: Sections of a record besides its top-level figures, in record order.
SECTIONS = ("constraints", "design", "operating", "ups", "compute", "deployments")


def records(resolved: Sequence[ResolvedScenario], out: Arrays,
            sections: Collection[str] | None = None) -> list[dict]:
    """One nested dict per scenario; a precision no deployed chip supports is None.

    ``sections`` limits the nested sections built (default: all of :data:`SECTIONS`); the
    top-level figures are always there. Studies use it to build only what they keep.
    """
    out = as_lists(out)
    wanted = [name for name in SECTIONS if sections is None or name in sections]
    result = []
    for i, r in enumerate(resolved):
        s = r.scenario
        grid_mw = out["grid_limit"][i] / W_PER_MW
        facility_peak_mw = out["design_facility_w"][i] / W_PER_MW
        record = {
            "scenario": s.name,
            "feasible": bool(out["feasible"][i]),
            "binding_constraint": CONSTRAINTS[int(out["binding"][i])],
            "violated": [n for n in CONSTRAINTS
                         if out[f"{n}_value"][i] > out[f"{n}_limit"][i]],  # NaN: not set
            "grid_mw": grid_mw,
            "facility_peak_mw": facility_peak_mw,
            "grid_headroom_mw": grid_mw - facility_peak_mw,
            "it_design_mw": _mw(out["design_it_w"][i]),
            "it_operating_mw": _mw(out["operating_it_w"][i]),
            "it_busy_mw": _mw(out["busy_it_w"][i]),
            "pue_design": float(out["design_pue"][i]),
            "facility_operating_mw": _mw(out["operating_facility_w"][i]),
            "pue_operating": float(out["operating_pue"][i]),
            "gpus": int(out["gpus"][i]),
            "racks": int(out["racks"][i]),
            "design_ambient_c": s.site.design_ambient_c,
            "design_wet_bulb_c": float(out["design_wet_bulb_c"][i]),
            "provisioning_basis": s.workload.provisioning_basis,
        }
        for name in wanted:
            record[name] = _section(name, r, out, i)
        result.append(record)
    return result


def _section(name: str, r: ResolvedScenario, out: dict, i: int) -> dict | list:
    """One nested section of scenario ``i``'s record."""
    s = r.scenario
    if name == "constraints":
        return _constraints(out, i)
    if name in ("design", "operating"):
        return _chain(out, name, i)
    if name == "ups":
        return {
            "topology": s.electrical.ups.topology,
            "modules": s.electrical.ups.modules,
            "module_mw": s.electrical.ups.module_mw,
            "installed_mw": _mw(out["design_ups_installed_w"][i]),
            "usable_mw": _mw(out["design_ups_usable_w"][i]),
        }
    if name == "compute":
        supported = {p for d in r.deployments for p, v in d.accelerator.tflops.items() if v > 0}
        return {
            "gpus": int(out["gpus"][i]),
            "peak_pflops": _precisions(out, "peak_pflops", i, supported),
            "sustained_pflops": _precisions(out, "sustained_pflops", i, supported),
            "mfu_frac": s.workload.mfu_frac,
            "utilization_frac": s.workload.utilization_frac,
            "hbm_tb": float(out["hbm_tb"][i]),
        }
    return _deployments(r, out, i)


def flat_row(record: dict, prefix: str = "") -> dict[str, object]:
    """A record flattened to dotted keys (lists by index), for CSV and study rows."""
    row: dict[str, object] = {}
    items = record.items() if isinstance(record, dict) else enumerate(record)
    for key, value in items:
        name = f"{prefix}{key}"
        if isinstance(value, dict | list):
            row.update(flat_row(value, f"{name}."))
        elif isinstance(value, np.generic):
            row[name] = value.item()
        else:
            row[name] = value
    return row


#: Loops whose cooling-mode hours are reported, with their label.
COOLING_LOOPS = {"plant": "whole plant", "liquid": "liquid loop", "air": "air-side loop"}
def annual_record(a: Arrays, i: int, hours: ScenarioHours, grid_mw: float,
                  heat_limit_mw: float | None, profile: str) -> dict:
    """The annual part of scenario ``i``'s record (``a``: :class:`~dcplanner.engine.annual.Annual`
    values; ``hours``: its :class:`~dcplanner.engine.hourly.ScenarioHours`)."""
    def get(key: str) -> float:
        return float(a[key][i])

    w = hours.weather
    peak = int(a["facility_peak_hour"][i])
    grid = {
        "limit_mw": grid_mw,
        "exceeded_hours": int(get("grid_exceeded_hours")),
        "excess_max_mw": _mw(get("grid_excess_max_w")),
        "excess_mwh": get("grid_excess_mwh"),
    }
    heat = {
        "limit_mw": heat_limit_mw,
        "peak_mw": _mw(get("heat_rejected_peak_w")),
        "exceeded_hours": None if heat_limit_mw is None
        else int(get("heat_rejection_exceeded_hours")),
        "excess_max_mw": None if heat_limit_mw is None
        else _mw(get("heat_rejection_excess_max_w")),
    }
    months = [int(m) for m in w.month[np.flatnonzero(np.diff(w.month, prepend=0))]]
    return {
        "weather": w.name,
        "weather_notes": list(hours.notes[1:]),
        "profile": profile,
        "hours": int(get("hours")),
        "it_mwh": get("it_mwh"),
        "facility_mwh": get("facility_mwh"),
        "pue": get("pue"),
        "pue_hourly_min": get("pue_min"),
        "pue_hourly_max": get("pue_max"),
        "electrical_loss_mwh": get("electrical_loss_mwh"),
        "cooling_mwh": get("cooling_mwh"),
        "chiller_mwh": get("chiller_mwh"),
        "pumps_mwh": get("pumps_mwh"),
        "fans_mwh": get("fans_mwh"),
        "misc_mwh": get("misc_mwh"),
        "facility_peak_mw": _mw(get("facility_peak_w")),
        "facility_peak_hour": hour_label(int(w.month[peak]), int(w.day[peak]),
                                         int(w.hour[peak])),
        "dry_bulb_at_peak_c": get("dry_bulb_at_peak_c"),
        "facility_mean_mw": _mw(get("facility_mean_w")),
        "it_peak_mw": _mw(get("it_peak_w")),
        "utilization_mean_frac": get("utilization_mean_frac"),
        "dry_bulb_max_c": get("dry_bulb_max_c"),
        "wet_bulb_max_c": get("wet_bulb_max_c"),
        "cooling_hours": {
            loop: {mode: int(get(f"{loop}_{mode}_hours"))
                   for mode in ("free", "partial", "chiller")}
            for loop in COOLING_LOOPS
        },
        "water_m3": get("water_m3"),
        "wue_l_per_kwh": get("wue_l_per_kwh"),
        "grid": grid,
        "heat_rejection": heat,
        "plant_holds": grid["exceeded_hours"] == 0 and not heat["exceeded_hours"],
        "monthly": [
            {
                "month": MONTH_NAMES[m - 1],
                "it_mwh": float(a["monthly_it_mwh"][i][k]),
                "facility_mwh": float(a["monthly_facility_mwh"][i][k]),
                "pue": float(a["monthly_pue"][i][k]),
                "facility_peak_mw": _mw(a["monthly_facility_peak_w"][i][k]),
                "dry_bulb_mean_c": float(a["monthly_dry_bulb_mean_c"][i][k]),
                "dry_bulb_max_c": float(a["monthly_dry_bulb_max_c"][i][k]),
                "liquid_free_hours": int(a["monthly_liquid_free_hours"][i][k]),
                "chiller_mwh": float(a["monthly_chiller_mwh"][i][k]),
                "water_m3": float(a["monthly_water_m3"][i][k]),
                "cooling_hours": {mode: int(a[f"monthly_plant_{mode}_hours"][i][k])
                                  for mode in ("free", "partial", "chiller")},
            }
            for k, m in enumerate(months)
        ],
    }
