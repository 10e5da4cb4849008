"""The facility chain: from an IT load and the outdoor air to facility power, hour or design point.

IT -> distribution and UPS losses -> cooling plant -> misc -> transformer losses (DESIGN §3.2,
§3.3). Parameters have shape (S,) and broadcast against loads of shape (S,) or (S, H).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from dcplanner.engine.params import Arrays, code_of, text_of
from dcplanner.models import electrical
from dcplanner.models.cooling import PLANTS, plant_arguments
from dcplanner.models.cooling.plants import takes_installed


def facility_chain(
    x: Arrays, it_w: NDArray, liquid_heat_w: NDArray, dry_bulb_c: NDArray, wet_bulb_c: NDArray
) -> Arrays:
    """Electrical losses, cooling and facility power for an IT load in given weather.

    Parameters
    ----------
    x : dict of ndarray
        Flattened scenario parameters (see :func:`~dcplanner.engine.params.flatten`), shape
        (S,) each.
    it_w : ndarray, shape (S,) or (S, H)
        IT load [W]; a trailing axis (hours) is broadcast against the per-scenario parameters.
    liquid_heat_w : ndarray, shape of ``it_w``
        Share of the IT load captured by the liquid loop [W].
    dry_bulb_c, wet_bulb_c : ndarray, shape of ``it_w`` (or (1, H) for weather shared by all)
        Outdoor air [°C].

    Returns
    -------
    dict of ndarray
        The electrical chain (``ups_*``, ``*_loss_w``, ``generator_*``, ``misc_w`` with the
        generators' block heaters, ``facility_w``, ``pue``) and every key of the scenario's
        cooling plant (``cooling_w``, ``chiller_w``, ...). With ``pumps_on_ups`` the plant's
        pumps (``pump_w``) are fed through the UPS: ``ups_output_w`` includes them
        (``ups_pumps_w``), and their power reaches the transformers as UPS input.
    """
    x = _broadcastable(x, np.ndim(it_w))
    x = facility_water(x)
    curve = x["ups_curve_load_frac"], x["ups_curve_efficiency"]
    it_path_w = it_w / x["distribution_efficiency"]
    distribution_loss_w = it_path_w - it_w
    installed_w = x["ups_module_w"] * x["ups_modules"] * electrical.systems(x["ups_feed"])
    active_w = installed_w * electrical.active_capacity_frac(x["ups_topology"], x["ups_modules"])
    # A catcher's reserve block idles energised: its no-load loss, whatever the load.
    reserve_loss_w = electrical.reserve_idle_loss_w(installed_w, active_w,
                                                    x["ups_no_load_loss_frac"])
    ups_load_frac, ups_eff, module_loss_w = electrical.ups_losses(
        it_path_w, active_w, *curve, p0_frac=x["ups_no_load_loss_frac"],
        loss_table=x["ups_curve_loss_frac"])
    # Electrical-room losses are heat in air-cooled rooms.
    air_heat_w = it_w - liquid_heat_w + distribution_loss_w + module_loss_w + reserve_loss_w
    plant = cooling_plant(x, liquid_heat_w, air_heat_w, dry_bulb_c, wet_bulb_c)
    ups_output_w = it_path_w
    pumps_on = x["pumps_on_ups"]
    pumps_on_ups_w = plant["pump_w"] if np.all(pumps_on) else plant["pump_w"] * pumps_on
    if np.any(pumps_on):
        # The pumps on the UPS load it further, at the efficiency of the IT load they join
        # (they add about 1 % to it). One pass: their share of the UPS loss is not fed back
        # into the air-side heat above.
        ups_output_w = it_path_w + pumps_on_ups_w
        module_loss_w = module_loss_w + pumps_on_ups_w * electrical.loss_per_output(ups_eff)
        ups_load_frac = ups_load_frac + electrical.ratio_or_zero(pumps_on_ups_w, active_w)
        ups_eff = electrical.ratio_or_zero(ups_output_w, ups_output_w + module_loss_w)
    ups_loss_w = module_loss_w + reserve_loss_w
    generator_units = electrical.generator_units(
        x["grid_w"], x["generator_unit_va"], x["power_factor"],
        x["generator_redundant_units"], x["generator_units"])
    generator_heater_w = generator_units * x["generator_heater_w"]
    misc_w = x["misc_load_frac"] * it_w + generator_heater_w
    # The loads that follow only the IT load first: with weather shared by the hours, they are
    # one value per scenario and the sum with cooling is a single pass over the hours.
    through_transformer_w = (ups_output_w + ups_loss_w + misc_w) \
        + (plant["cooling_w"] - pumps_on_ups_w)
    # An unset rating is the grid connection's.
    rated_w = np.where(np.isnan(x["transformer_rated_w"]), x["grid_w"], x["transformer_rated_w"])
    transformer_loss_w = electrical.transformer_loss_w(
        through_transformer_w, rated_w,
        x["transformer_no_load_loss_frac"], x["transformer_load_loss_frac"], x["power_factor"],
    )
    facility_w = through_transformer_w + transformer_loss_w
    return {
        "it_w": it_w,
        "liquid_heat_w": liquid_heat_w,
        "air_heat_w": air_heat_w,
        "ups_output_w": ups_output_w,
        "ups_pumps_w": pumps_on_ups_w,
        "ups_installed_w": installed_w,
        "ups_usable_w": installed_w * electrical.usable_capacity_frac(
            x["ups_topology"], x["ups_modules"], x["ups_feed"]),
        "ups_load_frac": ups_load_frac,
        "ups_efficiency": ups_eff,
        "ups_loss_w": ups_loss_w,
        "ups_reserve_loss_w": reserve_loss_w,
        "distribution_loss_w": distribution_loss_w,
        "generator_units": generator_units,
        "generator_heater_w": generator_heater_w,
        "misc_w": misc_w,
        "transformer_loss_w": transformer_loss_w,
        "facility_w": facility_w,
        "pue": pue(facility_w, it_w),
        **plant,
    }


def ratio(numerator: ArrayLike, denominator: ArrayLike) -> NDArray:
    """``numerator / denominator``, NaN where the denominator is not positive (a PUE without IT
    load, a cost per GPU-hour without GPUs): never an infinity in a result."""
    numerator, denominator = np.asarray(numerator, float), np.asarray(denominator, float)
    if np.all(denominator > 0):
        return numerator / denominator
    shape = np.broadcast_shapes(numerator.shape, denominator.shape)
    return np.divide(numerator, denominator, out=np.full(shape, np.nan),
                     where=np.broadcast_to(denominator, shape) > 0)


def pue(facility_w: NDArray, it_w: NDArray) -> NDArray:
    """Power usage effectiveness [-]: facility / IT, NaN where there is no IT load."""
    return ratio(facility_w, it_w)


def facility_water(x: Arrays) -> Arrays:
    """``x`` with the liquid loop's supply and return as the facility water the plant cools:
    a loop given on the chip side is the CDU approach warmer than its facility water."""
    chip = x["liquid_side"] == code_of("liquid_side", "chip")
    shift = np.where(chip, x["cdu_approach_k"], 0.0)
    return {**x, "liquid_supply_c": x["liquid_supply_c"] - shift,
            "liquid_return_c": x["liquid_return_c"] - shift}


def cooling_plant(x: Arrays, liquid_heat_w: NDArray, air_heat_w: NDArray, dry_bulb_c: NDArray,
                  wet_bulb_c: NDArray) -> Arrays:
    """Each scenario's cooling plant (``cooling.plant``) at its loads and weather; a batch
    mixing plants runs each on its own rows, and a key one plant lacks is NaN in the others."""
    codes = x["cooling_plant"].ravel()
    present = np.unique(codes)
    if present.size == 1:
        return _run_plant(str(text_of("cooling_plant", present[0])), x, liquid_heat_w,
                          air_heat_w, dry_bulb_c, wet_bulb_c)
    results = []
    for code in present:
        rows = codes == code

        def part(a: NDArray, rows: NDArray = rows) -> NDArray:
            return a[rows] if np.ndim(a) and np.shape(a)[0] == rows.size else a

        sub = {k: part(v) for k, v in x.items()}
        results.append((rows, _run_plant(str(text_of("cooling_plant", code)), sub,
                                         part(liquid_heat_w), part(air_heat_w),
                                         part(dry_bulb_c), part(wet_bulb_c))))
    merged: Arrays = {}
    for key in dict.fromkeys(k for _, out in results for k in out):
        # As wide as the widest plant's value: a value constant over the hours stays (S, 1).
        trailing = max((np.shape(out[key])[1:] for _, out in results if key in out),
                       key=lambda t: np.prod(t, dtype=int))
        merged[key] = np.full((codes.size, *trailing), np.nan)
        for rows, out in results:
            if key in out:
                merged[key][rows] = out[key]
    return merged


#: Prefix of the design hour's plant values that the annual engine adds to ``x`` (a plant
#: that controls its equipment against what was installed takes them as ``installed``).
INSTALLED = "installed_"


def _run_plant(name: str, x: Arrays, liquid_heat_w: NDArray, air_heat_w: NDArray,
               dry_bulb_c: NDArray, wet_bulb_c: NDArray) -> Arrays:
    kwargs = {key: x[key] for key in plant_arguments(name)}
    installed = {k.removeprefix(INSTALLED): v for k, v in x.items() if k.startswith(INSTALLED)}
    if installed and takes_installed(name):
        kwargs["installed"] = installed
    return PLANTS[name](liquid_heat_w, air_heat_w, dry_bulb_c, wet_bulb_c, **kwargs)


def _broadcastable(x: Arrays, ndim: int) -> Arrays:
    """Per-scenario parameters of shape (S,) given trailing axes to broadcast against (S, H)."""
    if ndim <= 1:
        return x
    trailing = (1,) * (ndim - 1)
    return {k: v.reshape(-1, *trailing) if v.ndim == 1 else v for k, v in x.items()}
