"""A finished study's tables: all cases, summary statistics and sensitivities."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from dcplanner.output import csv_text, write_atomic
from dcplanner.study.design import Design
from dcplanner.study.spec import StudySpec

#: Percentiles in the summary.
PERCENTILES = (5, 10, 50, 90, 95)


def combine(chunk_files: list[Path], header: list[str]) -> str:
    """Every chunk's rows under one header, in case order."""
    parts = [",".join(header) + "\n"]
    parts += [path.read_text(encoding="utf-8") for path in chunk_files]
    return "".join(parts)


def table(text: str) -> dict[str, list[str]]:
    """CSV text as columns of strings."""
    reader = csv.reader(io.StringIO(text))
    names = next(reader)
    columns = list(zip(*reader, strict=True)) or [() for _ in names]
    return {name: list(cells) for name, cells in zip(names, columns, strict=True)}


def numeric(cells: list[str]) -> NDArray | None:
    """A float column (booleans as 0/1, empty as NaN), or None if any cell is text."""
    try:
        return np.asarray(cells, dtype=float)  # the common case, parsed in C
    except ValueError:
        pass
    values = np.empty(len(cells))
    for i, cell in enumerate(cells):
        if cell == "":
            values[i] = np.nan
        elif cell in ("True", "False"):
            values[i] = cell == "True"
        else:
            try:
                values[i] = float(cell)
            except ValueError:
                return None
    return values


def summary_rows(cols: dict[str, list[str]], outputs: list[str]) -> list[dict]:
    """Count, mean, std (n - 1), min, percentiles and max of each numeric output over the cases
    that ran; a text output gets one row per value with its share."""
    ok = np.array([e == "" for e in cols["error"]])
    rows = []
    for name in outputs:
        values = numeric(cols[name])
        if values is None:
            cells = [c for c, good in zip(cols[name], ok, strict=True) if good]
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


def spearman_rows(cols: dict[str, list[str]], inputs: list[str],
                  outputs: list[str]) -> list[dict]:
    """Spearman rank correlation (and its p-value) of every numeric varied input with every
    numeric output, over the cases that ran."""
    from scipy.stats import spearmanr

    ok = np.array([e == "" for e in cols["error"]])
    ys = {name: numeric(cols[name]) for name in outputs}
    rows = []
    for x_name in inputs:
        x = numeric(cols[x_name])
        if x is None or np.unique(x[ok]).size < 2:
            continue
        for y_name, y in ys.items():
            if y is None:
                continue
            keep = ok & ~np.isnan(x) & ~np.isnan(y)
            if keep.sum() < 3 or np.unique(y[keep]).size < 2:
                rho, p = math.nan, math.nan
            else:
                rho, p = spearmanr(x[keep], y[keep])
            rows.append({"input": x_name, "output": y_name, "spearman_rho": float(rho),
                         "p_value": float(p), "cases": int(keep.sum())})
    return rows


def sobol_rows(cols: dict[str, list[str]], inputs: list[str], outputs: list[str]) -> list[dict]:
    """First-order and total Sobol indices (SALib, Saltelli design without second order) of
    each numeric output with a value in every case."""
    from SALib.analyze import sobol

    problem = {"num_vars": len(inputs), "names": inputs, "bounds": [[0.0, 1.0]] * len(inputs)}
    rows = []
    for y_name in outputs:
        y = numeric(cols[y_name])
        if y is None or np.isnan(y).any() or np.unique(y).size < 2:
            continue
        result = sobol.analyze(problem, y, calc_second_order=False, seed=0)
        for k, name in enumerate(inputs):
            rows.append({"input": name, "output": y_name, "S1": float(result["S1"][k]),
                         "S1_conf": float(result["S1_conf"][k]), "ST": float(result["ST"][k]),
                         "ST_conf": float(result["ST_conf"][k])})
    return rows


def _csv(rows: list[dict]) -> str:
    return csv_text([{k: (repr(v) if isinstance(v, float) else v) for k, v in row.items()}
                     for row in rows]) if rows else ""


def write_results(spec: StudySpec, design: Design, out: Path,
                  chunk_files: list[Path]) -> tuple[list[str], list[str]]:
    """Write cases, summary and sensitivity files (atomically) from the finished chunks;
    return their names, and notes on what was not written and why."""
    text = combine(chunk_files, spec.columns)
    write_atomic(out / "cases.csv", text)
    files = ["cases.csv"]
    notes = []
    try:
        files += _parquet(out)
    except ImportError:
        notes.append("no cases.parquet: pyarrow is not installed (pip install "
                     "'dcplanner[parquet]')")
    cols = table(text)
    outputs = spec.kept
    summary = summary_rows(cols, outputs)
    write_atomic(out / "summary.csv", _csv(summary))
    write_atomic(out / "summary.json", json.dumps(summary, indent=2) + "\n")
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


def _parquet(out: Path) -> list[str]:
    """cases.parquet next to cases.csv, when pyarrow is installed."""
    import os
    import tempfile

    from pyarrow import csv as pa_csv
    from pyarrow import parquet

    data = pa_csv.read_csv(out / "cases.csv")
    fd, tmp = tempfile.mkstemp(dir=out, prefix=".cases.parquet.", suffix=".tmp")
    os.close(fd)
    try:
        parquet.write_table(data, tmp)
        os.replace(tmp, out / "cases.parquet")
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return ["cases.parquet"]
