"""The facility chain: from an IT load and the outdoor air to facility power, hour or design point.

IT -> distribution and UPS losses -> cooling plant -> misc -> transformer losses (DESIGN §3.2,
§3.3). Parameters have shape (S,) and broadcast against loads of shape (S,) or (S, H).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from dcplanner.engine.params import Arrays
from dcplanner.models import cooling, electrical


def facility_chain(
    x: Arrays, it_w: NDArray, liquid_heat_w: NDArray, dry_bulb_c: NDArray, wet_bulb_c: NDArray
) -> Arrays:
    """Electrical losses, cooling and facility power for an IT load in given weather.

    Parameters
    ----------
    x : dict of ndarray
        Flattened scenario parameters (see :func:`flatten`), shape (S,) each.
    it_w : ndarray, shape (S,) or (S, H)
        IT load [W]; a trailing axis (hours) is broadcast against the per-scenario parameters.
    liquid_heat_w : ndarray, shape of ``it_w``
        Share of the IT load captured by the liquid loop [W].
    dry_bulb_c, wet_bulb_c : ndarray, shape of ``it_w`` (or (1, H) for weather shared by all)
        Outdoor air [°C].
    """
    x = _broadcastable(x, np.ndim(it_w))
    ups_output_w = it_w / x["distribution_efficiency"]
    installed_w = x["ups_module_w"] * x["ups_modules"]
    active_w = installed_w * electrical.active_capacity_frac(x["ups_topology"], x["ups_modules"])
    ups_load_frac, ups_eff, ups_loss_w = electrical.ups_losses(
        ups_output_w, active_w, x["ups_curve_load_frac"], x["ups_curve_efficiency"]
    )
    distribution_loss_w = ups_output_w - it_w
    # Electrical-room losses are heat in air-cooled rooms.
    air_heat_w = it_w - liquid_heat_w + distribution_loss_w + ups_loss_w
    plant = cooling.cooling_plant(
        liquid_heat_w, air_heat_w, dry_bulb_c, wet_bulb_c,
        **{key: x[key] for key in _COOLING_KEYS},
    )
    misc_w = x["misc_load_frac"] * it_w
    through_transformer_w = ups_output_w + ups_loss_w + plant["cooling_w"] + misc_w
    transformer_loss_w = electrical.transformer_loss_w(
        through_transformer_w, x["transformer_rated_w"],
        x["transformer_no_load_loss_frac"], x["transformer_load_loss_frac"],
    )
    facility_w = through_transformer_w + transformer_loss_w
    return {
        "it_w": it_w,
        "liquid_heat_w": liquid_heat_w,
        "air_heat_w": air_heat_w,
        "ups_output_w": ups_output_w,
        "ups_installed_w": installed_w,
        "ups_usable_w": installed_w
        * electrical.usable_capacity_frac(x["ups_topology"], x["ups_modules"]),
        "ups_load_frac": ups_load_frac,
        "ups_efficiency": ups_eff,
        "ups_loss_w": ups_loss_w,
        "distribution_loss_w": distribution_loss_w,
        "misc_w": misc_w,
        "transformer_loss_w": transformer_loss_w,
        "facility_w": facility_w,
        "pue": np.divide(facility_w, it_w, out=np.full(np.shape(facility_w), np.nan),
                         where=np.broadcast_to(it_w, np.shape(facility_w)) > 0),
        **{f"cooling_{key}": value for key, value in plant.items()},
    }


def _broadcastable(x: Arrays, ndim: int) -> Arrays:
    """Per-scenario parameters of shape (S,) given trailing axes to broadcast against (S, H)."""
    if ndim <= 1:
        return x
    trailing = (1,) * (ndim - 1)
    return {k: v.reshape(-1, *trailing) if v.ndim == 1 else v for k, v in x.items()}


_COOLING_KEYS = (
    "liquid_supply_c", "liquid_return_c", "liquid_pump_pa", "liquid_pump_efficiency",
    "air_water_supply_c", "air_water_return_c", "air_pump_pa", "air_pump_efficiency",
    "air_delta_k", "air_fan_pa", "air_fan_efficiency", "approach_k", "coil_air_delta_k",
    "dry_cooler_fan_pa", "dry_cooler_fan_efficiency", "adiabatic_effectiveness",
    "carnot_frac", "max_cop",
)
