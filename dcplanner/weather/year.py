"""One year of hourly outdoor weather, whatever its origin (built-in, EPW file, stressed)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
from numpy.typing import NDArray

from dcplanner.units import HOURS_PER_DAY

DAYS_PER_WEEK = 7
MONTHS = 12
#: Days per month of a common (non-leap) year.
MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
               "Dec")


def hour_label(month: int, day: int, hour_ending: int) -> str:
    """``'13 Aug 14:00-15:00'`` for the hour ending at 15:00 on 13 August."""
    return f"{day} {MONTH_NAMES[month - 1]} {hour_ending - 1:02d}:00-{hour_ending:02d}:00"


@dataclass(frozen=True)
class WeatherYear:
    """Hourly weather: row k is the hour ending at ``hour`` (1-24) of ``month``/``day``, local
    standard time, as in EPW files.

    Attributes
    ----------
    name : str
        What the year is, for reports (station and period, or the file).
    month, day, hour : ndarray of int, shape (H,)
        Calendar position of each hour; H is 8,760 or 8,784.
    dry_bulb_c, dew_point_c : ndarray, shape (H,)
        Outdoor air [°C]; the dew point never exceeds the dry bulb.
    start_weekday : int
        Day of the week of the first day, 0 = Monday.
    filled_values : int
        Values that were missing in the source and were filled.
    notes : tuple of str
        How the year was made or changed (stress applied), for reports.
    altitude_m : float or None
        Elevation of the station above sea level [m] (EPW LOCATION field 9), None if unknown.
    time_zone_h : float or None
        Offset of the local standard time of the rows from UTC [h] (EPW LOCATION field 8),
        None if unknown.
    station_pressure_pa : ndarray, shape (H,), or None
        Barometric pressure at the station each hour [Pa] (EPW field 10; missing hours filled,
        a file without any from the standard atmosphere at ``altitude_m``). None for a year
        without pressures (the built-in year): the engine then takes the standard atmosphere
        at the scenario's ``site.altitude_m``.
    """

    name: str
    month: NDArray[np.int64]
    day: NDArray[np.int64]
    hour: NDArray[np.int64]
    dry_bulb_c: NDArray[np.float64]
    dew_point_c: NDArray[np.float64]
    start_weekday: int = 0
    filled_values: int = 0
    notes: tuple[str, ...] = field(default=())
    altitude_m: float | None = None
    time_zone_h: float | None = None
    station_pressure_pa: NDArray[np.float64] | None = None

    @property
    def hours(self) -> int:
        return int(self.dry_bulb_c.size)

    @property
    def hour_of_day(self) -> NDArray[np.int64]:
        """Hour of the day at the start of each hourly row, 0-23."""
        return self.hour - 1

    @property
    def day_index(self) -> NDArray[np.int64]:
        """Day of the year of each row, 0-based."""
        return np.arange(self.hours) // HOURS_PER_DAY

    @property
    def weekday(self) -> NDArray[np.int64]:
        """Day of the week of each row, 0 = Monday."""
        return (self.day_index + self.start_weekday) % DAYS_PER_WEEK

    def with_weather(self, dry_bulb_c: NDArray, dew_point_c: NDArray, note: str) -> WeatherYear:
        """The same calendar with new temperatures and a note saying what changed."""
        return replace(self, dry_bulb_c=dry_bulb_c, dew_point_c=np.minimum(dew_point_c,
                                                                           dry_bulb_c),
                       notes=(*self.notes, note) if note else self.notes)


def calendar(days_per_month: tuple[int, ...] = MONTH_DAYS) -> tuple[NDArray, NDArray, NDArray]:
    """Month, day and hour-ending arrays of a year with the given month lengths."""
    month = np.repeat(np.arange(1, MONTHS + 1), np.array(days_per_month) * HOURS_PER_DAY)
    day = np.concatenate([np.repeat(np.arange(1, n + 1), HOURS_PER_DAY) for n in days_per_month])
    hour = np.tile(np.arange(1, HOURS_PER_DAY + 1), sum(days_per_month))
    return month, day, hour
