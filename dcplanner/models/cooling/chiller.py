"""Chillers: coefficient of performance against the lift (Carnot fraction) or from the
EnergyPlus ``Chiller:Electric:EIR`` curves.

Two models, chosen per plant (``cooling.chiller.model``):

- ``carnot``: :func:`carnot_cop`, a fixed fraction of the Carnot COP between the chilled water
  and the condensing temperature, capped at small lifts.
- ``eir``: :func:`eir_chiller`, the DOE-2 / EnergyPlus electric chiller (EnergyPlus Engineering
  Reference, "Electric Chiller Model Based on Condenser Entering Temperature"): available
  capacity ``Cap_ref CAPFT(T_chw, T_cond)``, power
  ``Cap_avail / COP_ref x EIRFT(T_chw, T_cond) x EIRFPLR(PLR) x cycling``, with CAPFT and EIRFT
  biquadratic in the leaving chilled water and the entering condenser fluid (outdoor air for
  an air-cooled machine, tower water for a water-cooled one) and EIRFPLR quadratic in the
  part-load ratio. :data:`CURVE_SETS` holds the published curve sets a scenario can name.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from dcplanner.units import ZERO_C_IN_K

#: Smallest lift used in the Carnot formula [K]; any COP it gives is above every cap.
MIN_LIFT_K = 1e-6
#: The chiller models a scenario can choose (``cooling.chiller.model``).
CHILLER_MODELS = ("carnot", "eir")
#: Smallest design chiller load a bank is sized on [W]: a loop free-cooled at the design hour
#: gets a 1 W bank, which every later load runs at full-load efficiency (see :func:`eir_chiller`).
MIN_RATED_W = 1.0

#: Where the curve sets come from (files read 2026-12-01).
_OSSTD = ("openstudio-standards, lib/openstudio-standards/standards/ashrae_90_1/data/"
          "ashrae_90_1.curves.json at NREL/openstudio-standards commit 0548f6d, read 2026-12-01")
_EPLUS = ("EnergyPlus datasets/Chillers.idf at NREL/EnergyPlus commit 073d9a9, read "
          "2026-12-01")

#: Published ``Chiller:Electric:EIR`` curve sets by name: CAPFT and EIRFT coefficients
#: ``c1..c6`` of ``c1 + c2 x + c3 x^2 + c4 y + c5 y^2 + c6 x y`` (x leaving chilled water,
#: y entering condenser fluid [°C]), EIRFPLR ``c1 + c2 PLR + c3 PLR^2``, the curves' valid
#: ranges of x and y [°C], the reference point where CAPFT and EIRFT are 1 (within 0.4 %) and
#: the source. The reference COP is the scenario's (``rated_cop``): the curves are normalised.
CURVE_SETS: dict[str, dict] = {
    # ASHRAE 90.1 Appendix G (Performance Rating Method) reference air-cooled chiller:
    # AirCooled_Chiller_2010_PathA_CAPFT / _EIRFT and
    # AirCooled_Chiller_AllCapacities_2004_2010_EIRFPLR ("Based on Dick Lord's study dated
    # January 17, 2010"); reference 6.67 °C water (44 °F), 35 °C outdoor air (95 °F).
    "ashrae_90_1_air_cooled": {
        "capft": (1.0433825, 0.0407073, 0.0004506, -0.0041514, -8.86e-05, -0.0003467),
        "eirft": (0.5961915, -0.0099496, 0.0007888, 0.0004506, 0.0004875, -0.0007623),
        "eirfplr": (0.141, 0.655, 0.203),
        "water_range_c": (5.0, 10.0),
        "condenser_range_c": (12.7, 51.67),
        "reference_c": (6.67, 35.0),
        "source": _OSSTD,
    },
    # DOE-2.1E generic open/hermetic water-cooled centrifugal chiller ("DOE-2
    # Centrifugal/5.50COP", curves HERM-CENT-CAP-FT, -EIR-FT, -EIR-FPLR); reference 6.67 °C
    # leaving chilled water, 29.4 °C entering condenser water.
    "doe2_centrifugal": {
        "capft": (0.257896, 0.0389016, -0.00021708, 0.0468684, -0.00094284, -0.00034344),
        "eirft": (0.933884, -0.058212, 0.00450036, 0.00243, 0.000486, -0.001215),
        "eirfplr": (0.222903, 0.313387, 0.463710),
        "water_range_c": (5.0, 10.0),
        "condenser_range_c": (24.0, 35.0),
        "reference_c": (6.67, 29.4),
        "source": _EPLUS,
    },
}


def carnot_cop(
    evaporator_c: ArrayLike, condenser_c: ArrayLike, carnot_frac: ArrayLike, max_cop: ArrayLike
) -> NDArray:
    """Chiller coefficient of performance as a fraction of Carnot [-].

    ``COP = eta T_evap / (T_cond - T_evap)`` (kelvin), capped at ``max_cop``; a condenser at or
    below the evaporator gives ``max_cop``.

    Parameters
    ----------
    evaporator_c, condenser_c : array_like
        Evaporator (chilled water leaving) and condenser (heat sink) temperatures [°C].
    carnot_frac : array_like
        Fraction of the Carnot COP the machine reaches [-] (sourced with each plant's default).
    max_cop : array_like
        Cap on the COP at small lifts [-].
    """
    evaporator_c = np.asarray(evaporator_c, dtype=float)
    lift_k = np.asarray(condenser_c, dtype=float) - evaporator_c
    # A lift at or below zero gives an unbounded Carnot COP, which the cap replaces.
    carnot = (np.asarray(carnot_frac) * (evaporator_c + ZERO_C_IN_K)) / np.clip(
        lift_k, MIN_LIFT_K, None)
    return np.clip(carnot, None, max_cop)


def _coefficient(c: NDArray, i: int, ndim: int) -> NDArray:
    """Coefficient ``i`` of curves ``c`` (shape (..., K)), with trailing axes to broadcast
    against inputs of ``ndim`` dimensions (scenarios first, hours last)."""
    ci = c[..., i]
    return ci.reshape(ci.shape + (1,) * max(ndim - ci.ndim, 0))


def _bounds(r: ArrayLike, ndim: int) -> tuple[NDArray, NDArray]:
    r = np.asarray(r, dtype=float)
    return _coefficient(r, 0, ndim), _coefficient(r, 1, ndim)


def biquadratic(c: ArrayLike, x: ArrayLike, y: ArrayLike, scale: ArrayLike = 1.0) -> NDArray:
    """``scale (c1 + c2 x + c3 x^2 + c4 y + c5 y^2 + c6 x y)`` (EnergyPlus
    ``Curve:Biquadratic``).

    Parameters
    ----------
    c : array_like, shape (..., 6)
        Coefficients, one set per scenario (leading axes) or one for all.
    x, y : array_like
        The two inputs; leading axes those of ``c``'s, trailing axes (hours) broadcast.
    scale : array_like
        A factor of the curve, like ``x`` (a rated capacity per scenario).

    Notes
    -----
    Evaluated as ``(c1 + c2 x + c3 x^2) + y (c4 + c6 x + c5 y)`` with ``scale`` folded into
    the first two terms: when ``x`` and ``scale`` are one value per scenario (a loop's supply)
    and ``y`` hourly, the hourly work is two products and two sums.
    """
    c = np.asarray(c, dtype=float)
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    n = max(x.ndim, y.ndim, c.ndim - 1)
    k = [_coefficient(c, i, n) for i in range(6)]
    scale = np.asarray(scale, dtype=float)
    return scale * (k[0] + x * (k[1] + k[2] * x)) + y * (scale * (k[3] + k[5] * x)
                                                         + (scale * k[4]) * y)


def quadratic(c: ArrayLike, x: ArrayLike) -> NDArray:
    """``c1 + c2 x + c3 x^2`` (EnergyPlus ``Curve:Quadratic``); ``c`` shape (..., 3) as in
    :func:`biquadratic`."""
    c = np.asarray(c, dtype=float)
    x = np.asarray(x, dtype=float)
    n = max(x.ndim, c.ndim - 1)
    return _coefficient(c, 0, n) + x * (_coefficient(c, 1, n) + _coefficient(c, 2, n) * x)


def clamped(x: ArrayLike, bounds: ArrayLike) -> NDArray:
    """``x`` clamped to a curve's valid range ``bounds`` (shape (..., 2): min, max), as
    EnergyPlus evaluates a performance curve outside its limits (Input-Output Reference,
    Curve:Biquadratic "Minimum/Maximum Value of x": the input is set to the limit)."""
    x = np.asarray(x, dtype=float)
    low, high = _bounds(bounds, max(x.ndim, np.ndim(bounds) - 1))
    return np.clip(x, low, high)


def quadratic_min(c: ArrayLike, bounds: ArrayLike) -> float:
    """Smallest value of the quadratic ``c`` (3 coefficients, one curve) over ``bounds``
    (min, max): at an end or at the vertex."""
    c0, c1, c2 = (float(v) for v in c)
    low, high = (float(v) for v in bounds)
    points = [low, high]
    if c2 != 0.0 and low < -c1 / (2 * c2) < high:
        points.append(-c1 / (2 * c2))
    return float(min(quadratic((c0, c1, c2), p) for p in points))


def biquadratic_min(c: ArrayLike, x_bounds: ArrayLike, y_bounds: ArrayLike) -> float:
    """Smallest value of the biquadratic ``c`` (6 coefficients, one curve) over the rectangle
    ``x_bounds`` x ``y_bounds``: at a corner, at a stationary point of an edge or at the
    interior stationary point (where the gradient vanishes)."""
    k = [float(v) for v in c]
    (x0, x1), (y0, y1) = ((float(a), float(b)) for a, b in (x_bounds, y_bounds))
    points = [(x, y) for x in (x0, x1) for y in (y0, y1)]
    for x in (x0, x1):  # along y at fixed x: (c4 + c6 x) + 2 c5 y = 0
        if k[4] != 0.0 and y0 < -(k[3] + k[5] * x) / (2 * k[4]) < y1:
            points.append((x, -(k[3] + k[5] * x) / (2 * k[4])))
    for y in (y0, y1):  # along x at fixed y: (c2 + c6 y) + 2 c3 x = 0
        if k[2] != 0.0 and x0 < -(k[1] + k[5] * y) / (2 * k[2]) < x1:
            points.append((-(k[1] + k[5] * y) / (2 * k[2]), y))
    det = 4 * k[2] * k[4] - k[5] * k[5]
    if det != 0.0:  # 2 c3 x + c6 y = -c2, c6 x + 2 c5 y = -c4
        x = (-k[1] * 2 * k[4] + k[3] * k[5]) / det
        y = (-k[3] * 2 * k[2] + k[1] * k[5]) / det
        if x0 < x < x1 and y0 < y < y1:
            points.append((x, y))
    return float(min(biquadratic(k, x, y) for x, y in points))


def eir_rated_capacity_w(
    load_w: ArrayLike,
    evaporator_c: ArrayLike,
    condenser_c: ArrayLike,
    *,
    capft: ArrayLike,
    water_range_c: ArrayLike,
    condenser_range_c: ArrayLike,
) -> NDArray:
    """Reference capacity of a chiller bank sized on a design hour [W].

    The sizing rule: the bank's available capacity at the design hour's temperatures equals the
    design hour's chiller load, ``Cap_ref = Q_design / CAPFT(T_chw, T_cond,design)`` (at least
    :data:`MIN_RATED_W`), so that the bank runs at a part-load ratio of 1 there. (EnergyPlus
    autosizes ``Cap_ref`` to the design load at the reference conditions instead; an air-cooled
    bank so sized could not carry the design load at 42 °C, where CAPFT < 1.)

    Parameters
    ----------
    load_w : array_like
        Chiller (evaporator) load at the design hour [W].
    evaporator_c, condenser_c : array_like
        Leaving chilled water and entering condenser fluid there [°C].
    capft, water_range_c, condenser_range_c : array_like
        The curve set (see :func:`eir_chiller`).
    """
    x = clamped(evaporator_c, water_range_c)
    y = clamped(condenser_c, condenser_range_c)
    return np.maximum(np.asarray(load_w, dtype=float), MIN_RATED_W) / biquadratic(capft, x, y)


def eir_chiller(
    load_w: ArrayLike,
    evaporator_c: ArrayLike,
    condenser_c: ArrayLike,
    *,
    rated_capacity_w: ArrayLike,
    rated_cop: ArrayLike,
    capft: ArrayLike,
    eirft: ArrayLike,
    eirfplr: ArrayLike,
    water_range_c: ArrayLike,
    condenser_range_c: ArrayLike,
    min_part_load_frac: ArrayLike,
    min_unloading_frac: ArrayLike,
    units: ArrayLike = 1.0,
) -> dict[str, NDArray]:
    """The EnergyPlus ``Chiller:Electric:EIR`` model of a bank of identical chillers.

    ``Cap = Cap_ref CAPFT(x, y)``, ``PLR = Q / Cap`` and
    ``P = Cap / COP_ref EIRFT(x, y) EIRFPLR(max(PLR, PLR_unload)) min(1, PLR / PLR_min)``
    (EnergyPlus Engineering Reference, Chiller:Electric:EIR): below the minimum unloading
    ratio the machine false-loads (EIRFPLR held there), below the minimum part-load ratio it
    cycles. x is the leaving chilled water and y the entering condenser fluid, each clamped to
    the curve's valid range as EnergyPlus does. The bank's ``units`` are staged on as the load
    needs and share it equally (EnergyPlus' SequentialUniformPLR load distribution): with a
    bank part-load ratio ``PLR_b``, ``ceil(N PLR_b)`` units run (at least one), each at
    ``PLR = N PLR_b / ceil(N PLR_b)``; one unit is the bank as one machine. A load above the
    available capacity (an hour hotter or more loaded than the design hour the bank was sized
    on) is priced at full-load efficiency, ``P = Q / COP_ref EIRFT EIRFPLR(1)``: the plant is
    taken to carry it.

    Written as ``P = Q EIR`` with
    ``EIR = EIRFT EIRFPLR(clip(PLR, PLR_unload, 1)) / (COP_ref clip(PLR, PLR_min, 1))``.
    Without load (no energy) the COP given is the full-load COP at those temperatures, as the
    Carnot model's: a loop free-cooled at its design hour does not show a cycling COP.

    Parameters
    ----------
    load_w : array_like
        Chiller (evaporator) load [W].
    evaporator_c, condenser_c : array_like
        Leaving chilled water and entering condenser fluid (outdoor air, tower water) [°C].
    rated_capacity_w : array_like
        Reference capacity of the bank [W] (:func:`eir_rated_capacity_w`).
    rated_cop : array_like
        Reference COP [-], at the curves' reference point.
    capft, eirft : array_like, shape (..., 6)
        Biquadratic capacity and EIR curves (:func:`biquadratic`), 1 at the reference point.
    eirfplr : array_like, shape (..., 3)
        Quadratic EIR curve in the part-load ratio (:func:`quadratic`), 1 at full load.
    water_range_c, condenser_range_c : array_like, shape (..., 2)
        Valid ranges of x and y [°C].
    min_part_load_frac, min_unloading_frac : array_like
        Minimum part-load ratio (cycling below it, > 0) and minimum unloading ratio [-].
    units : array_like
        Identical chillers in the bank [-] (at least 1).

    Returns
    -------
    dict of ndarray
        ``cop`` [-] (load over power), ``chiller_w`` [W], ``part_load_frac`` [-] (of each
        running unit, not capped at 1).
    """
    load_w = np.asarray(load_w, dtype=float)
    x = clamped(evaporator_c, water_range_c)
    y = clamped(condenser_c, condenser_range_c)
    ndim = max(load_w.ndim, x.ndim, y.ndim)
    # The rated capacity and 1 / COP_ref folded into the curves: per scenario, not per hour.
    plr = load_w / biquadratic(capft, x, y, scale=rated_capacity_w)
    units = np.asarray(units, dtype=float)
    if np.any(units != 1.0):  # staged: the units on share the load
        units = units.reshape(units.shape + (1,) * max(ndim - units.ndim, 0))
        bank_units = plr * units
        plr = bank_units / np.clip(np.ceil(bank_units), 1.0, units)
    unloading = np.asarray(min_unloading_frac, dtype=float)
    minimum = np.asarray(min_part_load_frac, dtype=float)
    unloading, minimum = (v.reshape(v.shape + (1,) * max(ndim - v.ndim, 0))
                          for v in (unloading, minimum))
    priced = np.where(load_w > 0.0, plr, 1.0)  # no load: the full-load COP, no energy
    eir = (biquadratic(eirft, x, y, scale=1.0 / np.asarray(rated_cop, dtype=float))
           * quadratic(eirfplr, np.clip(priced, unloading, 1.0))) / np.clip(priced, minimum, 1.0)
    return {"cop": 1.0 / eir, "chiller_w": load_w * eir, "part_load_frac": plr}


#: The engine inputs of the chiller model that every plant takes beside ``carnot_frac`` and
#: ``max_cop`` (see :func:`chiller`; a plant pops them from its keyword arguments with
#: :func:`chiller_inputs`).
CHILLER_ARGS = (
    "chiller_model", "chiller_rated_cop", "chiller_capft", "chiller_eirft", "chiller_eirfplr",
    "chiller_water_range_c", "chiller_condenser_range_c", "chiller_min_part_load_frac",
    "chiller_min_unloading_frac", "chiller_units",
)


def chiller_inputs(kwargs: dict[str, ArrayLike]) -> dict[str, ArrayLike]:
    """The :data:`CHILLER_ARGS` among ``kwargs``, removed from it (absent ones: the Carnot
    model)."""
    return {key: kwargs.pop(key) for key in CHILLER_ARGS if key in kwargs}


def chiller(
    load_w: ArrayLike,
    evaporator_c: ArrayLike,
    *,
    carnot_condenser_c: ArrayLike,
    entering_condenser_c: ArrayLike,
    carnot_frac: ArrayLike,
    max_cop: ArrayLike,
    rated_w: ArrayLike | None = None,
    chiller_model: ArrayLike = 0.0,
    **eir: ArrayLike,
) -> dict[str, NDArray]:
    """A loop's chiller bank under each scenario's model (``carnot`` or ``eir``).

    Parameters
    ----------
    load_w : array_like
        Chiller (evaporator) load [W].
    evaporator_c : array_like
        Leaving chilled water, the loop supply [°C].
    carnot_condenser_c : array_like
        Condensing temperature of the Carnot model [°C] (sink plus the condenser's approach
        or range, as each plant's Carnot fraction was derived).
    entering_condenser_c : array_like
        Condenser fluid entering the machine [°C], the EIR curves' second input.
    carnot_frac, max_cop : array_like
        The Carnot model, see :func:`carnot_cop`.
    rated_w : array_like, optional
        The bank's reference capacity [W] as sized at the design hour; without it this is the
        design hour, and the bank is sized on it (:func:`eir_rated_capacity_w`).
    chiller_model : array_like
        Index into :data:`CHILLER_MODELS`, per scenario.
    **eir : array_like
        The ``chiller_*`` inputs of :data:`CHILLER_ARGS` (the EIR model's, see
        :func:`eir_chiller`).

    Returns
    -------
    dict of ndarray
        ``cop`` [-] and ``chiller_w`` [W]; at the design hour also ``rated_w`` [W], the
        bank's reference capacity (the EIR model's; the design load under Carnot, unused).
    """
    load_w = np.asarray(load_w, dtype=float)
    model = np.asarray(chiller_model)
    uses_eir = model == CHILLER_MODELS.index("eir")
    out: dict[str, NDArray] = {}
    if not np.any(uses_eir):
        cop = carnot_cop(evaporator_c, carnot_condenser_c, carnot_frac, max_cop)
        out = {"cop": cop, "chiller_w": load_w / cop}
        if rated_w is None:
            out["rated_w"] = load_w
        return out
    curves = {"capft": eir["chiller_capft"], "water_range_c": eir["chiller_water_range_c"],
              "condenser_range_c": eir["chiller_condenser_range_c"]}
    if rated_w is None:
        rated_w = eir_rated_capacity_w(load_w, evaporator_c, entering_condenser_c, **curves)
        out["rated_w"] = rated_w
    machine = eir_chiller(
        load_w, evaporator_c, entering_condenser_c, rated_capacity_w=rated_w,
        rated_cop=eir["chiller_rated_cop"], eirft=eir["chiller_eirft"],
        eirfplr=eir["chiller_eirfplr"], min_part_load_frac=eir["chiller_min_part_load_frac"],
        min_unloading_frac=eir["chiller_min_unloading_frac"],
        units=eir.get("chiller_units", 1.0), **curves,
    )
    if np.all(uses_eir):
        out.update(cop=machine["cop"], chiller_w=machine["chiller_w"])
        return out
    # A batch mixing the models: each scenario takes its own.
    carnot = carnot_cop(evaporator_c, carnot_condenser_c, carnot_frac, max_cop)
    out["cop"] = np.where(uses_eir, machine["cop"], carnot)
    out["chiller_w"] = np.where(uses_eir, machine["chiller_w"], load_w / carnot)
    return out
