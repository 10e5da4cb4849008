"""Goodput of a synchronous training run: checkpoints, interruptions and restarts.

A synchronous job stops as a whole when any of its GPUs fails, restarts from its last
checkpoint and redoes the work since. The first-order model of Young (J. W. Young, "A first
order approximation to the optimum checkpoint interval", Commun. ACM 17(9), 1974) and Daly
(J. T. Daly, "A higher order estimate of the optimum checkpoint interval for restart dumps",
Future Gener. Comput. Syst. 22(3), 2006): interruptions arrive at a constant rate ``λ`` (a
Poisson process, the sum of independent per-GPU rates), every ``τ`` hours of compute the job
blocks ``δ`` hours to write a checkpoint, and each interruption costs a restart ``R`` plus, on
average, half a segment ``(τ + δ) / 2`` of work redone. For a run of ``T`` failure-free
compute hours the expected wall time ``W`` solves ``W = T (1 + δ/τ) + λ W (R + (τ + δ)/2)``:

    W = T (1 + δ/τ) / (1 − λ (R + (τ + δ) / 2))

which has no finite solution when interruptions come faster than a segment and a restart
fit between them (the run never finishes). The interval that minimizes ``W`` is, to first
order, ``τ* = sqrt(2 δ / λ)`` (Young; Daly's first-order term). With ``λ = 0`` and no
checkpoints (``δ = 0``) the wall time is ``T``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray


def optimal_interval_h(write_h: ArrayLike, rate_per_h: ArrayLike) -> NDArray:
    """Young/Daly first-order optimum checkpoint interval ``sqrt(2 δ / λ)`` [h] (compute hours
    between checkpoints; infinite without interruptions).

    Parameters
    ----------
    write_h : array_like
        Blocking checkpoint write time δ [h].
    rate_per_h : array_like
        Interruptions per hour of the whole job λ [1/h].
    """
    write_h = np.asarray(write_h, dtype=float)
    rate_per_h = np.asarray(rate_per_h, dtype=float)
    # 0 / 0 (no write time, no interruptions) is as undefined as x / 0: no checkpoint needed.
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return np.where(rate_per_h > 0, np.sqrt(2.0 * write_h / rate_per_h), np.inf)


def wall_time_h(compute_h: ArrayLike, interval_h: ArrayLike, write_h: ArrayLike,
                restart_h: ArrayLike, rate_per_h: ArrayLike) -> NDArray:
    """Expected wall time [h] of ``compute_h`` failure-free compute hours (see the module);
    NaN where the run never finishes (``λ (R + (τ + δ)/2) >= 1``).

    Parameters
    ----------
    compute_h : array_like
        Failure-free compute time T [h].
    interval_h : array_like
        Compute between checkpoints τ [h] (infinite: no checkpoints).
    write_h, restart_h : array_like
        Checkpoint write δ and restart R times [h].
    rate_per_h : array_like
        Interruptions per hour of the whole job λ [1/h].
    """
    compute_h, interval_h, write_h, restart_h, rate_per_h = (
        np.asarray(v, dtype=float) for v in (compute_h, interval_h, write_h, restart_h,
                                             rate_per_h))
    checkpointing = _checkpoint_frac(write_h, interval_h)
    # Lost per interruption: the restart and half a segment (none without checkpoints: λ = 0).
    lost_h = np.where(rate_per_h > 0, restart_h + (interval_h + write_h) / 2.0, 0.0)
    free = 1.0 - rate_per_h * lost_h
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return np.where(free > 0, compute_h * (1.0 + checkpointing) / free, np.nan)


def _checkpoint_frac(write_h: NDArray, interval_h: NDArray) -> NDArray:
    """Checkpoint writing per compute hour ``δ / τ`` (0 for free checkpoints or none)."""
    out = np.zeros(np.broadcast(write_h, interval_h).shape)
    return np.divide(write_h, interval_h, out=out, where=(write_h > 0) & np.isfinite(interval_h))


def time_budget_h(compute_h: ArrayLike, interval_h: ArrayLike, write_h: ArrayLike,
                  restart_h: ArrayLike, rate_per_h: ArrayLike) -> dict[str, NDArray]:
    """Where the wall time goes [h]: ``compute`` (the failure-free work), ``checkpoint``
    (writes ``T δ / τ``), ``redo`` (work lost to interruptions and done again), ``restart``,
    their sum ``wall`` and the expected ``interruptions`` [-] (``λ W``)."""
    wall = wall_time_h(compute_h, interval_h, write_h, restart_h, rate_per_h)
    compute_h, interval_h, write_h, restart_h, rate_per_h = (
        np.asarray(v, dtype=float) for v in (compute_h, interval_h, write_h, restart_h,
                                             rate_per_h))
    interruptions = rate_per_h * wall
    checkpoint = compute_h * _checkpoint_frac(write_h, interval_h)
    restart = interruptions * restart_h
    redo = np.maximum(wall - compute_h - checkpoint - restart, 0.0)  # rounding below zero
    return {"compute": compute_h, "checkpoint": checkpoint, "redo": redo, "restart": restart,
            "wall": wall, "interruptions": interruptions}
