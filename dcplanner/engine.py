"""Design-point engine: scenarios -> parameter arrays -> pure models -> result arrays.

One code path (DESIGN §2): a single run is a batch of one. :func:`flatten` turns resolved
scenarios into numbers only, scenarios on axis 0 and deployments on axis 1; :func:`evaluate`
calls the model functions on those arrays; :func:`run` joins them and builds result records.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence

import numpy as np

from dcplanner.annual import Annual, simulate
from dcplanner.catalog import Accelerator, Fabric, System
from dcplanner.chain import facility_chain
from dcplanner.economics import carbon_record, costs, economics_record
from dcplanner.hourly_inputs import hourly_inputs
from dcplanner.models import climate, electrical, it_power, network
from dcplanner.models.compute import PRECISIONS, peak_pflops, sustained_pflops
from dcplanner.results import CONSTRAINTS, Arrays, annual_record, as_lists, records
from dcplanner.scenario import (
    Cooling,
    Economics,
    Electrical,
    Network,
    ResolvedDeployment,
    ResolvedScenario,
    Scenario,
    Site,
    Workload,
    resolve,
)
from dcplanner.units import GB_PER_TB, PA_PER_KPA, W_PER_KW, W_PER_MW


def _site_values(site: Site) -> dict[str, float]:
    nan = float("nan")
    return {
        "grid_w": site.grid_mw * W_PER_MW,
        "design_dry_bulb_c": site.design_ambient_c,
        "design_dew_point_c": site.design_dew_point_c,
        "max_racks": nan if site.max_racks is None else site.max_racks,
        "max_rack_power_w": nan if site.max_rack_power_kw is None
        else site.max_rack_power_kw * W_PER_KW,
        "misc_load_frac": site.misc_load_frac,
    }


def _electrical_values(el: Electrical, site: Site) -> dict[str, float]:
    return {
        "distribution_efficiency": el.distribution_efficiency,
        "ups_topology": electrical.TOPOLOGIES.index(el.ups.topology),
        "ups_module_w": el.ups.module_mw * W_PER_MW,
        "ups_modules": el.ups.modules,
        "transformer_rated_w": (el.transformer.rated_mva or site.grid_mw) * W_PER_MW,
        "transformer_no_load_loss_frac": el.transformer.no_load_loss_frac,
        "transformer_load_loss_frac": el.transformer.load_loss_frac,
    }


def _cooling_values(co: Cooling) -> dict[str, float]:
    return {
        "liquid_supply_c": co.liquid.supply_c,
        "liquid_return_c": co.liquid.return_c,
        "liquid_pump_pa": co.liquid.pump_head_kpa * PA_PER_KPA,
        "liquid_pump_efficiency": co.liquid.pump_efficiency,
        "air_water_supply_c": co.air.water.supply_c,
        "air_water_return_c": co.air.water.return_c,
        "air_pump_pa": co.air.water.pump_head_kpa * PA_PER_KPA,
        "air_pump_efficiency": co.air.water.pump_efficiency,
        "air_delta_k": co.air.delta_k,
        "air_fan_pa": co.air.fan_pressure_pa,
        "air_fan_efficiency": co.air.fan_efficiency,
        "approach_k": co.dry_cooler.approach_k,
        "coil_air_delta_k": co.dry_cooler.coil_air_delta_k,
        "dry_cooler_fan_pa": co.dry_cooler.fan_pressure_pa,
        "dry_cooler_fan_efficiency": co.dry_cooler.fan_efficiency,
        "adiabatic_effectiveness": co.adiabatic.effectiveness if co.adiabatic.enabled else 0.0,
        "carnot_frac": co.chiller.carnot_efficiency_frac,
        "max_cop": co.chiller.max_cop,
        "heat_rejection_w": float("nan") if co.heat_rejection_mw is None
        else co.heat_rejection_mw * W_PER_MW,
    }


def _workload_values(wl: Workload, net: Network) -> dict[str, float]:
    return {
        "operating_power_frac": wl.operating_power_frac,
        "utilization_frac": wl.utilization_frac,
        "mfu_frac": wl.mfu_frac,
        "provisioning_basis": it_power.PROVISIONING_BASES.index(wl.provisioning_basis),
        "frontend_storage_w_per_gpu": net.frontend_storage_w_per_gpu,
        "management_w_per_rack": net.management_w_per_rack,
    }


def _memo(memo: dict, fn, *parts: object) -> dict:
    """``fn(*parts)``, once per set of part objects in one flatten call: a batch built from
    copies of one scenario shares most of its sections."""
    key = (fn, *map(id, parts))
    if key not in memo:
        memo[key] = fn(*parts)
    return memo[key]


def _scenario_values(s: Scenario, memo: dict) -> dict[str, float]:
    return {
        **_memo(memo, _site_values, s.site),
        **_memo(memo, _electrical_values, s.electrical, s.site),
        **_memo(memo, _cooling_values, s.cooling),
        **_memo(memo, _workload_values, s.workload, s.network),
        **_memo(memo, _economics_values, s.economics),
    }


def _economics_values(ec: Economics) -> dict[str, float]:
    return {
        "eur_per_usd": ec.eur_per_usd,
        "facility_eur_per_w_it": ec.facility_eur_per_mw_it / W_PER_MW,
        "ai_premium_frac": ec.ai_premium_frac,
        "network_frac_of_it": ec.network_frac_of_it,
        "storage_frac_of_capex": ec.storage_frac_of_capex,
        "facility_lifetime_years": ec.facility_lifetime_years,
        "it_lifetime_years": ec.it_lifetime_years,
        "discount_rate_frac": ec.discount_rate_frac,
        "energy_all_in_eur_per_mwh": ec.energy_eur_per_mwh + ec.network_tariff_eur_per_mwh
        + ec.excise_eur_per_mwh,
        "maintenance_frac_per_year": ec.maintenance_frac_per_year,
        "staff_eur_per_year": ec.staff_fte * ec.staff_eur_per_fte_year,
    }


def _hardware_values(sysm: System, acc: Accelerator, fab: Fabric) -> dict[str, float]:
    values = {
        "gpus_per_system": sysm.gpus_per_system,
        "gpu_tdp_w": acc.tdp_w,
        "gpu_power_cap_w": float("nan") if acc.power_cap_w is None else acc.power_cap_w,
        "gpu_idle_w": acc.idle_w,
        "host_peak_w": sysm.host_peak_w,
        "host_idle_w": sysm.host_idle_w,
        "systems_per_rack": sysm.systems_per_rack,
        "liquid_heat_frac": sysm.liquid_heat_frac,
        "compute_ports_per_gpu": sysm.compute_ports_per_gpu,
        "fabric_radix": fab.radix,
        "fabric_switch_w": fab.switch_w,
        "fabric_host_transceiver_w": fab.host_transceiver_w_per_port,
        "hbm_gb": acc.hbm_gb,
        "price_usd": float("nan") if sysm.price_usd is None else sysm.price_usd,
    }
    values.update({f"tflops_{p}": acc.tflops.get(p, 0.0) for p in PRECISIONS})
    return values


def _deployment_values(d: ResolvedDeployment, memo: dict) -> dict[str, float]:
    return {"count": d.count, **_memo(memo, _hardware_values, d.system, d.accelerator, d.fabric)}


#: Values for padding deployments (count 0) that keep every division defined.
_PADDING = {"gpus_per_system": 1, "systems_per_rack": 1, "fabric_radix": 2}


def flatten(scenarios: Sequence[ResolvedScenario]) -> Arrays:
    """Numbers only: scenario fields as shape (S,), deployment fields as shape (S, D).

    Scenarios with fewer deployments are padded with empty ones (count 0). The UPS efficiency
    tables become (S, K) arrays, padded by repeating their last point.
    """
    memo: dict = {}
    rows = [_scenario_values(r.scenario, memo) for r in scenarios]
    arrays: Arrays = {key: np.array([row[key] for row in rows]) for key in rows[0]}
    curves = [r.scenario.electrical.ups.efficiency_curve for r in scenarios]
    k = max(len(c.load_frac) for c in curves)
    arrays["ups_curve_load_frac"] = np.array([_pad(c.load_frac, k) for c in curves])
    arrays["ups_curve_efficiency"] = np.array([_pad(c.efficiency, k) for c in curves])
    d = max(len(r.deployments) for r in scenarios)
    keys = _deployment_values(scenarios[0].deployments[0], memo).keys()
    table = {key: np.full((len(scenarios), d), float(_PADDING.get(key, 0))) for key in keys}
    table["embodied_tco2e"] = np.zeros((len(scenarios), d))
    for i, r in enumerate(scenarios):
        embodied = r.scenario.carbon.embodied_tco2e_per_system
        for j, dep in enumerate(r.deployments):
            for key, value in _deployment_values(dep, memo).items():
                table[key][i, j] = value
            table["embodied_tco2e"][i, j] = embodied.get(dep.system_name, 0.0)
    arrays.update(table)
    return arrays


def _pad(values: list[float], k: int) -> list[float]:
    return list(values) + [values[-1]] * (k - len(values))


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
    provision_operating = (x["provisioning_basis"] == 1)[:, None]
    per_gpu = {
        "design": np.where(provision_operating, gpu_busy_w, gpu_peak_w),
        "operating": it_power.component_power_w(x["gpu_idle_w"], gpu_busy_w, util),
    }
    per_host = {
        "design": np.where(provision_operating, host_busy_w, x["host_peak_w"]),
        "operating": it_power.component_power_w(x["host_idle_w"], host_busy_w, util),
    }
    gpus = count * x["gpus_per_system"]
    racks = np.ceil(count / x["systems_per_rack"])
    endpoints = gpus * x["compute_ports_per_gpu"]
    fabric_w = network.fabric_power_w(
        endpoints, x["fabric_radix"], x["fabric_switch_w"], x["fabric_host_transceiver_w"]
    )
    out: Arrays = {
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
    wet_bulb_c = climate.wet_bulb_c(
        x["design_dry_bulb_c"],
        climate.relative_humidity_frac(x["design_dry_bulb_c"], x["design_dew_point_c"]),
    )
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
            chain = facility_chain(x, out[f"{basis}_it_w"], out[f"{basis}_liquid_heat_w"],
                                   x["design_dry_bulb_c"], wet_bulb_c)
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


def _constraints(x: Arrays, out: Arrays) -> None:
    """Value and limit of each constraint (NaN limit = not set), headroom and the binding one."""
    pairs = {
        "grid": (out["design_facility_w"], x["grid_w"]),
        "ups": (out["design_ups_output_w"], out["design_ups_usable_w"]),
        "heat_rejection": (out["design_cooling_heat_rejected_w"], x["heat_rejection_w"]),
        "racks": (out["racks"], x["max_racks"]),
        "rack_power": (out["dep_rack_w"].max(axis=1), x["max_rack_power_w"]),
    }
    fracs = []
    for name in CONSTRAINTS:
        value, limit = pairs[name]
        out[f"{name}_value"] = value
        out[f"{name}_limit"] = limit
        out[f"{name}_headroom_frac"] = (limit - value) / limit
        fracs.append(out[f"{name}_headroom_frac"])
    fracs = np.stack(fracs, axis=1)
    # Grid and UPS limits are always set, so every row has a finite minimum.
    out["binding"] = np.nanargmin(fracs, axis=1)
    out["feasible"] = np.all(np.isnan(fracs) | (fracs >= 0), axis=1)


def run_detailed(
    scenarios: Sequence[Scenario | ResolvedScenario],
    *,
    annual: bool = True,
    keep_hourly: Sequence[int] = (),
    sections: Collection[str] | None = None,
) -> tuple[list[dict], Annual | None]:
    """Records as :func:`run`, and the annual simulation with the hourly arrays of the
    scenarios in ``keep_hourly``. ``sections`` limits the record's nested sections (see
    :func:`dcplanner.results.records`; also ``annual``, ``economics``, ``carbon``)."""
    resolved = [s if isinstance(s, ResolvedScenario) else resolve(s) for s in scenarios]
    x = flatten(resolved)
    out = evaluate(x)
    result = records(resolved, out, sections)
    if not annual:
        return result, None
    year = simulate(hourly_inputs(resolved), x, out, keep_hourly=keep_hourly)
    money = as_lists(costs(x, out, year.values))
    values = as_lists(year.values)
    heat_limits_w = out["heat_rejection_limit"].tolist()
    for i, (r, record) in enumerate(zip(resolved, result, strict=True)):
        if sections is None or "annual" in sections:
            heat = heat_limits_w[i] / W_PER_MW
            record["annual"] = annual_record(
                values, i, year.hours[i], record["grid_mw"], None if math.isnan(heat) else heat,
                r.scenario.workload.profile.kind,
            )
        if sections is None or "economics" in sections:
            record["economics"] = economics_record(money, i, r)
        if sections is None or "carbon" in sections:
            record["carbon"] = carbon_record(money, i, r)
    return result, year


def run(scenarios: Sequence[Scenario | ResolvedScenario], *, annual: bool = True) -> list[dict]:
    """Design point and (unless ``annual=False``) the annual simulation of each scenario, as one
    result record (nested dict) per scenario."""
    return run_detailed(scenarios, annual=annual)[0]

