"""Annual simulation: every hour of a weather year through the facility chain.

For each scenario: the weather year (built-in or EPW) stressed by the scenario's shift and
heatwave, the hourly utilization of the GPUs, the IT load it gives (linear between every GPU
idle and every GPU busy, so exact for the component model of
:mod:`dcplanner.models.it_power`), then :func:`dcplanner.engine.chain.facility_chain` on arrays
of shape (scenarios, hours). Only reductions (annual and monthly) are kept, chunk by chunk, so
memory stays bounded for any batch; the hourly rows of chosen scenarios can be kept for export.
The reductions that are a plain sum, extreme or count over the hours are those the annual
outputs declare (:func:`dcplanner.engine.outputs.reductions`); the rest are written here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from dcplanner.engine.chain import facility_chain
from dcplanner.engine.hourly import (
    ScenarioHours,
    heatwave_peak_c,
    hourly_intensity,
    hourly_utilization_frac,
    weather_notes,
)
from dcplanner.engine.outputs import reductions
from dcplanner.engine.params import Arrays
from dcplanner.models import climate
from dcplanner.units import G_PER_TONNE, L_PER_M3, S_PER_H, WH_PER_KWH, WH_PER_MWH
from dcplanner.weather.stress import stressed_dew_point_c, stressed_dry_bulb_c
from dcplanner.weather.year import MONTH_NAMES, hour_label

#: Scenarios evaluated together: (16, 8,760) float64 arrays are 1.1 MB each, which keeps the
#: working set near the CPU caches (16 measured faster than 4, 64 or 256; bench/bench_annual.py).
CHUNK_SCENARIOS = 16


@dataclass(frozen=True)
class Annual:
    """Annual results of a batch: ``values[key]`` has shape (S,) or (S, 12) (monthly), and
    ``hourly[i]`` the hourly arrays (H,) of scenario i when they were asked for, with its
    calendar (``month``, ``day``, ``hour``)."""

    values: Arrays
    hourly: dict[int, Arrays]


def _hourly_chain(x: Arrays, out: Arrays, h: ScenarioHours) -> Arrays:
    """The facility chain of the scenarios of ``x`` (sharing ``h``), every hour of the year."""
    w = h.weather
    shift_k, peak_c = x["shift_k"], heatwave_peak_c(x)
    if np.unique(shift_k).size == 1 and np.unique(np.nan_to_num(peak_c, nan=-999.0)).size == 1:
        shift_k, peak_c = shift_k[:1], peak_c[:1]  # one weather for the chunk: compute it once
    dry = stressed_dry_bulb_c(w.dry_bulb_c, shift_k[:, None], peak_c[:, None],
                              h.heatwave_weight, h.peak_day_mask)
    dew = stressed_dew_point_c(w.dew_point_c, shift_k[:, None], dry)
    wet = climate.wet_bulb_c(dry, climate.relative_humidity_frac(dry, dew))
    utilization = hourly_utilization_frac(x, h)

    def load(name: str) -> NDArray:
        idle, busy = out[f"idle_{name}"][:, None], out[f"busy_{name}"][:, None]
        return idle + (busy - idle) * utilization

    chain = facility_chain(x, load("it_w"), load("liquid_heat_w"), dry, wet)
    chain.update(dry_bulb_c=dry, wet_bulb_c=wet, dew_point_c=dew, utilization_frac=utilization,
                 grid_g_per_kwh=hourly_intensity(x, h))
    # Flat profiles and shared weather leave some arrays at (S, 1) or (1, H): views at (S, H).
    shape = chain["facility_w"].shape
    return {k: np.broadcast_to(v, shape) for k, v in chain.items() if np.ndim(v) == 2}


def _derived(c: Arrays, x: Arrays) -> Arrays:
    """Hourly quantities that reductions need beyond the chain's own."""
    free = {loop: c[f"{loop}_free_frac"] for loop in ("liquid", "air")}
    return {
        "electrical_loss_w": c["distribution_loss_w"] + c["ups_loss_w"]
        + c["transformer_loss_w"],
        "water_m3_per_h": c["water_kg_per_s"] * S_PER_H / L_PER_M3,  # 1 kg = 1 L
        "grid_excess_w": (grid_excess := np.maximum(c["facility_w"] - x["grid_w"][:, None],
                                                    0.0)),
        "grid_exceeded": grid_excess > 0,
        "heat_excess_w": np.maximum(c["heat_rejected_w"] - x["heat_rejection_w"][:, None], 0.0),
        "liquid_free": free["liquid"] >= 1.0,
        # The whole plant: no chiller running, or both loops fully on chillers.
        "plant_free": c["chiller_w"] <= 0.0,
        "plant_chiller": (free["liquid"] <= 0.0) & (free["air"] <= 0.0),
    }


def _reduce(how: str, a: NDArray) -> NDArray:
    if how == "mwh":
        return a.sum(axis=-1) / WH_PER_MWH
    if how == "count":
        return a.sum(axis=-1)
    return getattr(a, how)(axis=-1)


def _reduce_monthly(how: str, a: NDArray, starts: NDArray, counts: NDArray) -> NDArray:
    if how == "max":
        return np.maximum.reduceat(a, starts, axis=-1)
    if how == "min":
        return np.minimum.reduceat(a, starts, axis=-1)
    total = np.add.reduceat(a.astype(float) if a.dtype == bool else a, starts, axis=-1)
    return {"mwh": total / WH_PER_MWH, "mean": total / counts}.get(how, total)


def summarize(c: Arrays, x: Arrays, month_starts: NDArray) -> Arrays:
    """Annual (S,) and monthly (S, M) reductions of hourly chain arrays of shape (S, H)."""
    c = {**c, **_derived(c, x)}
    hours = c["facility_w"].shape[-1]
    counts = np.diff(np.append(month_starts, hours))
    out: Arrays = {key: _reduce(how, c[src]) for key, (how, src) in reductions(False)}
    out.update({key: _reduce_monthly(how, c[src], month_starts, counts)
                for key, (how, src) in reductions(True)})
    peak_hour = c["facility_w"].argmax(axis=-1)
    rows = np.arange(peak_hour.size)
    no_heat_limit = np.isnan(x["heat_rejection_w"])
    out.update({
        "hours": np.full(peak_hour.size, hours),
        "pue": out["facility_mwh"] / out["it_mwh"],
        "facility_peak_hour": peak_hour,
        "dry_bulb_at_peak_c": c["dry_bulb_c"][rows, peak_hour],
        "heat_rejection_exceeded_hours": np.where(
            no_heat_limit, np.nan, (c["heat_excess_w"] > 0).sum(axis=-1)),
        "heat_rejection_excess_max_w": np.where(no_heat_limit, np.nan,
                                                c["heat_excess_w"].max(-1)),
        # W x g/kWh summed over hours is Wh x g/kWh.
        "carbon_tco2e": ((c["facility_w"] * c["grid_g_per_kwh"]).sum(axis=-1)
                         / WH_PER_KWH / G_PER_TONNE),
        "monthly_pue": out["monthly_facility_mwh"] / out["monthly_it_mwh"],
    })
    out["wue_l_per_kwh"] = out["water_m3"] * L_PER_M3 / (out["it_mwh"] * WH_PER_MWH / WH_PER_KWH)
    for loop in ("liquid", "air"):
        free = c[f"{loop}_free_frac"]
        out[f"{loop}_free_hours"] = (free >= 1.0).sum(axis=-1)
        out[f"{loop}_chiller_hours"] = (free <= 0.0).sum(axis=-1)
    out["plant_free_hours"] = c["plant_free"].sum(axis=-1)
    out["plant_chiller_hours"] = c["plant_chiller"].sum(axis=-1)
    for loop in ("liquid", "air", "plant"):
        out[f"{loop}_partial_hours"] = (hours - out[f"{loop}_free_hours"]
                                        - out[f"{loop}_chiller_hours"])
    for mode in ("free", "chiller"):
        out[f"monthly_plant_{mode}_hours"] = _reduce_monthly(
            "count", c[f"plant_{mode}"], month_starts, counts)
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
        Weather, heatwave window and hourly files of each scenario
        (:func:`dcplanner.engine.hourly.hourly_inputs`), in the order of ``x`` and ``out``.
    x, out : dict of ndarray
        :func:`~dcplanner.engine.params.flatten` and :func:`~dcplanner.engine.design.evaluate`
        of the batch.
    chunk_scenarios : int
        Scenarios per vectorized chunk; bounds memory at about 60 arrays of
        (chunk, hours) float64.
    keep_hourly : sequence of int
        Scenarios whose hourly arrays are returned (for ``--hourly-output``).

    Returns
    -------
    Annual
        The reductions of :func:`summarize` per scenario, with the weather's name, the notes
        on its stress, the label of the peak hour and the month names.
    """
    values: Arrays = {}
    hourly: dict[int, Arrays] = {}
    n = len(hours)
    for group in _groups(hours):
        first = hours[group[0]]
        month_starts = np.flatnonzero(np.diff(first.weather.month, prepend=0))
        for start in range(0, group.size, chunk_scenarios):
            # Groups are runs of consecutive scenarios, so a chunk is a slice of the batch.
            idx = group[start:start + chunk_scenarios]
            sl = slice(int(idx[0]), int(idx[-1]) + 1)
            xs = {k: v[sl] for k, v in x.items()}
            chain = _hourly_chain(xs, {k: v[sl] for k, v in out.items()}, first)
            for key, value in summarize(chain, xs, month_starts).items():
                if key not in values:
                    values[key] = np.full((n, *value.shape[1:]), np.nan)
                values[key][sl] = value
            for i in keep_hourly:
                if sl.start <= i < sl.stop:
                    w = first.weather
                    hourly[i] = {"month": w.month, "day": w.day, "hour": w.hour,
                                 **{k: np.array(v[i - sl.start]) for k, v in chain.items()}}
    values.update(_labels(hours, x, values))
    return Annual(values, hourly)


def _labels(hours: Sequence[ScenarioHours], x: Arrays, values: Arrays) -> Arrays:
    """Text of each scenario's year: the weather's name and stress, the peak hour, months."""
    peaks = heatwave_peak_c(x).tolist()
    peak_hours = values["facility_peak_hour"].astype(int).tolist()
    names, notes, labels, months = [], [], [], []
    for i, h in enumerate(hours):
        w, k = h.weather, peak_hours[i]
        names.append(w.name)
        notes.append(weather_notes(float(x["shift_k"][i]), peaks[i], h.heatwave_window))
        labels.append(hour_label(int(w.month[k]), int(w.day[k]), int(w.hour[k])))
        first = w.month[np.flatnonzero(np.diff(w.month, prepend=0))]
        months.append([MONTH_NAMES[m - 1] for m in first.tolist()])
    return {key: _objects(items) for key, items in (
        ("weather", names), ("weather_notes", notes), ("facility_peak_label", labels),
        ("monthly_month", months))}


def _objects(items: list) -> NDArray:
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out


def _groups(hours: Sequence[ScenarioHours]) -> list[NDArray]:
    """Runs of consecutive scenarios sharing a base weather year, heatwave window and files."""
    keys = [h.group_key for h in hours]
    breaks = [i for i in range(1, len(keys)) if keys[i] != keys[i - 1]]
    return np.split(np.arange(len(keys)), breaks)
