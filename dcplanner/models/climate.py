"""Psychrometrics of outdoor air: ASHRAE Handbook—Fundamentals 2017, chapter 1.

Saturation pressure over ice and over liquid water (Hyland and Wexler, eqs 5 and 6), the
humidity ratio (eq 20), the standard-atmosphere pressure at an altitude (eq 3), relative
humidity and dew point from the vapour pressure, and the thermodynamic wet bulb from the
psychrometric equation (eq 33 over water, eq 35 over ice). All functions are vectorized numpy
and broadcast their arguments.

The wet bulb of an hourly year is looked up, not solved, hour by hour: :func:`wet_bulb_c`
interpolates a table of the exact solution (:func:`wet_bulb_exact_c`) built once per pressure,
which keeps it within 0.007 K of the exact value at the cost of a few array operations (see
:func:`wet_bulb_c`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import ArrayLike, NDArray

from dcplanner.units import ZERO_C_IN_K

#: Triple point of water [°C]: the saturation pressure is over ice at or below it, over water
#: above it. ASHRAE 2017 ch. 1 writes the switch at 0 °C; at the triple point the two
#: formulations meet, as PsychroLib (Meyer and Thevenard, J. Open Source Softw. 4(33), 1137,
#: 2019) does.
TRIPLE_POINT_C = 0.01
#: Sea-level pressure of the standard atmosphere [Pa] (ASHRAE 2017 ch. 1 eq 3).
STANDARD_PRESSURE_PA = 101325.0
#: Ratio of the molar masses of water vapour and dry air [-] (ASHRAE 2017 ch. 1 eq 20).
MOLAR_MASS_RATIO = 0.621945

# Hyland-Wexler saturation pressure, ln(p_ws / Pa) as a function of T [K] (ASHRAE 2017 ch. 1):
# over ice, -100 to 0 °C, eq 5 (C1-C7); over liquid water, 0 to 200 °C, eq 6 (C8-C13).
#: Coefficients of ln(p_ws) over ice: C1/T + C2 + C3 T + C4 T^2 + C5 T^3 + C6 T^4 + C7 ln T.
ICE = (-5.6745359e3, 6.3925247, -9.6778430e-3, 6.2215701e-7, 2.0747825e-9, -9.4840240e-13,
       4.1635019)
#: Coefficients of ln(p_ws) over water: C8/T + C9 + C10 T + C11 T^2 + C12 T^3 + C13 ln T.
WATER = (-5.8002206e3, 1.3914993, -4.8640239e-2, 4.1764768e-5, -1.4452093e-8, 0.0,
         6.5459673)

# The psychrometric equation for the thermodynamic wet bulb t* [°C] (ASHRAE 2017 ch. 1):
#   W = ((L - a t*) Ws* - 1.006 (t - t*)) / (L + 1.86 t - b t*)
# with L, a, b = 2501, 2.326, 4.186 over water (eq 33, t* >= 0 °C) and 2830, 0.24, 2.1 over
# ice (eq 35, t* < 0 °C); 1.006 kJ/(kg K) is the specific heat of dry air, 1.86 that of vapour.
#: (L [kJ/kg], a, b [kJ/(kg K)]) of eq 33 (wet wick) and eq 35 (iced wick).
WET_WICK = (2501.0, 2.326, 4.186)
ICED_WICK = (2830.0, 0.24, 2.1)
CP_DRY_AIR_KJ_PER_KG_K = 1.006
CP_VAPOUR_KJ_PER_KG_K = 1.86

#: Iterations of the Newton solvers: each converges in 3-6 from its start (the functions are
#: convex and the start is on the far side of the root); 40 is a bound, never reached.
MAX_ITERATIONS = 40
TOLERANCE_K = 1e-9


def standard_pressure_pa(altitude_m: ArrayLike) -> NDArray:
    """Standard-atmosphere barometric pressure [Pa] at an altitude [m] above sea level.

    ``p = 101,325 (1 - 2.25577e-5 Z)^5.2559`` (ASHRAE Handbook—Fundamentals 2017, ch. 1
    eq 3), valid from -5,000 to 11,000 m.

    >>> round(float(standard_pressure_pa(1500.0)))
    84556
    """
    z = np.asarray(altitude_m, dtype=float)
    return STANDARD_PRESSURE_PA * (1.0 - 2.25577e-5 * z) ** 5.2559


def _ln_saturation(t_k: NDArray, c: tuple[float, ...]) -> NDArray:
    """ln(p_ws / Pa) by the Hyland-Wexler coefficients ``c`` at T [K] (eqs 5-6)."""
    poly = c[1] + t_k * (c[2] + t_k * (c[3] + t_k * (c[4] + t_k * c[5])))
    return c[0] / t_k + poly + c[6] * np.log(t_k)


def _dln_saturation(t_k: NDArray, c: tuple[float, ...]) -> NDArray:
    """d ln(p_ws) / dT [1/K] of :func:`_ln_saturation`."""
    return (-c[0] / t_k**2 + c[2] + t_k * (2 * c[3] + t_k * (3 * c[4] + t_k * 4 * c[5]))
            + c[6] / t_k)


def saturation_pressure_pa(temp_c: ArrayLike) -> NDArray:
    """Saturation vapour pressure [Pa] at a temperature [°C]: over ice at or below the triple
    point, over liquid water above it (Hyland and Wexler 1983; ASHRAE Handbook—Fundamentals
    2017, ch. 1 eqs 5 and 6, valid -100 to 200 °C).

    >>> round(float(saturation_pressure_pa(20.0)), 1)  # IAPWS-95: 2339.2 Pa
    2338.8
    """
    t_k = np.asarray(temp_c, dtype=float) + ZERO_C_IN_K
    ice = t_k <= TRIPLE_POINT_C + ZERO_C_IN_K
    if not ice.any():
        return np.exp(_ln_saturation(t_k, WATER))
    return np.exp(np.where(ice, _ln_saturation(t_k, ICE), _ln_saturation(t_k, WATER)))


def humidity_ratio(vapour_pressure_pa: ArrayLike, pressure_pa: ArrayLike) -> NDArray:
    """Humidity ratio [kg water / kg dry air] of air at a total pressure [Pa] holding vapour
    at a partial pressure [Pa]: ``W = 0.621945 p_w / (p - p_w)`` (ASHRAE 2017 ch. 1 eq 20)."""
    pw = np.asarray(vapour_pressure_pa, dtype=float)
    return MOLAR_MASS_RATIO * pw / (np.asarray(pressure_pa, dtype=float) - pw)


def relative_humidity_frac(temp_c: ArrayLike, dew_point_c: ArrayLike) -> NDArray:
    """Relative humidity [-] from dry bulb and dew point [°C]: ``p_ws(Td) / p_ws(T)``
    (ASHRAE 2017 ch. 1 eqs 5, 6 and 24), capped at 1 (a dew point above the dry bulb is
    saturation)."""
    t = np.asarray(temp_c, dtype=float)
    td = np.minimum(np.asarray(dew_point_c, dtype=float), t)
    return np.minimum(saturation_pressure_pa(td) / saturation_pressure_pa(t), 1.0)


def dew_point_from_rh_c(temp_c: ArrayLike, relative_humidity_pct: ArrayLike) -> NDArray:
    """Dew point [°C] from dry bulb [°C] and relative humidity [%] (0 < RH <= 100).

    Solves ``p_ws(Td) = RH p_ws(T)`` by Newton's method on ln p_ws, the inversion of
    ASHRAE 2017 ch. 1 eqs 5-6 that PsychroLib uses (Meyer and Thevenard 2019) rather than the
    less accurate regressions of eqs 37-38.
    """
    t = np.asarray(temp_c, dtype=float)
    target = np.log(np.asarray(relative_humidity_pct, dtype=float) / 100.0
                    * saturation_pressure_pa(t))
    td = np.broadcast_to(t, target.shape).copy()
    for _ in range(MAX_ITERATIONS):
        t_k = td + ZERO_C_IN_K
        ice = t_k <= TRIPLE_POINT_C + ZERO_C_IN_K
        ln_p = np.where(ice, _ln_saturation(t_k, ICE), _ln_saturation(t_k, WATER))
        slope = np.where(ice, _dln_saturation(t_k, ICE), _dln_saturation(t_k, WATER))
        step = (ln_p - target) / slope
        td -= step
        if not np.any(np.abs(step) > TOLERANCE_K):
            break
    return td


def _wick_root(t: NDArray, w: NDArray, p: NDArray, wick: tuple[float, float, float],
               formulation: tuple[float, ...], start: NDArray) -> NDArray:
    """The root t* [°C] of the psychrometric equation of one wick (eq 33 or 35), saturation
    over the matching surface, by Newton's method from ``start``.

    ``f(t*) = (L - a t*) Ws*(t*) - 1.006 (t - t*) - W (L + 1.86 t - b t*)`` is increasing and
    convex in t*, and ``f(start) >= 0``, so Newton's iterates fall monotonically onto the root.
    ``Ws*`` holds ``p - p_ws >= 1 % of p``, so that a start near boiling stays finite.
    """
    big_l, a, b = wick
    ts = start.copy()
    for _ in range(MAX_ITERATIONS):
        t_k = ts + ZERO_C_IN_K
        ps = np.exp(_ln_saturation(t_k, formulation))
        dry = np.maximum(p - ps, 0.01 * p)
        ws = MOLAR_MASS_RATIO * ps / dry
        dws = MOLAR_MASS_RATIO * p * ps * _dln_saturation(t_k, formulation) / dry**2
        f = ((big_l - a * ts) * ws - CP_DRY_AIR_KJ_PER_KG_K * (t - ts)
             - w * (big_l + CP_VAPOUR_KJ_PER_KG_K * t - b * ts))
        step = f / (-a * ws + (big_l - a * ts) * dws + CP_DRY_AIR_KJ_PER_KG_K + w * b)
        ts -= step
        if not np.any(np.abs(step) > TOLERANCE_K):
            break
    return ts


#: The iced wick's root is solved where the wet wick's is below this [°C], and taken equal to
#: the wet wick's elsewhere, where it is never used: the table interpolates the iced wick only
#: in cells with a corner below 0 °C, whose other corners are within a cell (0.5 K) of it.
ICED_WICK_BELOW_C = 2.0


def _wick_roots(t: NDArray, td: NDArray, p: NDArray) -> tuple[NDArray, NDArray]:
    """Roots of eq 33 (wet wick) and eq 35 (iced wick) [°C] at dry bulb ``t`` and dew point
    ``td`` [°C], arrays of one shape; the iced wick's where the wet wick's is below
    :data:`ICED_WICK_BELOW_C` (see :func:`wet_bulb_c` for why the table keeps both)."""
    w = humidity_ratio(saturation_pressure_pa(td), p)
    wet = _wick_root(t, w, p, WET_WICK, WATER, t)
    iced = wet.copy()
    k = wet < ICED_WICK_BELOW_C
    if k.any():
        # Where the wet wick's root is below 0 °C, so is the iced wick's (eq 35 gives a
        # humidity ratio at least eq 33's at t* = 0 when t >= 0), and f >= 0 at min(t, 0);
        # just above, the root is near 0 °C and Newton's first step from 0 °C lands above it.
        iced[k] = _wick_root(t[k], w[k], p[k], ICED_WICK, ICE, np.minimum(t[k], 0.0))
    return wet, iced


def wet_bulb_exact_c(temp_c: ArrayLike, dew_point_c: ArrayLike,
                     pressure_pa: ArrayLike = STANDARD_PRESSURE_PA) -> NDArray:
    """Thermodynamic wet bulb [°C] from dry bulb and dew point [°C] at a pressure [Pa].

    The humidity ratio of the dew point (eqs 5, 6 and 20) put into the psychrometric equation
    over a wet wick (ASHRAE Handbook—Fundamentals 2017, ch. 1 eq 33), solved for t* by
    Newton's method; where that root is below 0 °C, the equation over an iced wick (eq 35)
    is solved instead. Near 0 °C the two equations overlap (a narrow range of humidity
    ratios has a root of each, 0.2-0.7 K apart for dry bulbs of 5-15 °C): the wet wick is
    taken whenever its root is at or above 0 °C. Never above the dry bulb, and the dry bulb
    at saturation (a dew point at or above the dry bulb).

    Parameters
    ----------
    temp_c, dew_point_c : array_like
        Dry bulb and dew point [°C], -100 to 200 °C.
    pressure_pa : array_like
        Barometric (station) pressure [Pa], e.g. :func:`standard_pressure_pa`.
    """
    t, td, p = np.broadcast_arrays(*(np.asarray(v, dtype=float)
                                     for v in (temp_c, dew_point_c, pressure_pa)))
    td = np.minimum(td, t)
    wet, iced = _wick_roots(t, td, p)
    return np.where(td < t, np.minimum(np.where(wet >= 0.0, wet, iced), t), t)


# --- The table of wet bulbs that the hourly engine interpolates ------------------------------
#: Grid of the table: dry bulb [°C] from TABLE_LOW_C in steps of TABLE_STEP_K, dew-point
#: depression (dry bulb minus dew point) [K] from 0 in steps of TABLE_STEP_K. Hours outside
#: are solved exactly. At 0.5 K the bilinear interpolation is within 0.007 K of the exact
#: wet bulb (tests/test_models_climate.py); the table is 221 x 141 nodes, 3 MB per pressure.
TABLE_LOW_C = -50.0
TABLE_HIGH_C = 60.0
TABLE_DEPRESSION_K = 70.0
TABLE_STEP_K = 0.5
#: Pressures that vary (hour by hour, or between scenarios) are interpolated linearly between
#: tables every PRESSURE_STEP_PA (within 1e-4 K of the exact wet bulb).
PRESSURE_STEP_PA = 1000.0
#: Tables kept (each 3 MB): sites, and the pressure nodes of station-pressure years (an EPW
#: year spans 4-8 kPa); stacks of nodes kept.
TABLES_CACHED = 32
STACKS_CACHED = 4


@dataclass(frozen=True)
class _Table:
    """Bilinear coefficients of the wet bulb over the cells of the grid, at one pressure or at
    pressure nodes one above the other: ``t* = c0 + c1 u + c2 v + c3 u v`` over a cell (u, v
    in [0, 1) along dry bulb and depression).

    ``chosen`` (4, cells) holds the coefficients of the wick that holds over the whole cell (its
    four corners agree), and NaN in ``c0`` where the wicks change within the cell; ``both``
    (cells, 8) holds each wick's coefficients (wet wick in columns 0-3, iced in 4-7) for those.
    Each wick's root is smooth across the table (the other wick's region included), so neither
    interpolation has a kink to smooth over at 0 °C.
    """

    chosen: NDArray
    both: NDArray


def _corners(node: NDArray) -> tuple[NDArray, NDArray, NDArray, NDArray]:
    """Values at the four corners of each cell of a (dry bulb, depression) node grid."""
    return node[:-1, :-1], node[1:, :-1], node[:-1, 1:], node[1:, 1:]


def _coefficients(node: NDArray) -> list[NDArray]:
    """Bilinear coefficients c0-c3 of each cell of a (dry bulb, depression) node grid."""
    c00, c10, c01, c11 = _corners(node)
    return [c.ravel() for c in (c00, c10 - c00, c01 - c00, c11 - c10 - c01 + c00)]


@lru_cache(maxsize=TABLES_CACHED)
def _table(pressure_pa: float) -> _Table:
    """The table of the wet bulb at one pressure [Pa]."""
    temps = np.arange(TABLE_LOW_C, TABLE_HIGH_C + TABLE_STEP_K / 2, TABLE_STEP_K)
    depressions = np.arange(0.0, TABLE_DEPRESSION_K + TABLE_STEP_K / 2, TABLE_STEP_K)
    t = temps[:, None] + 0.0 * depressions
    wet, iced = _wick_roots(t, t - depressions, np.full(t.shape, pressure_pa))
    # Saturated air's wet bulb is its dry bulb, whichever wick (below the triple point the
    # dew point's vapour pressure is over ice, and the wet wick's root falls short of it).
    wet[:, 0] = iced[:, 0] = temps
    wet_c, iced_c = np.array(_coefficients(wet)), np.array(_coefficients(iced))
    corners = np.array([c.ravel() for c in _corners(wet >= 0.0)])  # wet wick holds
    all_wet, all_iced = corners.all(axis=0), ~corners.any(axis=0)
    chosen = np.where(all_wet, wet_c, iced_c)
    chosen[0, ~(all_wet | all_iced)] = np.nan
    return _frozen(_Table(chosen, np.concatenate([wet_c, iced_c]).T.copy()))


def _frozen(table: _Table) -> _Table:
    for array in (table.chosen, table.both):
        array.setflags(write=False)
    return table


@lru_cache(maxsize=STACKS_CACHED)
def _stacked(low_node: int, nodes: int) -> _Table:
    """The tables of ``nodes`` pressures from ``low_node * PRESSURE_STEP_PA`` one above the
    other (cell k of node n is row ``n * cells + k``)."""
    tables = [_table((low_node + k) * PRESSURE_STEP_PA) for k in range(nodes)]
    return _frozen(_Table(np.concatenate([t.chosen for t in tables], axis=1),
                          np.concatenate([t.both for t in tables])))


def _interpolate(table: _Table, cell: NDArray, u: NDArray, v: NDArray) -> NDArray:
    """The wet bulb [°C] of each hour from the coefficients of its cell: the wick of the cell,
    or, in a cell where the wicks change, the wet wick's interpolated root where it is at or
    above 0 °C and the iced wick's elsewhere."""
    c0, c1, c2, c3 = (np.take(c, cell) for c in table.chosen)
    tw = np.asarray(c0 + u * (c1 + v * c3) + v * c2)
    mixed = np.isnan(tw)
    if mixed.any():
        k = np.flatnonzero(mixed)
        c = np.take(table.both, cell.reshape(-1)[k], axis=0)
        uk, vk = u.reshape(-1)[k], v.reshape(-1)[k]
        wet = c[:, 0] + uk * (c[:, 1] + vk * c[:, 3]) + vk * c[:, 2]
        iced = c[:, 4] + uk * (c[:, 5] + vk * c[:, 7]) + vk * c[:, 6]
        tw.reshape(-1)[k] = np.where(wet >= 0.0, wet, iced)  # a view: tw is contiguous
    return tw


def wet_bulb_c(temp_c: ArrayLike, dew_point_c: ArrayLike,
               pressure_pa: ArrayLike = STANDARD_PRESSURE_PA) -> NDArray:
    """Thermodynamic wet bulb [°C] (ASHRAE 2017 ch. 1 eqs 33 and 35) from dry bulb and dew
    point [°C] at a pressure [Pa], by interpolation in tables of :func:`wet_bulb_exact_c`.

    The exact solution is tabulated once per pressure over dry bulb (-50 to 60 °C) and
    dew-point depression (0 to 70 K), every 0.5 K, for each wick, and interpolated
    bilinearly: within 0.007 K of :func:`wet_bulb_exact_c` in that range (exactly the dry
    bulb at saturation, a grid line), itself within 0.0005 K of PsychroLib's bisection. A cell
    where the wick changes (the 0 °C overlap, see :func:`wet_bulb_exact_c`) interpolates both
    wicks and chooses per hour. A pressure that varies (an hourly station pressure) is
    interpolated linearly between tables 1 kPa apart. Hours outside the table, and hours whose
    wick changes between two pressure tables, are solved exactly. A 16 x 8,760 chunk costs
    about 1.5 ms, less than the Stull (2011) approximation it replaces (1.9 ms: five
    transcendental functions per hour); Newton's method to convergence costs 100 times more.

    Parameters
    ----------
    temp_c, dew_point_c : array_like
        Dry bulb and dew point [°C]; a dew point above the dry bulb is taken as saturation.
    pressure_pa : array_like
        Barometric (station) pressure [Pa], 31 to 120 kPa; broadcast against the others.

    >>> round(float(wet_bulb_c(42.0, 13.7, 100391.0)), 2)  # Paris design hour, 78 m
    22.94
    """
    t = np.asarray(temp_c, dtype=float)
    td = np.asarray(dew_point_c, dtype=float)
    p = np.asarray(pressure_pa, dtype=float)
    t, td, p = np.broadcast_arrays(t, td, p) if t.shape != td.shape or p.ndim else (t, td, p)
    if t.size == 0:
        return np.empty(t.shape)
    depression = np.maximum(t - td, 0.0)
    x = (t - TABLE_LOW_C) * (1.0 / TABLE_STEP_K)
    y = depression * (1.0 / TABLE_STEP_K)
    i, j = np.floor(x), np.floor(y)
    ni = round((TABLE_HIGH_C - TABLE_LOW_C) / TABLE_STEP_K)
    nj = round(TABLE_DEPRESSION_K / TABLE_STEP_K)
    # Hours whose table value stands (None: all); the others are solved exactly.
    looked_up: NDArray | None = None
    if x.min() < 0 or x.max() >= ni or y.max() >= nj:
        looked_up = (x >= 0) & (x < ni) & (y < nj)
        i, j = np.where(looked_up, i, 0.0), np.where(looked_up, j, 0.0)
    cell = (i * nj + j).astype(np.intp)
    u, v = x - i, y - j
    p_low, p_high = float(p.min()), float(p.max())
    if p_low == p_high:
        tw = _interpolate(_table(p_low), cell, u, v)
    else:
        node = np.floor(p * (1.0 / PRESSURE_STEP_PA))
        low_node = int(node.min())
        table = _stacked(low_node, int(node.max()) - low_node + 2)
        cell = cell + ((node - low_node) * (ni * nj)).astype(np.intp)
        below = _interpolate(table, cell, u, v)
        above = _interpolate(table, cell + ni * nj, u, v)
        tw = below + (p * (1.0 / PRESSURE_STEP_PA) - node) * (above - below)
        # Where the wick changes between the two pressures (a root at or above 0 °C is the
        # wet wick's, one below it the iced wick's), blending would mix the two roots.
        changes = (below >= 0.0) != (above >= 0.0)
        if changes.any():
            looked_up = ~changes if looked_up is None else looked_up & ~changes
    if looked_up is not None:
        t, td, p, tw = (np.array(a) for a in np.broadcast_arrays(t, td, p, tw))
        exact = ~looked_up
        tw[exact] = wet_bulb_exact_c(t[exact], td[exact], p[exact])
    return np.minimum(tw, t)
