"""A finished study's tables: all cases, summary statistics and sensitivities, from arrays.

The analysis reads the cases' columns (:class:`~dcplanner.study.columns.Column`): numbers as
float arrays (NaN where a case has none) and anything else as its CSV text, the category it
is counted under; a chunk finished before a resume is read back into the same columns.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
from collections.abc import Iterable
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from dcplanner import __version__
from dcplanner.output import csv_text, write_atomic
from dcplanner.output.files import commit, temporary
from dcplanner.study.chunks import chunk_body
from dcplanner.study.columns import Column, arrow, from_cells
from dcplanner.study.design import Design
from dcplanner.study.spec import StudySpec, column_units

#: Percentiles in the summary.
PERCENTILES = (5, 10, 50, 90, 95)


def table(text: str) -> dict[str, list[str]]:
    """CSV text as columns of strings."""
    reader = csv.reader(io.StringIO(text))
    names = next(reader)
    columns = list(zip(*reader, strict=True)) or [() for _ in names]
    return {name: list(cells) for name, cells in zip(names, columns, strict=True)}


def numeric(cells: list[str]) -> NDArray | None:
    """A float column from CSV text (booleans as 0/1, empty as NaN), or None if any cell is
    text."""
    try:
        return np.asarray(cells, dtype=float)  # the common case, parsed in C
    except ValueError:
        pass
    values = np.empty(len(cells))
    for i, text in enumerate(cells):
        if text == "":
            values[i] = np.nan
        elif text in ("True", "False"):
            values[i] = text == "True"
        else:
            try:
                values[i] = float(text)
            except ValueError:
                return None
    return values


def read_chunk(body: str, names: list[str], kinds: dict[str, str]) -> dict[str, Column]:
    """A chunk's CSV rows (no header) read back into columns (a study resumed)."""
    cols = table(",".join(names) + "\n" + body)
    return {name: from_cells(kinds[name], cols[name]) for name in names}


def summary_rows(cols: dict[str, NDArray], outputs: list[str]) -> list[dict]:
    """Count, mean, std (n - 1), min, percentiles and max of each numeric output over the cases
    that ran; a text output gets one row per value with its share."""
    ok = cols["error"] == ""
    rows = []
    for name in outputs:
        values = cols[name]
        if values.dtype == object:
            cells = values[ok].tolist()
            for value in sorted(set(cells)):
                rows.append({"output": f"{name}={value}", "count": cells.count(value),
                             "mean": cells.count(value) / len(cells)})
            continue
        v = values[ok & ~np.isnan(values)]
        row: dict = {"output": name, "count": int(v.size)}
        if v.size:
            row.update(mean=float(v.mean()), std=float(v.std(ddof=1)) if v.size > 1 else 0.0,
                       min=float(v.min()), max=float(v.max()))
            row.update({f"p{q}": float(np.percentile(v, q)) for q in PERCENTILES})
        rows.append(row)
    return rows


def rank(a: NDArray) -> NDArray:
    """Ranks from 1, ties given their average rank (as ``scipy.stats.rankdata``)."""
    order = np.argsort(a, kind="mergesort")
    ordered = a[order]
    first = np.r_[True, ordered[1:] != ordered[:-1]]
    group = np.cumsum(first)
    bounds = np.r_[np.flatnonzero(first), a.size]
    ranks = np.empty(a.size)
    ranks[order] = 0.5 * (bounds[group] + bounds[group - 1] + 1)
    return ranks


def spearman(x: NDArray, y: NDArray, *, ranked: bool = False) -> tuple[float, float]:
    """Spearman's rank correlation and its two-sided p-value (t distribution with n - 2
    degrees of freedom), as ``scipy.stats.spearmanr`` computes them (C. Spearman, "The proof
    and measurement of association between two things", Am. J. Psychol. 15, 1904);
    ``ranked``: ``x`` and ``y`` are already ranks."""
    from scipy.special import stdtr

    rho = float(np.corrcoef(x if ranked else rank(x), y if ranked else rank(y))[0, 1])
    dof = x.size - 2
    t = rho * math.sqrt(max(dof / ((rho + 1.0) * (1.0 - rho)), 0.0)) if abs(rho) < 1 \
        else math.copysign(math.inf, rho)
    return rho, float(2 * stdtr(dof, -abs(t)))


def spearman_rows(cols: dict[str, NDArray], inputs: list[str],
                  outputs: list[str]) -> list[dict]:
    """Spearman rank correlation (and its p-value) of every numeric varied input with every
    numeric output, over the cases that ran."""
    ok = cols["error"] == ""
    ranks: dict[tuple[str, bytes], NDArray] = {}

    def ranked(name: str, keep: NDArray) -> NDArray:  # each column ranked once per case set
        key = (name, np.packbits(keep).tobytes())
        if key not in ranks:
            ranks[key] = rank(cols[name][keep])
        return ranks[key]

    rows = []
    for x_name in inputs:
        x = cols[x_name]
        if x.dtype == object or np.unique(x[ok]).size < 2:
            continue
        for y_name in outputs:
            y = cols[y_name]
            if y.dtype == object:
                continue
            keep = ok & ~np.isnan(x) & ~np.isnan(y)
            if keep.sum() < 3 or np.unique(y[keep]).size < 2:
                rho, p = math.nan, math.nan
            else:
                rho, p = spearman(ranked(x_name, keep), ranked(y_name, keep), ranked=True)
            rows.append({"input": x_name, "output": y_name, "spearman_rho": rho,
                         "p_value": p, "cases": int(keep.sum())})
    return rows


def sobol_rows(cols: dict[str, NDArray], inputs: list[str], outputs: list[str]) -> list[dict]:
    """First-order and total Sobol indices (SALib, Saltelli design without second order) of
    each numeric output with a value in every case."""
    from SALib.analyze import sobol

    problem = {"num_vars": len(inputs), "names": inputs, "bounds": [[0.0, 1.0]] * len(inputs)}
    rows = []
    for y_name in outputs:
        y = cols[y_name]
        if y.dtype == object or np.isnan(y).any() or np.unique(y).size < 2:
            continue
        result = sobol.analyze(problem, y, calc_second_order=False, seed=0)
        for k, name in enumerate(inputs):
            rows.append({"input": name, "output": y_name, "S1": float(result["S1"][k]),
                         "S1_conf": float(result["S1_conf"][k]), "ST": float(result["ST"][k]),
                         "ST_conf": float(result["ST_conf"][k])})
    return rows


def _finite(value: object) -> object:
    """A number that is not defined (NaN: a correlation of a constant output, the mean of no
    cases) as None: an empty CSV cell and a JSON null."""
    return None if isinstance(value, float) and not math.isfinite(value) else value


def _csv(rows: list[dict]) -> str:
    return csv_text([{k: (repr(v) if isinstance(v, float) else v)
                      for k, v in ((k, _finite(v)) for k, v in row.items())}
                     for row in rows]) if rows else ""


def combine(header: list[str], chunk_files: Iterable[Path], path: Path) -> None:
    """Every chunk's rows under one header, in case order, written atomically to ``path``."""
    fd, tmp, path = temporary(path)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            out.write(",".join(header) + "\n")
            for chunk in chunk_files:
                out.write(chunk_body(chunk))
        commit(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_results(spec: StudySpec, design: Design, out: Path, chunk_files: list[Path],
                  columns: dict[str, Column], study_hash: str = "") -> tuple[list[str], list[str]]:
    """Write cases, summary and sensitivity files (atomically) from the finished chunks and
    their columns; return their names, and notes on what was not written and why.
    ``study_hash`` goes into cases.parquet's metadata."""
    combine(spec.columns, chunk_files, out / "cases.csv")
    files = ["cases.csv"]
    notes = []
    cols = {name: c.analysed() for name, c in columns.items()}
    failed = np.flatnonzero(cols["error"] != "")
    if failed.size:
        notes.append(f"{failed.size:,} of {cols['error'].size:,} cases are invalid (each "
                     f"with its reason in the error column of cases.csv; the first, case "
                     f"{failed[0]}: {cols['error'][failed[0]]})")
    try:
        files += _parquet(out, columns, spec.columns, {
            "dcplanner.version": __version__, "dcplanner.study_hash": study_hash,
            "dcplanner.units": json.dumps(column_units(spec.outputs, spec.columns),
                                          ensure_ascii=False)})
    except ImportError:
        notes.append("no cases.parquet: pyarrow is not installed (pip install "
                     "'dcplanner[parquet]')")
    outputs = spec.kept
    summary = summary_rows(cols, outputs)
    write_atomic(out / "summary.csv", _csv(summary))
    write_atomic(out / "summary.json", json.dumps(
        [{k: _finite(v) for k, v in row.items()} for row in summary], indent=2,
        allow_nan=False) + "\n")
    files += ["summary.csv", "summary.json"]
    write_atomic(out / "sensitivity.csv", _csv(spearman_rows(cols, spec.varied, outputs)))
    files.append("sensitivity.csv")
    if design.sobol_base and (spec.grid or spec.zip):
        notes.append("no sobol.csv: Sobol indices need a study with only a sobol sample "
                     "(no grid or zip)")
    elif design.sobol_base:
        try:
            rows = sobol_rows(cols, list(spec.sample.parameters), outputs)
            write_atomic(out / "sobol.csv", _csv(rows))
            files.append("sobol.csv")
        except ImportError:
            notes.append("no sobol.csv: SALib is not installed (pip install "
                         "'dcplanner[sensitivity]')")
    return files, notes


def _parquet(out: Path, columns: dict[str, Column], names: list[str],
             metadata: dict[str, str]) -> list[str]:
    """cases.parquet next to cases.csv, typed from the columns, with key-value ``metadata``
    (version, study hash, units: the keys :func:`dcplanner.api.read_metadata` reads), when
    pyarrow is installed."""
    import pyarrow as pa
    from pyarrow import parquet

    data = pa.Table.from_arrays([arrow(columns[name]) for name in names], names=names)
    data = data.replace_schema_metadata({k.encode(): v.encode() for k, v in metadata.items()})
    fd, tmp, path = temporary(out / "cases.parquet")
    os.close(fd)
    try:
        parquet.write_table(data, str(tmp))
        commit(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return ["cases.parquet"]
