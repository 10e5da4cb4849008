"""Waste-heat export: a heat pump lifting the liquid loop's return heat to a district network.

Every function broadcasts: per-scenario values of shape (S, 1) against hourly arrays (S, H) or
(1, H) give (S, H), so the year is computed without a loop over the hours.

The heat balance of the heat pump: it takes ``recovered`` [W] from the loop (its evaporator),
draws ``electricity = delivered / COP`` [W] and delivers ``delivered = recovered + electricity``
[W] to the network (its condenser), so ``delivered = recovered x COP / (COP - 1)``.

References
----------
.. [1] Carnot limit of a heat pump, COP_heat = T_sink / (T_sink - T_source) in kelvin (any
   thermodynamics text; e.g. Çengel & Boles, *Thermodynamics*, 9th ed., §6-7).
.. [2] Eurostat, "Heating and cooling degree days - statistics" (methodology, 2024): heating
   degree days are 18 °C minus the mean outdoor temperature on days when it is at or below
   15 °C, else 0; applied here hour by hour.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from dcplanner.units import WH_PER_MWH, ZERO_C_IN_K

#: Heating degree base and threshold [°C] (Eurostat [2]).
HDD_BASE_C, HDD_THRESHOLD_C = 18.0, 15.0


def carnot_heating_cop(source_c: ArrayLike, sink_c: ArrayLike) -> NDArray:
    """Carnot coefficient of performance of a heat pump in heating [-] [1]_.

    Parameters
    ----------
    source_c, sink_c : array_like
        Source (evaporator side) and sink (condenser side) temperatures [°C].

    Returns
    -------
    ndarray
        ``T_sink / (T_sink - T_source)`` in kelvin; +inf at a lift of 0 K or below (no work
        needed).
    """
    sink_k = np.asarray(sink_c, float) + ZERO_C_IN_K
    lift_k = sink_k - (np.asarray(source_c, float) + ZERO_C_IN_K)
    with np.errstate(divide="ignore"):
        return np.where(lift_k > 0, sink_k / np.where(lift_k > 0, lift_k, 1.0), np.inf)


def heat_pump_cop(source_c: ArrayLike, sink_c: ArrayLike, carnot_frac: ArrayLike,
                  max_cop: ArrayLike) -> NDArray:
    """Heating COP of a heat pump as a fraction of Carnot, capped [-].

    Parameters
    ----------
    source_c, sink_c : array_like
        Source and sink water temperatures [°C].
    carnot_frac : array_like
        Fraction of the Carnot COP the machine reaches [-], in (0, 1].
    max_cop : array_like
        Cap on the COP at small lift [-] (> 1); the COP at a lift of 0 K.

    Returns
    -------
    ndarray
        ``min(carnot_frac x COP_Carnot, max_cop)``, never below 1 (a heat pump delivers at
        least its electricity as heat).
    """
    cop = np.minimum(np.asarray(carnot_frac, float) * carnot_heating_cop(source_c, sink_c),
                     max_cop)
    return np.maximum(cop, 1.0)


def curve_cop(lift_k: ArrayLike, curve_lift_k: ArrayLike, curve_cop_points: ArrayLike,
              ) -> NDArray:
    """Heating COP from a manufacturer curve of COP against lift [-], interpolated linearly and
    held at its end points (no extrapolation).

    Parameters
    ----------
    lift_k : array_like, shape (S,)
        Each scenario's sink minus source temperature [K].
    curve_lift_k, curve_cop_points : array_like, shape (S, K)
        Each scenario's curve, lifts increasing.

    Returns
    -------
    ndarray, shape (S,)
    """
    xs, ys = np.atleast_2d(curve_lift_k), np.atleast_2d(curve_cop_points)
    lift = np.broadcast_to(np.asarray(lift_k, float).ravel(), (xs.shape[0],))
    # One interpolation per scenario (a curve is a few points; the hours never loop).
    return np.array([np.interp(v, x, y) for v, x, y in zip(lift, xs, ys, strict=True)])


def heating_degree_c(dry_bulb_c: ArrayLike) -> NDArray:
    """Heating degrees of each hour [K]: 18 °C minus the outdoor temperature where it is at or
    below 15 °C, else 0 (Eurostat's daily rule [2]_, hour by hour)."""
    t = np.asarray(dry_bulb_c, float)
    return np.where(t <= HDD_THRESHOLD_C, HDD_BASE_C - t, 0.0)


def degree_hour_demand_w(dry_bulb_c: ArrayLike, annual_mwh: ArrayLike,
                         base_frac: ArrayLike) -> NDArray:
    """A district network's hourly heat demand [W] from the weather year.

    A share ``base_frac`` of the year's demand is flat over the hours (domestic hot water,
    network losses); the rest follows the heating degree-hours (:func:`heating_degree_c`).

    Parameters
    ----------
    dry_bulb_c : array_like, shape (S or 1, H)
        Outdoor dry bulb [°C].
    annual_mwh : array_like, shape (S, 1)
        The network's heat demand over the year that the data centre may serve [MWh].
    base_frac : array_like, shape (S, 1)
        Weather-independent share of it [-].

    Returns
    -------
    ndarray, shape (S, H)
        Demand [W]; sums to ``annual_mwh`` over the hours (all flat when no hour is a heating
        hour).
    """
    dry = np.asarray(dry_bulb_c, float)
    hours = dry.shape[-1]
    degrees = heating_degree_c(dry)
    total = degrees.sum(axis=-1, keepdims=True)
    shape = np.where(total > 0, degrees / np.where(total > 0, total, 1.0), 1.0 / hours)
    base = np.asarray(base_frac, float)
    annual_wh = np.asarray(annual_mwh, float) * WH_PER_MWH
    return annual_wh * (base / hours + (1.0 - base) * shape)


def heat_export(available_w: ArrayLike, demand_w: ArrayLike, cop: ArrayLike,
                capacity_w: ArrayLike) -> dict[str, NDArray]:
    """Hourly heat exported through a heat pump, limited by the heat available, the network's
    demand and the heat pump's capacity.

    Parameters
    ----------
    available_w : array_like
        Heat the loop can give each hour, at its return temperature [W].
    demand_w : array_like
        Heat the network takes each hour at its supply temperature [W] (>= 0).
    cop : array_like
        Heating COP (> 1, or +inf: no work needed) [-].
    capacity_w : array_like
        Heat-output capacity of the heat pump [W]; NaN: not limited.

    Returns
    -------
    dict of ndarray
        ``delivered_w`` (heat sold at the network's supply temperature), ``recovered_w`` (heat
        taken from the loop) and ``electricity_w`` (the heat pump's draw) [W]; delivered =
        recovered + electricity, delivered <= demand and capacity, recovered <= available.
    """
    cop = np.maximum(np.asarray(cop, float), 1.0)
    # Heat out per heat in: COP / (COP - 1); 1 without work (COP infinite); infinite at COP 1
    # (all the heat is electricity: nothing is taken from the loop).
    usual = np.isfinite(cop) & (cop > 1.0)
    gain = np.where(usual, cop / np.where(usual, cop - 1.0, 1.0),
                    np.where(np.isinf(cop), 1.0, np.inf))
    available = np.asarray(available_w, float)
    capacity = np.asarray(capacity_w, float)
    limit = np.where(np.isnan(capacity), np.inf, capacity)
    from_loop = np.where(np.isinf(gain), np.inf, available * np.where(np.isinf(gain), 1.0, gain))
    delivered = np.maximum(np.minimum(np.minimum(np.asarray(demand_w, float), limit),
                                      from_loop), 0.0)
    recovered = np.minimum(delivered / gain, available)
    return {"delivered_w": delivered, "recovered_w": recovered,
            "electricity_w": delivered - recovered}


__all__ = ["carnot_heating_cop", "curve_cop", "degree_hour_demand_w", "heat_export",
           "heat_pump_cop", "heating_degree_c"]
