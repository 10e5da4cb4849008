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

import numpy as np
from numpy.typing import NDArray

from dcplanner.engine import Arrays, Result, run
from dcplanner.engine.params import object_array
from dcplanner.errors import ConfigError, DcplannerError, Problem
from dcplanner.models.compute import (
    accounted_energy_mwh,
    training_flops,
    training_seconds,
)
from dcplanner.models.economics import emissions_tco2e
from dcplanner.models.goodput import optimal_interval_h, time_budget_h
from dcplanner.scenario import ResolvedScenario, Scenario, resolve
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
    share = (gpus or total) / total
    workload = resolved.scenario.workload
    if share != workload.utilization_frac or workload.profile.kind != "training":
        # The run keeps its GPUs busy all along and the rest idle, whatever the scenario's
        # own load: the plant's PUE and the TCO follow that load.
        s = resolved.scenario
        data = s.model_dump(mode="json", exclude_unset=True)
        workload = data.setdefault("workload", {})
        workload["utilization_frac"] = share
        workload["profile"] = {"kind": "training"}
        resolved = resolve(validate(Scenario, data))
    result = run([resolved], keep_hourly=(0,) if start is not None else ())
    return plan(result, params=params, tokens=tokens, active_params=active_params,
                mfu_frac=mfu_frac, precision=precision, gpus=gpus or total, start=start)


#: What a training run gives for each scenario of a batch (:func:`run_columns`) [unit].
RUN_COLUMNS = {
    "days": "d", "effective_days": "d", "gpu_hours": "GPU-h", "lost_gpu_hours": "GPU-h",
    "effective_frac": "-", "interruptions": "-", "facility_mwh": "MWh", "cost_eur": "EUR",
    "tco2e": "tCO2e", "mfu_frac": "-",
}


def run_columns(result: Result, *, params: float, tokens: float,
                active_params: float | None = None, mfu_frac: float | None = None,
                precision: str = "bf16", gpus: NDArray | None = None,
                pue: NDArray | None = None, intensity: NDArray | None = None) -> Arrays:
    """The same training run on every scenario of a batch, as arrays (S,): the model of
    :func:`plan`, for a study. ``gpus``: the run's GPUs (default all of each site's);
    ``pue`` and ``intensity`` [g/kWh]: of the run's hours (default the year's). A scenario
    whose run never finishes has NaN times; one without the precision, NaN peak.
    """
    x, design = result.x, result.design
    site_gpus = design["gpus"].astype(float)
    gpus = site_gpus if gpus is None else np.asarray(gpus, dtype=float)
    share = gpus / site_gpus
    active = params if active_params is None else active_params
    mfu, source = _mfu(x, mfu_frac, precision, moe=active < params)
    peak_pflops = np.where(design[f"peak_pflops_{precision}"] > 0,
                           design[f"peak_pflops_{precision}"], np.nan) * share
    flops = float(training_flops(active, tokens))
    compute_h = training_seconds(flops, peak_pflops * FLOPS_PER_PFLOPS, mfu) / S_PER_H

    rate_per_h = x["interruption_rate_per_gpu_h"] * gpus
    write_h = x["checkpoint_write_s"] / S_PER_H
    given = np.isfinite(x["checkpoint_interval_s"])
    interval_h = np.where(given, x["checkpoint_interval_s"] / S_PER_H,
                          optimal_interval_h(write_h, rate_per_h))
    hours = time_budget_h(compute_h, interval_h, write_h, x["restart_s"] / S_PER_H, rate_per_h)
    wall_h = hours["wall"]

    # Site IT power in each state of the run [MW]: the run's GPUs busy (the rest idle),
    # writing a checkpoint, and restarting (every GPU idle).
    idle_mw = design["idle_it_w"] / W_PER_MW
    busy_mw = idle_mw + share * (design["busy_it_w"] / W_PER_MW - idle_mw)
    gpu_idle_w = np.nansum(design["dep_gpus"] * x["gpu_idle_w"], axis=1) / site_gpus
    checkpoint_mw = idle_mw + gpus * (x["checkpoint_gpu_w"] - gpu_idle_w) / W_PER_MW
    it_mwh = {"compute": busy_mw * (hours["compute"] + hours["redo"]),
              "checkpoint": checkpoint_mw * hours["checkpoint"],
              "restart": idle_mw * hours["restart"]}
    if pue is None:
        pue = result["annual.pue"]
    if intensity is None:
        intensity = (result["carbon.operational_tco2e"] * G_PER_TONNE
                     / (result["annual.facility_mwh"] * KWH_PER_MWH))
    facility_mwh = sum(it_mwh.values()) * pue
    year_share = wall_h / HOURS_PER_YEAR
    operational = emissions_tco2e(facility_mwh, intensity)
    embodied = result["carbon.embodied_tco2e"] * wall_h / result["annual.hours"] * share
    with np.errstate(invalid="ignore", divide="ignore"):
        effective = np.where(wall_h > 0, compute_h / wall_h, 1.0)
    return {
        "mfu_frac": mfu, "mfu_source": source, "training_flops": np.full(gpus.shape, flops),
        "gpus": gpus, "site_gpus": site_gpus, "peak_pflops": peak_pflops,
        "days": wall_h / HOURS_PER_DAY, "effective_days": compute_h / HOURS_PER_DAY,
        "gpu_hours": gpus * wall_h, "lost_gpu_hours": gpus * (wall_h - compute_h),
        "effective_frac": effective, "interruptions": hours["interruptions"],
        "rate_per_h": rate_per_h, "interval_h": interval_h, "interval_given": given,
        **{f"{k}_h": hours[k] for k in ("compute", "checkpoint", "redo", "restart")},
        "it_busy_mw": busy_mw, **{f"it_{k}_mwh": v for k, v in it_mwh.items()},
        "pue": pue, "facility_mwh": facility_mwh,
        "cost_eur": result["economics.tco_eur_per_year"] * year_share * share,
        "grid_g_per_kwh": intensity, "operational_tco2e": operational,
        "embodied_tco2e": embodied, "tco2e": operational + embodied,
    }


def plan(result: Result, *, params: float, tokens: float,
         active_params: float | None = None, mfu_frac: float | None = None,
         precision: str = "bf16", gpus: int | None = None,
         start: tuple[int, int] | None = None, scenario: int = 0) -> dict:
    """A training run of ``params`` (``active_params`` for a mixture of experts) on ``tokens``
    tokens on ``gpus`` GPUs (default all) of scenario ``scenario`` of ``result``, which must
    hold the annual simulation (with the scenario's hours kept for a ``start`` date), run with
    the share of GPUs the run keeps busy.

    Time: ``T = 6 N D / (peak x MFU)``, stretched by checkpoints, interruptions and restarts
    (:mod:`dcplanner.models.goodput`, with the scenario's ``workload.training``). Energy:
    compute and redone work at the busy IT draw, checkpoints with the run's GPUs at
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
    if not result["compute.peak_pflops." + precision][scenario] > 0:  # NaN: no chip has it
        raise ConfigError([Problem("", "precision", f"no deployed chip supports {precision}")])
    active = params if active_params is None else active_params
    if active > params:
        raise ConfigError([Problem("", "active_params", f"{active:g} active parameters exceed "
                                   f"the {params:g} parameters")])
    one = result.select(scenario)
    args = dict(params=params, tokens=tokens, active_params=active_params, mfu_frac=mfu_frac,
                precision=precision, gpus=None if gpus is None else np.array([float(gpus)]))
    c = {k: v[0] for k, v in run_columns(one, **args).items()}
    if not math.isfinite(c["days"]):
        raise ConfigError([Problem("", "workload.training.interruption_rate_per_gpu_hour", (
            f"one interruption every {1 / c['rate_per_h']:.3g} h on {c['gpus']:,.0f} GPUs, "
            f"with restarts of {one.x['restart_s'][0]:g} s and checkpoints every "
            f"{c['interval_h']:.3g} h: the run never finishes (each interruption costs more "
            "than the time between them)"))])
    window = "the year's average"
    if start is not None:
        pue, intensity, window = _hours(result, scenario, start, c["days"] * HOURS_PER_DAY)
        c = {k: v[0] for k, v in run_columns(one, **args, pue=np.array([pue]),
                                             intensity=np.array([intensity])).items()}
    x = one.x
    cost_per_gpu_hour = float(result["economics.cost_per_gpu_hour_eur"][scenario])
    return {
        "scenario": str(result["scenario"][scenario]),
        "params": params, "active_params": active, "tokens": tokens,
        "precision": precision, "mfu_frac": float(c["mfu_frac"]),
        "mfu_source": c["mfu_source"], "training_flops": float(c["training_flops"]),
        "gpus": int(c["gpus"]), "site_gpus": int(c["site_gpus"]),
        "peak_pflops": float(c["peak_pflops"]),
        "days": float(c["days"]), "effective_days": float(c["effective_days"]),
        "gpu_hours": float(c["gpu_hours"]), "lost_gpu_hours": float(c["lost_gpu_hours"]),
        "goodput": {
            "effective_frac": float(c["effective_frac"]),
            "interruptions": float(c["interruptions"]),
            "interruption_rate_per_gpu_hour": float(x["interruption_rate_per_gpu_h"][0]),
            "mean_hours_between_interruptions": (1 / float(c["rate_per_h"])
                                                 if c["rate_per_h"] > 0 else None),
            "checkpoint_interval_h": (float(c["interval_h"]) if math.isfinite(c["interval_h"])
                                      else None),
            "checkpoint_interval_source": ("workload.training.checkpoint_interval_s"
                                           if c["interval_given"] else "Young/Daly optimum"),
            "checkpoint_write_s": float(x["checkpoint_write_s"][0]),
            "restart_s": float(x["restart_s"][0]),
            "hours": {k: float(c[f"{k}_h"]) for k in ("compute", "checkpoint", "redo",
                                                      "restart")},
        },
        "start": None if start is None else f"{start[0]:02d}-{start[1]:02d}",
        "weather_hours": window,
        "it_busy_mw": float(c["it_busy_mw"]),
        "it_mwh": {k: float(c[f"it_{k}_mwh"]) for k in ("compute", "checkpoint", "restart")},
        "pue": float(c["pue"]),
        "facility_mwh": float(c["facility_mwh"]),
        "cost_eur": None if math.isnan(c["cost_eur"]) else float(c["cost_eur"]),
        "cost_per_gpu_hour_eur": None if math.isnan(cost_per_gpu_hour) else cost_per_gpu_hour,
        "grid_g_per_kwh": float(c["grid_g_per_kwh"]),
        "operational_tco2e": float(c["operational_tco2e"]),
        "embodied_tco2e": float(c["embodied_tco2e"]),
    }


def _mfu(x: Arrays, given: float | None, precision: str, *, moe: bool
         ) -> tuple[NDArray, NDArray]:
    """Each scenario's MFU for the run and where it comes from: the argument, the scenario's
    MFU for a mixture of experts (``moe``) or a dense model in the precision, else
    workload.mfu_frac."""
    n = len(x["mfu_frac"])
    if given is not None:
        return np.full(n, given), object_array(["given"] * n)
    mfu = x["mfu_frac"].astype(float)
    source = object_array(["workload.mfu_frac"] * n)
    tables = ["mfu", "moe_mfu"] if moe else ["mfu"]  # the last that has the precision wins
    for table in tables:
        value = x[f"{table}_{precision}"]
        has = np.isfinite(value)
        mfu = np.where(has, value, mfu)
        source[has] = f"workload.training.{table}_frac_by_precision.{precision}"
    return mfu, source


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
