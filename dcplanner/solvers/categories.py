"""A finished study summarised per category: for each input a grid, a zip or a ``choice``
distribution gives a few values of, every numeric output over the cases of each value.

A grid holds no probabilities, so across its cases it has no percentiles: it gets the mean,
the lowest and the highest value of the cases in each category. Percentiles (P10, P50, P90)
are given only where the design samples (a ``sample`` block with a distribution other than a
choice), where they estimate a distribution.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence

import numpy as np

from dcplanner.errors import ConfigError, Problem
from dcplanner.study.spec import StudySpec

#: The largest cases.csv read [bytes] (a million cases of twenty columns is about 200 MB).
MAX_CASES_BYTES = 1 << 30
#: The percentiles of a sampled design [%].
PERCENTILES = (10, 50, 90)


def categories(spec: StudySpec) -> dict[str, list[str]]:
    """The varied inputs that take a few given values (the grid's, the zip's and the sampled
    choices', in column order), each with its values as ``cases.csv`` writes them."""
    from dcplanner.study.columns import cell

    chosen = {path: d.values for path, d in (spec.sample.parameters.items() if spec.sample
                                              else ()) if d.dist == "choice"}
    given = {**spec.grid, **spec.zip, **chosen}
    return {path: list(dict.fromkeys(cell(v) for v in values)) for path, values in given.items()}


def samples(spec: StudySpec) -> bool:
    """Whether the design draws from a distribution (other than choices among values)."""
    return spec.sample is not None and any(d.dist != "choice"
                                           for d in spec.sample.parameters.values())


def read_cases(text: str, source: str, needed: Sequence[str]) -> list[dict[str, str]]:
    """The rows of a study's ``cases.csv``.

    Raises
    ------
    ConfigError
        The file does not hold the columns of the study (another study's cases).
    """
    rows = list(csv.DictReader(io.StringIO(text)))
    header = set(rows[0]) if rows else set()
    missing = [name for name in ("case", *needed) if name not in header]
    if missing:
        raise ConfigError([Problem(source, "", f"not the cases of this study: no column "
                                   f"{', '.join(missing)}")])
    return rows


def _numbers(cells: Sequence[str]) -> np.ndarray | None:
    """The cells as floats (empty = NaN), or None when one is not a number (a text output)."""
    try:
        values = np.array([float(c) if c != "" else math.nan for c in cells], dtype=float)
    except ValueError:
        return None
    return values


def category_rows(spec: StudySpec, rows: Sequence[dict[str, str]]) -> list[dict]:
    """One row per category value and numeric output: the cases (without an error) and their
    mean, min and max, and P10/P50/P90 where the design samples (:func:`samples`).

    Examples
    --------
    >>> from dcplanner.study.spec import parse_study
    >>> spec = parse_study("name: s\\ngrid: {site.grid_mw: [40, 60]}\\noutputs: [gpus]\\n",
    ...                    ".yaml", "s.yaml")
    >>> cases = [{"case": "0", "site.grid_mw": "40", "gpus": "10", "error": ""},
    ...          {"case": "1", "site.grid_mw": "60", "gpus": "20", "error": ""}]
    >>> [(r["value"], r["cases"], r["mean"]) for r in category_rows(spec, cases)]
    [('40', 1, 10.0), ('60', 1, 20.0)]
    """
    ok = [r for r in rows if not r.get("error")]
    outputs = [o for o in spec.kept if _numbers([r[o] for r in ok]) is not None]
    sampled = samples(spec)
    out = []
    for path, given in categories(spec).items():
        for value in dict.fromkeys([*given, *(r[path] for r in rows)]):
            chosen = [r for r in ok if r[path] == value]
            for name in outputs:
                v = _numbers([r[name] for r in chosen])
                v = v[np.isfinite(v)] if v is not None else np.array([])
                row: dict = {"category": path, "value": value, "output": name,
                             "cases": int(v.size)}
                if v.size:
                    row.update(mean=float(v.mean()), min=float(v.min()), max=float(v.max()))
                    if sampled:
                        row.update({f"p{q}": float(np.percentile(v, q)) for q in PERCENTILES})
                out.append(row)
    return out
