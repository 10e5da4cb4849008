"""Benchmark: study throughput, design-point and annual, on 1 and 2 workers.

Not a test: it prints cases per second and peak memory. Run from the repository root:

    python bench/bench_study.py [--design 100000] [--annual 10000] [--workers 1 2]

Each run is a Latin-hypercube study of the built-in Paris scenario (GPU operating power,
design ambient, liquid supply temperature and, unless --no-catalog, the GB200 TDP, a catalog
field whose change re-merges the catalog per case; the annual study adds a weather shift,
so every case has its own weather year), written to a temporary folder through the same code
as `dcplanner study`. Peak memory is the largest resident set of this process or of one
worker process.
"""

from __future__ import annotations

import argparse
import platform
import resource
import tempfile
import time
from pathlib import Path

import numpy as np

from dcplanner.study import load_study, run_study

STUDY = """
name: bench {kind}
sample:
  method: lhs
  n: {n}
  seed: 1
  parameters:
    workload.operating_power_frac: {{dist: uniform, low: 0.7, high: 0.9}}
    site.design_ambient_c: {{dist: uniform, low: 30, high: 45}}
    cooling.liquid.supply_c: {{dist: uniform, low: 30, high: 40}}
    {catalog}
    {extra}
annual: {annual}
outputs: [facility_peak_mw, feasible, gpus, pue_design{annual_outputs}]
chunk_size: {chunk}
"""


def peak_mib() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def bench(kind: str, n: int, workers: int, catalog: bool) -> None:
    annual = kind == "annual"
    text = STUDY.format(
        kind=kind, n=n, annual=str(annual).lower(),
        catalog="catalog.accelerators.gb200.tdp_w: {dist: uniform, low: 1000, high: 1400}"
        if catalog else "",
        extra="weather.shift_k: {dist: normal, mean: 0.5, sd: 0.5}" if annual else "",
        annual_outputs=", annual.pue, annual.facility_mwh" if annual else "",
        chunk=500 if annual else 5000,
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "study.yaml"
        path.write_text(text, encoding="utf-8")
        start = time.perf_counter()
        job = load_study(path)
        manifest = run_study(job, Path(folder) / "out", workers=workers)
        seconds = time.perf_counter() - start
    varied = "with" if catalog else "without"
    print(f"{kind:>6} ({varied} a catalog parameter): {manifest['cases']:,} cases, {workers} "
          f"worker(s): {seconds:.2f} s = "
          f"{manifest['cases'] / seconds:,.0f} cases/s; peak memory {peak_mib():,.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--design", type=int, default=100_000)
    parser.add_argument("--annual", type=int, default=10_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--no-catalog", action="store_true",
                        help="Leave the GB200 TDP (a catalog field) out of the varied inputs.")
    args = parser.parse_args()
    catalog = not args.no_catalog
    print(f"machine: {platform.machine()}, python {platform.python_version()}, "
          f"numpy {np.__version__}")
    for workers in args.workers:
        bench("design", args.design, workers, catalog)
    for workers in args.workers:
        bench("annual", args.annual, workers, catalog)


if __name__ == "__main__":
    main()
