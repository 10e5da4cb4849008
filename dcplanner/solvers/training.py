"""Training runs: time, GPU-hours, energy, cost and carbon of a model trained on a scenario.

Two modes. *Planned*: ``C = 6 N D`` FLOPs on the scenario's GPUs at a model FLOPs
utilization gives the time; the facility energy is the scenario's IT draw with every GPU busy,
times the hours and the scenario's annual PUE; cost is the site's annualized TCO for those
hours; carbon is that energy at the scenario's (energy-weighted) grid intensity, plus the
embodied carbon of the hours. *Accounting*: given GPU-hours, power per GPU, PUE and grid
intensity, as model cards report them (LLaMA, BLOOM).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from dcplanner.engine import Result
from dcplanner.errors import ConfigError, DcplannerError, Problem
from dcplanner.models.compute import (
    accounted_energy_mwh,
    training_flops,
    training_seconds,
)
from dcplanner.models.economics import emissions_tco2e
from dcplanner.units import (
    FLOPS_PER_PFLOPS,
    G_PER_TONNE,
    HOURS_PER_YEAR,
    KWH_PER_MWH,
    S_PER_DAY,
    S_PER_H,
)


def plan(result: Result, *, params: float, tokens: float,
         active_params: float | None = None, mfu_frac: float | None = None,
         precision: str = "bf16", scenario: int = 0) -> dict:
    """A training run of ``params`` (``active_params`` for a mixture of experts) on ``tokens``
    tokens, on every GPU of scenario ``scenario`` of ``result`` (which must hold the annual
    simulation, for the energy, PUE, cost and carbon of the site).

    Raises
    ------
    ConfigError
        At the argument that is wrong: ``precision`` (no deployed chip supports it) or
        ``active_params`` (more than ``params``).
    """
    if result.annual is None:
        raise DcplannerError("a training plan needs the annual simulation (energy and PUE)")

    def field(path: str) -> Any:
        value = result[path][scenario]
        return value.item() if isinstance(value, np.generic) else value

    peak_pflops = field(f"compute.peak_pflops.{precision}")
    if not peak_pflops > 0:  # NaN: no deployed chip supports it
        raise ConfigError([Problem("", "precision", f"no deployed chip supports {precision}")])
    active = params if active_params is None else active_params
    if active > params:
        raise ConfigError([Problem("", "active_params", f"{active:g} active parameters exceed "
                                   f"the {params:g} parameters")])
    mfu = field("compute.mfu_frac") if mfu_frac is None else mfu_frac
    flops = float(training_flops(active, tokens))
    seconds = float(training_seconds(flops, peak_pflops * FLOPS_PER_PFLOPS, mfu))
    hours = seconds / S_PER_H
    pue, it_busy_mw, gpus = field("annual.pue"), field("it_busy_mw"), int(field("gpus"))
    facility_mwh = it_busy_mw * hours * pue
    # The year's energy-weighted intensity [g/kWh].
    intensity = (field("carbon.operational_tco2e") * G_PER_TONNE
                 / (field("annual.facility_mwh") * KWH_PER_MWH))
    year_share = hours / HOURS_PER_YEAR
    tco = field("economics.tco_eur_per_year")
    cost_per_gpu_hour = field("economics.cost_per_gpu_hour_eur")
    return {
        "scenario": field("scenario"),
        "params": params,
        "active_params": active,
        "tokens": tokens,
        "precision": precision,
        "mfu_frac": mfu,
        "training_flops": flops,
        "gpus": gpus,
        "peak_pflops": peak_pflops,
        "days": seconds / S_PER_DAY,
        "gpu_hours": gpus * hours,
        "it_busy_mw": it_busy_mw,
        "pue": pue,
        "facility_mwh": facility_mwh,
        "cost_eur": None if math.isnan(tco) else tco * year_share,
        "cost_per_gpu_hour_eur": None if math.isnan(cost_per_gpu_hour) else cost_per_gpu_hour,
        "grid_g_per_kwh": intensity,
        "operational_tco2e": float(emissions_tco2e(facility_mwh, intensity)),
        "embodied_tco2e": field("carbon.embodied_tco2e") * hours / field("annual.hours"),
    }


def account(*, gpu_hours: float, power_w: float, pue: float, grid_g_per_kwh: float) -> dict:
    """Energy [MWh] and emissions [tCO2e] from GPU-hours, power per GPU, PUE and intensity."""
    energy_mwh = float(accounted_energy_mwh(gpu_hours, power_w, pue))
    return {
        "gpu_hours": gpu_hours,
        "power_w": power_w,
        "pue": pue,
        "grid_g_per_kwh": grid_g_per_kwh,
        "energy_mwh": energy_mwh,
        "tco2e": float(emissions_tco2e(energy_mwh, grid_g_per_kwh)),
    }
