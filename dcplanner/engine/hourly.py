"""Hourly inputs of the annual simulation: each scenario's weather year, stress and load profile.

This is the boundary between scenario files and the hourly arrays: it reads EPW and profile
files (cached by path and modification time), checks them against the scenario, and hands the
annual engine numbers only.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from numpy.typing import ArrayLike, NDArray

from dcplanner.documents import read_bounded
from dcplanner.engine.params import Arrays, code_of
from dcplanner.errors import ConfigError, Problem
from dcplanner.models.load_profile import inference_utilization_frac
from dcplanner.scenario import ResolvedScenario, Scenario, Weather
from dcplanner.scenario.heat_reuse import MAX_DEMAND_MW
from dcplanner.units import W_PER_MW
from dcplanner.weather import WeatherYear, builtin_year, read_epw
from dcplanner.weather.stress import (
    heatwave_weight,
    stressed_dew_point_c,
    stressed_dry_bulb_c,
)
from dcplanner.weather.year import HOURS_PER_DAY

BUILTIN = "built-in"


@dataclass(frozen=True)
class ScenarioHours:
    """What one scenario's year needs besides its parameter arrays.

    ``weather`` is the base year (before stress). A heatwave's window gives
    ``heatwave_weight`` (H,) and ``peak_day_mask`` (H,); its peak, the shift and every
    utilization figure are parameters (:mod:`dcplanner.engine.params`), so that scenarios
    differing only in those share one ``ScenarioHours``. ``utilization_file`` and
    ``intensity_file`` hold hourly values read from files (None when not used). Scenarios with
    equal ``group_key`` share all of this and are evaluated together.
    """

    weather: WeatherYear
    heatwave_weight: NDArray
    peak_day_mask: NDArray
    heatwave_window: tuple
    utilization_file: NDArray | None
    intensity_file: NDArray | None
    group_key: tuple
    #: A district network's hourly heat demand [W] read from a file (heat_reuse.demand.file).
    heat_demand_file: NDArray | None = None


def _stamp(path: str) -> tuple[str, float]:
    """A cache key that changes when the file does."""
    try:
        return path, os.stat(path).st_mtime
    except OSError:
        return path, -1.0


def base_year(weather: Weather) -> WeatherYear:
    """The scenario's weather year before stress: an EPW file or the built-in year."""
    if weather.file is None:
        return builtin_year()
    return _read_epw_cached(*_stamp(weather.file))


@lru_cache(maxsize=16)
def _read_epw_cached(path: str, _mtime: float) -> WeatherYear:
    return read_epw(path)


@lru_cache(maxsize=16)
def _read_hourly_cached(path: str, _mtime: float, maximum: float, what: str) -> NDArray:
    return read_hourly(path, maximum, what)


def read_profile(path: str | Path) -> NDArray:
    """An hourly utilization file (values 0-1); see :func:`read_hourly`."""
    return read_hourly(path, 1.0, "utilization")


def read_hourly(path: str | Path, maximum: float, what: str) -> NDArray:
    """An hourly file: one number per line (0 to ``maximum``), an optional header line.

    A line may hold several comma-separated fields; the last one is the value, so a two-column
    ``timestamp,value`` export works too.
    """
    source = str(path)
    lines = read_bounded(path, MAX_HOURLY_FILE_BYTES, f"{what} file").splitlines()
    values = []
    for number, line in enumerate(lines, start=1):
        field = line.split(",")[-1].strip()
        if not field:
            continue
        try:
            value = float(field)
        except ValueError:
            if number == 1 and not values:
                continue  # header
            raise ConfigError([Problem(source, f"line {number}",
                                       f"{field!r} is not a number")]) from None
        if not 0.0 <= value <= maximum:
            raise ConfigError([Problem(source, f"line {number}", f"{what} {value:g} out of "
                                       f"range; allowed 0 to {maximum:g}")])
        values.append(value)
    array = np.array(values, dtype=float)
    array.setflags(write=False)
    return array


#: Largest hourly input file read [bytes]: a year of one value per line is under 100 KB, with
#: timestamps under 300 KB.
MAX_HOURLY_FILE_BYTES = 8 * 2**20
#: Largest hourly grid intensity accepted [gCO2e/kWh] (coal is about 1,000).
MAX_INTENSITY_G_PER_KWH = 2000.0


def _hourly_file(path: str, maximum: float, what: str, year: WeatherYear) -> NDArray:
    values = _read_hourly_cached(*_stamp(path), maximum, what)
    if values.size != year.hours:
        raise ConfigError([Problem(path, "", f"{values.size:,} hourly values, but the "
                                   f"weather year has {year.hours:,} hours")])
    return values


def _heatwave(s: Scenario, year: WeatherYear) -> tuple[NDArray, NDArray, tuple]:
    """The heatwave's weight and peak-day mask over the year, and its (month, day, days)."""
    hw = s.weather.heatwave
    if hw is None or not hw.enabled:
        return np.zeros(year.hours), np.zeros(year.hours, bool), ()
    rows = np.flatnonzero((year.month == hw.month) & (year.day == hw.day))
    if rows.size == 0:
        raise ConfigError([Problem("", "weather.heatwave", f"{hw.month}-{hw.day} (month-day) "
                                   "is not a day of the weather year")])
    peak_day = int(rows[0]) // HOURS_PER_DAY
    weight = heatwave_weight(year.hours, peak_day, hw.days)
    mask = np.zeros(year.hours, bool)
    mask[peak_day * HOURS_PER_DAY:(peak_day + 1) * HOURS_PER_DAY] = True
    return weight, mask, (hw.month, hw.day, hw.days)


def _named(error: ConfigError, path: str) -> ConfigError:
    """The problems of a file, placed at the scenario field that names the file (the
    scenario, or the option that set the field, is named where the problem is reported) and
    followed by the file and line."""
    return ConfigError(Problem("", path, ": ".join(filter(None, (p.source, p.path, p.message))))
                       for p in error.problems)


def scenario_hours(s: Scenario) -> ScenarioHours:
    """The hourly inputs of one scenario; :class:`ConfigError` naming the field or file."""
    try:
        year = base_year(s.weather)
    except ConfigError as error:
        raise _named(error, "weather.file") from None
    weight, mask, window = _heatwave(s, year)
    profile = s.workload.profile
    try:
        utilization = None if profile.kind != "file" else \
            _hourly_file(profile.file, 1.0, "utilization", year)
    except ConfigError as error:
        raise _named(error, "workload.profile.file") from None
    try:
        intensity = None if s.carbon.intensity_file is None else _hourly_file(
            s.carbon.intensity_file, MAX_INTENSITY_G_PER_KWH, "intensity", year)
    except ConfigError as error:
        raise _named(error, "carbon.intensity_file") from None
    demand_file = (s.heat_reuse.demand.file if s.heat_reuse is not None
                   and s.heat_reuse.demand.kind == "file" else None)
    try:
        demand = None if demand_file is None else _hourly_file(
            demand_file, MAX_DEMAND_MW, "heat demand [MW]", year) * W_PER_MW
    except ConfigError as error:
        raise _named(error, "heat_reuse.demand.file") from None
    return ScenarioHours(
        weather=year, heatwave_weight=weight, peak_day_mask=mask, heatwave_window=window,
        utilization_file=utilization, intensity_file=intensity,
        group_key=(s.weather.file or BUILTIN, year.hours, window,
                   profile.file if profile.kind == "file" else None, s.carbon.intensity_file,
                   demand_file),
        heat_demand_file=demand,
    )


def hourly_inputs(resolved: Sequence[ResolvedScenario]) -> list[ScenarioHours]:
    """:func:`scenario_hours` of every scenario in a batch."""
    return [scenario_hours(r.scenario) for r in resolved]


def weather_notes(shift_k: float, heatwave_peak_c: float, window: tuple) -> list[str]:
    """How a scenario changes its weather year, in words (a NaN peak: no heatwave)."""
    notes = []
    if shift_k:
        notes.append(f"shifted {shift_k:+g} K")
    if window and heatwave_peak_c == heatwave_peak_c:
        month, day, days = window
        notes.append(f"heatwave of {days} days peaking at {heatwave_peak_c:g} °C on "
                     f"{day:02d}/{month:02d}")
    return notes


def heatwave_peak_c(x: Arrays) -> NDArray:
    """Each scenario's heatwave peak [°C], NaN where there is none."""
    return np.where(x["heatwave_enabled"] > 0, x["heatwave_peak_c"], np.nan)


def hourly_utilization_frac(x: Arrays, h: ScenarioHours, n: int | None = None) -> NDArray:
    """Share of GPUs busy each hour [-] for the ``n`` scenarios of ``x`` sharing ``h`` (an
    input of shape (1,) is shared by all): shape (S, 1), or (1, 1), when every profile is flat
    (training), else (n, H)."""
    n = len(x["profile_kind"]) if n is None else n
    kind = np.broadcast_to(x["profile_kind"], (n,))
    u = x["utilization_frac"]
    training = kind == code_of("profile_kind", "training")
    if training.all():
        return u[:, None]
    year = h.weather

    def rows(key: str, mask: NDArray) -> NDArray:
        return np.broadcast_to(x[key], (n,))[mask, None]

    out = np.empty((n, year.hours))
    out[training] = rows("utilization_frac", training)
    inference = kind == code_of("profile_kind", "inference")
    if inference.any():
        out[inference] = inference_utilization_frac(
            year.hour_of_day, year.weekday, rows("utilization_frac", inference),
            rows("profile_trough_frac", inference), rows("profile_peak_hour", inference),
            rows("profile_weekend_frac", inference),
        )
    from_file = kind == code_of("profile_kind", "file")
    if from_file.any():
        out[from_file] = h.utilization_file
    return out


def hourly_intensity(x: Arrays, h: ScenarioHours) -> NDArray:
    """Grid carbon intensity [gCO2e/kWh]: (1, H) from a file, else (S, 1)."""
    if h.intensity_file is not None:
        return h.intensity_file[None, :]
    return x["grid_g_per_kwh"][:, None]


def stressed_air_c(h: ScenarioHours, shift_k: ArrayLike,
                   peak_c: ArrayLike) -> tuple[NDArray, NDArray]:
    """Dry bulb and dew point [°C] of ``h``'s year after a shift [K] and a heatwave peaking at
    ``peak_c`` [°C] (NaN: none); per-scenario values of shape (S, 1) give (S, H)."""
    dry = stressed_dry_bulb_c(h.weather.dry_bulb_c, shift_k, peak_c, h.heatwave_weight,
                              h.peak_day_mask)
    return dry, stressed_dew_point_c(h.weather.dew_point_c, shift_k, dry)


def stressed_year(s: Scenario) -> WeatherYear:
    """The weather year as a scenario sees it, shift and heatwave applied."""
    h = scenario_hours(s)
    hw = s.weather.heatwave
    peak = hw.peak_c if hw is not None and hw.enabled else float("nan")
    dry, dew = stressed_air_c(h, s.weather.shift_k, peak)
    notes = weather_notes(s.weather.shift_k, peak, h.heatwave_window)
    return h.weather.with_weather(dry, dew, "; ".join(notes))
