"""Sub-hourly power of a synchronous training job: phases, checkpoints, failures and restarts.

Every function is pure and vectorized: per-scenario parameters of shape (S,) or (S, 1), time
on the last axis (S, T). A synchronous job moves all its GPUs together, so the site's GPU power
is the job's per-GPU power times its GPUs; hosts, fabric and storage draw their hourly
operating power throughout (they swing far less than the GPUs).

References
----------
E. Choukse et al., "Power Stabilization for AI Training Datacenters", arXiv 2508.14318, 2025
(Microsoft, OpenAI, NVIDIA): a compute-heavy and a communication-heavy phase every iteration,
whose power differs widely (grid-power-rules.md §2.12).
Llama Team, "The Llama 3 Herd of Models", arXiv 2407.21783, 2024, §3.3.4: interruptions,
and "instant fluctuations of power consumption across the data center on the order of tens of
megawatts" (grid-power-rules.md §2.12, §2.16).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

S_PER_H = 3600.0
#: Tolerance of a phase boundary, in periods (see :func:`phase_compute`).
PHASE_TOLERANCE = 1e-6


def _col(a: ArrayLike) -> NDArray:
    """A per-scenario parameter as a column (S, 1) that broadcasts against (S, T)."""
    a = np.asarray(a, dtype=float)
    return a.reshape(-1, 1) if a.ndim <= 1 else a


def phase_compute(t_s: NDArray, period_s: ArrayLike, duty_frac: ArrayLike) -> NDArray:
    """Whether each instant is in an iteration's compute phase (the first ``duty_frac`` of it).

    Parameters
    ----------
    t_s : ndarray, shape (T,) or (S, T)
        Time since the start of the trace [s].
    period_s : array_like, shape (S,)
        Iteration period [s].
    duty_frac : array_like, shape (S,)
        Share of the iteration in the compute phase [-], in (0, 1]; 1 is no communication
        phase.

    Returns
    -------
    ndarray of bool, shape (S, T)
    """
    # In periods, less a millionth of one: a boundary that falls on a step (t = 1.4 s of a
    # 2 s period at 70 %) stays on the same side in every period despite rounding.
    return np.mod(t_s / _col(period_s), 1.0) < _col(duty_frac) - PHASE_TOLERANCE


def checkpointing(t_s: NDArray, interval_s: ArrayLike, write_s: ArrayLike) -> NDArray:
    """Whether each instant is in a blocking checkpoint write: the first ``write_s`` of every
    ``interval_s + write_s`` (the interval is compute between checkpoints; infinite: none).

    Parameters
    ----------
    t_s : ndarray, shape (T,) or (S, T)
        Time since the start of the trace [s].
    interval_s, write_s : array_like, shape (S,)
        Compute between checkpoints and the blocking write [s].
    """
    interval, write = _col(interval_s), _col(write_s)
    finite = np.isfinite(interval) & (write > 0)
    cycle = np.where(finite, interval + write, 1.0)
    phase = np.mod(t_s / cycle, 1.0)
    return finite & (phase < write / cycle - PHASE_TOLERANCE)


def failure_starts(rngs: Sequence[np.random.Generator], steps: int, step_s: float,
                   rate_per_s: ArrayLike) -> NDArray:
    """Random job interruptions: a Poisson process per scenario, as a count per step.

    Parameters
    ----------
    rngs : sequence of numpy.random.Generator
        One random source per scenario (seeded by the caller: a scenario's trace is the same
        alone or in a batch).
    steps : int
        Steps T of the trace.
    step_s : float
        Time step [s].
    rate_per_s : array_like, shape (S,)
        Interruptions per second of the whole job [1/s] (rate per GPU-hour x GPUs / 3,600).

    Returns
    -------
    ndarray of int, shape (S, T)
        Interruptions starting in each step.
    """
    scenarios = len(rngs)
    rate = np.broadcast_to(np.asarray(rate_per_s, dtype=float).ravel(), (scenarios,))
    starts = np.zeros((scenarios, steps), dtype=np.int64)
    # One draw per scenario (a handful of events an hour), none per step.
    for row, (rng, r) in enumerate(zip(rngs, rate, strict=True)):
        if r > 0:
            np.add.at(starts[row], rng.integers(0, steps, rng.poisson(r * steps * step_s)), 1)
    return starts


def restart_ramp_frac(is_down: NDArray, ramp_steps: ArrayLike) -> NDArray:
    """Share of the job's power back after an outage [-], shape (S, T): 0 while down, rising
    linearly to 1 over ``ramp_steps`` after it ends (0 steps: a step back, every rank
    restarting together). Steps before any outage are 1.

    Parameters
    ----------
    is_down : ndarray of bool, shape (S, T)
        Whether the job is down (:func:`down`).
    ramp_steps : array_like, shape (S,)
        Steps of the ramp back to full power.
    """
    idx = np.arange(is_down.shape[-1], dtype=float)
    last = np.maximum.accumulate(np.where(is_down, idx, -np.inf), axis=-1)
    ramp = _col(ramp_steps)
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = np.where(ramp > 0, (idx - last) / ramp, 1.0)
    return np.where(is_down, 0.0, np.clip(np.nan_to_num(frac, nan=1.0, posinf=1.0), 0, 1))


def down(starts: NDArray, restart_steps: int) -> NDArray:
    """Whether the job is down (between an interruption and the restart's end) at each step.

    A trailing window sum: an interruption in the last ``restart_steps`` steps keeps the job
    down; an interruption while down extends the outage.

    Parameters
    ----------
    starts : ndarray of int, shape (S, T)
        Interruptions starting in each step (:func:`failure_starts`).
    restart_steps : int
        Steps from an interruption to training again.
    """
    if restart_steps <= 0:
        return np.zeros(starts.shape, dtype=bool)
    c = np.cumsum(starts, axis=-1)
    lagged = np.zeros_like(c)
    if restart_steps < c.shape[-1]:
        lagged[..., restart_steps:] = c[..., :-restart_steps]
    return (c - lagged) > 0


def job_gpu_w(compute: NDArray, checkpoint: NDArray, back_frac: NDArray, compute_w: ArrayLike,
              communication_w: ArrayLike, checkpoint_w: ArrayLike, idle_w: ArrayLike) -> NDArray:
    """Power of the job's GPUs [W], shape (S, T): compute or communication phase, a
    checkpoint write, idle while the job is down and the ramp back after a restart.

    Parameters
    ----------
    compute, checkpoint : ndarray of bool, shape (S, T)
        Phase masks (:func:`phase_compute`, :func:`checkpointing`).
    back_frac : ndarray, shape (S, T)
        Share of the job's power back (:func:`restart_ramp_frac`; 0 down, 1 running).
    compute_w, communication_w, checkpoint_w, idle_w : array_like, shape (S,)
        Draw in each state [W] (per GPU, or of all the job's GPUs).
    """
    w = np.where(compute, _col(compute_w), _col(communication_w))
    w = np.where(checkpoint, _col(checkpoint_w), w)
    idle = _col(idle_w)
    return idle + (w - idle) * back_frac
