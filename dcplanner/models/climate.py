"""Psychrometrics of outdoor air: relative humidity from the dew point, and the wet bulb."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

#: Magnus coefficients over water (Sonntag 1990), as reference/paris-climate.md §2 uses them.
MAGNUS_A = 17.62
MAGNUS_B_C = 243.12


def relative_humidity_frac(temp_c: ArrayLike, dew_point_c: ArrayLike) -> NDArray:
    """Relative humidity [-] from dry bulb and dew point [°C], Magnus formula.

    ``RH = exp(a Td / (b + Td)) / exp(a T / (b + T))`` with a = 17.62, b = 243.12 °C
    (D. Sonntag, "Important new values of the physical constants of 1986, vapour pressure
    formulations...", Z. Meteorol. 40, 1990). Capped at 1 (a dew point above the dry bulb is
    saturation).
    """
    t = np.asarray(temp_c, dtype=float)
    td = np.asarray(dew_point_c, dtype=float)
    rh = np.exp(MAGNUS_A * td / (MAGNUS_B_C + td) - MAGNUS_A * t / (MAGNUS_B_C + t))
    return np.minimum(rh, 1.0)


def dew_point_from_rh_c(temp_c: ArrayLike, relative_humidity_pct: ArrayLike) -> NDArray:
    """Dew point [°C] from dry bulb [°C] and RH [%], inverting the Magnus formula (Sonntag 1990)."""
    t = np.asarray(temp_c, dtype=float)
    gamma = np.log(np.asarray(relative_humidity_pct) / 100.0) + MAGNUS_A * t / (MAGNUS_B_C + t)
    return MAGNUS_B_C * gamma / (MAGNUS_A - gamma)


def wet_bulb_c(temp_c: ArrayLike, relative_humidity: ArrayLike) -> NDArray:
    """Wet-bulb temperature [°C] from dry bulb [°C] and relative humidity [-], Stull (2011).

    ``Tw = T atan(0.151977 (RH% + 8.313659)^0.5) + atan(T + RH%) - atan(RH% - 1.676331)
    + 0.00391838 RH%^1.5 atan(0.023101 RH%) - 4.686035``; within about 0.3 K of the
    psychrometric value for RH 5-99 % and -20 to 50 °C at sea-level pressure
    (R. Stull, "Wet-Bulb Temperature from Relative Humidity and Air Temperature",
    J. Appl. Meteor. Climatol. 50, 2267-2269, 2011). Never above the dry bulb.
    """
    t = np.asarray(temp_c, dtype=float)
    rh_pct = 100.0 * np.asarray(relative_humidity, dtype=float)
    tw = (
        t * np.arctan(0.151977 * np.sqrt(rh_pct + 8.313659))
        + np.arctan(t + rh_pct)
        - np.arctan(rh_pct - 1.676331)
        + 0.00391838 * rh_pct * np.sqrt(rh_pct) * np.arctan(0.023101 * rh_pct)  # RH%^1.5
        - 4.686035
    )
    return np.minimum(tw, t)
