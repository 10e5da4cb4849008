"""Running a study: chunks in this process, a process pool or a Dask cluster, with resume.

Layout of the output folder::

    manifest.json         study hash, version, seed, cases, chunks, base grid [MW], status
    .lock                 held (flock) by the study running in the folder: one at a time
    chunks/chunk-NNNNNN.csv   one file per finished chunk, with its cases and checksum
                          (written atomically; see :mod:`dcplanner.study.chunks`)
    cases.csv             every case, in case order (and cases.parquet with pyarrow)
    summary.csv           count, mean, std and percentiles of each output
    sensitivity.csv       Spearman rank correlation of each varied input with each output
    sobol.csv             first and total Sobol indices (sobol designs, with SALib)

A chunk's rows depend only on the study and the chunk's cases, so the same study gives the same
rows whatever the executor or the number of workers, and an interrupted study resumes from
the finished chunks it verifies as its own without losing or repeating a row. Workers exit
when the study's process is gone, however it ended.
"""

from __future__ import annotations

import copy
import csv
import hashlib
import io
import json
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from difflib import get_close_matches
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from dcplanner import __version__
from dcplanner.config import Override, apply_overrides, blamed, scenario_data
from dcplanner.engine import output_names
from dcplanner.engine.outputs import find
from dcplanner.engine.params import object_array
from dcplanner.errors import ConfigError, PathError, Problem
from dcplanner.output import write_atomic
from dcplanner.solvers.plant import PARTS, RULE
from dcplanner.study.analysis import read_chunk, write_results
from dcplanner.study.cases import CaseBuilder, CaseTable
from dcplanner.study.chunks import chunk_problem, write_chunk
from dcplanner.study.columns import Column, concat
from dcplanner.study.design import Design, build_design, case_count
from dcplanner.study.spec import FIT_KINDS, POWER_UNITS, TRAIN_UNITS, StudySpec, read_study
from dcplanner.validation import validate

if TYPE_CHECKING:
    from distributed import LocalCluster

CHUNK_DIR = "chunks"
#: The file a running study holds locked in its folder (it holds the process id).
LOCK_FILE = ".lock"
#: How often a worker checks that the study's process is alive [s].
PARENT_POLL_S = 0.5
#: How long to try reaching a Dask scheduler [s] (Dask's own default).
DASK_CONNECT_TIMEOUT_S = 30
#: Studies above this many cases need an explicit go-ahead.
LARGE_STUDY_CASES = 1_000_000
#: Cost per case on one core of the reference machine, rounded up from bench/bench_study.py
#: (about 200 us per design-point case and 1.5 ms per annual case), for the start estimate.
SECONDS_PER_CASE = {"design": 2.5e-4, "annual": 1.6e-3}
#: Cost of a power study (``power:`` block) per case and trace step on one core, rounded up
#: from timing :func:`dcplanner.solvers.power.study` on this project's reference machine
#: (about 0.4 us per step: 15 ms for the default hour at 0.1 s, with smoothing, rack storage
#: and a battery), for the start estimate.
SECONDS_PER_POWER_STEP = 5e-7
#: Studies whose power studies exceed this many trace steps in all (cases x steps, about
#: 40 min on one core; 138,889 cases of the default hour at 0.1 s) need an explicit go-ahead.
LARGE_POWER_STEPS = 5e9
#: Memory per result cell while the cases are combined and analysed (a float's repr and its
#: share of the row's Python objects; an estimate, not measured per cell).
BYTES_PER_CELL = 40


class StudyError(ConfigError):
    """A study that cannot start or resume, at the argument of :func:`run_study` that is
    wrong (``out``, ``resume``, ``scheduler``, ``allow_large``)."""

    def __init__(self, argument: str, message: str):
        super().__init__([Problem.at_argument(argument, message)])


@dataclass(frozen=True)
class StudyJob:
    """Everything a worker needs to evaluate chunks: picklable, hashable by its text."""

    spec_json: str
    base_data_json: str
    folder: str | None

    @property
    def spec(self) -> StudySpec:
        return _spec(self.spec_json)

    @property
    def digest(self) -> str:
        text = json.dumps({"study": json.loads(self.spec_json),
                           "base": json.loads(self.base_data_json), "version": __version__},
                          sort_keys=True)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


@lru_cache(maxsize=4)
def _spec(spec_json: str) -> StudySpec:
    return validate(StudySpec, json.loads(spec_json))


@lru_cache(maxsize=4)
def _prepared(job: StudyJob) -> tuple[CaseBuilder, Design, CaseTable]:
    """The case builder, design and case table of a job, built once per process."""
    spec = job.spec
    folder = None if job.folder is None else Path(job.folder)
    builder = CaseBuilder(spec, json.loads(job.base_data_json), folder)
    design = build_design(spec)
    return builder, design, CaseTable(builder, spec, design)


def plant_notes(builder: CaseBuilder, table: CaseTable) -> list[str]:
    """How the plant followed the study's grid connections (:mod:`dcplanner.solvers.plant`)."""
    notes = list(builder.plant_notes)
    try:
        grids = np.asarray(table.design.columns["site.grid_mw"], dtype=float)
    except (KeyError, TypeError, ValueError):
        grids = np.zeros(0)
    if table.follows and np.any(grids > builder.base.site.grid_mw):
        kept = [PARTS[p] for p in PARTS if p in builder.kept]
        notes.append(f"site.grid_mw varied: cases above the base's "
                     f"{builder.base.site.grid_mw:g} MW grow the plant with it ({RULE})"
                     + (f", except {', '.join(kept)}, which the study sets" if kept else ""))
    return notes


def kinds(job: StudyJob) -> dict[str, str]:
    """The kind of each column of the cases (see :class:`~dcplanner.study.columns.Column`)."""
    spec = job.spec
    _, design, _ = _prepared(job)
    out = {"case": "int", "error": "text", **FIT_KINDS, **dict.fromkeys(TRAIN_UNITS, "float"),
           **dict.fromkeys(POWER_UNITS, "float")}
    out.update({p: Column.of_design(design.columns[p][:1]).kind for p in design.paths})
    out.update({key: find(key)[0].kind for key in spec.outputs})
    return out


def chunk_cases(count: int, size: int, k: int) -> range:
    return range(k * size, min((k + 1) * size, count))


def run_chunk(job: StudyJob, k: int) -> tuple[str, dict[str, Column]]:
    """The CSV rows (no header) of chunk ``k`` and its columns: the unit of work of every
    executor."""
    _, design, table = _prepared(job)
    spec = job.spec
    cases = chunk_cases(design.count, spec.chunk_size, k)
    outputs, errors = table.evaluate(cases)
    # No error is a missing value (empty in CSV, null in Parquet), as chunks read back give.
    error = Column.of("text", object_array([e or None for e in errors]))
    columns = {"case": Column.of("int", np.arange(cases.start, cases.stop)),
               **{p: Column.of_design(design.columns[p][cases.start:cases.stop])
                  for p in design.paths},
               **outputs, "error": error}
    return csv_text(spec.columns, columns), columns


def csv_text(names: list[str], columns: dict[str, Column]) -> str:
    """Rows (no header) of the named columns."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(
        zip(*(columns[name].cells() for name in names), strict=True))
    return buffer.getvalue()


def load_study(path: str | Path, *, allow_large: bool = False,
               overrides: Sequence[Override] = ()) -> StudyJob:
    """Read and check a study file: its size (refused above :data:`LARGE_STUDY_CASES` cases
    unless ``allow_large``, before any case is built), base scenario, values and outputs;
    ``overrides`` (``--set``) change the base scenario first, each problem with one named by
    the option that set it."""
    path = Path(path)
    spec, _ = read_study(path)
    check_size(spec, case_count(spec), allow_large)
    folder = path.parent
    try:
        if spec.base is None:
            base_data, _ = scenario_data(None)
        elif isinstance(spec.base, str):
            base_data, _ = scenario_data(folder / spec.base)
        else:
            base_data = copy.deepcopy(spec.base)
        origins = apply_overrides(base_data, overrides)
        job = StudyJob(spec.model_dump_json(), json.dumps(base_data, default=str), str(folder))
        with blamed("", origins):
            builder, design, _ = _prepared(job)
        problems = _check_paths(builder, spec, design) + _check_outputs(builder, spec)
        if problems:
            raise ConfigError(problems)
    except ConfigError as error:
        raise ConfigError(_located(p, str(path), spec) for p in error.problems) from None
    check_size(spec, design.count, allow_large, power_steps=power_steps(builder, spec))
    return job


def _located(p: Problem, study: str, spec: StudySpec) -> Problem:
    """A problem named by the file it is in: the base scenario's file for a field there, the
    study's ``base`` field when that file cannot be read, else the study file."""
    if p.source and p.source != study and not p.path:
        return Problem(study, "base", f"{p.source}: {p.message}")
    return Problem(p.source or study, _where(p.path, spec), p.message)


def _where(path: str, spec: StudySpec) -> str:
    """A problem's path inside the study file: under ``set`` when a fixed override caused it,
    ``outputs`` as is, else under ``base``."""
    if not path or path.split(".")[0] in ("outputs", "base", "grid", "zip", "sample", "set"):
        return path
    for key in spec.set:
        if path == key or path.startswith(key + "."):
            return f"set.{key}"
    return f"base.{path}"


def _check_paths(builder: CaseBuilder, spec: StudySpec, design: Design) -> list[Problem]:
    """Every varied path names a field of the scenario (tried with its first value)."""
    blocks = {**dict.fromkeys(spec.grid, "grid"), **dict.fromkeys(spec.zip, "zip"),
              **dict.fromkeys(spec.sample.parameters if spec.sample else (), "sample")}
    problems = []
    for path, block in blocks.items():
        where = f"{block}.{path}" if block != "sample" else f"sample.parameters.{path}"
        try:
            builder.scenario({path: design.overrides(0)[path]})
        except PathError as error:
            problems += [Problem("", where, f"no such scenario field: {p.path}: {p.message}")
                         for p in error.problems]
        except ConfigError as error:
            problems += [Problem("", where, f"no such scenario field: {p.message}")
                         for p in error.problems if p.message.startswith("unknown field")
                         and (p.path == path or p.path.startswith(path + ".")
                              or path.startswith(p.path + "."))]
    return problems


def _check_outputs(builder: CaseBuilder, spec: StudySpec) -> list[Problem]:
    """Every output names a value of a run's result (the base scenario's deployments)."""
    base = builder.resolved
    keys = output_names(annual=spec.annual, deployments=len(base.deployments),
                        plants={base.scenario.cooling.plant})
    known = set(keys)
    problems = []
    for k, key in enumerate(spec.outputs):
        if key in known:
            continue
        close = get_close_matches(key, keys, n=3)
        hint = f"; close: {', '.join(close)}" if close else ""
        why = " (annual: false)" if key.startswith(("annual.", "economics.", "carbon.")) \
            and not spec.annual else ""
        problems.append(Problem("", f"outputs.{k}", f"'{key}' is not a result{why}{hint}"))
    return problems


def study_cases(job: StudyJob) -> int:
    """How many cases a study has."""
    return _prepared(job)[1].count


def study_estimate(job: StudyJob, count: int) -> tuple[float, float]:
    """Rough time [s] and memory [bytes] of a study of ``count`` cases."""
    return _estimate(job.spec, count, power_steps(_prepared(job)[0], job.spec))


def power_steps(builder: CaseBuilder, spec: StudySpec) -> int:
    """Trace steps of one case's power study, at the base scenario's ``power.step_s`` and
    ``duration_s`` (0 without a ``power:`` block)."""
    if not spec.power:
        return 0
    from dcplanner.solvers.power import chunks  # the power study's own step count

    p = builder.base.power
    return sum(steps for _, steps in chunks(p.duration_s, p.step_s))


def _estimate(spec: StudySpec, count: int, power_steps: int = 0) -> tuple[float, float]:
    seconds = count * (SECONDS_PER_CASE["annual" if spec.annual else "design"]
                       + power_steps * SECONDS_PER_POWER_STEP)
    return seconds, count * len(spec.columns) * BYTES_PER_CELL


def check_size(spec: StudySpec, count: int, allow_large: bool, *,
               power_steps: int = 0) -> None:
    """Refuse without ``allow_large`` a study of more than :data:`LARGE_STUDY_CASES` cases,
    or whose power studies trace more than :data:`LARGE_POWER_STEPS` steps in all
    (``power_steps`` per case)."""
    if allow_large:
        return
    if count > LARGE_STUDY_CASES:
        seconds, memory = _estimate(spec, count, power_steps)
        raise StudyError("allow_large", f"{count:,} cases (about {seconds / 3600:,.1f} h and "
                         f"{memory / 2**30:,.1f} GiB of results on one core): re-run with "
                         "{allow_large} to start it")
    if count * power_steps > LARGE_POWER_STEPS:
        seconds, _ = _estimate(spec, count, power_steps)
        raise StudyError("allow_large", f"{count:,} cases of a power study of {power_steps:,} "
                         f"steps each (about {seconds / 3600:,.1f} h on one core): re-run "
                         "with {allow_large} to start it")


def run_study(
    job: StudyJob, out: str | Path, *, workers: int = 1, scheduler: str | None = None,
    resume: bool = False, progress: Callable[[int], None] | None = None,
    allow_large: bool = False,
) -> dict:
    """Run (or resume) a study into folder ``out``; returns the manifest."""
    spec = job.spec
    out = Path(out)
    if resume and not (out / "manifest.json").exists():
        raise StudyError("resume", f"{out} holds no study to resume")
    check_size(spec, case_count(spec), allow_large,
               power_steps=power_steps(_prepared(job)[0], spec))
    try:
        (out / CHUNK_DIR).mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StudyError("out", f"{out}: cannot write there: {error.strerror or error}") \
            from None
    with folder_lock(out):
        return _run_locked(job, out, workers, scheduler, resume, progress)


@contextmanager
def folder_lock(out: Path) -> Iterator[None]:
    """Hold the study folder ``out`` for this process: a second study on it is refused. The
    lock is the kernel's (flock), so a study killed in any way releases it."""
    import fcntl

    path = out / LOCK_FILE
    try:
        handle = path.open("a+", encoding="utf-8")
    except OSError as error:
        raise StudyError("out", f"{out}: cannot write there: {error.strerror or error}") \
            from None
    with handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "?"
            raise StudyError("out", f"{out} is in use by another study (process {holder}); "
                             "wait for it to finish, or choose another {out}") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        yield


def _run_locked(job: StudyJob, out: Path, workers: int, scheduler: str | None, resume: bool,
                progress: Callable[[int], None] | None) -> dict:
    spec = job.spec
    builder, design, table = _prepared(job)
    manifest_path = out / "manifest.json"
    if manifest_path.exists():
        try:
            old = json.loads(manifest_path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise StudyError("out", f"{manifest_path}: not a study manifest ({error}); choose "
                             "another {out}") from None
        if not resume:
            raise StudyError("out", f"{out} already holds a study ('{old.get('name')}'); "
                             "use {resume} to continue it, or choose another folder")
        if old.get("study_hash") != job.digest:
            raise StudyError("resume", f"the study changed since {out} was started (hash "
                             f"{str(old.get('study_hash', '?'))[:12]} then, {job.digest[:12]} "
                             "now: its file, its base scenario or dcplanner's version); start "
                             "it again in a new {out} folder")
    chunks = -(-design.count // spec.chunk_size)

    def cases(k: int) -> range:
        return chunk_cases(design.count, spec.chunk_size, k)

    manifest = {
        "name": spec.name, "study_hash": job.digest, "dcplanner_version": __version__,
        "seed": spec.sample.seed if spec.sample else None,
        "method": spec.sample.method if spec.sample else None,
        "cases": design.count, "chunk_size": spec.chunk_size, "chunks": chunks,
        "grid_mw": builder.base.site.grid_mw,
        "status": "running", "started": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    created = not manifest_path.exists()
    try:
        write_atomic(manifest_path, json.dumps(manifest, indent=2) + "\n")
    except OSError as error:
        raise StudyError("out", f"{out}: cannot write there: {error.strerror or error}") \
            from None
    # A resumed study uses only the chunks it can verify as its own; a new one, none.
    kept: dict[int, str] = {}
    recomputed = []
    for k in range(chunks) if resume else ():
        problem, body = chunk_problem(_chunk_path(out, k), k, cases(k))
        if problem is None:
            kept[k] = body
        elif problem != "missing":
            recomputed.append(f"chunk {k} was recomputed: {problem}")
    pending = [k for k in range(chunks) if k not in kept]
    if progress:
        progress(sum(len(cases(k)) for k in kept))

    columns: dict[int, dict[str, Column]] = {}

    def done(k: int, result: tuple[str, dict[str, Column]]) -> None:
        text, columns[k] = result
        write_chunk(_chunk_path(out, k), k, cases(k), text)
        if progress:
            progress(len(cases(k)))

    try:
        try:
            _execute(job, pending, workers, scheduler, done)
        except StudyError:
            # A scheduler that cannot be reached ran nothing: a new study leaves no folder
            # that claims to hold it, so that the same command can simply be run again.
            if created and not columns:
                manifest_path.unlink(missing_ok=True)
            raise
        for k, body in kept.items():  # chunks finished before a resume are read back
            columns[k] = read_chunk(body, spec.columns, kinds(job))
        cols = {name: concat([columns[k][name] for k in range(chunks)])
                for name in spec.columns}
        files, notes = write_results(spec, design, out,
                                     [_chunk_path(out, k) for k in range(chunks)], cols,
                                     job.digest)
        manifest.update(status="complete",
                        finished=datetime.now(UTC).isoformat(timespec="seconds"),
                        files=files, notes=recomputed + notes + plant_notes(builder, table))
        write_atomic(manifest_path, json.dumps(manifest, indent=2) + "\n")
    except OSError as error:  # disk full, folder removed or made read-only under the study
        raise StudyError("out", f"{out}: cannot write: {error.strerror or error}; the chunks "
                         "finished so far are kept: make room, then continue with "
                         "{resume}") from None
    return manifest


def _chunk_path(out: Path, k: int) -> Path:
    return out / CHUNK_DIR / f"chunk-{k:06d}.csv"


def _execute(job: StudyJob, pending: list[int], workers: int, scheduler: str | None,
             done: Callable[[int, tuple], None]) -> None:
    """Evaluate the pending chunks with the chosen executor; ``done`` gets each result."""
    if scheduler is not None:
        _execute_dask(job, pending, workers, scheduler, done)
    elif workers <= 1:
        for k in pending:
            done(k, run_chunk(job, k))
    else:
        pool = ProcessPoolExecutor(max_workers=workers, initializer=_die_with)
        try:
            futures = {pool.submit(run_chunk, job, k): k for k in pending}
            for future in as_completed(futures):
                try:
                    result = future.result()
                except BrokenProcessPool:
                    raise StudyError("workers", "a worker process died (killed, or out of "
                                     "memory); finished chunks are kept: continue with "
                                     "{resume}") from None
                done(futures[future], result)
        except BaseException:
            # Interrupted or failed: stop the workers now, not after their running chunks.
            processes = list((getattr(pool, "_processes", None) or {}).values())
            pool.shutdown(wait=False, cancel_futures=True)
            for process in processes:
                process.kill()
            raise
        pool.shutdown(wait=True)


def _die_with() -> None:
    """Worker initializer: exit as soon as the process that started the worker is gone (the
    study or, with the forkserver start method, the fork server, which ends with the study),
    so that no worker outlives the study or holds its standard output open, however the study
    ended (SIGKILL, or without shutting the pool down). The parent is polled every
    :data:`PARENT_POLL_S`. Ctrl-C and SIGTERM are the study's to handle (it stops its
    workers): a worker ignores Ctrl-C, sent to the whole terminal's process group, and dies on
    SIGTERM without a traceback."""
    parent = os.getppid()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_POLL_S)
        os._exit(1)

    threading.Thread(target=watch, name="die-with-parent", daemon=True).start()


def local_cluster(workers: int) -> LocalCluster:
    """A Dask LocalCluster of ``workers`` single-threaded worker processes."""
    import dask
    from distributed import LocalCluster

    # The nanny sets MALLOC_TRIM_THRESHOLD_=65536 for its workers, which turns off glibc's
    # dynamic mmap threshold: every (16, 8760) temporary of the annual engine is then a fresh
    # mmap, with ten times the page faults and 2-2.5x slower chunks (measured); unset it, so
    # that they run as the workers of a process pool do.
    with dask.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}):
        return LocalCluster(n_workers=max(workers, 1), threads_per_worker=1, processes=True,
                            dashboard_address=None)


def _execute_dask(job: StudyJob, pending: list[int], workers: int, scheduler: str,
                  done: Callable[[int, tuple], None]) -> None:
    """Chunks as tasks on a Dask cluster (``local``: a LocalCluster of ``workers``)."""
    try:
        from distributed import Client
        from distributed import as_completed as dask_completed
    except ImportError:
        raise StudyError("scheduler", "needs Dask: pip install 'dcplanner[dask]'") from None
    cluster = None
    if scheduler == "local":
        cluster = local_cluster(workers)
        address: Any = cluster
    else:
        address = scheduler
    try:
        try:
            client = Client(address, timeout=DASK_CONNECT_TIMEOUT_S)
        except (OSError, ValueError) as error:  # unreachable, or not an address
            raise StudyError("scheduler", f"{scheduler}: cannot connect: {error}") from None
        with client:
            futures = client.map(run_chunk, [job] * len(pending), pending, pure=False)
            keys = {f.key: k for f, k in zip(futures, pending, strict=True)}
            for future in dask_completed(futures):
                done(keys[future.key], future.result())
    finally:
        if cluster is not None:
            cluster.close()
