"""Hourly utilization of the GPUs: the shape of the IT load over a year."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from dcplanner.units import HOURS_PER_DAY

SATURDAY = 5


def inference_utilization_frac(
    hour_of_day: ArrayLike,
    weekday: ArrayLike,
    peak_utilization_frac: ArrayLike,
    trough_frac: ArrayLike,
    peak_hour: ArrayLike,
    weekend_frac: ArrayLike,
) -> NDArray:
    """Share of GPUs busy each hour for an interactive (inference) service [-].

    A cosine day with its peak at ``peak_hour`` and its low 12 hours later at ``trough_frac``
    of the peak, scaled by ``weekend_frac`` on Saturdays and Sundays:
    ``u = U weekday_factor (trough + (1 - trough) (1 + cos(2 pi (h - h_peak) / 24)) / 2)``.
    The shape is an assumption standing for the daily and weekly cycle reported for LLM
    serving (SageServe, arXiv 2502.14617, 2025); its parameters are scenario inputs.

    Parameters
    ----------
    hour_of_day, weekday : array_like, shape (H,)
        Hour (0-23, start of the hourly row) and day of the week (0 = Monday).
    peak_utilization_frac, trough_frac, peak_hour, weekend_frac : array_like, shape (S, 1)
        Busiest-hour utilization [-], night low as a share of the peak [-], hour of the peak
        [h], weekend share of weekdays [-].

    Returns
    -------
    ndarray, shape (S, H)
    """
    hour = np.asarray(hour_of_day, dtype=float)
    trough = np.asarray(trough_frac, dtype=float)
    day_shape = trough + (1 - trough) * 0.5 * (
        1 + np.cos(2 * np.pi * (hour - np.asarray(peak_hour)) / HOURS_PER_DAY)
    )
    weekend = np.asarray(weekday) >= SATURDAY
    week_factor = np.where(weekend, np.asarray(weekend_frac, dtype=float), 1.0)
    return np.asarray(peak_utilization_frac, dtype=float) * week_factor * day_shape
