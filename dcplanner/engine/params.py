"""Engine inputs, each declared once: where it is in a scenario, its unit factor and its axis.

A :class:`Param` maps one scenario field (``site.grid_mw``) or one field of a resolved
deployment (``accelerator.tdp_w``) to one engine column (``grid_w``). :func:`flatten` is
generated from these declarations: scenario fields become arrays of shape (S,), deployment
fields (S, D) (scenarios with fewer deployments are padded with empty ones), tables (S, K).
:func:`with_column` replaces one input for a whole batch, and studies map a varied dotted path
to its column through :func:`param_at`. A field that is unset (``None``) is NaN: "not a
limit" for the site's limits, "no cap" for a power cap, "the grid connection" for a
transformer rating. A named choice (a UPS topology, a cooling plant) is its index in the
declared choices inside the arrays only; text columns (names, labels) ride along for the
records and are never read by the physics.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from dcplanner.models.compute import PRECISIONS
from dcplanner.models.cooling.chiller import CHILLER_MODELS
from dcplanner.models.electrical import FEEDS, TOPOLOGIES, curve_loss_frac, no_load_loss_frac
from dcplanner.models.it_power import PROVISIONING_BASES
from dcplanner.scenario import GRID_INTENSITY_PRESETS, ResolvedDeployment, ResolvedScenario
from dcplanner.scenario.cooling import AIR_ECONOMIZERS, LOOP_SIDES, PLANT_NAMES
from dcplanner.scenario.heat_reuse import COP_MODELS, COUNTRIES, DEMAND_KINDS, OWNERS
from dcplanner.scenario.workload import PROFILE_KINDS
from dcplanner.units import PA_PER_KPA, W_PER_KW, W_PER_MW

Arrays = dict[str, NDArray]

Kind = Literal["number", "flag", "choice", "text", "table"]


@dataclass(frozen=True)
class Param:
    """One engine input.

    Attributes
    ----------
    key : str
        Engine column, with its unit (``grid_w``).
    path : str
        Dotted path of the field: in the scenario (``site.grid_mw``), or, for a deployment
        input, on the resolved deployment (``accelerator.tdp_w``, ``system.host_peak_w``,
        ``fabric.radix``, ``count``).
    scale : float
        Engine value = field value x scale (``W_PER_MW`` for ``grid_mw`` -> ``grid_w``).
    deployment : bool
        One value per deployment, shape (S, D), instead of one per scenario.
    pad : float
        Value of the padding deployments (count 0) that fill a batch to D columns; chosen so
        that every division stays defined.
    kind : str
        ``number``; ``flag`` (a bool as 0/1); ``choice`` (index into ``choices``); ``text``
        (an object column for records only); ``table`` (a list as a row of shape (K,),
        padded by repeating its last point).
    choices : tuple of str
        The named values of a ``choice``.
    read : callable, optional
        The value when it is not the field itself (a preset's value, a value keyed by the
        deployment's system): ``read(scenario)``, or ``read(deployment, scenario)``.
    structural : bool
        Changing the field also changes how the scenario resolves (a system's GPUs turn a GPU
        count into systems), so a study rebuilds the case instead of replacing the column.
    """

    key: str
    path: str
    scale: float = 1.0
    deployment: bool = False
    pad: float = 0.0
    kind: Kind = "number"
    choices: tuple[str, ...] = ()
    read: Callable[..., Any] | None = None
    structural: bool = False

    def code(self, name: str) -> int:
        """The index of a named choice in the arrays."""
        return self.choices.index(name)


def _dep(key: str, path: str, scale: float = 1.0, **kw: Any) -> Param:
    return Param(key, path, scale, deployment=True, **kw)


def _no_load_loss_frac(curve: Any) -> float:
    """A UPS curve's no-load loss per rated output (computed once, not per hour)."""
    return float(no_load_loss_frac([curve.load_frac], [curve.efficiency])[0])


def _grid_intensity(s: Any) -> float:
    return s.carbon.grid_g_per_kwh


def _embodied(d: ResolvedDeployment, s: Any) -> float:
    return s.carbon.embodied_tco2e_per_system.get(d.system_name, 0.0)


def _carbon_basis(s: Any) -> str:
    """How the carbon of the year is counted, in words."""
    carbon = s.carbon
    if carbon.intensity_file is not None:
        return f"hourly file {carbon.intensity_file}"
    if isinstance(carbon.grid_intensity, str):
        value, source = GRID_INTENSITY_PRESETS[carbon.grid_intensity]
        return f"{carbon.grid_intensity}: {value:g} g/kWh ({source})"
    return f"{carbon.grid_intensity:g} g/kWh (scenario)"


def _chiller_curve(name: str) -> Callable[[Any], tuple[float, ...]]:
    """A reader of one curve (or valid range) of the scenario's chiller EIR curve set."""
    def read(s: Any) -> tuple[float, ...]:
        return s.cooling.chiller.curve_set()[name]

    return read


def _chiller_curves_name(s: Any) -> str:
    """The chiller's EIR curve set: its published name, or "coefficients" when given."""
    curves = s.cooling.chiller.curves
    return curves if isinstance(curves, str) else "coefficients"


def _tflops(precision: str) -> Callable[[ResolvedDeployment, Any], float]:
    def read(d: ResolvedDeployment, _: Any) -> float:
        return d.accelerator.tflops.get(precision, 0.0)

    return read


def _curve(name: str, absent: list[float]) -> Callable[[Any], list[float]]:
    """A heat pump curve's points, or a placeholder (never read) without a curve."""
    def read(s: Any) -> list[float]:
        hp = s.heat_reuse.heat_pump if s.heat_reuse is not None else None
        points = getattr(hp, name, None) if hp is not None else None
        return list(points) if points is not None else absent

    return read


#: Every engine input, in column order.
PARAMS: tuple[Param, ...] = (
    Param("scenario", "name", kind="text"),
    # Site.
    Param("grid_w", "site.grid_mw", W_PER_MW),
    Param("design_dry_bulb_c", "site.design_ambient_c"),
    Param("design_dew_point_c", "site.design_dew_point_c"),
    Param("site_altitude_m", "site.altitude_m"),
    Param("max_racks", "site.max_racks"),
    Param("max_rack_power_w", "site.max_rack_power_kw", W_PER_KW),
    Param("misc_load_frac", "site.misc_load_frac"),
    # Electrical.
    Param("distribution_efficiency", "electrical.distribution_efficiency"),
    Param("ups_topology", "electrical.ups.topology", kind="choice", choices=TOPOLOGIES),
    Param("ups_module_w", "electrical.ups.module_mw", W_PER_MW),
    Param("ups_modules", "electrical.ups.modules"),
    Param("ups_curve_load_frac", "electrical.ups.efficiency_curve.load_frac", kind="table",
          read=lambda s: s.electrical.ups.curve.load_frac),
    Param("ups_curve_efficiency", "electrical.ups.efficiency_curve.efficiency", kind="table",
          read=lambda s: s.electrical.ups.curve.efficiency),
    Param("ups_curve_loss_frac", "electrical.ups.efficiency_curve.efficiency", kind="table",
          read=lambda s: curve_loss_frac(s.electrical.ups.curve.load_frac,
                                         s.electrical.ups.curve.efficiency).tolist()),
    Param("ups_no_load_loss_frac", "electrical.ups.efficiency_curve",
          read=lambda s: _no_load_loss_frac(s.electrical.ups.curve)),
    Param("ups_preset", "electrical.ups.efficiency_preset", kind="text",
          read=lambda s: s.electrical.ups.preset or "curve"),
    Param("ups_feed", "electrical.ups.feed", kind="choice", choices=FEEDS),
    Param("pumps_on_ups", "electrical.ups.pumps_on_ups", kind="flag"),
    Param("generator_unit_va", "electrical.generators.unit_mva", W_PER_MW),
    Param("generator_units", "electrical.generators.units"),
    Param("generator_redundant_units", "electrical.generators.redundant_units"),
    Param("generator_heater_w", "electrical.generators.block_heater_kw", W_PER_KW),
    Param("transformer_rated_w", "electrical.transformer.rated_mva", W_PER_MW),
    Param("power_factor", "electrical.power_factor"),
    Param("transformer_no_load_loss_frac", "electrical.transformer.no_load_loss_frac"),
    Param("transformer_load_loss_frac", "electrical.transformer.load_loss_frac"),
    # Cooling: the plant, the loops every plant has, then each plant's own sections.
    Param("cooling_plant", "cooling.plant", kind="choice", choices=PLANT_NAMES),
    Param("liquid_supply_c", "cooling.liquid.supply_c"),
    Param("liquid_return_c", "cooling.liquid.return_c"),
    Param("liquid_side", "cooling.liquid.side", kind="choice", choices=LOOP_SIDES),
    Param("cdu_approach_k", "cooling.liquid.cdu_approach_k"),
    Param("liquid_pump_pa", "cooling.liquid.pump_head_kpa", PA_PER_KPA),
    Param("liquid_pump_efficiency", "cooling.liquid.pump_efficiency"),
    Param("chip_pump_pa", "cooling.liquid.chip_pump_head_kpa", PA_PER_KPA),
    Param("liquid_glycol_frac", "cooling.liquid.glycol_frac"),
    Param("chip_glycol_frac", "cooling.liquid.chip_glycol_frac"),
    Param("glycol_approach_k", "cooling.liquid.glycol_approach_k"),
    Param("air_water_supply_c", "cooling.air.water.supply_c"),
    Param("air_water_return_c", "cooling.air.water.return_c"),
    Param("air_pump_pa", "cooling.air.water.pump_head_kpa", PA_PER_KPA),
    Param("air_pump_efficiency", "cooling.air.water.pump_efficiency"),
    Param("air_delta_k", "cooling.air.delta_k"),
    Param("air_fan_pa", "cooling.air.fan_pressure_pa"),
    Param("air_fan_efficiency", "cooling.air.fan_efficiency"),
    Param("air_economizer", "cooling.air.economizer", kind="choice", choices=AIR_ECONOMIZERS),
    Param("air_economizer_effectiveness", "cooling.air.economizer_effectiveness"),
    Param("air_supply_c", "cooling.air.supply_air_c"),
    Param("air_economizer_fan_pa", "cooling.air.economizer_fan_pressure_pa"),
    Param("chiller_model", "cooling.chiller.model", kind="choice", choices=CHILLER_MODELS),
    Param("carnot_frac", "cooling.chiller.carnot_efficiency_frac"),
    Param("max_cop", "cooling.chiller.max_cop"),
    Param("chiller_rated_cop", "cooling.chiller.rated_cop"),
    Param("chiller_curves_name", "cooling.chiller.curves", kind="text",
          read=_chiller_curves_name),
    *(Param(f"chiller_{curve}", "cooling.chiller.curves", kind="table",
            read=_chiller_curve(curve))
      for curve in ("capft", "eirft", "eirfplr", "water_range_c", "condenser_range_c")),
    Param("chiller_min_part_load_frac", "cooling.chiller.min_part_load_frac"),
    Param("chiller_min_unloading_frac", "cooling.chiller.min_unloading_frac"),
    Param("chiller_units", "cooling.chiller.units"),
    Param("heat_rejection_w", "cooling.heat_rejection_mw", W_PER_MW),
    Param("approach_k", "cooling.dry_cooler.approach_k"),
    Param("coil_air_delta_k", "cooling.dry_cooler.coil_air_delta_k"),
    Param("dry_cooler_fan_pa", "cooling.dry_cooler.fan_pressure_pa"),
    Param("dry_cooler_fan_efficiency", "cooling.dry_cooler.fan_efficiency"),
    Param("adiabatic_enabled", "cooling.adiabatic.enabled", kind="flag"),
    Param("adiabatic_effectiveness", "cooling.adiabatic.effectiveness"),
    Param("adiabatic_switch_on_c", "cooling.adiabatic.switch_on_c"),
    Param("min_fan_speed_frac", "cooling.dry_cooler.min_fan_speed_frac"),
    Param("dry_cooler_unit_w", "cooling.dry_cooler.unit_mw", W_PER_MW),
    Param("dry_cooler_redundant_units", "cooling.dry_cooler.redundant_units"),
    Param("adiabatic_frost_lockout_c", "cooling.adiabatic.frost_lockout_c"),
    Param("adiabatic_cycles", "cooling.adiabatic.cycles_of_concentration"),
    Param("tower_approach_k", "cooling.cooling_tower.approach_k"),
    Param("tower_range_k", "cooling.cooling_tower.range_k"),
    Param("tower_min_water_c", "cooling.cooling_tower.min_water_c"),
    Param("tower_fan_w_per_w", "cooling.cooling_tower.fan_w_per_w"),
    Param("tower_evaporated_frac", "cooling.cooling_tower.evaporated_frac"),
    Param("tower_cycles", "cooling.cooling_tower.cycles_of_concentration"),
    Param("tower_drift_frac", "cooling.cooling_tower.drift_frac"),
    Param("economizer_approach_k", "cooling.cooling_tower.economizer_approach_k"),
    Param("condenser_pump_pa", "cooling.cooling_tower.pump_head_kpa", PA_PER_KPA),
    Param("condenser_pump_efficiency", "cooling.cooling_tower.pump_efficiency"),
    # Workload and the IT beyond the systems.
    Param("operating_power_frac", "workload.operating_power_frac"),
    Param("utilization_frac", "workload.utilization_frac"),
    Param("mfu_frac", "workload.mfu_frac"),
    Param("provisioning_basis", "workload.provisioning_basis", kind="choice",
          choices=PROVISIONING_BASES),
    Param("profile_kind", "workload.profile.kind", kind="choice", choices=PROFILE_KINDS),
    Param("profile_trough_frac", "workload.profile.trough_frac"),
    Param("profile_peak_hour", "workload.profile.peak_hour"),
    Param("profile_weekend_frac", "workload.profile.weekend_frac"),
    # Training runs (dcplanner train, a study's train block).
    Param("interruption_rate_per_gpu_h", "workload.training.interruption_rate_per_gpu_hour"),
    Param("checkpoint_write_s", "workload.training.checkpoint_write_s"),
    Param("checkpoint_interval_s", "workload.training.checkpoint_interval_s"),
    Param("restart_s", "workload.training.restart_s"),
    Param("checkpoint_gpu_w", "workload.training.checkpoint_gpu_w"),
    *(Param(f"{table}_{p}", f"workload.training.{table}_frac_by_precision.{p}")
      for table in ("mfu", "moe_mfu") for p in PRECISIONS),
    Param("frontend_storage_w_per_gpu", "network.frontend_storage_w_per_gpu"),
    Param("management_w_per_rack", "network.management_w_per_rack"),
    # Weather stress.
    Param("shift_k", "weather.shift_k"),
    Param("heatwave_enabled", "weather.heatwave.enabled", kind="flag"),
    Param("heatwave_peak_c", "weather.heatwave.peak_c"),
    # Economics and carbon.
    Param("eur_per_usd", "economics.eur_per_usd"),
    Param("facility_eur_per_w_it", "economics.facility_eur_per_mw_it", 1 / W_PER_MW),
    Param("ai_premium_frac", "economics.ai_premium_frac"),
    Param("capex_split", "economics.capex_split", kind="text"),
    Param("frontend_network_frac_of_fabric", "economics.frontend_network_frac_of_fabric"),
    Param("storage_frac_of_capex", "economics.storage_frac_of_capex"),
    Param("spares_frac_of_it", "economics.spares_frac_of_it"),
    Param("grid_connection_eur_per_w", "economics.grid_connection_eur_per_mw", 1 / W_PER_MW),
    Param("facility_lifetime_years", "economics.facility_lifetime_years"),
    Param("it_lifetime_years", "economics.it_lifetime_years"),
    Param("discount_rate_frac", "economics.discount_rate_frac"),
    Param("energy_eur_per_mwh", "economics.energy_eur_per_mwh"),
    Param("network_tariff_eur_per_mwh", "economics.network_tariff_eur_per_mwh"),
    Param("network_tariff_eur_per_w_year", "economics.network_tariff_eur_per_kw_year",
          1 / W_PER_KW),
    Param("excise_eur_per_mwh", "economics.excise_eur_per_mwh"),
    Param("maintenance_frac_per_year", "economics.maintenance_frac_per_year"),
    Param("it_support_frac_per_year", "economics.it_support_frac_per_year"),
    Param("insurance_frac_per_year", "economics.insurance_frac_per_year"),
    Param("local_tax_frac_per_year", "economics.local_tax_frac_per_year"),
    Param("staff_fte", "economics.staff_fte"),
    Param("staff_eur_per_fte_year", "economics.staff_eur_per_fte_year"),
    Param("sold_frac", "economics.sold_frac"),
    Param("goodput_job_gpus", "economics.goodput_job_gpus"),
    Param("grid_g_per_kwh", "carbon.grid_intensity", read=_grid_intensity),
    Param("carbon_basis", "carbon.grid_intensity", kind="text", read=_carbon_basis),
    # Heat reuse (all NaN without a district network) and reporting.
    Param("heat_supply_c", "heat_reuse.supply_c"),
    Param("heat_owner", "heat_reuse.owner", kind="choice", choices=OWNERS),
    Param("heat_pump_model", "heat_reuse.heat_pump.model", kind="choice", choices=COP_MODELS),
    Param("heat_pump_carnot_frac", "heat_reuse.heat_pump.carnot_efficiency_frac"),
    Param("heat_pump_max_cop", "heat_reuse.heat_pump.max_cop"),
    Param("heat_pump_curve_lift_k", "heat_reuse.heat_pump.lift_k", kind="table",
          read=_curve("lift_k", [0.0, 1.0])),
    Param("heat_pump_curve_cop", "heat_reuse.heat_pump.cop", kind="table",
          read=_curve("cop", [1.0, 1.0])),
    Param("heat_pump_capacity_w", "heat_reuse.heat_pump.capacity_mw", W_PER_MW),
    Param("heat_pump_eur_per_w", "heat_reuse.heat_pump.eur_per_mw", 1 / W_PER_MW),
    Param("heat_demand_kind", "heat_reuse.demand.kind", kind="choice", choices=DEMAND_KINDS),
    Param("heat_demand_annual_mwh", "heat_reuse.demand.annual_mwh"),
    Param("heat_demand_base_frac", "heat_reuse.demand.base_frac"),
    Param("heat_price_eur_per_mwh", "heat_reuse.heat_price_eur_per_mwh"),
    Param("heat_connection_eur", "heat_reuse.connection_eur"),
    Param("heat_lifetime_years", "heat_reuse.lifetime_years"),
    Param("heat_maintenance_frac_per_year", "heat_reuse.maintenance_frac_per_year"),
    Param("reporting_country", "reporting.country", kind="choice", choices=COUNTRIES),
    Param("renewable_frac", "reporting.renewable_frac"),
    Param("commissioning_year", "reporting.commissioning_year"),
    Param("commissioning_month", "reporting.commissioning_month"),
    # Deployments: what is deployed, then the catalog entries it uses.
    _dep("count", "count"),
    _dep("deployment_name", "label", kind="text"),
    _dep("system", "system_name", kind="text"),
    _dep("accelerator", "system.accelerator", kind="text"),
    _dep("fabric", "fabric_name", kind="text"),
    _dep("gpus_per_system", "system.gpus_per_system", pad=1, structural=True),
    _dep("gpu_tdp_w", "accelerator.tdp_w"),
    _dep("gpu_power_cap_w", "accelerator.power_cap_w"),
    _dep("gpu_idle_w", "accelerator.idle_w"),
    _dep("host_peak_w", "system.host_peak_w"),
    _dep("rated_w", "system.rated_w", pad=1.0),
    _dep("host_idle_w", "system.host_idle_w"),
    _dep("systems_per_rack", "system.systems_per_rack", pad=1),
    _dep("liquid_heat_frac", "system.liquid_heat_frac"),
    _dep("compute_ports_per_gpu", "system.compute_ports_per_gpu"),
    _dep("fabric_radix", "fabric.radix", pad=2),
    _dep("fabric_switch_w", "fabric.switch_w"),
    _dep("fabric_host_transceiver_w", "fabric.host_transceiver_w_per_port"),
    _dep("hbm_gb", "accelerator.hbm_gb"),
    _dep("price_usd", "system.price_usd"),
    _dep("fabric_switch_usd", "fabric.switch_usd"),
    _dep("fabric_transceiver_usd_per_end", "fabric.transceiver_usd_per_end"),
    _dep("fabric_cable_usd_per_link", "fabric.cable_usd_per_link"),
    _dep("market_usd_per_gpu_hour", "accelerator.market_usd_per_gpu_hour"),
    *(_dep(f"tflops_{p}", f"accelerator.tflops.{p}", read=_tflops(p)) for p in PRECISIONS),
    _dep("embodied_tco2e", "carbon.embodied_tco2e_per_system", read=_embodied),
)

BY_KEY: dict[str, Param] = {p.key: p for p in PARAMS}


@cache
def param_at(path: str, deployment: bool = False) -> Param | None:
    """The numeric input a dotted path sets, if one does: a scenario path, or (with
    ``deployment``) a path on a resolved deployment."""
    for p in PARAMS:
        if p.path == path and p.deployment == deployment and p.read is None:
            return p
    return None


def _get(obj: Any, path: str) -> Any:
    """The value at a dotted attribute path; a mapping's key for the last part; None where a
    part is not there (another plant's section, an unset optional section)."""
    for part in path.split("."):
        if obj is None:
            return None
        obj = obj.get(part) if isinstance(obj, dict) else getattr(obj, part, None)
    return obj


def _value(p: Param, obj: Any, scenario: Any) -> Any:
    if p.read is not None:
        raw = p.read(obj, scenario) if p.deployment else p.read(scenario)
    else:
        raw = _get(obj, p.path)
    if p.kind in ("text", "table"):
        return raw
    if raw is None:
        return 0.0 if p.kind == "flag" else np.nan
    if p.kind == "choice":
        return float(p.code(raw))
    return float(raw) * p.scale if p.scale != 1.0 else float(raw)


def _table(rows: list[list[float] | None]) -> NDArray:
    """Lists as rows of one (S, K) array, each padded by repeating its last point."""
    k = max(len(r) for r in rows if r is not None)
    return np.array([[np.nan] * k if r is None else list(r) + [r[-1]] * (k - len(r))
                     for r in rows])


def object_array(values: Sequence[Any]) -> NDArray:
    """A 1-D object array holding ``values`` as they are (``np.array`` would turn a list of
    lists into a 2-D array, and strings into a fixed-width dtype)."""
    out = np.empty(len(values), dtype=object)
    out[:] = list(values)
    return out


def _column(p: Param, values: list[Any]) -> NDArray:
    if p.kind == "table":
        return _table(values)
    if p.kind == "text":
        return object_array(values)
    return np.array(values, dtype=float)


def flatten(scenarios: Sequence[ResolvedScenario]) -> Arrays:
    """Every :data:`PARAMS` input of a batch: scenario inputs (S,), deployment inputs (S, D)
    with empty deployments (count 0) padding the shorter scenarios, tables (S, K)."""
    x: Arrays = {}
    d = max(len(r.deployments) for r in scenarios)
    for p in PARAMS:
        if not p.deployment:
            x[p.key] = _column(p, [_value(p, r.scenario, r.scenario) for r in scenarios])
            continue
        text = p.kind == "text"
        table = np.full((len(scenarios), d), None if text else p.pad,
                        dtype=object if text else float)
        for i, r in enumerate(scenarios):
            for j, dep in enumerate(r.deployments):
                table[i, j] = _value(p, dep, r.scenario)
        x[p.key] = table
    return x


def rows(x: Arrays, index: ArrayLike) -> Arrays:
    """The batch made of rows ``index`` of ``x`` (repeats allowed)."""
    index = np.asarray(index)
    return {key: value[index] for key, value in x.items()}


def stack(batches: Sequence[Arrays]) -> Arrays:
    """Batches one after the other, deployments padded to the widest (empty deployments) and
    tables to the longest (their last point repeated)."""
    if len(batches) == 1:
        return batches[0]
    out: Arrays = {}
    for p in PARAMS:
        parts = [b[p.key] for b in batches]
        if p.deployment or p.kind == "table":
            width = max(a.shape[1] for a in parts)
            parts = [_widen(p, a, width) for a in parts]
        out[p.key] = np.concatenate(parts)
    return out


def _widen(p: Param, a: NDArray, width: int) -> NDArray:
    if a.shape[1] == width:
        return a
    if p.kind == "table":
        extra = np.repeat(a[:, -1:], width - a.shape[1], axis=1)
    else:
        extra = np.full((a.shape[0], width - a.shape[1]), None if p.kind == "text" else p.pad,
                        dtype=a.dtype)
    return np.concatenate([a, extra], axis=1)


def size(x: Arrays) -> int:
    """Scenarios in a batch."""
    return len(x["count"])


def with_column(x: Arrays, path: str, values: ArrayLike, *,
                deployment: int | NDArray | None = None) -> Arrays:
    """The batch with the input at ``path`` set to ``values`` (in the field's unit), one row
    per value; a one-scenario ``x`` is repeated to the number of values.

    Parameters
    ----------
    x : dict of ndarray
        A flattened batch of one or ``len(values)`` scenarios.
    path : str
        A scenario path (``site.grid_mw``), or with ``deployment`` a deployment path
        (``count``, ``accelerator.tdp_w``).
    values : array_like, shape (N,)
        The new values.
    deployment : int or ndarray, optional
        The deployment column (one for all rows, or one per row), or a boolean mask (N, D) of
        the deployments to set.

    Raises
    ------
    KeyError
        If no numeric input is declared at ``path``.
    """
    p = param_at(path, deployment is not None)
    if p is None or p.kind not in ("number", "flag"):
        raise KeyError(f"no numeric engine input at {path!r}")
    values = np.asarray(values, dtype=float).ravel()
    n = values.size
    batch = rows(x, np.zeros(n, dtype=int)) if size(x) == 1 and n != 1 else dict(x)
    scaled = values * p.scale if p.scale != 1.0 else values
    column = batch[p.key].copy()
    if deployment is None:
        column[:] = scaled
    elif np.ndim(deployment) == 2:
        column[deployment] = np.broadcast_to(scaled[:, None], column.shape)[deployment]
    else:
        column[np.arange(n), np.broadcast_to(np.asarray(deployment), (n,))] = scaled
    batch[p.key] = column
    return batch


def text_of(key: str, code: ArrayLike) -> NDArray:
    """The named choices of a choice column (codes to names)."""
    names = np.array(BY_KEY[key].choices, dtype=object)
    return names[np.asarray(code, dtype=int)]


def code_of(key: str, name: str) -> int:
    """The code of a named choice in the arrays (``code_of("ups_topology", "catcher")``)."""
    return BY_KEY[key].code(name)
