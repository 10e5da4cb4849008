"""Benchmark: design-point cases per second, batched vs one at a time.

Not a test: it prints throughput and peak memory. Run it from the repository root:

    python bench/bench_design_point.py [--cases 100000] [--single 200]

Cases are variants of the built-in Paris scenario (rack count, GPU TDP, ambient) evaluated by
the same vectorized engine, once as one batch and once scenario by scenario (a sample of
``--single`` cases, extrapolated).
"""

from __future__ import annotations

import argparse
import platform
import resource
import time

import numpy as np

from dcplanner.config import load_resolved
from dcplanner.engine import evaluate, flatten


def variants(n: int, seed: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    base = flatten([load_resolved()])
    x = {key: np.repeat(value, n, axis=0) for key, value in base.items()}
    x["count"][:, 0] = rng.integers(1, 400, n)
    x["gpu_tdp_w"][:, 0] = rng.uniform(800, 1400, n)
    x["design_dry_bulb_c"] = rng.uniform(25, 45, n)
    return x


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--single", type=int, default=200)
    args = parser.parse_args()

    x = variants(args.cases)
    start = time.perf_counter()
    evaluate(x)
    batch_s = time.perf_counter() - start

    start = time.perf_counter()
    for i in range(args.single):
        evaluate({key: value[i : i + 1] for key, value in x.items()})
    single_s = (time.perf_counter() - start) / args.single

    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"machine: {platform.machine()}, python {platform.python_version()}, "
          f"numpy {np.__version__}")
    print(f"batched: {args.cases:,} cases in {batch_s:.3f} s = {args.cases / batch_s:,.0f} cases/s")
    print(f"one at a time: {1 / single_s:,.0f} cases/s ({args.single} sampled)")
    print(f"speed-up of the batch: {single_s * args.cases / batch_s:,.0f}x")
    print(f"peak memory (max RSS): {peak_mib:,.0f} MiB")


if __name__ == "__main__":
    main()
