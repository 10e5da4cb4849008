"""Benchmark: annual (8,760 h) simulations per second, batched vs one at a time.

Not a test: it prints throughput and peak memory. Run it from the repository root:

    python bench/bench_annual.py [--scenarios 10000] [--single 100] [--weather shared|shifted]

Scenarios are variants of the built-in Paris scenario (rack count, GPU TDP, liquid-loop supply
temperature) run through the built-in weather year. ``--weather shared`` gives them all the same
year (the weather and its wet bulb are computed once per chunk); ``shifted`` gives each its own
ambient shift (-2 to +2 K), so every scenario-hour has its own weather, as in a Monte Carlo
study. Three ways are timed: the batch (vectorized over scenarios and hours, in chunks), one
scenario at a time through the same engine (vectorized over hours only; ``--single`` sampled),
and a scalar loop over hours for one scenario (no vectorization; extrapolated from ``--hours``).
"""

from __future__ import annotations

import argparse
import dataclasses
import platform
import resource
import time

import numpy as np

from dcplanner.config import load_resolved
from dcplanner.engine import evaluate, flatten
from dcplanner.engine.annual import simulate
from dcplanner.engine.chain import facility_chain
from dcplanner.engine.hourly import scenario_hours
from dcplanner.models import climate


def variants(n: int, shifted: bool, seed: int = 0):
    """Parameter arrays and hourly inputs of n Paris variants."""
    rng = np.random.default_rng(seed)
    base = load_resolved()
    x = {key: np.repeat(value, n, axis=0) for key, value in flatten([base]).items()}
    x["count"][:, 0] = rng.integers(100, 300, n)
    x["gpu_tdp_w"][:, 0] = rng.uniform(1000, 1400, n)
    x["liquid_supply_c"] = rng.uniform(30, 45, n)
    x["liquid_return_c"] = x["liquid_supply_c"] + 10
    hours = scenario_hours(base.scenario)
    shifts = rng.uniform(-2, 2, n) if shifted else np.zeros(n)
    return x, [dataclasses.replace(hours, shift_k=float(s)) for s in shifts]


def scalar_hours(x, out, hours, count: int) -> float:
    """Seconds per scenario-year of a plain loop over hours, scenario 0 (for comparison)."""
    w = hours[0].weather
    one = {key: value[:1] for key, value in x.items()}
    start = time.perf_counter()
    for k in range(count):
        dry = np.array([w.dry_bulb_c[k]])
        wet = climate.wet_bulb_c(dry, climate.relative_humidity_frac(dry, w.dew_point_c[k]))
        facility_chain(one, out["operating_it_w"][:1], out["operating_liquid_heat_w"][:1],
                       dry, wet)
    return (time.perf_counter() - start) / count * w.hours


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", type=int, default=10_000)
    parser.add_argument("--single", type=int, default=100)
    parser.add_argument("--hours", type=int, default=500)
    parser.add_argument("--weather", choices=("shared", "shifted"), default="shared")
    args = parser.parse_args()

    x, hours = variants(args.scenarios, args.weather == "shifted")
    start = time.perf_counter()  # design point (IT load bounds) and the year, all scenarios
    out = evaluate(x)
    year = simulate(hours, x, out)
    batch_s = time.perf_counter() - start
    assert np.all(np.isfinite(year.values["pue"]))
    scenario_hours_total = args.scenarios * hours[0].weather.hours

    start = time.perf_counter()
    for i in range(args.single):
        one = {k: v[i:i + 1] for k, v in x.items()}
        simulate(hours[i:i + 1], one, evaluate(one))
    single_s = (time.perf_counter() - start) / args.single
    scalar_s = scalar_hours(x, out, hours, args.hours)

    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"machine: {platform.machine()}, python {platform.python_version()}, "
          f"numpy {np.__version__}; weather: {args.weather}")
    print(f"batched: {args.scenarios:,} scenario-years in {batch_s:.2f} s = "
          f"{scenario_hours_total / batch_s / 1e6:,.2f} M scenario-hours/s")
    print(f"one at a time (hours vectorized): {single_s * 1e3:.2f} ms per scenario-year "
          f"({args.single} sampled); batch speed-up {single_s * args.scenarios / batch_s:,.1f}x")
    print(f"scalar loop over hours: {scalar_s:.2f} s per scenario-year ({args.hours} hours "
          f"sampled); batch speed-up {scalar_s * args.scenarios / batch_s:,.0f}x")
    print(f"peak memory (max RSS): {peak_mib:,.0f} MiB")


if __name__ == "__main__":
    main()
