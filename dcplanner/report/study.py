"""The report of a finished study: distributions of its outputs and their sensitivities."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from dcplanner import __version__
from dcplanner.errors import DcplannerError
from dcplanner.output import sig
from dcplanner.report import figures as fig
from dcplanner.report.page import Figure, render_page, stamp
from dcplanner.study.analysis import numeric, table

#: Output distributions drawn for a study, at most.
MAX_HISTOGRAMS = 8
#: Units read from the end of an output's key (the project names carry their units).
UNIT_SUFFIXES = {"_mwh": "MWh", "_mw": "MW", "_kw": "kW", "_eur": "EUR", "_tco2e": "tCO2e",
                 "_m3": "m³", "_c": "°C", "_frac": "-", "_hours": "h", "pue": "-",
                 "gpus": "GPUs", "count": "systems", "_kwh": "kWh"}


def labelled(key: str) -> str:
    """An output key with its unit, e.g. ``facility_peak_mw [MW]``."""
    for suffix, unit in UNIT_SUFFIXES.items():
        if key.endswith(suffix):
            return f"{key} [{unit}]"
    return key



def study_report(folder: str | Path) -> str:
    """The report of a finished study folder: distributions and sensitivities."""
    folder = Path(folder)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    if manifest.get("status") != "complete":
        raise DcplannerError(f"{folder}: the study is not finished; complete it with "
                             "dcplanner study STUDY --out DIR --resume")
    cases = table((folder / "cases.csv").read_text(encoding="utf-8"))
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    sensitivity = table((folder / "sensitivity.csv").read_text(encoding="utf-8")) \
        if (folder / "sensitivity.csv").stat().st_size else {}
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
