"""Reference floors measured in the same run as a benchmark, so that its figures are ratios.

The machine may be shared and its speed drifts between runs; a benchmark's throughput divided
by a floor measured just before and just after it is what stays comparable:

- :func:`stream` is numpy's streaming floor: ``a * b + c`` on preallocated (1000, 8760) float64
  arrays, in element-operations per second (two per element);
- :func:`model_mix` is a 40-operation "hourly model mix" per scenario-hour (exponentials,
  clips, an interpolation, wheres, minima and maxima, four reductions), on chunks of 16
  scenarios like the annual engine, in scenario-hours per second: what a vectorized annual
  model of this size could do at best with numpy alone.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import numpy as np

HOURS = 8760
_RNG = np.random.default_rng(0)
_A, _B, _C = (_RNG.uniform(0.5, 1.5, (1000, HOURS)) for _ in range(3))
_T = np.empty((1000, HOURS))
_XP = np.array([0, 0.25, 0.5, 0.75, 1])
_FP = np.array([0.80, 0.93, 0.96, 0.97, 0.965])


def stream(reps: int = 3) -> float:
    """numpy multiply+add, preallocated, in element-operations per second."""
    np.multiply(_A, _B, out=_T)
    start = time.perf_counter()
    for _ in range(reps):
        np.multiply(_A, _B, out=_T)
        np.add(_T, _C, out=_T)
    return 2 * _A.size * reps / (time.perf_counter() - start)


def _mix_chunk(p, dry, load):
    it = p[:, :1] + (p[:, 1:2] - p[:, :1]) * load
    ups = it / 0.99
    frac = ups / p[:, 2:3]
    eff = np.interp(np.clip(frac, 0, 1), _XP, _FP)
    loss = ups / eff - ups
    air = it * 0.15 + loss
    rh = np.minimum(np.exp(17.62 * 10 / 253.12 - 17.62 * dry / (243.12 + dry)), 1.0)
    wet = dry - (1 - rh) * 8
    coil = np.where(dry > 25, np.maximum(dry - 0.8 * (dry - wet), 25), dry)
    free = np.clip((45 - (coil + 5)) / 10, 0, 1)
    lift = np.maximum(coil + 5 + 273.15 - 308.15, 1e-6)
    cop = np.minimum(0.45 * 308.15 / lift, 12)
    chiller = (1 - free) * (it + air) / cop
    facility = it + loss + chiller + np.log1p(air * 1e-9)
    return facility.sum(-1), facility.max(-1), chiller.sum(-1), (free >= 1).sum(-1)


def model_mix(seconds: float = 0.5, scenarios: int = 200) -> float:
    """The 40-operation hourly model mix, in scenario-hours per second."""
    p = _RNG.uniform(1e6, 2e6, (scenarios, 3))
    dry = _A[:1] * 20 - 5
    start = time.perf_counter()
    rounds = 0
    while time.perf_counter() - start < seconds:
        for i in range(0, scenarios, 16):
            chunk = p[i:i + 16]
            _mix_chunk(chunk, dry, _B[i:i + len(chunk)])
        rounds += 1
    return rounds * scenarios * HOURS / (time.perf_counter() - start)


def bracketed(floor: Callable[[], float], work: Callable[[], float]) -> tuple[float, float]:
    """``work()`` (a throughput) and the mean of ``floor()`` measured just before and after."""
    before = floor()
    value = work()
    return value, (before + floor()) / 2


def median_of(runs: list[tuple[float, float]]) -> tuple[float, float, float]:
    """Median throughput, median floor and median of the per-run ratios."""
    return (statistics.median(v for v, _ in runs), statistics.median(f for _, f in runs),
            statistics.median(v / f for v, f in runs))
