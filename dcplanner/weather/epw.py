"""Reading EnergyPlus weather (EPW) files into hourly arrays.

Layout (EnergyPlus Auxiliary Programs, "EnergyPlus Weather File (EPW) Data Dictionary";
reference/facility.md §5.3): 8 header lines (LOCATION first), then one row per hour with
year, month, day, hour (1-24, hour ending), minute, a source-flags field, dry bulb (field 7,
°C, missing 99.9), dew point (8, °C, missing 99.9), relative humidity (9, %, missing 999) and
station pressure (10, Pa, missing 999999). 8,760 rows, or 8,784 in a leap year.

Missing dry-bulb, dew-point and station-pressure values are filled by linear interpolation in
time (a dew point missing where RH is present is first derived from RH; a file without any
station pressure takes the standard atmosphere at the LOCATION elevation, ASHRAE 2017 ch. 1
eq 3); the number filled is reported. The LOCATION line's time zone (field 8, hours from UTC)
and elevation (field 9, m) are kept with the year.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from dcplanner.documents import read_bounded
from dcplanner.errors import ConfigError, Problem
from dcplanner.models.climate import dew_point_from_rh_c, standard_pressure_pa
from dcplanner.weather.year import MONTH_DAYS, WEEKDAYS, WeatherYear, calendar

HEADER_LINES = 8
HOURS = (8760, 8784)
MISSING = {"dry_bulb_c": 99.9, "dew_point_c": 99.9, "relative_humidity_pct": 999.0,
           "station_pressure_pa": 999999.0}
#: Valid ranges of the fields read, bounds included (EnergyPlus Auxiliary Programs, EPW Data
#: Dictionary, fields N6-N9: dry bulb and dew point "minimum> -70, maximum< 70" °C, relative
#: humidity 0-110 %, station pressure "minimum> 31000, maximum< 120000" Pa); a missing-value
#: marker is outside them and accepted as missing.
RANGES = {"dry_bulb_c": (-70.0, 70.0), "dew_point_c": (-70.0, 70.0),
          "relative_humidity_pct": (0.0, 110.0), "station_pressure_pa": (31000.0, 120000.0)}
#: LOCATION fields kept, by position after the keyword, with their valid ranges: time zone
#: [h from UTC] and elevation [m]. The EPW Data Dictionary gives the elevation "minimum
#: -1000, maximum< +9999.9" and the time zone -12 to +12; +13 and +14 are accepted too, as
#: they are in use (Tonga, Kiribati).
LOCATION_FIELDS = {"time_zone_h": (8, -12.0, 14.0), "altitude_m": (9, -1000.0, 9999.9)}
#: Largest weather file read [bytes]: an EPW year is 1.5-2 MB.
MAX_FILE_BYTES = 16 * 2**20


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
    lines = read_bounded(path, MAX_FILE_BYTES, "weather file", errors="replace").splitlines()
    if not lines or not lines[0].startswith("LOCATION"):
        raise ConfigError([Problem(source, "line 1", "not an EPW file: the first line must "
                                   "start with LOCATION")])
    rows = [line for line in lines[HEADER_LINES:] if line.strip()]
    if len(rows) not in HOURS:
        raise ConfigError([Problem(source, "", f"expected 8,760 or 8,784 hourly rows after the "
                                   f"{HEADER_LINES} header lines, found {len(rows):,}")])
    location = _location(lines[0], source)
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
    _check_values(table, source)
    month, day, hour = _check_calendar(table, source)
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
    pressure = table[:, 8]
    pressure_missing = pressure >= MISSING["station_pressure_pa"]
    notes = [f"EPW file {path}"]
    if pressure_missing.all():
        pressure = np.full(pressure.shape, float(standard_pressure_pa(location["altitude_m"])))
        notes.append(f"no station pressure: standard atmosphere at the {location['altitude_m']:g}"
                     " m elevation")
    else:
        pressure = _fill_gaps(pressure, pressure_missing)
    place = ",".join(lines[0].split(",")[1:4]).strip(", ")
    return WeatherYear(
        name=f"{path.name} ({place})" if place else path.name,
        month=month, day=day, hour=hour, dry_bulb_c=dry_filled, dew_point_c=dew_filled,
        start_weekday=_start_weekday(lines),
        filled_values=int(dry_missing.sum() + dew_missing.sum() + pressure_missing.sum()),
        notes=tuple(notes), altitude_m=location["altitude_m"],
        time_zone_h=location["time_zone_h"], station_pressure_pa=pressure,
    )


def _location(line: str, source: str) -> dict[str, float]:
    """Time zone [h] and elevation [m] from the LOCATION line, each checked against its
    range (:data:`LOCATION_FIELDS`)."""
    fields = [f.strip() for f in line.split(",")]
    values = {}
    for name, (position, low, high) in LOCATION_FIELDS.items():
        try:
            value = float(fields[position])
        except (IndexError, ValueError):
            raise ConfigError([Problem(source, "line 1", f"LOCATION {name} (item {position + 1} "
                                       "of the line) is missing or not a number")]) from None
        if not low <= value <= high:
            raise ConfigError([Problem(source, "line 1", f"LOCATION {name} {value:g} out of "
                                       f"range; allowed {low:g} to {high:g}")])
        values[name] = value
    return values


def _line(source: str, row: int, message: str) -> ConfigError:
    return ConfigError([Problem(source, f"line {HEADER_LINES + row + 1}", message)])


def _check_values(table: NDArray, source: str) -> None:
    """Every number finite and every weather value in its range or a missing marker."""
    finite = np.isfinite(table)
    if not finite.all():
        row = int(np.argmax(~finite.all(axis=1)))
        raise _line(source, row, "a date or weather field is not a finite number")
    for name, column in (("dry_bulb_c", 5), ("dew_point_c", 6), ("relative_humidity_pct", 7),
                         ("station_pressure_pa", 8)):
        low, high = RANGES[name]
        values = table[:, column]
        bad = ((values < low) | (values > high)) & (values != MISSING[name])
        if bad.any():
            row = int(np.argmax(bad))
            raise _line(source, row, f"{name} {values[row]:g} out of range; allowed "
                        f"{low:g} to {high:g}, or {MISSING[name]:g} for missing")


def _check_calendar(table: NDArray, source: str) -> tuple[NDArray, NDArray, NDArray]:
    """Month, day and hour of each row, which must run hour by hour from 1 January, hour 1,
    to 31 December, hour 24 (with 29 February in an 8,784-row file)."""
    leap = table.shape[0] == HOURS[1]
    expected = calendar((*MONTH_DAYS[:1], 29, *MONTH_DAYS[2:]) if leap else MONTH_DAYS)
    given = table[:, 1:4]
    wrong = np.any(given != np.column_stack(expected), axis=1)
    if wrong.any():
        row = int(np.argmax(wrong))
        month, day, hour = (int(v) if v == int(v) else v for v in given[row])
        em, ed, eh = (int(e[row]) for e in expected)
        raise _line(source, row, f"month {month}, day {day}, hour {hour} where the "
                    f"{'leap ' if leap else ''}year's row {row + 1:,} is month {em}, day "
                    f"{ed}, hour {eh}: rows run hour by hour (1-24) from 1 January to 31 "
                    "December")
    return tuple(e.astype(np.int64) for e in expected)  # type: ignore[return-value]


def _start_weekday(lines: list[str]) -> int:
    """Day of the week of the first day from the DATA PERIODS header (line 8), else Monday."""
    for line in lines[:HEADER_LINES]:
        fields = [f.strip() for f in line.split(",")]
        if fields[0].upper() == "DATA PERIODS" and len(fields) > 4:
            name = fields[4].capitalize()
            if name in WEEKDAYS:
                return WEEKDAYS.index(name)
    return 0
