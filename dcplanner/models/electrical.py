"""Electrical chain: distribution and UPS losses, transformer losses, redundancy, standby
generators.

Losses in series (reference/facility.md §2): IT load -> distribution (busway/PDU) -> UPS ->
transformer -> grid. Mechanical (cooling) and miscellaneous loads bypass the UPS and the IT
distribution but pass through the transformers; the liquid-loop pumps may be fed through the
UPS (``electrical.ups.pumps_on_ups``).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from dcplanner.models.curves import interp_rows

#: Redundancy topologies; inside the engine's arrays a topology is its index here.
TOPOLOGIES = ("N", "N+1", "catcher", "4N/3", "3N/2", "2N")
#: How the IT is fed: one UPS system, or two (A and B sides) that each carry half the load and
#: each the whole of it when the other fails; inside the arrays a feed is its index here.
FEEDS = ("single", "A/B")

#: Load fractions of the UPS efficiency presets [-].
PRESET_LOAD_FRAC = (0.1, 0.25, 0.5, 0.75, 1.0)
#: The legacy double-conversion curve [-]: the shape of Schneider Electric WP113 (no-load loss
#: dominant at light load), about 85 % at 20-25 % load (Riello UPS, "What is UPS efficiency",
#: riello-ups.com, read Dec 2026), a 96.5 % plateau; dcplanner's curve until Dec 2026, about a
#: point below current large UPS (reference/physics-review.md §2.4).
_LEGACY_EFFICIENCY = (0.86, 0.93, 0.96, 0.965, 0.965)
#: Full-load efficiency of current large transformerless double-conversion UPS [-]: 97 %, the
#: low end of the 97-97.5 % of reference/physics-review.md §2.4; the Schneider Galaxy VS is
#: quoted at "up to 97 %" in double conversion (schneiderupsus.com, a third-party reseller's
#: page, read Dec 2026): a vendor's peak, so not the optimistic end of the range.
MODERN_FULL_LOAD_EFFICIENCY = 0.97
#: Eco mode (eConversion, ESS) loses a third of what double conversion loses: "reduce the
#: electricity absorbed by the UPS by a factor three compared with double conversion",
#: Schneider Electric, Galaxy VX operation manual 990-5452, Operation modes, and the same words
#: in the Galaxy VS manual 990-5910 (productinfo.schneider-electric.com, read Dec 2026);
#: 98-99 % on datasheets (reference/facility.md §2.2 [S18]).
ECO_LOSS_RATIO = 1.0 / 3.0


def _scaled_curve(efficiency: tuple[float, ...], loss_ratio: float) -> tuple[float, ...]:
    """A curve whose losses are ``loss_ratio`` times those of ``efficiency`` at every load."""
    load = np.asarray(PRESET_LOAD_FRAC)
    loss = load * (1.0 / np.asarray(efficiency) - 1.0) * loss_ratio
    return tuple(float(round(v, 4)) for v in load / (load + loss))


#: The modern curve: the legacy shape with its losses scaled to the modern full-load level.
_MODERN_EFFICIENCY = _scaled_curve(
    _LEGACY_EFFICIENCY,
    (1 / MODERN_FULL_LOAD_EFFICIENCY - 1) / (1 / _LEGACY_EFFICIENCY[-1] - 1))
#: UPS efficiency presets: name -> efficiency at :data:`PRESET_LOAD_FRAC`.
UPS_PRESETS: dict[str, tuple[float, ...]] = {
    "legacy_double_conversion": _LEGACY_EFFICIENCY,
    "double_conversion": _MODERN_EFFICIENCY,
    "eco_mode": _scaled_curve(_MODERN_EFFICIENCY, ECO_LOSS_RATIO),
}
#: ISO 8528-1 rates a generating set's active power at a 0.8 lagging power factor [-].
GENSET_RATED_POWER_FACTOR = 0.8

#: Module counts each topology needs to be well formed: (minimum, must be a multiple of).
TOPOLOGY_MODULES = {
    "N": (1, 1),
    "N+1": (2, 1),
    "catcher": (2, 1),
    "4N/3": (4, 4),
    "3N/2": (3, 3),
    "2N": (2, 2),
}


#: Usable share of installed capacity of the topologies where it is fixed; the others keep
#: one module or block in reserve, ``(m - 1) / m``.
FIXED_USABLE_FRAC = {"N": 1.0, "4N/3": 0.75, "3N/2": 2 / 3, "2N": 0.5}
#: The same by topology code (NaN: it depends on the module count).
_FIXED_USABLE_FRAC = np.array([FIXED_USABLE_FRAC.get(t, np.nan) for t in TOPOLOGIES])
_CATCHER = TOPOLOGIES.index("catcher")


def usable_capacity_frac(topology_code: ArrayLike, modules: ArrayLike,
                         feed_code: ArrayLike = 0) -> NDArray:
    """Share of installed UPS capacity usable by IT under a redundancy topology [-].

    N 100 %; N+1 with m modules (m-1)/m; catcher (block redundant, m blocks of which one is the
    reserve) (m-1)/m; distributed 4N/3 75 % and 3N/2 67 %; 2N 50 %. Schneider Electric WP75 and
    the distributed-redundancy definitions in reference/facility.md §2.3.

    Parameters
    ----------
    topology_code : array_like of int
        Index of the topology in :data:`TOPOLOGIES`.
    modules : array_like
        Modules or blocks installed per UPS system [-].
    feed_code : array_like of int
        Index of the feed in :data:`FEEDS`: with an A/B feed two such systems are installed,
        and one must carry the whole load, so half the installed capacity is usable at most
        (2(N+1) gives N/(2N+2), reference/facility.md §2.3).
    """
    m = np.asarray(modules, dtype=float)
    fixed = _FIXED_USABLE_FRAC[np.asarray(topology_code, dtype=int)]
    per_system = np.where(np.isnan(fixed), (m - 1.0) / np.maximum(m, 1.0), fixed)
    return per_system / systems(feed_code)


def systems(feed_code: ArrayLike) -> NDArray | float:
    """UPS systems installed for a feed: 1 for a single feed, 2 for an A/B feed [-] (the
    scalar 1.0 when every feed of a batch is single)."""
    code = np.asarray(feed_code)
    if not code.any():
        return 1.0
    return np.where(code == FEEDS.index("A/B"), 2.0, 1.0)


def active_capacity_frac(topology_code: ArrayLike, modules: ArrayLike) -> NDArray:
    """Share of installed UPS capacity that shares the load in normal operation [-].

    All modules share the load except in a catcher (block redundant) design, whose reserve
    block idles until a primary block fails; so a catcher's modules run at a higher load
    fraction than N+1 modules carrying the same IT load.
    """
    m = np.asarray(modules, dtype=float)
    return np.where(np.asarray(topology_code) == _CATCHER, (m - 1.0) / np.maximum(m, 1.0), 1.0)


def no_load_loss_frac(curve_load_frac: ArrayLike, curve_efficiency: ArrayLike) -> NDArray:
    """A UPS module's loss at zero load per rated output [-], from its efficiency table.

    The loss per rated output ``L (1 / eta - 1)`` of the first two points, extrapolated to
    zero load (the constant term of ``P_loss(L) = P0 + k L + k2 L**2``, Schneider Electric
    WP113; reference/facility.md §2.1), and never below zero. The legacy curve gives 1.46 %,
    the modern one 1.24 %, eco mode 0.41 %.

    Parameters
    ----------
    curve_load_frac, curve_efficiency : array_like, shape (S, K)
        UPS efficiency tables, K >= 2.
    """
    x = np.asarray(curve_load_frac, dtype=float)
    loss = curve_loss_frac(x[..., :2], np.asarray(curve_efficiency, dtype=float)[..., :2])
    loss0, loss1 = loss[..., 0], loss[..., 1]
    slope = (loss1 - loss0) / (x[..., 1] - x[..., 0])
    return np.maximum(loss0 - slope * x[..., 0], 0.0)


def curve_loss_frac(curve_load_frac: ArrayLike, curve_efficiency: ArrayLike) -> NDArray:
    """A UPS module's loss per rated output at each point of its efficiency table,
    ``L (1 / eta - 1)`` [-]."""
    load = np.asarray(curve_load_frac, dtype=float)
    return load * (1.0 / np.asarray(curve_efficiency, dtype=float) - 1.0)


def ups_losses(
    ups_output_w: ArrayLike,
    active_capacity_w: ArrayLike,
    curve_load_frac: ArrayLike,
    curve_efficiency: ArrayLike,
    p0_frac: ArrayLike | None = None,
    loss_table: ArrayLike | None = None,
) -> tuple[NDArray, NDArray, NDArray]:
    """UPS load fraction, efficiency and loss.

    The loss per rated output is interpolated linearly between the table's points (where it is
    exactly the table's efficiency), so that it never falls as the load rises when the table's
    losses do not (linear in efficiency, 10 % -> 25 % load, it fell by 8 % between the points).
    Below the first point the loss runs linearly from the no-load loss
    (:func:`no_load_loss_frac`) to the first point's, so that a module carrying nothing still
    loses it; above the last point the last efficiency holds.

    Parameters
    ----------
    ups_output_w : array_like, shape (S,) or (S, H)
        Power delivered by the UPS [W].
    active_capacity_w : array_like, shape (S,)
        Installed capacity of the modules sharing the load [W].
    curve_load_frac, curve_efficiency : array_like, shape (S, K)
        UPS efficiency table against load fraction (Schneider WP113 shape: low efficiency at
        light load from the no-load loss).
    p0_frac : array_like, shape (S,), optional
        :func:`no_load_loss_frac` of the tables, when already known.
    loss_table : array_like, shape (S, K), optional
        :func:`curve_loss_frac` of the tables, when already known.

    Returns
    -------
    load_frac, efficiency, loss_w : ndarray
        Per-module load fraction [-], efficiency [-] and loss [W].
    """
    out = np.asarray(ups_output_w, dtype=float)
    trailing = (1,) * (out.ndim - 1)
    cap = np.asarray(active_capacity_w, dtype=float).reshape(-1, *trailing)
    xp = np.asarray(curve_load_frac, dtype=float)
    table = curve_loss_frac(xp, curve_efficiency) if loss_table is None \
        else np.asarray(loss_table, dtype=float)
    load_frac = out / cap
    loss_frac = interp_rows(load_frac, xp, table)
    first = xp[:, 0].reshape(-1, *trailing)
    if np.any(light := load_frac < first):
        p0 = (no_load_loss_frac(xp, curve_efficiency) if p0_frac is None
              else np.asarray(p0_frac, float)).reshape(-1, *trailing)
        loss0 = table[:, 0].reshape(-1, *trailing)
        loss_frac = np.where(light, p0 + (loss0 - p0) * load_frac / first, loss_frac)
    last = xp[:, -1].reshape(-1, *trailing)
    if np.any(over := load_frac > last):
        per_load = (table[:, -1] / xp[:, -1]).reshape(-1, *trailing)
        loss_frac = np.where(over, per_load * load_frac, loss_frac)
    loss_w = loss_frac * cap
    return load_frac, ratio_or_zero(out, out + loss_w), loss_w


def loss_per_output(efficiency: ArrayLike) -> NDArray:
    """Loss per unit of output at an efficiency, ``1 / eta - 1`` [-] (0 where eta is 0: no
    output)."""
    eta = np.asarray(efficiency, dtype=float)
    if np.all(eta > 0):
        return 1.0 / eta - 1.0
    return np.divide(1.0 - eta, eta, out=np.zeros(eta.shape), where=eta > 0)


def ratio_or_zero(numerator: NDArray, denominator: NDArray) -> NDArray:
    """``numerator / denominator``, 0 where the denominator is 0 (an efficiency at no load)."""
    if np.all(denominator > 0):
        return numerator / denominator
    return np.divide(numerator, denominator, out=np.zeros(np.broadcast_shapes(
        np.shape(numerator), np.shape(denominator))), where=denominator > 0)


def reserve_idle_loss_w(installed_w: ArrayLike, active_w: ArrayLike,
                        no_load_loss_frac: ArrayLike) -> NDArray:
    """No-load loss of the UPS capacity that idles energised, the reserve block of a catcher
    design [W]: the installed capacity not sharing the load times the curve's no-load loss per
    rating (:func:`no_load_loss_frac`; physics-review.md §2.4: the catcher reserve idles
    energised).

    Parameters
    ----------
    installed_w, active_w : array_like
        Installed UPS capacity and the part of it sharing the load [W].
    no_load_loss_frac : array_like
        No-load loss per rated output [-].
    """
    return (np.asarray(installed_w, float) - np.asarray(active_w, float)) \
        * np.asarray(no_load_loss_frac, float)


def generator_units(
    grid_w: ArrayLike, unit_va: ArrayLike, power_factor: ArrayLike, redundant: ArrayLike,
    units: ArrayLike,
) -> NDArray:
    """Standby generating sets installed [-]: the given count, or (NaN) N + redundant, with N
    the fewest sets whose active power covers the grid connection.

    A set's active power is its rating times the lower of the ISO 8528-1 rated power factor
    (0.8) and the site's: below 0.8 the apparent power limits it.
    """
    per_unit_w = np.asarray(unit_va, float) * np.minimum(GENSET_RATED_POWER_FACTOR,
                                                         np.asarray(power_factor, float))
    needed = np.ceil(np.asarray(grid_w, float) / per_unit_w - 1e-9) + redundant
    given = ~np.isnan(units)
    return np.where(given, units, needed) if np.any(given) else needed


def modules_for_usable(topology_code: ArrayLike, module_w: ArrayLike,
                       usable_w: ArrayLike) -> NDArray:
    """Fewest modules per UPS system whose usable capacity carries ``usable_w`` and that the
    topology allows (:data:`TOPOLOGY_MODULES`: minimum and multiple) [-]; broadcasts. With an
    A/B feed the usable capacity is one system's, so the count per system is the same."""
    code = np.asarray(topology_code, dtype=int)
    fixed = _FIXED_USABLE_FRAC[code]
    units = np.asarray(usable_w, float) / np.asarray(module_w, float)
    # Reserve topologies keep one module in reserve; the others use a fixed share.
    m = np.where(np.isnan(fixed), np.ceil(units - 1e-9) + 1,
                 np.ceil(units / np.nan_to_num(fixed, nan=1.0) - 1e-9))
    minimum = np.array([TOPOLOGY_MODULES[t][0] for t in TOPOLOGIES])[code]
    multiple = np.array([TOPOLOGY_MODULES[t][1] for t in TOPOLOGIES])[code]
    m = np.ceil(np.maximum(m, minimum) / multiple) * multiple
    return m


def transformer_loss_w(
    load_w: ArrayLike, rated_w: ArrayLike, no_load_loss_frac: ArrayLike, load_loss_frac: ArrayLike,
    power_factor: ArrayLike = 1.0,
) -> NDArray:
    """Transformer loss ``P0 + Pk * (S / Sr)**2`` [W], with the apparent power
    ``S = P / power factor``.

    Parameters
    ----------
    load_w : array_like
        Real power through the transformers P [W].
    rated_w : array_like
        Installed transformer rating Sr [VA].
    no_load_loss_frac : array_like
        No-load (iron) loss P0 as a fraction of Sr [-].
    load_loss_frac : array_like
        Load (copper) loss Pk at rated load as a fraction of Sr [-].
    power_factor : array_like
        The site's power factor, real over apparent power [-].

    References
    ----------
    Commission Regulation (EU) 548/2014 (loss definitions); reference/facility.md §2.1.
    """
    rated_w = np.asarray(rated_w, dtype=float)
    # P0 + Pk (S/Sr)^2 with the factors formed on the ratings: two passes over the load.
    per_w2 = np.asarray(load_loss_frac) / (rated_w * np.square(np.asarray(power_factor, float)))
    return rated_w * np.asarray(no_load_loss_frac) + per_w2 * np.square(np.asarray(load_w, float))
