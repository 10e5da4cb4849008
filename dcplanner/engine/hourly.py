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
from numpy.typing import NDArray

from dcplanner.errors import ConfigError, Problem
from dcplanner.models.load_profile import inference_utilization_frac
from dcplanner.scenario import ResolvedScenario, Scenario, Weather
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
    """What one scenario needs for its annual simulation.

    ``weather`` is the base year (before stress); ``shift_k`` and ``heatwave_peak_c`` (NaN:
    none) stress it through ``heatwave_weight`` (H,) and ``peak_day_mask`` (H,);
    ``utilization_frac`` and ``grid_g_per_kwh`` (carbon intensity) have shape (1,) when
    constant, else (H,). Scenarios with equal
    ``group_key`` share the base year and the heatwave window and are evaluated together.
    """

    weather: WeatherYear
    shift_k: float
    heatwave_peak_c: float
    heatwave_weight: NDArray
    peak_day_mask: NDArray
    utilization_frac: NDArray
    grid_g_per_kwh: NDArray
    group_key: tuple
    notes: tuple[str, ...]


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
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise ConfigError([Problem(source, "", f"{what} file not found")]) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError([Problem(source, "", f"cannot read: {error}")]) from None
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


def _utilization(s: Scenario, year: WeatherYear) -> NDArray:
    """Hourly utilization [-]: shape (1,) for training, (H,) otherwise."""
    profile, wl = s.workload.profile, s.workload
    if profile.kind == "training":
        return np.array([wl.utilization_frac])
    if profile.kind == "inference":
        return inference_utilization_frac(
            year.hour_of_day, year.weekday, wl.utilization_frac, profile.trough_frac,
            profile.peak_hour, profile.weekend_frac,
        )
    return _hourly_file(profile.file, 1.0, "utilization", year)


#: Largest hourly grid intensity accepted [gCO2e/kWh] (coal is about 1,000).
MAX_INTENSITY_G_PER_KWH = 2000.0


def _hourly_file(path: str, maximum: float, what: str, year: WeatherYear) -> NDArray:
    values = _read_hourly_cached(*_stamp(path), maximum, what)
    if values.size != year.hours:
        raise ConfigError([Problem(path, "", f"{values.size:,} hourly values, but the "
                                   f"weather year has {year.hours:,} hours")])
    return values


def _intensity(s: Scenario, year: WeatherYear) -> NDArray:
    """Grid carbon intensity [gCO2e/kWh]: shape (1,) for a constant, (H,) from a file."""
    if s.carbon.intensity_file is None:
        return np.array([s.carbon.grid_g_per_kwh])
    return _hourly_file(s.carbon.intensity_file, MAX_INTENSITY_G_PER_KWH, "intensity", year)


def _heatwave(s: Scenario, year: WeatherYear) -> tuple[float, NDArray, NDArray, tuple, str]:
    hw = s.weather.heatwave
    if hw is None or not hw.enabled:
        return float("nan"), np.zeros(year.hours), np.zeros(year.hours, bool), (), ""
    rows = np.flatnonzero((year.month == hw.month) & (year.day == hw.day))
    if rows.size == 0:
        raise ConfigError([Problem("", "weather.heatwave", f"{hw.month}-{hw.day} (month-day) "
                                   "is not a day of the weather year")])
    peak_day = int(rows[0]) // HOURS_PER_DAY
    weight = heatwave_weight(year.hours, peak_day, hw.days)
    mask = np.zeros(year.hours, bool)
    mask[peak_day * HOURS_PER_DAY:(peak_day + 1) * HOURS_PER_DAY] = True
    note = (f"heatwave of {hw.days} days peaking at {hw.peak_c:g} °C on "
            f"{hw.day:02d}/{hw.month:02d}")
    return hw.peak_c, weight, mask, (hw.month, hw.day, hw.days), note


def scenario_hours(s: Scenario) -> ScenarioHours:
    """The hourly inputs of one scenario; :class:`ConfigError` naming the field or file."""
    try:
        year = base_year(s.weather)
    except ConfigError as error:
        raise ConfigError(Problem(p.source, p.path or "weather.file", p.message)
                          for p in error.problems) from None
    peak_c, weight, mask, window, heatwave_note = _heatwave(s, year)
    try:
        utilization = _utilization(s, year)
    except ConfigError as error:
        raise ConfigError(Problem(p.source, p.path or "workload.profile.file", p.message)
                          for p in error.problems) from None
    try:
        intensity = _intensity(s, year)
    except ConfigError as error:
        raise ConfigError(Problem(p.source, p.path or "carbon.intensity_file", p.message)
                          for p in error.problems) from None
    notes = [year.name]
    if s.weather.shift_k:
        notes.append(f"shifted {s.weather.shift_k:+g} K")
    if heatwave_note:
        notes.append(heatwave_note)
    return ScenarioHours(
        weather=year, shift_k=s.weather.shift_k, heatwave_peak_c=peak_c,
        heatwave_weight=weight, peak_day_mask=mask, utilization_frac=utilization,
        grid_g_per_kwh=intensity,
        group_key=(s.weather.file or BUILTIN, year.hours, window), notes=tuple(notes),
    )


def hourly_inputs(resolved: Sequence[ResolvedScenario]) -> list[ScenarioHours]:
    """:func:`scenario_hours` of every scenario in a batch."""
    return [scenario_hours(r.scenario) for r in resolved]


def stressed_year(h: ScenarioHours) -> WeatherYear:
    """The weather year as the scenario sees it, shift and heatwave applied."""
    dry = stressed_dry_bulb_c(h.weather.dry_bulb_c, h.shift_k, h.heatwave_peak_c,
                              h.heatwave_weight, h.peak_day_mask)
    dew = stressed_dew_point_c(h.weather.dew_point_c, h.shift_k, dry)
    return h.weather.with_weather(dry, dew, "; ".join(h.notes[1:]))
