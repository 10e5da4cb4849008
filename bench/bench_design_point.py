"""Benchmark: design-point cases per second against numpy's streaming floor measured alongside.

Not a test: it prints throughput, its ratio to the multiply+add floor (``bench/floors.py``)
measured just before and after each repetition, the one-at-a-time rate, and peak memory. Run
it from the repository root:

    python bench/bench_design_point.py [--cases 100000] [--single 200] [--reps 5]

Cases are variants of the built-in Paris scenario (rack count, GPU TDP, ambient) evaluated by
the vectorized engine, as one batch and scenario by scenario (a sample of ``--single``).
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
from floors import bracketed, median_of, stream

from dcplanner.config import load_resolved
from dcplanner.engine import evaluate, flatten
from dcplanner.engine.params import rows


def variants(n: int, seed: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rows(flatten([load_resolved()]), np.zeros(n, dtype=int))
    x["count"][:, 0] = rng.integers(1, 400, n)
    x["gpu_tdp_w"][:, 0] = rng.uniform(800, 1400, n)
    x["design_dry_bulb_c"] = rng.uniform(25, 45, n)
    return x


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--single", type=int, default=200)
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args()

    x = variants(args.cases)
    evaluate(rows(x, range(16)))  # warm

    def batch() -> float:
        start = time.perf_counter()
        evaluate(x)
        return args.cases / (time.perf_counter() - start)

    runs = [bracketed(stream, batch) for _ in range(args.reps)]
    speed, floor, ratio = median_of(runs)
    start = time.perf_counter()
    for i in range(args.single):
        evaluate(rows(x, [i]))
    single = args.single / (time.perf_counter() - start)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"machine: {platform.machine()}, python {platform.python_version()}, "
          f"numpy {np.__version__}")
    print(f"batched: {args.cases:,} cases, {speed:,.0f} cases/s, median of {args.reps}")
    print(f"streaming floor (a * b + c) alongside: {floor / 1e9:,.2f} G element-ops/s; "
          f"cases/s per G element-op/s = {ratio * 1e9:,.0f}")
    print(f"one at a time: {single:,.0f} cases/s ({args.single} sampled); the batch is "
          f"{speed / single:,.0f}x faster")
    print(f"peak memory (max RSS): {peak_mib:,.0f} MiB")


if __name__ == "__main__":
    main()
