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

import ctypes
import ctypes.util
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
from numpy.typing import NDArray

from dcplanner.engine.chain import INSTALLED, facility_chain, ratio
from dcplanner.engine.economics import energy_price_eur_per_mwh
from dcplanner.engine.heat_reuse import heat_kpis, hourly_heat
from dcplanner.engine.hourly import (
    ScenarioHours,
    heatwave_peak_c,
    hourly_intensity,
    hourly_utilization_frac,
    stressed_air_c,
    weather_notes,
)
from dcplanner.engine.outputs import COOLING_LOOPS, hourly_accounts, reductions
from dcplanner.engine.params import Arrays, object_array
from dcplanner.models import climate
from dcplanner.models.cooling.plants import INSTALLED_KEYS, LOOPS
from dcplanner.units import (
    G_PER_TONNE,
    KWH_PER_MWH,
    L_PER_M3,
    WATER_M3_PER_H_PER_KG_PER_S,
    WH_PER_KWH,
    WH_PER_MWH,
)
from dcplanner.weather.year import MONTH_NAMES, hour_label

#: Loads that follow the hourly utilization, between their design-point values with every GPU
#: idle (``idle_*``) and every GPU busy (``busy_*``).
LOADS = ("it_w", "liquid_heat_w")
#: Scenarios evaluated together: (16, 8,760) float64 arrays are 1.1 MB each, which keeps the
#: working set near the CPU caches (16 measured faster than 4, 64 or 256; bench/bench_annual.py).
CHUNK_SCENARIOS = 16
#: glibc allocator settings for the annual engine [bytes]: blocks up to 32 MiB come from the
#: heap and up to 256 MiB of freed heap is kept for reuse (see :func:`reuse_freed_memory`).
MMAP_THRESHOLD_BYTES = 32 * 2**20
TRIM_THRESHOLD_BYTES = 256 * 2**20


@cache
def reuse_freed_memory() -> bool:
    """Ask glibc to keep the memory the engine frees, so that the next chunk's temporaries
    reuse it (where the C library is glibc; returns whether it is).

    By default glibc returns a freed 1.1 MB temporary to the operating system when the top of
    its heap grows past a threshold, and the next temporary of the same size then takes a page
    fault per 4 KiB: on this project's machine about 90 % of a numpy kernel's time at (16,
    8,760) went to faults, and the annual engine ran 1.3-1.7x slower (measured with
    MALLOC_MMAP_THRESHOLD_ and MALLOC_TRIM_THRESHOLD_ set before start; Dask's nanny makes it
    worse by setting the trim threshold to 64 KiB). The settings are the process's: they hold
    at most :data:`TRIM_THRESHOLD_BYTES` of freed memory for reuse.
    """
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc (musl, macOS, Windows): nothing to set
        return False
    m_trim_threshold, m_mmap_threshold = -1, -3  # glibc's <malloc.h>
    return bool(mallopt(m_mmap_threshold, MMAP_THRESHOLD_BYTES)) and bool(
        mallopt(m_trim_threshold, TRIM_THRESHOLD_BYTES))


@dataclass(frozen=True)
class Annual:
    """Annual results of a batch: ``values[key]`` has shape (S,) or (S, 12) (monthly), and
    ``hourly[i]`` the hourly arrays (H,) of scenario i when they were asked for, with its
    calendar (``month``, ``day``, ``hour``)."""

    values: Arrays
    hourly: dict[int, Arrays]


def year_weather(x: Arrays, h: ScenarioHours, memo: dict) -> tuple[NDArray, NDArray, NDArray]:
    """Dry bulb, dew point and wet bulb [°C] of the scenarios of ``x``: one (1, H) row when
    they share their stress and pressure (computed once per group, stress and site altitude),
    else (S, H). The pressure is the year's station pressure, or for a year without one the
    standard atmosphere at each scenario's site altitude."""
    shift_k, peak_c = x["shift_k"], heatwave_peak_c(x)
    station_pa = h.weather.station_pressure_pa
    altitude_m = x["site_altitude_m"] if station_pa is None else np.zeros(1)
    # No heatwave (NaN) as -inf, a number that equals itself and can be a key.
    peak_key = np.where(np.isnan(peak_c), -np.inf, peak_c)
    shared = _constant(shift_k) and _constant(peak_key) and _constant(altitude_m)
    key = (float(shift_k[0]), float(peak_key[0]), float(altitude_m[0])) if shared else None
    if key is not None and key in memo:
        return memo[key]
    if shared:
        shift_k, peak_c, altitude_m = shift_k[:1], peak_c[:1], altitude_m[:1]
    dry, dew = stressed_air_c(h, shift_k[:, None], peak_c[:, None])
    pressure_pa = (climate.standard_pressure_pa(altitude_m)[:, None] if station_pa is None
                   else station_pa[None, :])
    wet = climate.wet_bulb_c(dry, dew, pressure_pa)
    if key is not None:
        memo[key] = dry, dew, wet
    return dry, dew, wet


def _constant(v: NDArray) -> bool:
    """Whether every element of ``v`` equals the first (a row shared by the chunk is one)."""
    return v.size == 1 or bool((v == v[0]).all())


def _hourly_chain(x: Arrays, out: Arrays, h: ScenarioHours, memo: dict) -> Arrays:
    """The facility chain of the scenarios of ``x`` (sharing ``h``), every hour of the year."""
    dry, dew, wet = year_weather(x, h, memo)
    utilization = hourly_utilization_frac(x, h, out["idle_it_w"].shape[0])

    def load(name: str) -> NDArray:
        idle, busy = out[f"idle_{name}"][:, None], out[f"busy_{name}"][:, None]
        return idle + (busy - idle) * utilization

    # The plant as installed at the design hour: what speed-controlled equipment is sized on.
    installed = {f"{INSTALLED}{key}": out[f"design_{key}"] for key in INSTALLED_KEYS
                 if f"design_{key}" in out}
    chain = facility_chain({**x, **installed}, *(load(name) for name in LOADS), dry, wet)
    chain.update(dry_bulb_c=dry, wet_bulb_c=wet, dew_point_c=dew, utilization_frac=utilization,
                 grid_g_per_kwh=hourly_intensity(x, h))
    chain.update(hourly_heat(x, chain, dry, h.heat_demand_file))  # heat export (heat_reuse)
    # Flat profiles, shared weather and parameters shared by the chunk leave some arrays at
    # (S, 1), (1, H) or (1, 1): each stands for its broadcast to (S, H), and is reduced so.
    return {k: v for k, v in chain.items() if np.ndim(v) == 2}


def _chunks(x: Arrays) -> Callable[[slice], Arrays]:
    """A slicer of the batch by chunks: a per-scenario input equal over a chunk (NaN equal to
    NaN: an unset option) comes as one row (shape (1,)), so that what depends only on it and
    the weather is computed once."""
    def changes(v: NDArray) -> NDArray:
        return (v[1:] != v[:-1]) & ~(np.isnan(v[1:]) & np.isnan(v[:-1]))

    steps = {k: np.concatenate([[0], np.cumsum(changes(v))])
             for k, v in x.items() if v.ndim == 1 and v.dtype != object}

    def chunk(sl: slice) -> Arrays:
        a, b = sl.start, sl.stop - 1
        return {k: v[a:a + 1] if k in steps and steps[k][b] == steps[k][a] else v[sl]
                for k, v in x.items()}

    return chunk


def _derived(c: Arrays, x: Arrays, r: _Reducer) -> Arrays:
    """Hourly quantities that reductions need beyond the chain's own; an excess over a limit
    that no hour reaches (the year's peak is below it) is zero without a pass over the
    hours."""
    zero = np.zeros((1, 1))
    grid_w, limit_w = x["grid_w"][:, None], x["heat_rejection_w"][:, None]
    grid_excess = (np.maximum(c["facility_w"] - grid_w, 0.0)
                   if np.any(r.annual("max", "facility_w") > grid_w[:, 0]) else zero)
    heat_excess = (np.maximum(c["heat_rejected_w"] - limit_w, 0.0)
                   if np.any(r.annual("max", "heat_rejected_w") > limit_w[:, 0]) else zero)
    full = {loop: c[f"{loop}_free_frac"] >= 1.0 for loop in LOOPS}
    none = {loop: c[f"{loop}_free_frac"] <= 0.0 for loop in LOOPS}
    return {
        "electrical_loss_w": c["distribution_loss_w"] + c["ups_loss_w"]
        + c["transformer_loss_w"],
        "grid_excess_w": grid_excess,
        "grid_exceeded": grid_excess > 0,
        "heat_excess_w": heat_excess,
        "heat_exceeded": heat_excess > 0,
        # W x g/kWh summed over hours is Wh x g/kWh.
        "carbon_w_g_per_kwh": c["facility_w"] * c["grid_g_per_kwh"],
        **{f"{loop}_free": mask for loop, mask in full.items()},
        **{f"{loop}_chiller": mask for loop, mask in none.items()},
        # The whole plant: no chiller running, or both loops fully on chillers.
        "plant_free": c["chiller_w"] <= 0.0,
        "plant_chiller": functools.reduce(np.logical_and, none.values()),
    }


#: Hourly quantities that are a chain key times a constant: reduced from the key, then scaled
#: (a positive factor keeps the hour of an extreme; a sum moves by an ulp at most).
SCALED = {"water_m3_per_h": ("water_kg_per_s", WATER_M3_PER_H_PER_KG_PER_S)}


_REDUCE = {"sum": np.add, "max": np.maximum, "min": np.minimum, "count": np.add}
#: Reductions that are a sum, then divided (by Wh per MWh, or by the hours).
_KINDS = {"mwh": "sum", "mean": "sum"}


def _packed_counts(mask: NDArray, starts: NDArray) -> NDArray:
    """True hours of each month of a C-contiguous (S, H) boolean mask whose months start on
    multiples of 8 hours and last fewer than 2,048 hours, as int64 (S, M).

    Each 8 bytes of a row (one 0 or 1 per hour) are read as one 64-bit word, the words of a
    month are summed (each byte lane adds at most 255 ones, so no lane carries into the next)
    and the 8 lanes then added: 8 times fewer additions than counting hour by hour (5x faster
    at (16, 8,760), measured).
    """
    words = np.add.reduceat(mask.view(np.uint64), starts // 8, axis=-1)
    return words.view(np.uint8).reshape(*words.shape, 8).sum(axis=-1, dtype=np.int64)


class _Reducer:
    """Monthly and annual reductions over the hours, each array reduced once per kind; a
    result of one row (from an array shared by the chunk) stands for its broadcast to all.

    Every quantity is reduced month by month (``reduceat``) and its year from its months, so
    that one pass serves both; a quantity constant over the hours is reduced through its
    broadcast view, as a full row would be, so that a scenario's figures never depend on the
    shapes its chunk-mates give the arrays.
    """

    def __init__(self, c: Arrays, shape: tuple[int, int], starts: NDArray):
        self.c, self.shape, self.starts = c, shape, starts
        self.counts = np.diff(np.append(starts, shape[-1]))
        # Months start at midnight, so on 8-hour boundaries (see _packed_counts).
        self.packed = (shape[-1] % 8 == 0 and not np.any(starts % 8)
                       and self.counts.max() < 8 * 256)
        self.memo: dict[tuple[str, str], NDArray] = {}

    def _monthly_raw(self, kind: str, src: str) -> NDArray:
        """(S, M) sums, maxima, minima or counts of ``src`` over each month."""
        key = (kind, src)
        if key not in self.memo:
            a = self.c[src]
            if a.shape[-1] == 1 and kind in ("max", "min", "count"):
                # Constant over the hours: every month's extreme is the value itself.
                r = (np.where(a, self.counts, 0) if kind == "count"
                     else np.broadcast_to(a, (a.shape[0], self.counts.size)))
            else:
                if a.shape[-1] != self.shape[-1]:
                    a = np.broadcast_to(a, (a.shape[0], self.shape[-1]))
                if kind == "count" and self.packed and a.dtype == bool and a.flags.c_contiguous:
                    r = _packed_counts(a, self.starts)
                else:
                    r = _REDUCE[kind].reduceat(a, self.starts, axis=-1,
                                               dtype=np.int64 if kind == "count" else None)
            self.memo[key] = r
        return self.memo[key]

    def monthly(self, how: str, src: str) -> NDArray:
        """(S, M) reduction ``how`` (mwh, mean, sum, max, min, count) of ``src`` by month."""
        base, scale = SCALED.get(src, (src, 1.0))
        r = self._monthly_raw(_KINDS.get(how, how), base)
        return self._finish(r, how, self.counts, scale)

    def annual(self, how: str, src: str) -> NDArray:
        """(S,) reduction ``how`` of ``src`` over the year, from its months."""
        base, scale = SCALED.get(src, (src, 1.0))
        kind = _KINDS.get(how, how)
        months = self._monthly_raw(kind, base)
        r = months.max(axis=-1) if kind == "max" else (
            months.min(axis=-1) if kind == "min" else months.sum(axis=-1))
        return self._finish(r, how, self.shape[-1], scale)

    @staticmethod
    def _finish(r: NDArray, how: str, hours: NDArray | int, scale: float) -> NDArray:
        if how == "mwh":
            r = r / WH_PER_MWH
        elif how == "mean":
            r = r / hours
        return r * scale if scale != 1.0 else r


def summarize(c: Arrays, x: Arrays, month_starts: NDArray, shape: tuple[int, int]) -> Arrays:
    """Annual (S,) and monthly (S, M) reductions of hourly chain arrays, each standing for its
    broadcast to ``shape`` (S, H); a result of one row (of arrays shared by the chunk) stands
    for its broadcast to S rows."""
    c = dict(c)
    r = _Reducer(c, shape, month_starts)
    c.update(_derived(c, x, r))
    hours = shape[-1]
    out: Arrays = {key: r.annual(how, src) for key, (how, src) in reductions(False)}
    out.update({key: r.monthly(how, src) for key, (how, src) in reductions(True)})
    peak_hour = np.broadcast_to(c["facility_w"], shape).argmax(axis=-1)
    no_heat_limit = np.isnan(x["heat_rejection_w"])
    out.update({
        "hours": np.full(shape[0], hours),
        "pue": ratio(out["facility_mwh"], out["it_mwh"]),
        "facility_peak_hour": peak_hour,
        "dry_bulb_at_peak_c": np.broadcast_to(c["dry_bulb_c"], shape)[np.arange(shape[0]),
                                                                      peak_hour],
        "heat_rejection_exceeded_hours": np.where(no_heat_limit, np.nan,
                                                  r.annual("count", "heat_exceeded")),
        "heat_rejection_excess_max_w": np.where(no_heat_limit, np.nan,
                                                r.annual("max", "heat_excess_w")),
        "carbon_tco2e": r.annual("sum", "carbon_w_g_per_kwh") / WH_PER_KWH / G_PER_TONNE,
        "monthly_pue": ratio(out["monthly_facility_mwh"], out["monthly_it_mwh"]),
    })
    out["wue_l_per_kwh"] = ratio(out["water_m3"] * L_PER_M3, out["it_mwh"] * KWH_PER_MWH)
    out.update(heat_kpis(out, x))
    for part in COOLING_LOOPS:
        for mode in ("free", "chiller"):  # partial: the other hours
            out[f"{part}_{mode}_hours"] = r.annual("count", f"{part}_{mode}")
        out[f"{part}_partial_hours"] = (hours - out[f"{part}_free_hours"]
                                        - out[f"{part}_chiller_hours"])
    for mode in ("free", "chiller"):
        out[f"monthly_plant_{mode}_hours"] = r.monthly("count", f"plant_{mode}")
    out["monthly_plant_partial_hours"] = (r.counts - out["monthly_plant_free_hours"]
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
        Scenarios whose hourly arrays are returned (for an hourly export).

    Returns
    -------
    Annual
        The reductions of :func:`summarize` per scenario, with the weather's name, the notes
        on its stress, the label of the peak hour and the month names.

    Notes
    -----
    The first call sets the process's glibc allocator thresholds (:func:`reuse_freed_memory`):
    the process then keeps up to 256 MiB of freed memory for reuse.
    """
    reuse_freed_memory()
    values: Arrays = {}
    hourly: dict[int, Arrays] = {}
    n = len(hours)
    chunk = _chunks(x)
    for group in _groups(hours):
        first = hours[group[0]]
        month_starts = np.flatnonzero(np.diff(first.weather.month, prepend=0))
        weather: dict = {}  # the group's weather rows by stress
        for start in range(0, group.size, chunk_scenarios):
            # Groups are runs of consecutive scenarios, so a chunk is a slice of the batch.
            idx = group[start:start + chunk_scenarios]
            sl = slice(int(idx[0]), int(idx[-1]) + 1)
            xs = chunk(sl)
            loads = {k: out[k][sl] for name in LOADS for k in (f"idle_{name}", f"busy_{name}")}
            loads.update({f"design_{k}": out[f"design_{k}"][sl] for k in INSTALLED_KEYS
                          if f"design_{k}" in out})
            chain = _hourly_chain(xs, loads, first, weather)
            shape = (sl.stop - sl.start, first.weather.hours)
            for key, value in summarize(chain, xs, month_starts, shape).items():
                if key not in values:
                    values[key] = np.full((n, *value.shape[1:]), np.nan)
                values[key][sl] = value
            for i in keep_hourly:
                if sl.start <= i < sl.stop:
                    w = first.weather
                    hourly[i] = {"month": w.month, "day": w.day, "hour": w.hour,
                                 **{k: np.array(np.broadcast_to(v, shape)[i - sl.start])
                                    for k, v in chain.items()}}
                    price = np.broadcast_to(energy_price_eur_per_mwh(xs), shape[:1])
                    hourly[i].update(hourly_accounts(hourly[i], float(price[i - sl.start])))
    values.update(_labels(hours, x, values))
    return Annual(values, hourly)


def _labels(hours: Sequence[ScenarioHours], x: Arrays, values: Arrays) -> Arrays:
    """Text of each scenario's year: the weather's name and stress, the peak hour, months."""
    peaks = heatwave_peak_c(x).tolist()
    peak_hours = values["facility_peak_hour"].astype(int).tolist()
    shifts = x["shift_k"].tolist()
    month_names: dict[int, list[str]] = {}  # by weather year
    names, notes, labels, months = [], [], [], []
    for i, h in enumerate(hours):
        w, k = h.weather, peak_hours[i]
        names.append(w.name)
        notes.append(weather_notes(shifts[i], peaks[i], h.heatwave_window))
        labels.append(hour_label(int(w.month[k]), int(w.day[k]), int(w.hour[k])))
        if id(w) not in month_names:
            first = w.month[np.flatnonzero(np.diff(w.month, prepend=0))]
            month_names[id(w)] = [MONTH_NAMES[m - 1] for m in first.tolist()]
        months.append(month_names[id(w)])
    return {key: object_array(items) for key, items in (
        ("weather", names), ("weather_notes", notes), ("facility_peak_label", labels),
        ("monthly_month", months))}


def _groups(hours: Sequence[ScenarioHours]) -> list[NDArray]:
    """Runs of consecutive scenarios sharing a base weather year, heatwave window and files."""
    keys = [h.group_key for h in hours]
    breaks = [i for i in range(1, len(keys)) if keys[i] != keys[i - 1]]
    return np.split(np.arange(len(keys)), breaks)
