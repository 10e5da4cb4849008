"""Design point: the batched evaluation of every scenario at its design ambient and load."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from dcplanner.engine.chain import INSTALLED, facility_chain
from dcplanner.engine.params import Arrays, code_of
from dcplanner.models import climate, it_power, network
from dcplanner.models.compute import PRECISIONS, peak_pflops, sustained_pflops
from dcplanner.models.cooling.plants import INSTALLED_KEYS
from dcplanner.units import GB_PER_TB, W_PER_KW, W_PER_MW


def evaluate(x: Arrays) -> Arrays:
    """Evaluate the design point of every scenario in the batch.

    Returns
    -------
    dict of ndarray
        Per scenario (S,): IT parts at design (``design_*_w``) and operating (``operating_*_w``)
        power, the facility chain at both (``design_*`` and ``operating_*`` keys of
        :func:`facility_chain`), IT and liquid heat with every GPU idle and busy
        (``idle_it_w``, ``busy_it_w``, ``idle_liquid_heat_w``, ``busy_liquid_heat_w``),
        constraints (``*_value``, ``*_limit``), compute; per
        deployment (S, D): ``dep_*`` keys.
    """
    count = x["count"]
    op_frac = x["operating_power_frac"][:, None]
    util = x["utilization_frac"][:, None]
    gpu_peak_w = it_power.accelerator_peak_w(x["gpu_tdp_w"], x["gpu_power_cap_w"])
    gpu_busy_w = it_power.busy_power_w(gpu_peak_w, x["gpu_idle_w"], op_frac)
    host_busy_w = it_power.busy_power_w(x["host_peak_w"], x["host_idle_w"], op_frac)
    basis = x["provisioning_basis"][:, None]
    provision_operating = basis == code_of("provisioning_basis", "operating")
    # Nameplate: the host takes what the supply capacity leaves above the GPUs at peak.
    host_nameplate_w = x["rated_w"] - x["gpus_per_system"] * gpu_peak_w
    per_gpu = {
        "design": np.where(provision_operating, gpu_busy_w, gpu_peak_w),
        "operating": it_power.component_power_w(x["gpu_idle_w"], gpu_busy_w, util),
    }
    per_host = {
        "design": np.where(provision_operating, host_busy_w,
                           np.where(basis == code_of("provisioning_basis", "nameplate"),
                                    host_nameplate_w, x["host_peak_w"])),
        "operating": it_power.component_power_w(x["host_idle_w"], host_busy_w, util),
    }
    gpus = count * x["gpus_per_system"]
    racks = np.ceil(count / x["systems_per_rack"])
    # The most a system can draw (GPUs at TDP or cap, host at peak), whatever the basis the
    # plant is sized on: its supply capacity (rated_w) must carry it.
    peak_system_w = x["gpus_per_system"] * gpu_peak_w + x["host_peak_w"]
    endpoints = gpus * x["compute_ports_per_gpu"]
    fabric_w = network.fabric_power_w(
        endpoints, x["fabric_radix"], x["fabric_switch_w"], x["fabric_host_transceiver_w"]
    )
    out: Arrays = {
        "dep_peak_system_w": peak_system_w,
        "dep_over_supply": (count > 0) & (peak_system_w > x["rated_w"] * (1 + 1e-9)),
        "dep_gpus": gpus,
        "dep_racks": racks,
        "dep_fabric_tiers": network.fat_tree_tiers(endpoints, x["fabric_radix"]),
        "dep_fabric_switches": network.fat_tree_switches(endpoints, x["fabric_radix"]),
        "dep_fabric_optical_ends": network.fat_tree_optical_ends(endpoints, x["fabric_radix"]),
        "dep_fabric_w": fabric_w,
        "gpus": gpus.sum(axis=1),
        "racks": racks.sum(axis=1),
    }
    # Hourly load is linear in utilization: idle (u = 0) and busy (u = 1) bound it.
    per_gpu["idle"], per_host["idle"] = x["gpu_idle_w"], x["host_idle_w"]
    per_gpu["busy"], per_host["busy"] = gpu_busy_w, host_busy_w
    wet_bulb_c = climate.wet_bulb_c(x["design_dry_bulb_c"], x["design_dew_point_c"],
                                    climate.standard_pressure_pa(x["site_altitude_m"]))
    out["design_wet_bulb_c"] = wet_bulb_c
    for basis in ("design", "operating", "idle", "busy"):
        system_w = x["gpus_per_system"] * per_gpu[basis] + per_host[basis]
        parts = {
            "gpus_w": (gpus * per_gpu[basis]).sum(axis=1),
            "hosts_w": (count * per_host[basis]).sum(axis=1),
            "compute_fabric_w": fabric_w.sum(axis=1),
            "frontend_storage_w": out["gpus"] * x["frontend_storage_w_per_gpu"],
            "management_w": out["racks"] * x["management_w_per_rack"],
        }
        out[f"{basis}_it_w"] = sum(parts.values())
        out[f"{basis}_liquid_heat_w"] = (x["liquid_heat_frac"] * count * system_w).sum(axis=1)
        if basis in ("design", "operating"):
            out[f"dep_{basis}_system_w"] = system_w
            out.update({f"{basis}_{key}": value for key, value in parts.items()})
            # The operating load runs on the plant installed for the design load.
            installed = {} if basis == "design" else {
                f"{INSTALLED}{key}": out[f"design_{key}"] for key in INSTALLED_KEYS
                if f"design_{key}" in out}
            chain = facility_chain({**x, **installed}, out[f"{basis}_it_w"],
                                   out[f"{basis}_liquid_heat_w"], x["design_dry_bulb_c"],
                                   wet_bulb_c)
            out.update({f"{basis}_{key}": value for key, value in chain.items()})
    rack_w = np.where(count > 0, x["systems_per_rack"] * out["dep_design_system_w"], 0.0)
    out["dep_rack_w"] = rack_w
    _constraints(x, out)
    for p in PRECISIONS:
        peak = peak_pflops(gpus, x[f"tflops_{p}"]).sum(axis=1)
        out[f"peak_pflops_{p}"] = peak
        out[f"sustained_pflops_{p}"] = sustained_pflops(peak, x["mfu_frac"], x["utilization_frac"])
    out["hbm_tb"] = (gpus * x["hbm_gb"]).sum(axis=1) / GB_PER_TB
    return out


@dataclass(frozen=True)
class Constraint:
    """A limit checked at the design point: what it compares, in the engine's units, and how it
    reads (unit and divisor from the engine's base unit)."""

    meaning: str
    unit: str
    divisor: float
    value: Callable[[Arrays, Arrays], NDArray]
    limit: Callable[[Arrays, Arrays], NDArray]


#: Constraints checked at the design point, in report order; a NaN limit is not set.
CONSTRAINTS: dict[str, Constraint] = {
    "grid": Constraint("facility peak vs grid connection", "MW", W_PER_MW,
                       lambda x, out: out["design_facility_w"], lambda x, out: x["grid_w"]),
    # Transformers are rated in apparent power: the draw at the site's power factor.
    "transformer": Constraint("facility apparent power vs transformer rating", "MVA",
                              W_PER_MW, lambda x, out: out["design_facility_w"]
                              / x["power_factor"], lambda x, out: x["transformer_rated_w"]),
    "ups": Constraint("UPS output vs usable UPS capacity under the topology", "MW", W_PER_MW,
                      lambda x, out: out["design_ups_output_w"],
                      lambda x, out: out["design_ups_usable_w"]),
    "heat_rejection": Constraint("heat rejected vs installed heat rejection", "MW", W_PER_MW,
                                 lambda x, out: out["design_heat_rejected_w"],
                                 lambda x, out: x["heat_rejection_w"]),
    "racks": Constraint("racks vs white-space racks", "racks", 1.0,
                        lambda x, out: out["racks"], lambda x, out: x["max_racks"]),
    "rack_power": Constraint("highest rack power vs rack power limit", "kW", W_PER_KW,
                             lambda x, out: out["dep_rack_w"].max(axis=1),
                             lambda x, out: x["max_rack_power_w"]),
}


def _constraints(x: Arrays, out: Arrays) -> None:
    """Value and limit of each constraint (NaN limit = not set), headroom and the binding one."""
    for name, c in CONSTRAINTS.items():
        out[f"{name}_value"] = c.value(x, out)
        out[f"{name}_limit"] = c.limit(x, out)
    verdict(out)


def verdict(out: Arrays) -> None:
    """Headroom of each constraint from its ``*_value`` and ``*_limit`` in ``out``, the binding
    one and feasibility, in place (a provisioning policy that replaces some values calls it
    again: :mod:`dcplanner.solvers.provision`)."""
    fracs = []
    for name in CONSTRAINTS:
        limit = out[f"{name}_limit"]
        out[f"{name}_headroom_frac"] = (limit - out[f"{name}_value"]) / limit
        fracs.append(out[f"{name}_headroom_frac"])
    fracs = np.stack(fracs, axis=1)
    # Grid and UPS limits are always set, so every row has a finite minimum.
    out["binding"] = np.nanargmin(fracs, axis=1)
    out["feasible"] = np.all(np.isnan(fracs) | (fracs >= 0), axis=1)
