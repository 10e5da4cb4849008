"""Annual simulation: every hour of a weather year through the facility chain.

For each scenario: the weather year (built-in or EPW, with its stress), the hourly utilization
of the GPUs, the IT load it gives (linear between every GPU idle and every GPU busy, so exact
for the component model of :mod:`dcplanner.models.it_power`), then
:func:`dcplanner.engine.facility_chain` on arrays of shape (scenarios, hours). Only reductions
(annual and monthly) are kept, chunk by chunk, so memory stays bounded for any batch; the hourly
rows of chosen scenarios can be kept for export.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from dcplanner.engine.chain import facility_chain
from dcplanner.engine.hourly import ScenarioHours
from dcplanner.engine.params import Arrays
from dcplanner.models import climate
from dcplanner.units import G_PER_TONNE, L_PER_M3, S_PER_H, WH_PER_KWH, WH_PER_MWH
from dcplanner.weather.stress import stressed_dew_point_c, stressed_dry_bulb_c

#: Scenarios evaluated together: (16, 8,760) float64 arrays are 1.1 MB each, which keeps the
#: working set near the CPU caches (16 measured faster than 4, 64 or 256; bench/bench_annual.py).
CHUNK_SCENARIOS = 16
@dataclass(frozen=True)
class Annual:
    """Annual results of a batch: ``values[key]`` has shape (S,) or (S, 12) (monthly), and
    ``hourly[i]`` the hourly arrays (H,) of scenario i when they were asked for."""

    values: Arrays
    hours: list[ScenarioHours]
    hourly: dict[int, Arrays]


def _hourly_chain(x: Arrays, out: Arrays, h: ScenarioHours, sl: slice,
                  shift_k: NDArray, peak_c: NDArray, utilization: NDArray) -> Arrays:
    """The facility chain for scenarios ``sl`` of the batch, every hour of their weather."""
    w = h.weather
    stresses = set(zip(shift_k.tolist(), np.nan_to_num(peak_c, nan=-999.0).tolist(),
                       strict=True))
    if len(stresses) == 1:  # one weather for the chunk: compute it once, broadcast it
        shift_k, peak_c = shift_k[:1], peak_c[:1]
    dry = stressed_dry_bulb_c(w.dry_bulb_c, shift_k[:, None], peak_c[:, None],
                              h.heatwave_weight, h.peak_day_mask)
    dew = stressed_dew_point_c(w.dew_point_c, shift_k[:, None], dry)
    wet = climate.wet_bulb_c(dry, climate.relative_humidity_frac(dry, dew))
    xs = {k: v[sl] for k, v in x.items()}

    def load(name: str) -> NDArray:
        idle, busy = out[f"idle_{name}"][sl, None], out[f"busy_{name}"][sl, None]
        return idle + (busy - idle) * utilization

    chain = facility_chain(xs, load("it_w"), load("liquid_heat_w"), dry, wet)
    chain.update(dry_bulb_c=dry, wet_bulb_c=wet, dew_point_c=dew, utilization_frac=utilization)
    # Flat profiles and shared weather leave some arrays at (S, 1) or (1, H): views at (S, H).
    shape = chain["facility_w"].shape
    return {k: np.broadcast_to(v, shape) for k, v in chain.items() if np.ndim(v) == 2}


def _mwh(power_w: NDArray) -> NDArray:
    """Energy [MWh] of hourly powers [W] summed over the last axis (1 h per row)."""
    return power_w.sum(axis=-1) / WH_PER_MWH


def _loop_hours(free_frac: NDArray) -> tuple[NDArray, NDArray, NDArray]:
    """Hours in full free cooling, partial, and full chiller."""
    full = (free_frac >= 1.0).sum(axis=-1)
    none = (free_frac <= 0.0).sum(axis=-1)
    return full, free_frac.shape[-1] - full - none, none


def summarize(c: Arrays, grid_w: NDArray, heat_rejection_w: NDArray,
              month_starts: NDArray) -> Arrays:
    """Annual (S,) and monthly (S, M) reductions of hourly chain arrays of shape (S, H)."""
    water_m3 = c["cooling_water_kg_per_s"] * S_PER_H / L_PER_M3  # per hour, 1 kg = 1 L
    it_mwh = _mwh(c["it_w"])
    facility_mwh = _mwh(c["facility_w"])
    grid_excess_w = np.maximum(c["facility_w"] - grid_w[:, None], 0.0)
    heat_excess_w = np.maximum(c["cooling_heat_rejected_w"] - heat_rejection_w[:, None], 0.0)
    no_heat_limit = np.isnan(heat_rejection_w)
    fans_w = c["cooling_air_fan_w"] + c["cooling_dry_cooler_fan_w"]
    loss_w = c["distribution_loss_w"] + c["ups_loss_w"] + c["transformer_loss_w"]
    peak_hour = c["facility_w"].argmax(axis=-1)
    rows = np.arange(peak_hour.size)
    out: Arrays = {
        "hours": np.full(peak_hour.size, c["facility_w"].shape[-1]),
        "it_mwh": it_mwh,
        "facility_mwh": facility_mwh,
        "pue": facility_mwh / it_mwh,
        "electrical_loss_mwh": _mwh(loss_w),
        "cooling_mwh": _mwh(c["cooling_cooling_w"]),
        "chiller_mwh": _mwh(c["cooling_chiller_w"]),
        "pumps_mwh": _mwh(c["cooling_pump_w"]),
        "fans_mwh": _mwh(fans_w),
        "misc_mwh": _mwh(c["misc_w"]),
        "water_m3": water_m3.sum(axis=-1),
        "facility_peak_w": c["facility_w"][rows, peak_hour],
        "facility_peak_hour": peak_hour,
        "dry_bulb_at_peak_c": c["dry_bulb_c"][rows, peak_hour],
        "it_peak_w": c["it_w"].max(axis=-1),
        "facility_mean_w": c["facility_w"].mean(axis=-1),
        "pue_min": c["pue"].min(axis=-1),
        "pue_max": c["pue"].max(axis=-1),
        "utilization_mean_frac": c["utilization_frac"].mean(axis=-1),
        "dry_bulb_max_c": c["dry_bulb_c"].max(axis=-1),
        "wet_bulb_max_c": c["wet_bulb_c"].max(axis=-1),
        "grid_exceeded_hours": (grid_excess_w > 0).sum(axis=-1),
        "grid_excess_max_w": grid_excess_w.max(axis=-1),
        "grid_excess_mwh": _mwh(grid_excess_w),
        "heat_rejection_exceeded_hours": np.where(
            no_heat_limit, np.nan, (heat_excess_w > 0).sum(axis=-1)),
        "heat_rejection_excess_max_w": np.where(no_heat_limit, np.nan, heat_excess_w.max(-1)),
        "heat_rejected_peak_w": c["cooling_heat_rejected_w"].max(axis=-1),
    }
    # W x g/kWh summed over hours is Wh x g/kWh.
    out["carbon_tco2e"] = ((c["facility_w"] * c["grid_g_per_kwh"]).sum(axis=-1)
                           / WH_PER_KWH / G_PER_TONNE)
    out["wue_l_per_kwh"] = out["water_m3"] * L_PER_M3 / (it_mwh * WH_PER_MWH / WH_PER_KWH)
    for loop in ("liquid", "air"):
        full, partial, none = _loop_hours(c[f"cooling_{loop}_free_frac"])
        out[f"{loop}_free_hours"] = full
        out[f"{loop}_partial_hours"] = partial
        out[f"{loop}_chiller_hours"] = none
    # The whole plant: no chiller running, or both loops fully on chillers.
    hours = c["facility_w"].shape[-1]
    out["plant_free_hours"] = (c["cooling_chiller_w"] <= 0.0).sum(axis=-1)
    out["plant_chiller_hours"] = ((c["cooling_liquid_free_frac"] <= 0.0)
                                  & (c["cooling_air_free_frac"] <= 0.0)).sum(axis=-1)
    out["plant_partial_hours"] = hours - out["plant_free_hours"] - out["plant_chiller_hours"]
    plant_free = (c["cooling_chiller_w"] <= 0.0).astype(float)
    plant_chiller = ((c["cooling_liquid_free_frac"] <= 0.0)
                     & (c["cooling_air_free_frac"] <= 0.0)).astype(float)

    def monthly_sum(a: NDArray) -> NDArray:
        return np.add.reduceat(a, month_starts, axis=-1)

    counts = np.diff(np.append(month_starts, hours))
    m_it = monthly_sum(c["it_w"]) / WH_PER_MWH
    m_facility = monthly_sum(c["facility_w"]) / WH_PER_MWH
    out.update({
        "monthly_it_mwh": m_it,
        "monthly_facility_mwh": m_facility,
        "monthly_pue": m_facility / m_it,
        "monthly_facility_peak_w": np.maximum.reduceat(c["facility_w"], month_starts, axis=-1),
        "monthly_dry_bulb_mean_c": monthly_sum(c["dry_bulb_c"]) / counts,
        "monthly_dry_bulb_max_c": np.maximum.reduceat(c["dry_bulb_c"], month_starts, axis=-1),
        "monthly_liquid_free_hours": monthly_sum(
            (c["cooling_liquid_free_frac"] >= 1.0).astype(float)),
        "monthly_chiller_mwh": monthly_sum(c["cooling_chiller_w"]) / WH_PER_MWH,
        "monthly_water_m3": monthly_sum(water_m3),
        "monthly_plant_free_hours": monthly_sum(plant_free),
        "monthly_plant_chiller_hours": monthly_sum(plant_chiller),
    })
    out["monthly_plant_partial_hours"] = (counts - out["monthly_plant_free_hours"]
                                          - out["monthly_plant_chiller_hours"])
    return out


def simulate(
    hours: Sequence[ScenarioHours],
    x: Arrays,
    out: Arrays,
    *,
    chunk_scenarios: int = CHUNK_SCENARIOS,
    keep_hourly: Sequence[int] = (),
) -> Annual:
    """Run every scenario of a batch through its weather year, hour by hour (vectorized).

    Parameters
    ----------
    hours : sequence of ScenarioHours
        Weather, stress and load profile of each scenario (:func:`dcplanner.engine.hourly.
        hourly_inputs`), in the order of ``x`` and ``out``.
    x, out : dict of ndarray
        :func:`dcplanner.engine.flatten` and :func:`dcplanner.engine.evaluate` of the batch.
    chunk_scenarios : int
        Scenarios per vectorized chunk; bounds memory at about 60 arrays of
        (chunk, hours) float64.
    keep_hourly : sequence of int
        Scenarios whose hourly arrays are returned (for ``--hourly-output``).
    """
    values: Arrays = {}
    hourly: dict[int, Arrays] = {}
    n = len(hours)
    for group in _groups(hours):
        first = hours[group[0]]
        month_starts = np.flatnonzero(np.diff(first.weather.month, prepend=0))
        for start in range(0, group.size, chunk_scenarios):
            idx = group[start:start + chunk_scenarios]
            # Groups are runs of consecutive scenarios, so a chunk is a slice of the batch.
            sl = slice(int(idx[0]), int(idx[-1]) + 1)
            shift = np.array([hours[i].shift_k for i in idx])
            peak = np.array([hours[i].heatwave_peak_c for i in idx])
            utilization = _stack([hours[i].utilization_frac for i in idx])
            chain = _hourly_chain(x, out, first, sl, shift, peak, utilization)
            chain["grid_g_per_kwh"] = np.broadcast_to(
                _stack([hours[i].grid_g_per_kwh for i in idx]), chain["facility_w"].shape)
            summary = summarize(chain, x["grid_w"][sl], x["heat_rejection_w"][sl], month_starts)
            for key, value in summary.items():
                if key not in values:
                    values[key] = np.full((n, *value.shape[1:]), np.nan)
                values[key][sl] = value
            for i in keep_hourly:
                if sl.start <= i < sl.stop:
                    hourly[i] = {k: np.array(v[i - sl.start]) for k, v in chain.items()}
    return Annual(values, list(hours), hourly)


def _groups(hours: Sequence[ScenarioHours]) -> list[NDArray]:
    """Runs of consecutive scenarios sharing a base weather year and heatwave window."""
    keys = [h.group_key for h in hours]
    breaks = [i for i in range(1, len(keys)) if keys[i] != keys[i - 1]]
    return np.split(np.arange(len(keys)), breaks)


def _stack(profiles: list[NDArray]) -> NDArray:
    """Hourly rows as (S, H), or (S, 1) when every row is constant."""
    if all(p.size == 1 for p in profiles):
        return np.array([p.reshape(1) for p in profiles])
    hours = max(p.size for p in profiles)
    return np.array([np.broadcast_to(p, (hours,)) for p in profiles])
