"""Coolants: water and propylene-glycol solutions, and what glycol costs a pumped loop.

Properties of propylene glycol - water from the correlations of Melinder (2010), the
polynomials in mass fraction and temperature that the IBPSA Modelica library implements
(``IBPSA.Media.Antifreeze.PropyleneGlycolWater``, read 2026-12-01). At a mass fraction of 0
they give water (4,178 J/kg/K, 994 kg/m³ and 0.69 mPa s at 37 °C), so water and glycol come
from one formula.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

#: Largest glycol mass fraction the correlations cover [-] (IBPSA ``massFraction_max``).
MAX_GLYCOL_FRAC = 0.6
#: Reference mass fraction [%] and temperature [°C] the polynomials are centred on.
_REFERENCE_PCT, _REFERENCE_C = 30.7031, 32.7089
#: Order in temperature of each power of the mass fraction.
_ORDERS = (4, 4, 4, 3, 2, 1)
#: Coefficients (Melinder 2010, as tabulated in IBPSA), by property.
_COEFFICIENTS = {
    "density_kg_per_m3": (
        1.018e3, -5.406e-1, -2.666e-3, 1.347e-5, 7.604e-1, -9.450e-3, 5.541e-5, -1.343e-7,
        -2.498e-3, 2.700e-5, -4.018e-7, 3.376e-9, -1.550e-4, 2.829e-6, -7.175e-9, -1.131e-6,
        -2.221e-8, 2.342e-8),
    "cp_j_per_kg_k": (
        3.882e3, 2.699e0, -1.659e-3, -1.032e-5, -1.304e1, 5.070e-2, -4.752e-5, 1.522e-6,
        -1.598e-1, 9.534e-5, 1.167e-5, -4.870e-8, 3.539e-4, 3.102e-5, -2.950e-7, 5.000e-5,
        -7.135e-7, -4.959e-7),
    "log_viscosity": (  # ln of the dynamic viscosity in mPa s
        6.837e-1, -3.045e-2, 2.525e-4, -1.399e-6, 3.328e-2, -3.984e-4, 4.332e-6, -1.860e-8,
        5.453e-5, -8.600e-8, -1.593e-8, -4.465e-11, -3.900e-6, 1.054e-7, -1.589e-9,
        -1.587e-8, 4.475e-10, 3.564e-9),
    "freezing_c": (
        -1.325e1, -3.820e-5, 7.865e-7, -1.733e-9, -6.631e-1, 6.774e-6, -6.242e-8, -7.819e-10,
        -1.094e-2, 5.332e-8, -4.169e-9, 3.288e-11, -2.283e-4, -1.131e-8, 1.918e-10,
        -3.409e-6, 8.035e-11, 1.465e-8),
}
#: Exponents of the Blasius friction law for smooth pipes in turbulent flow, ``f ∝ Re^-0.25``:
#: a pressure drop ``dp ∝ rho^0.75 mu^0.25 V^1.75`` (ASHRAE Handbook Fundamentals, ch. 22
#: "Pipe sizing", Darcy-Weisbach with the Blasius factor).
_DENSITY_EXP, _VISCOSITY_EXP, _FLOW_EXP = 0.75, 0.25, 1.75


def _polynomial(name: str, mass_frac: ArrayLike, temp_c: ArrayLike) -> NDArray:
    dx = 100.0 * np.asarray(mass_frac, dtype=float) - _REFERENCE_PCT
    dy = np.asarray(temp_c, dtype=float) - _REFERENCE_C
    coefficients = iter(_COEFFICIENTS[name])
    total = np.zeros(np.broadcast_shapes(dx.shape, dy.shape))
    for i, order in enumerate(_ORDERS):
        for j in range(order):
            total = total + next(coefficients) * dx**i * dy**j
    return total


def propylene_glycol(mass_frac: ArrayLike, temp_c: ArrayLike) -> dict[str, NDArray]:
    """Properties of a propylene glycol - water solution (Melinder 2010).

    Parameters
    ----------
    mass_frac : array_like
        Glycol mass fraction, 0 (water) to :data:`MAX_GLYCOL_FRAC` [-].
    temp_c : array_like
        Temperature [°C].

    Returns
    -------
    dict of ndarray
        ``density_kg_per_m3``, ``cp_j_per_kg_k``, ``viscosity_pa_s`` and ``freezing_c``.

    Examples
    --------
    >>> p = propylene_glycol(0.3, 37.0)
    >>> round(float(p["cp_j_per_kg_k"])), round(float(p["freezing_c"]), 1)
    (3902, -12.8)
    """
    return {
        "density_kg_per_m3": _polynomial("density_kg_per_m3", mass_frac, temp_c),
        "cp_j_per_kg_k": _polynomial("cp_j_per_kg_k", mass_frac, temp_c),
        "viscosity_pa_s": 1e-3 * np.exp(_polynomial("log_viscosity", mass_frac, temp_c)),
        "freezing_c": _polynomial("freezing_c", mass_frac, temp_c),
    }


def freezing_point_c(mass_frac: ArrayLike) -> NDArray:
    """Freezing point of a propylene glycol - water solution [°C] (0 for water)."""
    # A batch has few distinct mixes (a study's cases mostly share one): the polynomial is
    # evaluated once per mix, not once per case.
    frac = np.asarray(mass_frac, dtype=float)
    mixes, where = np.unique(frac, return_inverse=True)
    return _polynomial("freezing_c", mixes, _REFERENCE_C)[where].reshape(frac.shape)


def pumping_factor(mass_frac: ArrayLike, temp_c: ArrayLike) -> NDArray:
    """Pump power with a glycol solution over the pump power with water [-], for the same heat,
    temperature range and pipe network (the head being given for water).

    Less heat per cubic metre (``rho cp``) needs more flow, ``r = (rho cp)_w / (rho cp)``; the
    network's pressure drop at that flow follows the Blasius law,
    ``(rho / rho_w)^0.75 (mu / mu_w)^0.25 r^1.75``; the power is head times flow.

    Parameters
    ----------
    mass_frac : array_like
        Glycol mass fraction [-].
    temp_c : array_like
        Mean loop temperature [°C].

    Examples
    --------
    >>> round(float(pumping_factor(0.0, 37.0)), 6), round(float(pumping_factor(0.3, 37.0)), 2)
    (1.0, 1.45)
    """
    glycol, water = propylene_glycol(mass_frac, temp_c), propylene_glycol(0.0, temp_c)
    flow = (water["density_kg_per_m3"] * water["cp_j_per_kg_k"]) / (
        glycol["density_kg_per_m3"] * glycol["cp_j_per_kg_k"])
    head = ((glycol["density_kg_per_m3"] / water["density_kg_per_m3"]) ** _DENSITY_EXP
            * (glycol["viscosity_pa_s"] / water["viscosity_pa_s"]) ** _VISCOSITY_EXP
            * flow**_FLOW_EXP)
    return head * flow
