"""Benchmark: annual (8,760 h) simulations per second against numpy floors measured alongside.

Not a test: it prints throughput, its ratio to the 40-operation model-mix floor
(``bench/floors.py``) measured just before and after each repetition, and peak memory. Run it
from the repository root:

    python bench/bench_annual.py [--scenarios 10000] [--weather shared|shifted] [--reps 3]

Scenarios are variants of the built-in Paris scenario (rack count, GPU TDP, liquid-loop supply
temperature) through the built-in weather year. ``--weather shared`` gives them all the same
year (its wet bulb is computed once per chunk); ``shifted`` gives each its own ambient shift
(-2 to +2 K), so that every scenario-hour has its own weather, as in a Monte Carlo study.
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", type=int, default=10_000)
    parser.add_argument("--weather", choices=("shared", "shifted"), default="shifted")
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()

    x, hours = variants(args.scenarios, args.weather == "shifted")
    simulate(hours[:16], rows(x, range(16)), evaluate(rows(x, range(16))))  # warm
    hours_total = args.scenarios * hours[0].weather.hours

    def engine() -> float:
        start = time.perf_counter()
        simulate(hours, x, evaluate(x))
        return hours_total / (time.perf_counter() - start)

    runs = [bracketed(model_mix, engine) for _ in range(args.reps)]
    speed, floor, ratio = median_of(runs)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"machine: {platform.machine()}, python {platform.python_version()}, "
          f"numpy {np.__version__}; weather: {args.weather}")
    print(f"annual engine: {args.scenarios:,} scenario-years, {speed / 1e6:,.2f} M "
          f"scenario-hours/s ({hours_total / speed:.2f} s), median of {args.reps}")
    print(f"model-mix floor (40 ops per scenario-hour) alongside: {floor / 1e6:,.2f} M "
          f"scenario-hours/s; engine / floor = {ratio:.2f} (runs: "
          + ", ".join(f"{v / f:.2f}" for v, f in runs) + ")")
    print(f"peak memory (max RSS): {peak_mib:,.0f} MiB")


if __name__ == "__main__":
    main()
