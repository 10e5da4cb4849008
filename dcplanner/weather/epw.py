"""Reading EnergyPlus weather (EPW) files into hourly arrays.

Layout (EnergyPlus Auxiliary Programs, "EnergyPlus Weather File (EPW) Data Dictionary";
reference/facility.md §5.3): 8 header lines (LOCATION first), then one row per hour with
year, month, day, hour (1-24, hour ending), minute, a source-flags field, dry bulb (field 7,
°C, missing 99.9), dew point (8, °C, missing 99.9), relative humidity (9, %, missing 999) and
station pressure (10, Pa, missing 999999). 8,760 rows, or 8,784 in a leap year.

Missing dry-bulb and dew-point values are filled by linear interpolation in time (a dew point
missing where RH is present is first derived from RH); the number filled is reported.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from dcplanner.errors import ConfigError, Problem
from dcplanner.models.climate import dew_point_from_rh_c
from dcplanner.weather.year import WEEKDAYS, WeatherYear

HEADER_LINES = 8
HOURS = (8760, 8784)
MISSING = {"dry_bulb_c": 99.9, "dew_point_c": 99.9, "relative_humidity_pct": 999.0}


def _fill_gaps(values: NDArray, missing: NDArray) -> NDArray:
    """Linear interpolation over missing hours; ends take the nearest known value."""
    if not missing.any():
        return values
    hours = np.arange(values.size)
    return np.interp(hours, hours[~missing], values[~missing])


def read_epw(path: str | Path) -> WeatherYear:
    """Read an EPW file; :class:`ConfigError` naming the line and the problem if malformed."""
    path = Path(path)
    source = str(path)
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except FileNotFoundError:
        raise ConfigError([Problem(source, "", "weather file not found")]) from None
    except OSError as error:
        raise ConfigError([Problem(source, "", f"cannot read: {error}")]) from None
    if not lines or not lines[0].startswith("LOCATION"):
        raise ConfigError([Problem(source, "line 1", "not an EPW file: the first line must "
                                   "start with LOCATION")])
    rows = [line for line in lines[HEADER_LINES:] if line.strip()]
    if len(rows) not in HOURS:
        raise ConfigError([Problem(source, "", f"expected 8,760 or 8,784 hourly rows after the "
                                   f"{HEADER_LINES} header lines, found {len(rows):,}")])
    table = np.empty((len(rows), 9))
    for i, row in enumerate(rows):
        fields = row.split(",")
        line_no = HEADER_LINES + i + 1
        if len(fields) < 10:
            raise ConfigError([Problem(source, f"line {line_no}",
                                       f"{len(fields)} fields, at least 10 expected")])
        try:
            table[i] = [float(fields[k]) for k in (0, 1, 2, 3, 4, 6, 7, 8, 9)]
        except ValueError:
            raise ConfigError([Problem(source, f"line {line_no}",
                                       "a date or weather field is not a number")]) from None
    month, day, hour = (table[:, k].astype(np.int64) for k in (1, 2, 3))
    bad = (hour < 1) | (hour > 24) | (month < 1) | (month > 12) | (day < 1) | (day > 31)
    if bad.any():
        first = int(np.argmax(bad))
        raise ConfigError([Problem(source, f"line {HEADER_LINES + first + 1}",
                                   f"month {month[first]}, day {day[first]}, hour {hour[first]} "
                                   "out of range (month 1-12, day 1-31, hour 1-24)")])
    dry = table[:, 5]
    dew = table[:, 6]
    rh = table[:, 7]
    dry_missing = dry >= MISSING["dry_bulb_c"]
    if dry_missing.all():
        raise ConfigError([Problem(source, "", "every dry-bulb value is missing (99.9)")])
    dry_filled = _fill_gaps(dry, dry_missing)
    dew_missing = dew >= MISSING["dew_point_c"]
    from_rh = dew_missing & (rh < MISSING["relative_humidity_pct"]) & (rh > 0)
    dew = np.where(from_rh, dew_point_from_rh_c(dry_filled, np.where(from_rh, rh, 50.0)), dew)
    still_missing = dew_missing & ~from_rh
    if still_missing.all():
        raise ConfigError([Problem(source, "", "every dew-point and humidity value is missing")])
    dew_filled = np.minimum(_fill_gaps(dew, still_missing), dry_filled)
    if np.any(np.diff(month) < 0):
        first = int(np.argmax(np.diff(month) < 0)) + 1
        raise ConfigError([Problem(source, f"line {HEADER_LINES + first + 1}",
                                   f"month {month[first]} after month {month[first - 1]}: rows "
                                   "must run from January to December")])
    location = ",".join(lines[0].split(",")[1:4]).strip(", ")
    return WeatherYear(
        name=f"{path.name} ({location})" if location else path.name,
        month=month, day=day, hour=hour, dry_bulb_c=dry_filled, dew_point_c=dew_filled,
        start_weekday=_start_weekday(lines),
        filled_values=int(dry_missing.sum() + dew_missing.sum()),
        notes=(f"EPW file {path}",),
    )


def _start_weekday(lines: list[str]) -> int:
    """Day of the week of the first day from the DATA PERIODS header (line 8), else Monday."""
    for line in lines[:HEADER_LINES]:
        fields = [f.strip() for f in line.split(",")]
        if fields[0].upper() == "DATA PERIODS" and len(fields) > 4:
            name = fields[4].capitalize()
            if name in WEEKDAYS:
                return WEEKDAYS.index(name)
    return 0
