"""Heat stress on a weather year: a uniform shift and an injected multi-day heatwave.

Both act on the base year's hourly arrays and broadcast over scenarios (axis 0), so a batch
can stress one weather year differently per scenario without copying it.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from dcplanner.weather.year import HOURS_PER_DAY


def heatwave_weight(hours: int, peak_day: int, days: int) -> NDArray:
    """Share of the heatwave anomaly applied to each hour [-], shape (hours,).

    1 over the whole peak day (0-based day of the year), falling as a raised cosine to 0 over
    ``(days - 1) / 2`` days on either side, so the event lasts ``days`` days in all.
    """
    t = np.arange(hours) + 0.5
    start = peak_day * HOURS_PER_DAY
    distance_h = np.maximum(0.0, np.maximum(start - t, t - (start + HOURS_PER_DAY)))
    half_width_h = (days - 1) / 2 * HOURS_PER_DAY
    if half_width_h == 0:
        return (distance_h == 0).astype(float)
    return np.where(distance_h < half_width_h,
                    0.5 * (1 + np.cos(np.pi * distance_h / half_width_h)), 0.0)


def stressed_dry_bulb_c(
    dry_bulb_c: NDArray,
    shift_k: ArrayLike,
    heatwave_peak_c: ArrayLike,
    weight: NDArray,
    peak_day_mask: NDArray,
) -> NDArray:
    """Dry bulb [°C] after a shift of ``shift_k`` and a heatwave peaking at ``heatwave_peak_c``.

    ``T = T0 + shift + delta w(t)``, where ``delta = max(0, peak - max(T0 + shift on the peak
    day))``: the hottest hour of the peak day reaches the given peak exactly (an already hotter
    day is left as it is). A NaN peak means no heatwave.

    Parameters
    ----------
    dry_bulb_c : ndarray, shape (H,)
        Base year [°C].
    shift_k, heatwave_peak_c : array_like, shape (S, 1) or scalar
        Per-scenario shift [K] and heatwave peak [°C] (NaN: none).
    weight : ndarray, shape (H,)
        :func:`heatwave_weight` of the event.
    peak_day_mask : ndarray of bool, shape (H,)
        The hours of the peak day.
    """
    shift = np.asarray(shift_k, dtype=float)
    peak = np.asarray(heatwave_peak_c, dtype=float)
    base_peak_c = dry_bulb_c.max(initial=-np.inf, where=peak_day_mask) + shift
    delta_k = np.where(np.isnan(peak), 0.0, np.maximum(0.0, np.nan_to_num(peak) - base_peak_c))
    return dry_bulb_c + shift + delta_k * weight


def stressed_dew_point_c(dew_point_c: NDArray, shift_k: ArrayLike, dry_bulb_c: NDArray) -> NDArray:
    """Dew point [°C] after a shift: moved with the dry bulb (a near-constant relative
    humidity, which is the conservative choice for evaporative cooling); a heatwave adds no
    moisture (the 2019 event was dry). Never above the dry bulb."""
    return np.minimum(dew_point_c + np.asarray(shift_k, dtype=float), dry_bulb_c)
