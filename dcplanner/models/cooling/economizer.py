"""Air-side economizers: outdoor air cooling the air hall before its chilled-water coils."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray


def indirect_economizer_frac(outdoor_c: ArrayLike, return_air_c: ArrayLike, delta_k: ArrayLike,
                             effectiveness: ArrayLike) -> NDArray:
    """Share of the air hall's heat an indirect air-side economizer removes [-].

    The hall's return air passes an air-to-air heat exchanger against outdoor (scavenger) air
    of equal flow, leaving it ``eps (Tr - To)`` colder; the hall's air must be cooled by its
    rise ``dT`` in all, so the exchanger takes ``clip(eps (Tr - To) / dT, 0, 1)`` of the heat
    and the chilled-water coils the rest (K. Dunnavant, "Indirect air-side economizer cycle:
    data center heat rejection", ASHRAE Journal 53(3), 2011).

    Parameters
    ----------
    outdoor_c : array_like
        Outdoor dry bulb [°C].
    return_air_c : array_like
        The hall's return air, supply air plus the rise across the IT [°C].
    delta_k : array_like
        Air temperature rise across the IT [K].
    effectiveness : array_like
        Temperature effectiveness of the exchanger [-].

    Examples
    --------
    >>> float(indirect_economizer_frac(20.0, 36.0, 12.0, 0.75))
    1.0
    >>> float(indirect_economizer_frac(28.0, 36.0, 12.0, 0.75))
    0.5
    """
    depression_k = np.asarray(return_air_c, float) - np.asarray(outdoor_c, float)
    return np.clip(np.asarray(effectiveness, float) * depression_k / np.asarray(delta_k, float),
                   0.0, 1.0)
