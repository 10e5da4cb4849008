"""The sub-hourly power study of a scenario: training swings, smoothing and storage.

One trace per scenario (``power:`` section), built in three layers:

1. **The job** (:mod:`dcplanner.models.power_swing`): every job GPU in the compute or the
   communication phase, a checkpoint dip, or idle between an interruption and its restart;
   the GPUs outside the job (``1 - workload.utilization_frac``) idle; hosts, fabric, storage
   and management at their hourly operating draw.
2. **Smoothing** (:mod:`dcplanner.models.storage`): the GPU power-smoothing profile (floor,
   ramp rates, per GPU, applied to the job's GPUs together: exact for a site of one GPU type),
   then rack storage (each rack draws a trailing mean of its IT load).
3. **The facility chain** (:func:`dcplanner.engine.chain.facility_chain`) at the hour's
   weather, on the plant installed for the design hour. Distribution, UPS and miscellaneous
   loads and the transformer follow the IT load instantly; the cooling plant follows its
   trailing mean over ``power.cooling_time_constant_s`` (loops and water buffer the swings:
   thermal mass). The chain is evaluated on 33 load levels per scenario spanning the trace
   and read by linear interpolation (every term alike, so the energy balance holds at every
   step; a flat trace sits on a level and equals the hourly model); the transformer loss,
   quadratic in the total, is computed at every step.

Then a site battery holds the grid side within ``power.battery`` limits. A trace longer than an
hour is streamed in one-hour chunks: each hour is taken to repeat (its averages wrap), the
storage is sized on the worst hour, and the dominant frequency is the first hour's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from dcplanner.engine import evaluate, flatten
from dcplanner.engine.chain import INSTALLED, facility_chain, ratio
from dcplanner.engine.economics import energy_price_eur_per_mwh
from dcplanner.engine.params import Arrays, rows
from dcplanner.models import electrical, it_power, power_swing, storage
from dcplanner.models.cooling.plants import INSTALLED_KEYS
from dcplanner.models.goodput import optimal_interval_h
from dcplanner.scenario import ResolvedScenario
from dcplanner.units import HOURS_PER_DAY, HOURS_PER_YEAR, KWH_PER_MWH, S_PER_H, W_PER_MW

#: Load levels the facility chain is evaluated on per scenario.
LEVELS = 33
#: The chain's terms that follow the IT load instantly (the electrical losses).
FAST = ("distribution_loss_w", "ups_loss_w", "misc_w")
#: Longest chunk of a streamed trace [s]: one hour.
CHUNK_S = S_PER_H
#: Columns of the trace file, with their unit and divisor from watts.
TRACE_COLUMNS = (("it_mw", "it_raw_w"), ("facility_mw", "facility_raw_w"),
                 ("it_smoothed_mw", "it_w"), ("facility_smoothed_mw", "facility_w"),
                 ("cooling_mw", "cooling_w"), ("battery_mw", "battery_w"),
                 ("grid_mw", "grid_w"))


def inputs(resolved: Sequence[ResolvedScenario]) -> Arrays:
    """The per-scenario arrays (S,) of the study: the site's GPU power in each job state, the
    other IT, the smoothing and storage parameters and the weather of the trace."""
    x = flatten(resolved)
    out = evaluate(x)
    u = x["utilization_frac"][:, None]
    gpus = x["count"] * x["gpus_per_system"]
    peak = it_power.accelerator_peak_w(x["gpu_tdp_w"], x["gpu_power_cap_w"])
    busy = it_power.busy_power_w(peak, x["gpu_idle_w"], x["operating_power_frac"][:, None])
    idle = x["gpu_idle_w"]
    pw = [r.scenario.power for r in resolved]

    def col(get: object) -> NDArray:
        return np.array([np.nan if (v := get(p)) is None else float(v) for p in pw])  # type: ignore[operator]

    compute_frac = col(lambda p: p.swing.compute_tgp_frac)
    duty = col(lambda p: p.swing.duty_frac)[:, None]
    communication = col(lambda p: p.swing.communication_tgp_frac)[:, None] * peak
    # Unset: the compute draw that keeps the iteration's mean at the hourly busy draw, between
    # the communication draw and TGP.
    mean_keeping = np.clip((busy - (1 - duty) * communication) / duty, communication, peak)
    per_gpu = {
        "compute": np.where(np.isnan(compute_frac)[:, None], mean_keeping,
                            compute_frac[:, None] * peak),
        "communication": communication,
        "checkpoint": np.broadcast_to(x["checkpoint_gpu_w"][:, None], peak.shape),
        "idle": idle,
    }
    site = {f"gpu_{state}_w": (gpus * (u * w + (1 - u) * idle)).sum(axis=1)
            for state, w in per_gpu.items()}
    job_gpus = (gpus * u).sum(axis=1)
    rate_per_s = x["interruption_rate_per_gpu_h"] * job_gpus / S_PER_H
    interval_s = np.where(np.isnan(x["checkpoint_interval_s"]),
                          optimal_interval_h(x["checkpoint_write_s"] / S_PER_H,
                                             rate_per_s * S_PER_H) * S_PER_H,
                          x["checkpoint_interval_s"])
    smoothing = [p.smoothing for p in pw]
    p: Arrays = {
        **site,
        "other_it_w": out["operating_it_w"] - out["operating_gpus_w"],
        "operating_it_w": out["operating_it_w"],
        "operating_facility_w": out["operating_facility_w"],
        "liquid_share": ratio(out["operating_liquid_heat_w"], out["operating_it_w"]),
        "job_gpus": job_gpus,
        "racks": out["racks"],
        "tgp_w": (gpus * u * peak).sum(axis=1),
        "period_s": col(lambda p: p.swing.period_s),
        "duty_frac": col(lambda p: p.swing.duty_frac),
        "checkpoints": col(lambda p: p.swing.checkpoints),
        "failures": col(lambda p: p.swing.failures),
        "interval_s": interval_s,
        "write_s": x["checkpoint_write_s"],
        "restart_s": x["restart_s"],
        "restart_ramp_s": col(lambda p: p.swing.restart_ramp_s),
        "rate_per_s": rate_per_s,
        "floor_tgp_frac": np.array([0.0 if s is None else s.floor_tgp_frac for s in smoothing]),
        "ramp_up_w_per_s": np.array([np.inf if s is None or s.ramp_up_w_per_s is None
                                     else s.ramp_up_w_per_s for s in smoothing]) * job_gpus,
        "ramp_down_w_per_s": np.array([np.inf if s is None or s.ramp_down_w_per_s is None
                                       else s.ramp_down_w_per_s for s in smoothing]) * job_gpus,
        "rack_window_s": col(lambda p: p.rack_storage.window_s),
        "rack_efficiency_frac": col(lambda p: p.rack_storage.efficiency_frac),
        "cooling_window_s": col(lambda p: p.cooling_time_constant_s),
        "battery_ramp_w_per_s": col(lambda p: p.battery.max_ramp_mw_per_s) * W_PER_MW,
        "battery_swing_w": col(lambda p: p.battery.max_swing_mw) * W_PER_MW,
        "battery_efficiency_frac": col(lambda p: p.battery.efficiency_frac),
        "energy_eur_per_mwh": energy_price_eur_per_mwh(x),
        "step_s": col(lambda p: p.step_s),
        "duration_s": col(lambda p: p.duration_s),
        "seed": col(lambda p: p.seed),
    }
    dry, wet = _weather(resolved, x, out)
    installed = {f"{INSTALLED}{k}": out[f"design_{k}"] for k in INSTALLED_KEYS
                 if f"design_{k}" in out}
    return {**p, "_x": x, "_installed": installed, "dry_bulb_c": dry, "wet_bulb_c": wet}  # type: ignore[dict-item]


def _weather(resolved: Sequence[ResolvedScenario], x: Arrays, out: Arrays
             ) -> tuple[NDArray, NDArray]:
    """Dry and wet bulb [°C] of each scenario's trace: the design hour, or its hour of the
    (stressed) weather year."""
    from dcplanner.engine.annual import year_weather
    from dcplanner.engine.hourly import scenario_hours

    dry = x["design_dry_bulb_c"].copy()
    wet = out["design_wet_bulb_c"].copy()
    for i, r in enumerate(resolved):
        hour = r.scenario.power.hour
        if hour is None:
            continue
        h = scenario_hours(r.scenario)
        if hour >= h.weather.hours:
            from dcplanner.errors import ConfigError, Problem
            raise ConfigError([Problem("", "power.hour", f"hour = {hour} is past the weather "
                                       f"year's {h.weather.hours:,} hours")])
        d, _, w = year_weather(rows(x, [i]), h, {})
        dry[i], wet[i] = d[0, hour], w[0, hour]
    return dry, wet


def _job_gpu_w(p: Arrays, t_s: NDArray, chunk: int, step_s: float) -> NDArray:
    """The site's GPU power [W] (S, T) as the job asks for it; the interruptions of each
    scenario drawn from its power.seed and the chunk only, so that a scenario traces the same
    alone or in a batch, and scenarios of one seed share their draws (common random
    numbers: a study compares like with like)."""
    s, steps = p["period_s"].size, t_s.size
    compute = power_swing.phase_compute(t_s, p["period_s"], p["duty_frac"])
    checkpoint = power_swing.checkpointing(t_s, np.where(p["checkpoints"] > 0, p["interval_s"],
                                                         np.inf), p["write_s"])
    rate = np.where(p["failures"] > 0, p["rate_per_s"], 0.0)
    rngs = [np.random.default_rng([int(seed), chunk]) for seed in p["seed"]]
    starts = power_swing.failure_starts(rngs, steps, step_s, rate)
    restart_steps = np.round(p["restart_s"] / step_s).astype(int)
    is_down = np.zeros((s, steps), dtype=bool)
    for n in np.unique(restart_steps):  # one pass per distinct restart time, not per step
        sel = restart_steps == n
        is_down[sel] = power_swing.down(starts[sel], int(n))
    back = power_swing.restart_ramp_frac(is_down, p["restart_ramp_s"] / step_s)
    return power_swing.job_gpu_w(compute, checkpoint, back, p["gpu_compute_w"],
                                 p["gpu_communication_w"], p["gpu_checkpoint_w"],
                                 p["gpu_idle_w"])


def _chain_table(p: Arrays, lo: NDArray, hi: NDArray) -> tuple[NDArray, Arrays]:
    """The facility chain on LEVELS IT loads from ``lo`` to ``hi`` per scenario (S, K)."""
    levels = lo[:, None] + (hi - lo)[:, None] * np.linspace(0, 1, LEVELS)[None, :]
    x = {**p["_x"], **p["_installed"]}  # type: ignore[dict-item]
    c = facility_chain(x, levels, levels * p["liquid_share"][:, None],
                       p["dry_bulb_c"][:, None], p["wet_bulb_c"][:, None])
    table = {k: np.ascontiguousarray(np.broadcast_to(c[k], levels.shape))
             for k in (*FAST, "cooling_w")}
    table["fast_loss_w"] = sum(table[k] for k in FAST)
    return levels, table


def _interp(levels: NDArray, tables: list[NDArray], w: NDArray) -> list[NDArray]:
    """Linear interpolation of each table (S, K) on uniform ``levels`` at ``w`` (S, T)."""
    lo, span = levels[:, :1], levels[:, -1:] - levels[:, :1]
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(span > 0, (LEVELS - 1) / span, 0.0)
    pos = np.clip((w - lo) * scale, 0, LEVELS - 1)
    i = np.minimum(pos.astype(np.int64), LEVELS - 2)
    f = pos - i
    flat = (i + (np.arange(w.shape[0]) * LEVELS)[:, None]).ravel()
    out = []
    for table in tables:
        a = table.ravel()[flat].reshape(w.shape)
        slope = np.diff(table, axis=-1, append=table[:, -1:]).ravel()[flat].reshape(w.shape)
        out.append(a + slope * f)
    return out


def _facility(p: Arrays, it_w: NDArray, levels: NDArray, table: Arrays, step_s: float,
              parts: bool) -> Arrays:
    """The facility chain along a trace: fast electrical losses, slow cooling; the fast
    losses one by one with ``parts``, else their sum only (``fast_loss_w``)."""
    x = p["_x"]  # type: ignore[assignment]
    cooling_steps = np.maximum(np.round(p["cooling_window_s"] / step_s), 1)
    slow_it = storage.trailing_mean(it_w, cooling_steps)
    if parts:
        out = dict(zip(FAST, _interp(levels, [table[k] for k in FAST], it_w), strict=True))
        fast = out["distribution_loss_w"] + out["ups_loss_w"] + out["misc_w"]
    else:
        fast = _interp(levels, [table["fast_loss_w"]], it_w)[0]
        out = {"fast_loss_w": fast}
    out["cooling_w"] = _interp(levels, [table["cooling_w"]], slow_it)[0]
    through = it_w + fast + out["cooling_w"]
    rated = np.where(np.isnan(x["transformer_rated_w"]), x["grid_w"], x["transformer_rated_w"])
    out["transformer_loss_w"] = electrical.transformer_loss_w(
        through, rated[:, None], x["transformer_no_load_loss_frac"][:, None],
        x["transformer_load_loss_frac"][:, None], x["power_factor"][:, None])
    out["facility_w"] = through + out["transformer_loss_w"]
    return out


def trace(p: Arrays, start_s: float, steps: int, step_s: float, chunk: int = 0,
          *, parts: bool = True) -> Arrays:
    """One chunk of the traces of every scenario of ``p`` (one step size), each (S, T).

    Keys: ``t_s`` (T,); the IT and facility load without smoothing (``it_raw_w``,
    ``facility_raw_w``) and with smoothing and rack storage (``it_w``, ``facility_w`` and its
    parts ``distribution_loss_w``, ``ups_loss_w``, ``misc_w``, ``cooling_w``,
    ``transformer_loss_w``; without ``parts`` the first three as their sum ``fast_loss_w``),
    the rack storage's and the battery's output (``rack_storage_w``,
    ``battery_w``, positive discharging) and the grid side (``grid_w``).
    """
    t_s = start_s + np.arange(steps) * step_s
    gpu_raw = _job_gpu_w(p, t_s, chunk, step_s)
    gpu = storage.smoothed_gpu_w(gpu_raw, step_s, p["tgp_w"], p["floor_tgp_frac"],
                                 p["ramp_up_w_per_s"], p["ramp_down_w_per_s"])
    other = p["other_it_w"][:, None]
    it_raw, it_smooth = gpu_raw + other, gpu + other
    rack_steps = np.round(p["rack_window_s"] / step_s)
    it_w = np.where((rack_steps > 1)[:, None],
                    storage.trailing_mean(it_smooth, np.maximum(rack_steps, 1)), it_smooth)
    lo = np.minimum(it_raw.min(axis=-1), it_w.min(axis=-1))
    hi = np.maximum(it_raw.max(axis=-1), it_w.max(axis=-1))
    levels, table = _chain_table(p, lo, hi)
    raw = _facility(p, it_raw, levels, table, step_s, parts=False)
    fac = _facility(p, it_w, levels, table, step_s, parts=parts)
    grid = storage.grid_side_w(fac["facility_w"], step_s, p["battery_ramp_w_per_s"],
                               p["battery_swing_w"])
    return {"t_s": t_s, "it_raw_w": it_raw, "facility_raw_w": raw["facility_w"],
            "it_w": it_w, **fac, "rack_storage_w": it_smooth - it_w,
            "battery_w": fac["facility_w"] - grid, "grid_w": grid}


@dataclass(frozen=True)
class PowerStudy:
    """What ``dcplanner power`` reports, per scenario (S,) unless said.

    Raw (no smoothing, no storage) and grid-side swing figures (``raw_*``, ``grid_*``: peak
    [MW], max ramp [MW/s], peak-to-peak swing [MW], dominant frequency [Hz]); the facility
    energy smoothing adds, at the trace's rate over a year (``floor_mwh_per_year``: the floor
    and the ramp-down limit burning, net of what the ramp-up limit holds back), and its cost
    (``floor_eur_per_year``, at the energy price, network tariff and excise); the job's IT
    demand the ramp-up limit holds back (``held_mwh_per_year``: compute slowed); rack storage
    and site battery power [MW], energy [MWh] and cycles per day."""

    names: list[str]
    step_s: float
    duration_s: float
    figures: dict[str, NDArray]
    #: The first scenario's trace (first chunk only when streamed without keeping it).
    trace: Arrays | None


def chunks(duration_s: float, step_s: float) -> Iterator[tuple[float, int]]:
    """(start [s], steps) of the one-hour chunks of a trace."""
    total = round(duration_s / step_s)
    per = max(round(CHUNK_S / step_s), 2)
    for start in range(0, total, per):
        yield start * step_s, min(per, total - start)


def study(resolved: Sequence[ResolvedScenario], *, keep_trace: bool = True,
          on_chunk: Callable[[Arrays], None] | None = None,
          scenarios_per_chunk: int = 8) -> PowerStudy:
    """The power study of a batch of scenarios (one ``power.step_s`` and ``duration_s``).

    Raises
    ------
    ConfigError
        Scenarios with different steps or durations, or an hour past the weather year.
    """
    p = inputs(resolved)
    step_s, duration_s = float(p["step_s"][0]), float(p["duration_s"][0])
    if np.any(p["step_s"] != step_s) or np.any(p["duration_s"] != duration_s):
        from dcplanner.errors import ConfigError, Problem
        raise ConfigError([Problem("", "power.step_s", "every scenario of a batch needs the "
                                   "same step_s and duration_s")])
    return study_arrays(p, step_s, duration_s, [r.scenario.name for r in resolved],
                        keep_trace=keep_trace, on_chunk=on_chunk,
                        scenarios_per_chunk=scenarios_per_chunk)


def study_arrays(p: Arrays, step_s: float, duration_s: float, names: list[str], *,
                 keep_trace: bool = True, on_chunk: Callable[[Arrays], None] | None = None,
                 scenarios_per_chunk: int = 8) -> PowerStudy:
    """:func:`study` on the arrays of :func:`inputs` (a benchmark varies them directly).

    ``keep_trace`` keeps the first scenario's whole trace in the result (a year at 1 s is
    about 3 GB: stream it instead); ``on_chunk`` is called with each hour of it, in order
    (a file written as the study goes, memory bounded by one chunk)."""
    n = p["period_s"].size
    acc: dict[str, list[NDArray]] = {}
    kept: list[Arrays] = []
    for c, (start_s, steps) in enumerate(chunks(duration_s, step_s)):
        for first in range(0, n, scenarios_per_chunk):
            idx = np.arange(first, min(first + scenarios_per_chunk, n))
            sub = {k: (v[idx] if isinstance(v, np.ndarray) else
                       {kk: vv[idx] for kk, vv in v.items()}) for k, v in p.items()}
            wanted = first == 0 and (keep_trace or on_chunk is not None)
            tr = trace(sub, start_s, steps, step_s, c, parts=wanted)
            if wanted:
                one = {k: (v if k == "t_s" else v[0]) for k, v in tr.items()}
                if on_chunk is not None:
                    on_chunk(one)
                if keep_trace:
                    kept.append(one)
            for key, value in _chunk_figures(sub, tr, step_s, c == 0).items():
                acc.setdefault(key, []).append(value)
    figures = _costs(_combine(acc, n, duration_s), p)
    trace_out = None
    if kept:
        trace_out = {k: np.concatenate([t[k] for t in kept]) for k in kept[0]}
    return PowerStudy(names, step_s, duration_s, figures, trace_out)


def _chunk_figures(p: Arrays, tr: Arrays, step_s: float, first: bool) -> dict[str, NDArray]:
    raw = storage.swing_metrics(tr["facility_raw_w"], step_s)
    grid = storage.swing_metrics(tr["grid_w"], step_s)
    rack = storage.storage_sizing(tr["rack_storage_w"], step_s, p["rack_efficiency_frac"])
    bess = storage.storage_sizing(tr["battery_w"], step_s, p["battery_efficiency_frac"])
    seconds = tr["t_s"].size * step_s
    out = {f"raw_{k}": v for k, v in raw.items()}
    out.update({f"grid_{k}": v for k, v in grid.items()})
    out.update({f"rack_{k}": v for k, v in rack.items()})
    out.update({f"battery_{k}": v for k, v in bess.items()})
    out["extra_j"] = (tr["facility_w"] - tr["facility_raw_w"]).sum(axis=-1) * step_s
    smoothed_it = tr["it_w"] + tr["rack_storage_w"]
    out["held_j"] = np.clip(tr["it_raw_w"] - smoothed_it, 0, None).sum(axis=-1) * step_s
    out["energy_j"] = tr["grid_w"].sum(axis=-1) * step_s
    out["raw_energy_j"] = tr["facility_raw_w"].sum(axis=-1) * step_s
    out["seconds"] = np.full(p["period_s"].size, seconds)
    out["first"] = np.full(p["period_s"].size, float(first))
    out["mean_it_w"] = tr["it_raw_w"].mean(axis=-1)
    return out


def _combine(acc: dict[str, list[NDArray]], n: int, duration_s: float) -> dict[str, NDArray]:
    """Chunk figures (scenario chunks within a time chunk, then time chunks) to per scenario."""
    per_time = {k: [] for k in acc}
    parts = len(acc["seconds"])
    # Scenario chunks of a time chunk are consecutive: regroup by time chunk.
    i = 0
    while i < parts:
        group, size = [], 0
        while size < n:
            group.append(i)
            size += acc["seconds"][i].size
            i += 1
        for k in acc:
            per_time[k].append(np.concatenate([acc[k][j] for j in group]))
    a = {k: np.stack(v) for k, v in per_time.items()}  # (chunks, S)
    years = duration_s / (HOURS_PER_YEAR * S_PER_H)
    days = duration_s / (HOURS_PER_DAY * S_PER_H)
    out: dict[str, NDArray] = {}
    for prefix in ("raw", "grid"):
        out[f"{prefix}_peak_mw"] = a[f"{prefix}_peak_w"].max(0) / W_PER_MW
        out[f"{prefix}_max_ramp_mw_per_s"] = a[f"{prefix}_max_ramp_w_per_s"].max(0) / W_PER_MW
        out[f"{prefix}_swing_mw"] = a[f"{prefix}_swing_w"].max(0) / W_PER_MW
        out[f"{prefix}_dominant_hz"] = a[f"{prefix}_dominant_hz"][0]
    out["floor_mwh_per_year"] = a["extra_j"].sum(0) / 3.6e9 / years
    out["held_mwh_per_year"] = a["held_j"].sum(0) / 3.6e9 / years
    for prefix in ("rack", "battery"):
        out[f"{prefix}_power_mw"] = a[f"{prefix}_power_w"].max(0) / W_PER_MW
        out[f"{prefix}_energy_mwh"] = a[f"{prefix}_energy_j"].max(0) / 3.6e9
        out[f"{prefix}_cycles_per_day"] = a[f"{prefix}_cycles"].sum(0) / days
    out["mean_it_mw"] = (a["mean_it_w"] * a["seconds"]).sum(0) / a["seconds"].sum(0) / W_PER_MW
    out["grid_mwh"] = a["energy_j"].sum(0) / 3.6e9
    return out


def _costs(f: dict[str, NDArray], p: Arrays) -> dict[str, NDArray]:
    """The figures with the floor's cost [EUR/yr] and the rack storage per rack."""
    f["floor_eur_per_year"] = f["floor_mwh_per_year"] * p["energy_eur_per_mwh"]
    with np.errstate(divide="ignore", invalid="ignore"):
        f["rack_energy_kwh_per_rack"] = np.where(
            p["racks"] > 0, f["rack_energy_mwh"] * KWH_PER_MWH / p["racks"], 0.0)
    return f
