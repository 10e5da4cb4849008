"""Parameters: resolved scenarios as numbers, scenarios on axis 0 and deployments on axis 1."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from dcplanner.catalog import Accelerator, Fabric, System
from dcplanner.models import electrical, it_power
from dcplanner.models.compute import PRECISIONS
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
)
from dcplanner.units import PA_PER_KPA, W_PER_KW, W_PER_MW

Arrays = dict[str, NDArray]


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
