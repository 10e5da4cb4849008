"""The report of a finished study: the answer, distributions of its outputs against the grid,
the swing of each output with each input, and per-category small multiples."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from dcplanner import __version__
from dcplanner.engine.outputs import find
from dcplanner.errors import DcplannerError
from dcplanner.output import sig
from dcplanner.report import figures as fig
from dcplanner.report.page import Figure, render_page, stamp
from dcplanner.study.analysis import numeric, table
from dcplanner.study.spec import FIT_UNITS, POWER_UNITS, TRAIN_UNITS

#: Outputs compared with the grid connection (a line and P(exceed) on their histograms).
GRID_OUTPUTS = ("facility_peak_mw", "annual.facility_peak_mw")
#: Labels of the columns a fit adds (the engine's outputs carry their own).
FIT_LABELS = {"fit.count": "systems that fit", "fit.gpus": "GPUs that fit"}
#: Share of the cases at each end of a sampled input that its tornado bar compares [-].
TAIL_FRAC = 0.2
#: An input with at most this many distinct values is read as levels (grid, choice).
MAX_LEVELS = 12


def label_of(key: str) -> str:
    """How the report names an output: its declared label, e.g. ``Facility peak``."""
    if key in FIT_LABELS:
        return FIT_LABELS[key]
    if key in TRAIN_UNITS:
        return "training " + key.removeprefix("train.").replace("_", " ")
    if key in POWER_UNITS:
        return "power study " + key.removeprefix("power.").replace("_", " ")
    try:
        return find(key)[0].label
    except KeyError:
        return key


def unit_of(key: str) -> str:
    units = {**FIT_UNITS, **TRAIN_UNITS, **POWER_UNITS}
    if key in units:
        return units[key]
    try:
        return find(key)[0].unit
    except KeyError:
        return ""


def labelled(key: str) -> str:
    """An output's label with its declared unit, e.g. ``Facility peak [MW]``."""
    unit = unit_of(key)
    return f"{label_of(key)} [{unit}]" if unit else label_of(key)


def _levels(values: NDArray) -> NDArray | None:
    """The distinct values of an input read as levels, or None for a sampled input."""
    levels = np.unique(values)
    return levels if levels.size <= MAX_LEVELS else None


def swing(x: list[str], y: NDArray) -> tuple[str, float, float] | None:
    """How far one output moves as one input goes from its low end to its high end.

    A numeric input with few levels (grid, choice) compares the mean output at its lowest and
    highest level; a sampled one the mean output over the lowest and highest
    :data:`TAIL_FRAC` of the cases; a text input (a system, a plant) its categories with the
    lowest and highest mean output. Each is a main effect: the other inputs vary within.

    Returns
    -------
    (ends, low, high) or None
        ``ends`` names the input's two ends (``0.7 → 0.9``); ``low`` and ``high`` the output's
        mean there, in the output's unit. None when the input does not vary.
    """
    values = numeric(x)
    if values is None:
        names = np.array(x, dtype=object)
        means = {c: float(np.mean(y[names == c])) for c in dict.fromkeys(x)}
        if len(means) < 2:
            return None
        low, high = min(means, key=means.get), max(means, key=means.get)
        return f"{low} → {high}", means[low], means[high]
    levels = _levels(values)
    if levels is not None:
        if levels.size < 2:
            return None
        lo, hi = values == levels[0], values == levels[-1]
        ends = f"{sig(levels[0])} → {sig(levels[-1])}"
    else:
        order = np.argsort(values, kind="stable")
        tail = max(1, round(TAIL_FRAC * values.size))
        lo, hi = np.zeros(values.size, bool), np.zeros(values.size, bool)
        lo[order[:tail]], hi[order[-tail:]] = True, True
        ends = f"lowest {TAIL_FRAC:.0%} → highest {TAIL_FRAC:.0%}"
    return ends, float(np.mean(y[lo])), float(np.mean(y[hi]))


def study_report(folder: str | Path) -> str:
    """The report of a finished study folder: the answer, distributions against the grid,
    tornado charts of output swing in output units, and per-category small multiples."""
    folder = Path(folder)

    def read(name: str) -> str:
        try:
            return (folder / name).read_text(encoding="utf-8")
        except OSError as error:
            raise DcplannerError(f"{folder}: cannot read {name} of the study: "
                                 f"{error.strerror or error}") from None

    manifest = json.loads(read("manifest.json"))
    if manifest.get("status") != "complete":
        raise DcplannerError(f"{folder}: the study is not finished; resume it to complete it")
    cases = table(read("cases.csv"))
    summary = json.loads(read("summary.json"))
    ok = np.array([e == "" for e in cases["error"]])
    outputs = [r for r in summary if "p50" in r]
    asked = {r["output"] for r in summary}
    derived = {*asked, *FIT_UNITS, *TRAIN_UNITS, *POWER_UNITS, "case", "error"}
    inputs = [c for c in cases if c not in derived]
    grid = _grid(cases, manifest, ok)
    # A design that only lists values (a grid, a zip) gives cases, not a distribution.
    sampled = manifest.get("method") is not None
    figures, exceed = [], {}
    for r in outputs:
        key = r["output"]
        values = numeric(cases[key])[ok]
        keep = ~np.isnan(values)
        values = values[keep]
        against = None if grid is None or key not in GRID_OUTPUTS else grid
        line = None if against is None else float(np.max(against))
        caption = f"{label_of(key)} across the study's cases: {spread(r, sampled)}."
        if against is not None:
            per_case = against if np.ndim(against) == 0 else against[keep]
            exceed[key] = fig.exceedance(values, per_case)
            caption += (f" {exceed[key]:.0%} of the cases exceed the grid connection "
                        f"({'each case its own, up to ' if np.ndim(against) else ''}"
                        f"{line:,.1f} MW, dashed red).")
        figures.append(Figure(
            f"Distribution of {label_of(key)}",
            fig.histogram(values, labelled(key), f"{label_of(key)} over {values.size:,} cases",
                          line, name=key.replace(".", "-")),
            caption))
    for r in outputs:
        key = r["output"]
        y = numeric(cases[key])
        keep = ok & ~np.isnan(y)
        rows = []
        for name in inputs:
            moved = swing([v for v, k in zip(cases[name], keep, strict=True) if k], y[keep])
            if moved is not None:
                rows.append((f"{name}\n({moved[0]})", moved[1], moved[2]))
        if not rows:
            continue
        unit = unit_of(key)
        figures.append(Figure(
            f"What moves {label_of(key)}",
            fig.tornado(rows, float(np.mean(y[keep])), labelled(key),
                        f"Swing of {label_of(key)} with each input"),
            f"How far {label_of(key)} moves, in {unit or 'its unit'}, as each varied input "
            f"goes from its low end to its high end (the mean over the cases at each end: the "
            f"lowest and highest {TAIL_FRAC:.0%} of a sampled input, the end levels of a grid "
            "or the lowest and highest category); blue raises it, red lowers it; the line is "
            "the mean of all cases."))
    figures += _small_multiples(cases, inputs, outputs, ok, grid)
    headline = [("Cases", f"{manifest['cases']:,} ({int((~ok).sum()):,} invalid, reported in "
                          "cases.csv)"),
                ("Method", manifest.get("method") or "grid / zip"),
                ("Seed", str(manifest.get("seed"))),
                *[(labelled(r["output"]), spread(r, sampled, " · ")) for r in outputs]]
    meta = [f"dcplanner {__version__} (study run with {manifest['dcplanner_version']}) · "
            f"generated {stamp()}",
            f"Study folder: {folder} · study hash {manifest['study_hash']}"]
    return render_page(f"Study: {manifest['name']}", meta,
                       study_answer(outputs, exceed, grid, int(ok.sum()), sampled), headline,
                       figures)


def spread(r: dict, sampled: bool, sep: str = ", ") -> str:
    """An output's spread over the cases: P10, P50 and P90 where the design samples (its cases
    stand for a distribution); mean, min and max where it lists values (a grid's cases carry
    no probabilities)."""
    if sampled:
        return sep.join(f"P{q} {sig(r[f'p{q}'])}" for q in (10, 50, 90)) + \
            f" (mean {sig(r['mean'])})"
    return sep.join(f"{k} {sig(r[k])}" for k in ("mean", "min", "max"))


def _grid(cases: dict[str, list[str]], manifest: dict, ok: NDArray) -> float | NDArray | None:
    """The grid connection [MW]: each case's when the study varies or outputs it, else the
    base scenario's from the manifest (None for a folder written before it was recorded)."""
    for column in ("grid_mw", "site.grid_mw"):
        if column in cases and (values := numeric(cases[column])) is not None:
            return values[ok]
    value = manifest.get("grid_mw")
    return None if value is None else float(value)


def study_answer(outputs: list[dict], exceed: dict[str, float], grid: float | NDArray | None,
                 cases: int, sampled: bool = True) -> str:
    """The study's one-sentence answer: how often the facility peak exceeds the grid, and the
    range of GPUs that fit; in percentiles where the design samples, else over the cases
    (a grid's share of cases is no probability)."""
    parts = []
    for key, share in exceed.items():
        r = next(r for r in outputs if r["output"] == key)
        where = (f"the {float(grid):,.0f} MW grid" if np.ndim(grid) == 0
                 else "its grid connection")
        odds = (f"P(exceed) {share:.0%}; P50 {sig(r['p50'])} MW, P90 {sig(r['p90'])} MW"
                if sampled else f"{share:.0%} of the cases; mean {sig(r['mean'])} MW, max "
                f"{sig(r['max'])} MW")
        parts.append(f"{label_of(key)} exceeds {where} in {round(share * cases):,} of "
                     f"{cases:,} cases ({odds})")
    for r in outputs:
        if r["output"] == "fit.gpus":
            parts.append(f"{sig(r['p10'])} to {sig(r['p90'])} GPUs fit (P10 to P90, P50 "
                         f"{sig(r['p50'])})" if sampled else
                         f"{sig(r['min'])} to {sig(r['max'])} GPUs fit (the cases' min to max, "
                         f"mean {sig(r['mean'])})")
    if not parts and outputs:
        r = outputs[0]
        parts.append(f"{label_of(r['output'])} {spread(r, sampled)} {unit_of(r['output'])} "
                     f"over {cases:,} cases")
    return ("; ".join(parts) or f"{cases:,} cases, no numeric output") + "."


def _small_multiples(cases: dict[str, list[str]], inputs: list[str], outputs: list[dict],
                     ok: NDArray, grid: float | NDArray | None) -> list[Figure]:
    """Per-category panels of the first power output (else the first output), one figure per
    input with few levels (a system, a plant, a grid of values)."""
    if not outputs:
        return []
    key = next((r["output"] for r in outputs if r["output"] in GRID_OUTPUTS),
               outputs[0]["output"])
    y = numeric(cases[key])
    keep = ok & ~np.isnan(y)
    result = []
    for name in inputs:
        column = [v for v, k in zip(cases[name], keep, strict=True) if k]
        categories = list(dict.fromkeys(column))
        if not 2 <= len(categories) <= fig.MAX_PANELS:
            continue
        if numeric(column) is not None and len(categories) > MAX_LEVELS:
            continue
        names = np.array(column, dtype=object)
        panels = [(c, y[keep][names == c]) for c in categories]
        line = None if grid is None or key not in GRID_OUTPUTS else float(np.max(grid))
        result.append(Figure(
            f"{label_of(key)} by {name}",
            fig.small_multiples(panels, labelled(key), f"{label_of(key)} by {name}", line,
                                name=f"{key}-{name}".replace(".", "-")),
            f"One panel per value of {name}, each the distribution of {label_of(key)} over "
            "that value's cases (the other inputs vary within), on a shared axis"
            + (", with the grid connection dashed red and each panel's P(exceed)."
               if line is not None else ".")))
    return result
