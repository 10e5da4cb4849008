"""Training runs: time, GPU-hours, energy, cost and carbon of a model trained on a scenario.

Two modes. *Planned*: ``C = 6 N D`` FLOPs on the scenario's GPUs (or some of them) at a
model FLOPs utilization gives the failure-free time, which checkpoints, interruptions and
restarts stretch to the wall time (:mod:`dcplanner.models.goodput`); the facility energy is
the IT draw of each state of the run times its hours and the PUE of the year or of the run's
weeks; cost is the site's annualized TCO for the run's share of GPUs and hours; carbon is
that energy at the (energy-weighted) grid intensity, plus the embodied carbon of the hours.
*Accounting*: given GPU-hours, power per GPU, PUE and grid
intensity, as model cards report them (LLaMA, BLOOM).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from dcplanner.engine import Result, run
from dcplanner.errors import ConfigError, DcplannerError, Problem
from dcplanner.models.compute import (
    accounted_energy_mwh,
    training_flops,
    training_seconds,
)
from dcplanner.models.economics import emissions_tco2e
from dcplanner.models.goodput import optimal_interval_h, time_budget_h
from dcplanner.scenario import ResolvedScenario, Scenario, resolve
from dcplanner.scenario.workload import Training
from dcplanner.units import (
    FLOPS_PER_PFLOPS,
    G_PER_TONNE,
    HOURS_PER_DAY,
    HOURS_PER_YEAR,
    KWH_PER_MWH,
    S_PER_H,
    W_PER_MW,
)
from dcplanner.validation import validate


def train(resolved: ResolvedScenario, *, params: float, tokens: float,
          active_params: float | None = None, mfu_frac: float | None = None,
          precision: str = "bf16", gpus: int | None = None,
          start: tuple[int, int] | None = None) -> dict:
    """A training run on ``gpus`` of the scenario's GPUs (all by default; the others idle),
    starting on ``start`` (month, day) of the weather year or, unset, at the year's average:
    the scenario is run with that share of its GPUs busy, for the plant's part-load PUE, and
    the run's hours through the year (:func:`plan`).

    Raises
    ------
    ConfigError
        At the argument that is wrong (``gpus``, ``start``, and those of :func:`plan`).
    """
    total = sum(d.count * d.system.gpus_per_system for d in resolved.deployments)
    if gpus is not None and not 0 < gpus <= total:
        raise ConfigError([Problem("", "gpus", f"{gpus:,} GPUs; the site has {total:,}")])
    if gpus is not None and gpus < total:
        s = resolved.scenario
        data = s.model_dump(mode="json", exclude_unset=True)
        workload = data.setdefault("workload", {})
        workload["utilization_frac"] = gpus / total
        workload["profile"] = {"kind": "training"}
        resolved = resolve(validate(Scenario, data))
    result = run([resolved], keep_hourly=(0,) if start is not None else ())
    return plan(result, params=params, tokens=tokens, active_params=active_params,
                mfu_frac=mfu_frac, precision=precision, gpus=gpus or total, start=start,
                training=resolved.scenario.workload.training)


def plan(result: Result, *, params: float, tokens: float,
         active_params: float | None = None, mfu_frac: float | None = None,
         precision: str = "bf16", gpus: int | None = None,
         start: tuple[int, int] | None = None, training: Training | None = None,
         scenario: int = 0) -> dict:
    """A training run of ``params`` (``active_params`` for a mixture of experts) on ``tokens``
    tokens on ``gpus`` GPUs (default all) of scenario ``scenario`` of ``result``, which must
    hold the annual simulation (with the scenario's hours kept for a ``start`` date), run with
    the share of GPUs the run keeps busy.

    Time: ``T = 6 N D / (peak x MFU)``, stretched by checkpoints, interruptions and restarts
    (:mod:`dcplanner.models.goodput`, ``training``: the scenario's ``workload.training``).
    Energy: compute and redone work at the busy IT draw, checkpoints with the run's GPUs at
    ``checkpoint_gpu_w``, restarts with every GPU idle, times the PUE of the year (or of the
    run's hours from ``start``). Cost: the site's annualized TCO for the run's share of the
    GPUs and of the year. Carbon: that energy at the year's (or the hours') intensity.

    Raises
    ------
    ConfigError
        At the argument that is wrong: ``precision`` (no deployed chip supports it),
        ``active_params`` (more than ``params``), ``start`` (not a day of the weather year),
        or the scenario field ``workload.training.interruption_rate_per_gpu_hour``
        (interruptions too frequent for the run to end).
    """
    if result.annual is None:
        raise DcplannerError("a training plan needs the annual simulation (energy and PUE)")
    training = training or Training()

    def field(path: str) -> Any:
        value = result[path][scenario]
        return value.item() if isinstance(value, np.generic) else value

    site_peak_pflops = field(f"compute.peak_pflops.{precision}")
    if not site_peak_pflops > 0:  # NaN: no deployed chip supports it
        raise ConfigError([Problem("", "precision", f"no deployed chip supports {precision}")])
    active = params if active_params is None else active_params
    if active > params:
        raise ConfigError([Problem("", "active_params", f"{active:g} active parameters exceed "
                                   f"the {params:g} parameters")])
    mfu, mfu_source = _mfu(mfu_frac, precision, training, field("compute.mfu_frac"),
                           moe=active < params)
    site_gpus = int(field("gpus"))
    gpus = site_gpus if gpus is None else gpus
    share = gpus / site_gpus
    peak_pflops = site_peak_pflops * share
    flops = float(training_flops(active, tokens))
    compute_h = float(training_seconds(flops, peak_pflops * FLOPS_PER_PFLOPS, mfu)) / S_PER_H

    rate_per_h = training.interruption_rate_per_gpu_hour * gpus
    write_h = training.checkpoint_write_s / S_PER_H
    if training.checkpoint_interval_s is None:
        interval_h = float(optimal_interval_h(write_h, rate_per_h))
        interval_source = "Young/Daly optimum"
    else:
        interval_h = training.checkpoint_interval_s / S_PER_H
        interval_source = "workload.training.checkpoint_interval_s"
    hours = {k: float(v) for k, v in time_budget_h(
        compute_h, interval_h, write_h, training.restart_s / S_PER_H, rate_per_h).items()}
    if not math.isfinite(hours["wall"]):
        raise ConfigError([Problem("", "workload.training.interruption_rate_per_gpu_hour", (
            f"one interruption every {1 / rate_per_h:.3g} h on {gpus:,} GPUs, with restarts "
            f"of {training.restart_s:g} s and checkpoints every {interval_h:.3g} h: the run "
            "never finishes (each interruption costs more than the time between them)"))])
    wall_h = hours["wall"]

    # Site IT power in each state of the run [MW]: the run's GPUs busy (the rest idle),
    # writing a checkpoint, and restarting (every GPU idle).
    idle_mw = float(result.design["idle_it_w"][scenario]) / W_PER_MW
    busy_mw = field("it_busy_mw")
    run_busy_mw = idle_mw + share * (busy_mw - idle_mw)
    gpu_idle_w = float(np.nansum(result.design["dep_gpus"][scenario]
                                 * result.x["gpu_idle_w"][scenario]) / site_gpus)
    checkpoint_mw = idle_mw + gpus * (training.checkpoint_gpu_w - gpu_idle_w) / W_PER_MW
    it_mwh = {"compute": run_busy_mw * (hours["compute"] + hours["redo"]),
              "checkpoint": checkpoint_mw * hours["checkpoint"],
              "restart": idle_mw * hours["restart"]}
    pue, intensity, window = _hours(result, scenario, start, wall_h)
    facility_mwh = sum(it_mwh.values()) * pue
    year_share = wall_h / HOURS_PER_YEAR
    tco = field("economics.tco_eur_per_year")
    cost_per_gpu_hour = field("economics.cost_per_gpu_hour_eur")
    return {
        "scenario": field("scenario"),
        "params": params,
        "active_params": active,
        "tokens": tokens,
        "precision": precision,
        "mfu_frac": mfu,
        "mfu_source": mfu_source,
        "training_flops": flops,
        "gpus": gpus,
        "site_gpus": site_gpus,
        "peak_pflops": peak_pflops,
        "days": wall_h / HOURS_PER_DAY,
        "effective_days": compute_h / HOURS_PER_DAY,
        "gpu_hours": gpus * wall_h,
        "lost_gpu_hours": gpus * (wall_h - compute_h),
        "goodput": {
            "effective_frac": compute_h / wall_h if wall_h > 0 else 1.0,
            "interruptions": hours["interruptions"],
            "interruption_rate_per_gpu_hour": training.interruption_rate_per_gpu_hour,
            "mean_hours_between_interruptions": 1 / rate_per_h if rate_per_h > 0 else None,
            "checkpoint_interval_h": interval_h if math.isfinite(interval_h) else None,
            "checkpoint_interval_source": interval_source,
            "checkpoint_write_s": training.checkpoint_write_s,
            "restart_s": training.restart_s,
            "hours": {k: hours[k] for k in ("compute", "checkpoint", "redo", "restart")},
        },
        "start": None if start is None else f"{start[0]:02d}-{start[1]:02d}",
        "weather_hours": window,
        "it_busy_mw": run_busy_mw,
        "it_mwh": it_mwh,
        "pue": pue,
        "facility_mwh": facility_mwh,
        "cost_eur": None if math.isnan(tco) else tco * year_share * share,
        "cost_per_gpu_hour_eur": None if math.isnan(cost_per_gpu_hour) else cost_per_gpu_hour,
        "grid_g_per_kwh": intensity,
        "operational_tco2e": float(emissions_tco2e(facility_mwh, intensity)),
        "embodied_tco2e": field("carbon.embodied_tco2e") * wall_h / field("annual.hours")
        * share,
    }


def _mfu(given: float | None, precision: str, training: Training, workload_mfu: float, *,
         moe: bool) -> tuple[float, str]:
    """The run's MFU and where it comes from: the argument, the scenario's MFU for a mixture
    of experts (``moe``) or a dense model in the precision, else workload.mfu_frac."""
    if given is not None:
        return given, "given"
    tables = [("moe_mfu_frac_by_precision", training.moe_mfu_frac_by_precision)] if moe else []
    for name, table in [*tables, ("mfu_frac_by_precision", training.mfu_frac_by_precision)]:
        if precision in table:
            return table[precision], f"workload.training.{name}.{precision}"
    return workload_mfu, "workload.mfu_frac"


def _hours(result: Result, scenario: int, start: tuple[int, int] | None, wall_h: float
           ) -> tuple[float, float, str]:
    """PUE and energy-weighted grid intensity [g/kWh] over the run: the year's, or the
    weather year's hours from ``start`` (month, day) for ``wall_h`` hours (the year repeats
    for a longer run); and which hours, in words."""
    if start is None:
        intensity = (result["carbon.operational_tco2e"][scenario] * G_PER_TONNE
                     / (result["annual.facility_mwh"][scenario] * KWH_PER_MWH))
        return float(result["annual.pue"][scenario]), float(intensity), "the year's average"
    hourly = result.hourly[scenario]
    month, day = start
    first = np.flatnonzero((hourly["month"] == month) & (hourly["day"] == day))
    if first.size == 0:
        raise ConfigError([Problem("", "start", f"{month:02d}-{day:02d} is not a day of the "
                                   "weather year")])
    year = hourly["facility_w"].size
    index = (first[0] + np.arange(max(math.ceil(wall_h), 1))) % year
    facility, it = hourly["facility_w"][index], hourly["it_w"][index]
    intensity = float(np.sum(facility * hourly["grid_g_per_kwh"][index]) / np.sum(facility))
    return (float(np.sum(facility) / np.sum(it)), intensity,
            f"{index.size:,} hours from {month:02d}-{day:02d}")


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
