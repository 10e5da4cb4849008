"""The report of a finished study: distributions of its outputs and their sensitivities."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from dcplanner import __version__
from dcplanner.engine.outputs import find
from dcplanner.errors import DcplannerError
from dcplanner.output import sig
from dcplanner.report import figures as fig
from dcplanner.report.page import Figure, render_page, stamp
from dcplanner.study.analysis import numeric, table
from dcplanner.study.spec import FIT_UNITS, TRAIN_UNITS

#: Output distributions drawn for a study, at most.
MAX_HISTOGRAMS = 8


def labelled(key: str) -> str:
    """An output key with its declared unit, e.g. ``facility_peak_mw [MW]``."""
    units = {**FIT_UNITS, **TRAIN_UNITS}
    unit = units[key] if key in units else find(key)[0].unit
    return f"{key} [{unit}]" if unit else key



def study_report(folder: str | Path) -> str:
    """The report of a finished study folder: distributions and sensitivities."""
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
    text = read("sensitivity.csv")
    sensitivity = table(text) if text else {}
    ok = np.array([e == "" for e in cases["error"]])
    figures = []
    numeric_outputs = [r for r in summary if "p50" in r][:MAX_HISTOGRAMS]
    for r in numeric_outputs:
        values = numeric(cases[r["output"]])[ok]
        values = values[~np.isnan(values)]
        figures.append(Figure(
            f"Distribution of {r['output']}",
            fig.histogram(values, labelled(r["output"]), f"{r['output']} over {values.size:,} "
                          "cases"),
            f"{r['output']} across the study's cases: P10 {sig(r['p10'])}, P50 "
            f"{sig(r['p50'])}, P90 {sig(r['p90'])} (mean {sig(r['mean'])})."))
    for r in numeric_outputs[:4]:
        rows = [k for k, out in enumerate(sensitivity.get("output", [])) if out == r["output"]]
        if not rows:
            continue
        inputs = [sensitivity["input"][k] for k in rows]
        rho = np.nan_to_num(np.array([float(sensitivity["spearman_rho"][k]) for k in rows]))
        figures.append(Figure(
            f"Sensitivity of {r['output']}",
            fig.tornado(inputs, rho, labelled(r["output"]), f"What moves {r['output']}"),
            f"Spearman rank correlation of each varied input with {r['output']}: the longer "
            "the bar, the more the input moves it (blue raises it, red lowers it)."))
    headline = [("Cases", f"{manifest['cases']:,} ({int((~ok).sum()):,} invalid, reported in "
                          "cases.csv)"),
                ("Method", manifest.get("method") or "grid / zip"),
                ("Seed", str(manifest.get("seed"))),
                *[(labelled(r["output"]), f"P10 {sig(r['p10'])} · P50 {sig(r['p50'])} · "
                   f"P90 {sig(r['p90'])}") for r in numeric_outputs]]
    meta = [f"dcplanner {__version__} (study run with {manifest['dcplanner_version']}) · "
            f"generated {stamp()}",
            f"Study folder: {folder} · study hash {manifest['study_hash']}"]
    return render_page(f"Study: {manifest['name']}", meta, headline, figures)
