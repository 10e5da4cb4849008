"""Benchmark: batch studies end to end, against numpy's streaming floor measured alongside.

Not a test: it prints wall time, cases per second, the multiply+add floor of
``bench/floors.py`` measured just before and after, and peak memory. Run it from the
repository root:

    python bench/bench_study.py [--only design|large|annual|dask] [--design 100000]
        [--large 1000000] [--annual 10000] [--workers 2]

- design: a Latin-hypercube study of the built-in Paris scenario varying GPU operating power,
  design ambient, liquid supply temperature and the GB200 TDP (a catalog field), design point
  only, from load_study to cases.csv, cases.parquet and the summary, in this process;
- large: the same with --large cases on --workers processes (peak memory of this process and
  of the largest worker);
- annual: an annual study where every case has its own weather (a climate shift varied) on
  --workers processes;
- dask: that annual study's chunk timed inside a worker of a Dask LocalCluster and in this
  process, to compare the time per chunk.
"""

from __future__ import annotations

import argparse
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from floors import stream

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
    catalog.accelerators.gb200.tdp_w: {{dist: uniform, low: 1000, high: 1400}}
    {extra}
annual: {annual}
outputs: [facility_peak_mw, feasible, gpus, pue_design{annual_outputs}]
chunk_size: {chunk}
"""


def study_file(folder: Path, kind: str, n: int, annual: bool, chunk: int) -> Path:
    path = folder / f"{kind}.yaml"
    path.write_text(STUDY.format(
        kind=kind, n=n, annual=str(annual).lower(), chunk=chunk,
        extra="weather.shift_k: {dist: normal, mean: 0.5, sd: 0.5}" if annual else "",
        annual_outputs=", annual.pue, annual.facility_mwh" if annual else ""), encoding="utf-8")
    return path


def peak_mib() -> tuple[float, float]:
    """Largest resident set of this process and of any finished child [MiB]."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return own / 1024, children / 1024


def timed_study(path: Path, out: Path, workers: int) -> tuple[int, float]:
    floor_before = stream()
    start = time.perf_counter()
    manifest = run_study(load_study(path), out, workers=workers)
    seconds = time.perf_counter() - start
    floor = (floor_before + stream()) / 2
    print(f"  {manifest['cases']:,} cases, {workers} worker(s): {seconds:.2f} s = "
          f"{manifest['cases'] / seconds:,.0f} cases/s; streaming floor alongside "
          f"{floor / 1e9:.2f} G element-ops/s")
    return manifest["cases"], seconds


def chunk_seconds(path: str, k: int) -> float:
    """Time one chunk of a study where it runs (its job prepared first)."""
    from dcplanner.study.runner import _prepared, run_chunk

    job = load_study(path)
    _prepared(job)
    run_chunk(job, 0)  # warm
    start = time.perf_counter()
    run_chunk(job, k)
    return time.perf_counter() - start


def dask_chunk(path: Path, workers: int) -> None:
    """Chunks timed one at a time (nothing else running): in this process, then in a worker
    of the LocalCluster the study command starts, then with the nanny's default environment."""
    import dask
    from distributed import Client, LocalCluster

    from dcplanner.study.runner import local_cluster

    def on(cluster) -> list[float]:
        with cluster, Client(cluster) as client:
            return [client.submit(chunk_seconds, str(path), k, pure=False).result()
                    for k in range(1, 4)]

    local = [chunk_seconds(str(path), k) for k in range(1, 4)]
    ours = on(local_cluster(workers))
    with dask.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": 65536}):
        default = on(LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                  dashboard_address=None))
    print(f"  one annual chunk (median of 3, one at a time): {np.median(local):.2f} s in this "
          f"process, {np.median(ours):.2f} s in a Dask worker as the study starts it (ratio "
          f"{np.median(ours) / np.median(local):.2f}), {np.median(default):.2f} s with the "
          f"nanny's default MALLOC_TRIM_THRESHOLD_ (ratio "
          f"{np.median(default) / np.median(local):.2f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("design", "large", "annual", "dask"))
    parser.add_argument("--design", type=int, default=100_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--annual", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, python {platform.python_version()}, "
          f"numpy {np.__version__}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if args.only in (None, "design"):
            print("design point, a catalog field varied, in process:")
            timed_study(study_file(folder, "design", args.design, False, 5000),
                        folder / "design", 1)
        if args.only in (None, "large"):
            print("design point, chunked, on worker processes:")
            timed_study(study_file(folder, "large", args.large, False, 50_000),
                        folder / "large", args.workers)
            own, child = peak_mib()
            print(f"  peak memory: {own:,.0f} MiB in this process, {child:,.0f} MiB in the "
                  "largest worker")
        annual = study_file(folder, "annual", args.annual, True, 500)
        if args.only in (None, "annual"):
            print("annual, every case its own weather, on worker processes:")
            timed_study(annual, folder / "annual", args.workers)
        if args.only in (None, "dask"):
            print("annual chunk of 500 cases, in process and on Dask:")
            dask_chunk(annual, args.workers)


if __name__ == "__main__":
    main()
