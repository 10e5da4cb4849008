"""Benchmark: annual (8,760 h) simulations per second against numpy floors measured alongside.

Not a test: it prints throughput, its ratio to the 40-operation model-mix floor
(``bench/floors.py``) and peak memory. The machine's speed drifts within seconds (a shared VM),
so the batch runs in slices of ``--slice`` scenarios, each bracketed by the floor measured just
before and after it; the ratio printed is the median over slices, with its range. Run it from
the repository root:

    python bench/bench_annual.py [--scenarios 10000] [--weather shared|shifted|both] [--reps 3]

Scenarios are variants of the built-in Paris scenario (rack count, GPU TDP, liquid-loop supply
temperature) through the built-in weather year. ``--weather shared`` gives them all the same
year (its wet bulb is computed once per batch); ``shifted`` gives each its own ambient shift
(-2 to +2 K), so that every scenario-hour has its own weather, as in a Monte Carlo study;
``both`` (the default) runs one after the other.
"""

from __future__ import annotations

import argparse
import platform
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from floors import bracketed, median_of, model_mix

from dcplanner.config import load_resolved
from dcplanner.engine import evaluate, flatten
from dcplanner.engine.annual import simulate
from dcplanner.engine.hourly import scenario_hours
from dcplanner.engine.params import rows


def variants(n: int, shifted: bool, seed: int = 0):
    """Parameter arrays and hourly inputs of n Paris variants."""
    rng = np.random.default_rng(seed)
    base = load_resolved()
    x = rows(flatten([base]), np.zeros(n, dtype=int))
    x["count"][:, 0] = rng.integers(100, 300, n)
    x["gpu_tdp_w"][:, 0] = rng.uniform(1000, 1400, n)
    x["liquid_supply_c"] = rng.uniform(30, 45, n)
    x["liquid_return_c"] = x["liquid_supply_c"] + 10
    x["shift_k"] = rng.uniform(-2, 2, n) if shifted else np.zeros(n)
    return x, [scenario_hours(base.scenario)] * n


def measure(n: int, shifted: bool, reps: int, slice_size: int) -> None:
    """Print the engine's throughput on n scenarios and its ratio to the floor."""
    x, hours = variants(n, shifted)
    simulate(hours[:16], rows(x, range(16)), evaluate(rows(x, range(16))))  # warm
    runs, elapsed_s = [], []
    for _ in range(reps):
        for start in range(0, n, slice_size):
            part = range(start, min(start + slice_size, n))
            xs = rows(x, part)
            hours_part = hours[part.start:part.stop]

            def engine(xs=xs, hours_part=hours_part) -> float:
                begin = time.perf_counter()
                simulate(hours_part, xs, evaluate(xs))
                seconds = time.perf_counter() - begin
                elapsed_s.append(seconds)
                return len(hours_part) * hours_part[0].weather.hours / seconds

            runs.append(bracketed(model_mix, engine))
    hours_total = n * hours[0].weather.hours
    speed = hours_total * reps / sum(elapsed_s)
    _, floor, ratio = median_of(runs)
    ratios = sorted(v / f for v, f in runs)
    print(f"weather {'shifted' if shifted else 'shared'}: {n:,} scenario-years in "
          f"{sum(elapsed_s) / reps:.2f} s, {speed / 1e6:,.2f} M scenario-hours/s (mean of "
          f"{reps}); model-mix floor alongside {floor / 1e6:,.2f} M scenario-hours/s; "
          f"engine / floor = {ratio:.2f} (median of {len(runs)} slices of {slice_size:,}; "
          f"range {ratios[0]:.2f}-{ratios[-1]:.2f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", type=int, default=10_000)
    parser.add_argument("--weather", choices=("shared", "shifted", "both"), default="both")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--slice", type=int, default=1_000,
                        help="scenarios per timed slice, each between two floor runs")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, python {platform.python_version()}, "
          f"numpy {np.__version__}")
    for mode in (("shared", "shifted") if args.weather == "both" else (args.weather,)):
        measure(args.scenarios, mode == "shifted", args.reps, args.slice)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (max RSS): {peak_mib:,.0f} MiB")


if __name__ == "__main__":
    main()
