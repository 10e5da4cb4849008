"""Benchmark: sub-hourly power traces (dcplanner power) against numpy's streaming floor.

Not a test: it prints throughput in scenario-steps per second, its ratio to the streaming
floor measured alongside (``bench/floors.py``: ``a * b + c``, element-operations per second)
and peak memory. Run it from the repository root:

    python bench/bench_power.py [--scenarios 1000] [--year]

Default: one hour of the built-in Paris site (18,144 GPUs) at 100 ms (36,000 steps) for
``--scenarios`` variants (iteration period, duty and communication draw varied). ``--year``:
a whole year at 1 s for one scenario, streamed in one-hour chunks.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from floors import stream

from dcplanner.config import load_resolved
from dcplanner.solvers.power import inputs, study_arrays


def variants(n: int, seed: int = 0) -> dict:
    """The study arrays of n Paris variants."""
    rng = np.random.default_rng(seed)
    p = inputs([load_resolved()])
    idx = np.zeros(n, dtype=int)
    q = {k: (v[idx] if isinstance(v, np.ndarray) else {kk: vv[idx] for kk, vv in v.items()})
         for k, v in p.items()}
    q["period_s"] = rng.uniform(1, 10, n)
    q["duty_frac"] = rng.uniform(0.5, 0.9, n)
    q["gpu_communication_w"] = q["gpu_compute_w"] * rng.uniform(0.3, 0.7, n)
    q["floor_tgp_frac"] = rng.uniform(0, 0.6, n)
    q["battery_ramp_w_per_s"] = rng.uniform(0.5e6, 5e6, n)
    q["battery_swing_w"] = rng.uniform(1e6, 5e6, n)
    return q


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scenarios", type=int, default=1000)
    ap.add_argument("--year", action="store_true")
    a = ap.parse_args()
    n, step_s, duration_s = (1, 1.0, 8760 * 3600.0) if a.year else (a.scenarios, 0.1, 3600.0)
    p = variants(n)
    study_arrays(variants(2), step_s, 60.0, ["warm"] * 2, keep_trace=False)
    baseline_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    before = stream()
    start = time.perf_counter()
    s = study_arrays(p, step_s, duration_s, ["paris"] * n, keep_trace=False)
    seconds = time.perf_counter() - start
    floor = (before + stream()) / 2
    steps = n * round(duration_s / step_s)
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{n:,} scenario(s) x {round(duration_s / step_s):,} steps of {step_s:g} s in "
          f"{seconds:.2f} s: {steps / seconds / 1e6:,.2f} M scenario-steps/s; numpy streaming "
          f"floor alongside {floor / 1e9:,.2f} G element-ops/s (engine: "
          f"{floor / (steps / seconds):,.0f} floor element-ops per scenario-step); peak "
          f"memory {rss_mib:,.0f} MiB ({baseline_mib:,.0f} MiB before the run: the floor's "
          f"arrays and the scenario); grid peak of the first {s.figures['grid_peak_mw'][0]:.2f}"
          " MW")


if __name__ == "__main__":
    main()
