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

import numpy as np
from numpy.typing import ArrayLike, NDArray

S_PER_H = 3600.0


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
    period = _col(period_s)
    return np.mod(t_s, period) < _col(duty_frac) * period


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
    cycle = np.where(np.isfinite(interval), interval + write, np.inf)
    with np.errstate(invalid="ignore"):
        phase = np.where(np.isfinite(cycle), np.mod(t_s, np.where(np.isfinite(cycle), cycle, 1)),
                         np.inf)
    return phase < write


def failure_starts(rng: np.random.Generator, scenarios: int, steps: int, step_s: float,
                   rate_per_s: ArrayLike) -> NDArray:
    """Random job interruptions: a Poisson process per scenario, as a count per step.

    Parameters
    ----------
    rng : numpy.random.Generator
        The random source (seeded by the caller: the trace is reproducible).
    scenarios, steps : int
        Shape (S, T) of the trace.
    step_s : float
        Time step [s].
    rate_per_s : array_like, shape (S,)
        Interruptions per second of the whole job [1/s] (rate per GPU-hour x GPUs / 3,600).

    Returns
    -------
    ndarray of int, shape (S, T)
        Interruptions starting in each step.
    """
    rate = np.broadcast_to(np.asarray(rate_per_s, dtype=float).ravel(), (scenarios,))
    counts = rng.poisson(rate * steps * step_s)
    starts = np.zeros((scenarios, steps), dtype=np.int64)
    rows = np.repeat(np.arange(scenarios), counts)
    np.add.at(starts, (rows, rng.integers(0, steps, rows.size)), 1)
    return starts


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


def job_gpu_w(compute: NDArray, checkpoint: NDArray, is_down: NDArray, compute_w: ArrayLike,
              communication_w: ArrayLike, checkpoint_w: ArrayLike, idle_w: ArrayLike) -> NDArray:
    """Per-GPU power of the job [W], shape (S, T): compute or communication phase, a
    checkpoint write, or idle while the job is down (the restart ramp back to compute is the
    step up when it ends, limited by smoothing where it is set).

    Parameters
    ----------
    compute, checkpoint, is_down : ndarray of bool, shape (S, T)
        Phase masks (:func:`phase_compute`, :func:`checkpointing`, :func:`down`).
    compute_w, communication_w, checkpoint_w, idle_w : array_like, shape (S,)
        Per-GPU draw in each state [W].
    """
    w = np.where(compute, _col(compute_w), _col(communication_w))
    w = np.where(checkpoint, _col(checkpoint_w), w)
    return np.where(is_down, _col(idle_w), w)
