"""Dry coolers with an adiabatic stage: free cooling against outdoor air, and pad water."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from dcplanner.units import WATER_LATENT_HEAT_J_PER_KG


def adiabatic_reach_c(dry_bulb_c: ArrayLike, wet_bulb_c: ArrayLike,
                      effectiveness: ArrayLike) -> NDArray:
    """The coldest air evaporative pads can give [°C]: ``Tdb - eff (Tdb - Twb)``.

    Parameters
    ----------
    dry_bulb_c, wet_bulb_c : array_like
        Outdoor air [°C], the wet bulb never above the dry bulb.
    effectiveness : array_like
        Saturation effectiveness of the pads in [0, 1], 0 for none [-].
    """
    tdb = np.asarray(dry_bulb_c, dtype=float)
    return tdb - np.asarray(effectiveness, dtype=float) * (tdb - np.asarray(wet_bulb_c))


def coil_air_c(dry_bulb_c: ArrayLike, reach_c: ArrayLike, target_c: ArrayLike) -> NDArray:
    """Air entering the dry-cooler coils [°C]: pads sprayed only as far as needed.

    Water is sprayed when the dry bulb is above ``target_c`` (the air temperature at which the
    coolers carry the whole load unassisted), and never cools the air below it or below what
    the pads reach: ``Tdb`` if ``Tdb <= target``, else ``max(reach, target)``. Since the reach
    is never above the dry bulb, that is ``min(Tdb, max(reach, target))``.

    Parameters
    ----------
    dry_bulb_c : array_like
        Outdoor air [°C].
    reach_c : array_like
        The coldest air the pads can give, :func:`adiabatic_reach_c` [°C].
    target_c : array_like
        Air temperature at which the coolers reject the whole load unassisted: loop supply
        minus the dry-cooler approach [°C].
    """
    target = np.asarray(target_c, dtype=float)
    return np.minimum(np.asarray(dry_bulb_c, dtype=float),
                      np.clip(reach_c, target, None))


def adiabatic_air_temp_c(
    dry_bulb_c: ArrayLike, wet_bulb_c: ArrayLike, effectiveness: ArrayLike, target_c: ArrayLike
) -> NDArray:
    """Air temperature entering the dry-cooler coils after adiabatic pre-cooling [°C]:
    :func:`coil_air_c` of :func:`adiabatic_reach_c` (``effectiveness = 0``: no pads).

    Examples
    --------
    >>> round(float(adiabatic_air_temp_c(42.0, 24.0, 0.8, 25.0)), 6)
    27.6
    """
    return coil_air_c(dry_bulb_c, adiabatic_reach_c(dry_bulb_c, wet_bulb_c, effectiveness),
                      target_c)


def free_cooling_share(leaving_c: ArrayLike, supply_c: ArrayLike,
                       return_c: ArrayLike) -> NDArray:
    """Share of a loop's heat rejected without compressors when its return water can be
    cooled to ``leaving_c`` at best [-]: ``clip((Tr - T_leave) / (Tr - Ts), 0, 1)``
    (DESIGN §3.3).

    Parameters
    ----------
    leaving_c : array_like
        The coldest water the heat sink gives back: entering air or tower water plus the
        exchanger's approach [°C].
    supply_c, return_c : array_like
        The loop's supply and return temperatures [°C], supply below return.
    """
    ret = np.asarray(return_c, dtype=float)
    span = ret - np.asarray(supply_c, dtype=float)
    return np.clip((ret - np.asarray(leaving_c, dtype=float)) / span, 0.0, 1.0)


def free_cooling_frac(
    air_c: ArrayLike, supply_c: ArrayLike, return_c: ArrayLike, approach_k: ArrayLike
) -> NDArray:
    """Share of a loop's heat the dry coolers reject without compressors [-].

    Dry coolers cool the returning water to at best ``air + approach``; the share of the
    supply-return range they cover is ``clip((Tr - (Ta + approach)) / (Tr - Ts), 0, 1)``
    (DESIGN §3.3; dry-cooler approach median ~10 K, Energies 16(9) 3661, 2023).
    """
    leaving = np.asarray(air_c, dtype=float) + np.asarray(approach_k, dtype=float)
    return free_cooling_share(leaving, supply_c, return_c)


def evaporated_water_kg_per_s(
    heat_rejected_w: ArrayLike, dry_bulb_c: ArrayLike, air_c: ArrayLike, coil_air_delta_k: ArrayLike
) -> NDArray:
    """Water evaporated by the adiabatic pads [kg/s].

    The coils need an air mass flow ``m = Q / (cp dT_coil)``; cooling it from the dry bulb to
    ``air_c`` evaporates ``m cp (Tdb - Ta) / h_fg`` of water.

    Parameters
    ----------
    heat_rejected_w : array_like
        Heat the dry-cooler bank rejects [W].
    dry_bulb_c, air_c : array_like
        Outdoor air and the air entering the coils after the pads [°C].
    coil_air_delta_k : array_like
        Air temperature rise across the coils [K].
    """
    depression_k = np.asarray(dry_bulb_c, dtype=float) - np.asarray(air_c, dtype=float)
    # Water per joule rejected first: it follows the air alone, often one row for all
    # scenarios, and the heat then scales it in one pass.
    kg_per_j = depression_k / (np.asarray(coil_air_delta_k, dtype=float)
                               * WATER_LATENT_HEAT_J_PER_KG)
    return np.asarray(heat_rejected_w, dtype=float) * kg_per_j


#: Fan-law exponent: at a fixed system, fan power goes with the cube of the airflow (ASHRAE
#: Handbook, HVAC Systems and Equipment, ch. 21 "Fans", fan laws).
FAN_LAW_EXPONENT = 3.0


def fan_speed_frac(rejected_w: ArrayLike, installed_w: ArrayLike, return_c: ArrayLike,
                   coil_air_c: ArrayLike, design_return_c: ArrayLike,
                   design_coil_air_c: ArrayLike, free_frac: ArrayLike,
                   min_frac: ArrayLike, share_frac: ArrayLike = 1.0,
                   design_rise_k: ArrayLike = 0.0) -> NDArray:
    """Airflow of a speed-controlled dry-cooler bank as a share of its installed airflow [-].

    The bank is sized to reject ``installed_w`` at the design hour, its air rising by the
    design rise across the coils. Cooling water alone (free cooling, ``free_frac`` 1), colder
    air lets the same water warm the air by more: the rise scales with the water-to-air
    temperature difference (the coil's air-side effectiveness held at its design value, a
    conservative first order: slower air raises it), so the airflow needed is
    ``(Q / Q_inst) (Tr_d - Ta_d) / (Tr - Ta)``, where the design difference is at least the
    design air rise (air never leaves the coil warmer than the water entering it: a bank
    sized as a chiller's condenser, its design air close to the water, is held to that
    bound when it later cools water alone). The share a chiller rejects goes through the
    bank as its condenser, far hotter than the water: that share's airflow follows the heat,
    ``Q / Q_inst``, as at the design hour. The two are weighted by the free-cooling share
    (continuous where the chiller starts), between ``min_frac`` (the fans' lowest speed) and 1.

    Parameters
    ----------
    rejected_w, installed_w : array_like
        Heat the bank rejects this hour, and at the design hour [W].
    return_c, coil_air_c : array_like
        Water entering the bank (the loop's return) and air entering its coils [°C].
    design_return_c, design_coil_air_c : array_like
        The same at the design hour [°C].
    free_frac : array_like
        Share of the loop's heat rejected without the chiller this hour [-].
    min_frac : array_like
        Lowest fan speed as a share of full speed [-].
    share_frac : array_like
        Units the design heat needs over the units running, ``N / (N + R)`` [-]: the air of N
        units shared by all of them, each at that share of the speed N units would need.
    design_rise_k : array_like
        Air temperature rise across the coils at the design hour [K].
    """
    # Per-scenario factors first (installed heat and design temperatures are one value per
    # scenario), so that each hour costs a few passes.
    installed_w = np.asarray(installed_w, float)
    per_w = np.divide(1.0, installed_w, out=np.zeros(installed_w.shape), where=installed_w > 0)
    load = np.asarray(rejected_w, float) * per_w
    design_span = np.asarray(design_return_c, float) - np.asarray(design_coil_air_c, float)
    if np.any(design_span > 0):
        span = np.maximum(np.asarray(return_c, float) - np.asarray(coil_air_c, float), 1e-3)
        water = load * np.maximum(design_span, design_rise_k) / span
        # Each share of the heat at its own airflow: no jump where the chiller starts.
        free = np.where(design_span > 0, np.asarray(free_frac, float), 0.0)
        speed = load + free * (water - load)
    else:  # the bank only ever works as a chiller's condenser (water above the design air)
        speed = load
    return np.clip(speed * np.asarray(share_frac, float), min_frac, 1.0)
