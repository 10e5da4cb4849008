"""Monthly statistics of a weather year, comparable with station normals."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from dcplanner.weather.year import HOURS_PER_DAY, WeatherYear

#: Daily-maximum thresholds counted, as in Météo-France's NBJTX25/30/35 [°C].
TX_THRESHOLDS_C = (25, 30, 35)


def monthly_statistics(year: WeatherYear) -> dict[str, NDArray]:
    """Per month (12,): mean daily maximum and minimum [°C], mean dew point [°C], and days with
    a maximum at or above each of :data:`TX_THRESHOLDS_C`; daily extremes from the hours."""
    days = year.dry_bulb_c.reshape(-1, HOURS_PER_DAY)
    tx, tn = days.max(axis=1), days.min(axis=1)
    day_month = year.month.reshape(-1, HOURS_PER_DAY)[:, 0] - 1
    per_day = np.bincount(day_month, minlength=12)
    stats = {
        "tx_c": np.bincount(day_month, tx, 12) / per_day,
        "tn_c": np.bincount(day_month, tn, 12) / per_day,
        "dew_point_c": np.bincount(year.month - 1, year.dew_point_c, 12)
        / np.bincount(year.month - 1, minlength=12),
    }
    for t in TX_THRESHOLDS_C:
        stats[f"days_tx_ge_{t}"] = np.bincount(day_month, tx >= t, 12)
    return stats
