"""Tables of the other commands: weather, fit, optimize, train, study."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from dcplanner.models.compute import PRECISIONS
from dcplanner.output.scenario import design_table
from dcplanner.output.text import eur, grid, pairs, pct, si, sig
from dcplanner.units import PFLOPS_PER_EFLOPS
from dcplanner.weather.year import MONTH_NAMES, WeatherYear

if TYPE_CHECKING:
    from pydantic import BaseModel

    from dcplanner.solvers.fit import Fit
    from dcplanner.solvers.optimize import Optimum


def weather_table(year: WeatherYear, stats: dict, reference: dict | None = None) -> str:
    """Monthly statistics of a weather year; with ``reference`` (station normals), each
    column is followed by the normal."""
    header = ["", "TX °C", "TN °C", "dew °C", "d>=25", "d>=30", "d>=35"]
    keys = ["tx_c", "tn_c", "dew_point_c", "days_tx_ge_25", "days_tx_ge_30", "days_tx_ge_35"]
    normal_rows = None
    if reference is not None:
        header = [header[0], *(h for name in header[1:] for h in (name, "norm"))]
        normal_rows = [reference.tx_c, reference.tn_c, reference.dew_point_c,
                       *(reference.days_tx_ge_c[t] for t in (25, 30, 35))]

    def cells(values: list[float], normal: list[float] | None, digits: int) -> list[str]:
        out = []
        for k, v in enumerate(values):
            out.append(f"{v:.{digits if k < 3 else 0}f}")
            if normal is not None:
                out.append(f"{normal[k]:.1f}")
        return out

    rows = [header]
    for m in range(12):
        values = [float(stats[k][m]) for k in keys]
        normal = None if normal_rows is None else [float(n[m]) for n in normal_rows]
        rows.append([MONTH_NAMES[m], *cells(values, normal, 1)])
    year_values = [float(np.mean(stats[k])) if k in keys[:3] else float(np.sum(stats[k]))
                   for k in keys]
    year_normal = None if normal_rows is None else [
        float(np.mean(n)) if i < 3 else float(np.sum(n)) for i, n in enumerate(normal_rows)]
    rows.append(["Year", *cells(year_values, year_normal, 1)])
    lines = [
        f"Weather: {year.name}" + "".join(f"; {n}" for n in year.notes[1:]),
        f"  {year.hours:,} h; dry bulb {year.dry_bulb_c.min():.1f} to "
        f"{year.dry_bulb_c.max():.1f} °C; dew point {year.dew_point_c.min():.1f} to "
        f"{year.dew_point_c.max():.1f} °C",
        "",
        "Monthly (daily extremes of the hourly values; d>=25: days with TX >= 25 °C"
        + ("; norm: normal)" if reference is not None else ")"),
        *grid(rows),
    ]
    if reference is not None:
        lines += ["", f"Normals: {reference.station}, {reference.period} (paris-climate.md)."]
    return "\n".join(lines)


def policy_items(judged: dict, record: dict) -> list[tuple[str, str]]:
    """Lines of a fit or an optimum under a provisioning policy (:func:`dcplanner.solvers.
    provision.judged`); none under the default (the design hour, no UPS reserve)."""
    if judged["default"]:
        return []
    items = [("Provisioning", judged["description"])]
    limits = {c["constraint"]: c for c in judged["constraints"]}
    ups = limits["ups"]
    if judged["ups_reserve"]:
        items.append(("UPS with its reserve", f"{ups['value']:,.2f} of {ups['limit']:,.2f} MW"))
    if judged["policy"] == "design":
        return items
    g = limits["grid"]
    live = [d["name"] for d in record["deployments"] if d["gpus"] > 0]
    caps = ", ".join(f"{w:,.0f} W ({name})" for w, name in
                     zip(judged["gpu_cap_w"], live, strict=True))

    def of(c: dict) -> str:
        limit = " (no limit set)" if c["limit"] is None else f" of {c['limit']:,.2f} {c['unit']}"
        return f"{c['constraint'].replace('_', ' ')} {c['value']:,.2f}" \
            + (f" {c['unit']}{limit}" if c["limit"] is None else limit)

    items += [
        ("Connection needed", f"{g['value']:,.2f} of {g['limit']:,.2f} MW: the hourly year is "
         f"over the {g['limit']:,.2f} MW connection {judged['hours_over']:,.1f} h"
         + ("" if judged["swings"] else f" (longest {judged['longest_event_h']:g} h)") + ", "
         f"{100 * judged['curtailed_energy_frac']:.4f} % of its energy, "
         f"{judged['lost_days']:.3f} days of compute a year"),
        ("Plant, capped", f"GPUs capped at {caps} in the design hour; the most of it or of the "
         "capped year: "
         + "; ".join(of(limits[n]) for n in ("transformer", "ups", "heat_rejection"))),
        ("Note", "the design point below is uncapped (every GPU at the provisioning basis); "
         "under the policy its grid line is not the limit"),
    ]
    return items


def fit_table(f: Fit) -> str:
    """A capacity fit (:class:`dcplanner.solvers.fit.Fit`): the count, what stops it, the
    design point."""
    from dcplanner.solvers.fit import grid_notes, limits_record

    r = f.record
    how = "added to its deployments" if f.kept_existing else "replacing its deployments"
    dep = r["deployments"][-1]
    stop = "; ".join(f"{v['constraint']} ({v['meaning']}): {v['value']:,.2f} vs "
                     f"{v['limit']:,.2f} {v['unit']}" for v in f.stopped_by)
    lines = [
        f"Fit: {f.system} into '{r['scenario']}', {how}",
        *pairs([
            ("Largest count", f"{f.count:,} systems = {dep['gpus']:,} GPUs in "
             f"{dep['racks']:,} racks"),
            (f"One more ({f.count + 1:,}) breaks", stop),
            *policy_items(f.judged, r),
            *(("Note", note) for note in (*f.notes, *grid_notes(limits_record(f)))),
        ]),
        "",
        design_table(r),
    ]
    return "\n".join(lines)


def requirements_table(q: dict) -> str:
    """What a deployment needs from the site (:func:`dcplanner.solvers.fit.requirements`)."""
    r = q["record"]
    deps = ", ".join(f"{d['count']:,} {d['system']}" for d in r["deployments"])
    lines = [
        f"Needs of '{r['scenario']}': {q['gpus']:,} GPUs ({deps}), at "
        f"{q['design_ambient_c']:.1f} °C, plant sized on {r['provisioning_basis']} power",
        *pairs([
            ("Grid connection", f"{q['grid_mw']:.2f} MW (facility peak)"),
            ("UPS", f"{q['ups_output_mw']:.2f} MW output: {q['ups_modules']} x "
             f"{q['ups_module_mw']:g} MW {q['ups_topology']}"
             + (" per side of an A/B feed" if q["ups_feed"] == "A/B" else "")
             + f" ({q['ups_installed_mw']:.2f} MW installed)"),
            ("Heat rejection", f"{q['heat_rejection_mw']:.2f} MW"),
            ("Racks", f"{q['racks']:,}, up to {q['rack_power_kw']:.1f} kW each"),
        ]),
    ]
    return "\n".join(lines)


#: How each optimization objective reads, with its unit.
OBJECTIVE_LABELS = {
    **{p: f"peak dense {p.upper()} PFLOPS" for p in PRECISIONS},
    "sustained_bf16": "sustained BF16 PFLOPS (at the scenario's MFU and utilization)",
    "gpus": "GPUs",
}


def _mix(m) -> str:
    return " + ".join(f"{n:,} {name}" for name, n in m.counts.items() if n) or "nothing"


def optimum_table(o: Optimum) -> str:
    """An optimized mix (:class:`dcplanner.solvers.optimize.Optimum`) and its design point."""
    from dcplanner.solvers.fit import grid_notes, limits_record

    r = o.record
    label = OBJECTIVE_LABELS[o.objective]
    if o.runner_up is None:
        runner = "none (no other feasible mix found)"
    else:
        gap = o.best.value - o.runner_up.value
        runner = (f"{_mix(o.runner_up)}: {o.runner_up.value:,.1f}, "
                  + ("tied" if gap <= 1e-9 else f"{gap:,.1f} behind "
                     f"({100 * gap / o.best.value:.2f} %)"))
    items = [
        ("Best mix", f"{_mix(o.best)} = {r['gpus']:,} GPUs in {r['racks']:,} racks"),
        ("Objective", f"{o.best.value:,.1f} {label}"),
        ("Checked", "feasible through the full engine; no single system can be added"
         if o.best.feasible else "NOT feasible through the full engine"),
        ("Runner-up", runner),
        ("One more would break", "; ".join(f"{name}: {', '.join(limits) or 'nothing'}"
                                           for name, limits in o.blocked_by.items())),
    ]
    if o.capex_budget_eur is not None:
        items.append(("Capex", f"{eur(o.capex_eur)} of a {eur(o.capex_budget_eur)} budget"))
    items += policy_items(o.judged, r)
    items += [(f"Excluded {name}", why) for name, why in o.excluded.items()]
    items += [("Note", note) for note in (*o.notes, *grid_notes(limits_record(o)))]
    items.append(("Method", f"MILP on the linearized chain; {o.tightenings} tightening(s), "
                  f"{o.polish_steps} polish step(s)"))
    return "\n".join([f"Optimize '{r['scenario']}': maximize {label}", *pairs(items), "",
                      design_table(r)])


def training_table(t: dict) -> str:
    """A planned training run (:func:`dcplanner.solvers.training.plan`)."""
    moe = "" if t["active_params"] == t["params"] else f" ({si(t['active_params'])} active)"
    g, h = t["goodput"], t["goodput"]["hours"]
    part = "" if t["gpus"] == t["site_gpus"] else f" of the site's {t['site_gpus']:,} (the " \
        "rest idle)"
    between = g["mean_hours_between_interruptions"]
    interval = g["checkpoint_interval_h"]
    return "\n".join([
        f"Training run on '{t['scenario']}': {si(t['params'])} parameters{moe}, "
        f"{si(t['tokens'])} tokens, {t['precision'].upper()} at MFU {pct(t['mfu_frac'])} "
        f"({t['mfu_source']})",
        "",
        *pairs([
            ("Compute", f"{t['training_flops']:.3g} FLOP (6 N D) on {t['gpus']:,} GPUs{part}, "
             f"{t['peak_pflops'] / PFLOPS_PER_EFLOPS:,.2f} EFLOPS peak"),
            ("Time", f"{t['days']:,.1f} days wall, {t['effective_days']:,.1f} effective "
             f"({pct(g['effective_frac'])}); {t['gpu_hours']:,.0f} GPU-hours, "
             f"{t['lost_gpu_hours']:,.0f} lost"),
            ("Interruptions", f"{g['interruptions']:,.0f} expected"
             + (f", one every {between:.2f} h" if between else "")
             + f" ({g['interruption_rate_per_gpu_hour']:.3g} per GPU-hour); restarts "
             f"{h['restart']:,.1f} h, work redone {h['redo']:,.1f} h"),
            ("Checkpoints", (f"every {interval * 60:,.1f} min ({g['checkpoint_interval_source']}"
                             f"), {g['checkpoint_write_s']:g} s each: {h['checkpoint']:,.1f} h"
                             if interval else "none needed (no interruptions)")),
            ("Facility energy", f"{t['facility_mwh']:,.0f} MWh: IT {sum(t['it_mwh'].values()):,.0f}"
             f" MWh (compute {t['it_mwh']['compute']:,.0f}, checkpoints "
             f"{t['it_mwh']['checkpoint']:,.0f}, restarts {t['it_mwh']['restart']:,.0f}) x PUE "
             f"{t['pue']:.3f} ({t['weather_hours']})"),
            ("Cost", f"{eur(t['cost_eur'])} (the site's annualized TCO for the run's GPUs and "
             f"days, {eur(t['cost_per_gpu_hour_eur'])} per GPU-hour)"),
            ("Carbon", f"{t['operational_tco2e'] + t['embodied_tco2e']:,.1f} tCO2e at "
             f"{t['grid_g_per_kwh']:.1f} g/kWh (embodied {t['embodied_tco2e']:,.1f})"),
        ]),
    ])


def accounting_table(a: dict) -> str:
    """A run accounted from GPU-hours (:func:`dcplanner.solvers.training.account`)."""
    return "\n".join(pairs([
        ("Energy", f"{a['energy_mwh']:,.2f} MWh = {a['gpu_hours']:,.0f} GPU-hours x "
         f"{a['power_w']:g} W x PUE {a['pue']:g}"),
        ("Carbon", f"{a['tco2e']:,.2f} tCO2e at {a['grid_g_per_kwh']:g} g/kWh"),
    ], indent=""))


def study_table(manifest: dict, out: str, sampled: bool = True, study: str = "STUDY") -> str:
    """What a finished study wrote, and a summary of each numeric output: P10/P50/P90 when the
    design samples; mean, min and max of its cases when it only lists values (a grid, a zip, a
    choice), whose percentiles would weigh the categories by how many cases each has."""
    summary = json.loads((Path(out) / "summary.json").read_text(encoding="utf-8"))
    stats = ("mean", "p10", "p50", "p90") if sampled else ("mean", "min", "max")
    rows = [["output", "cases", *(k.upper() if k.startswith("p") else k for k in stats)]]
    for r in summary:
        if "p50" in r:
            rows.append([r["output"], f"{r['count']:,}", *(sig(r[k]) for k in stats)])
        elif "=" in r["output"]:
            rows.append([r["output"], f"{r['count']:,}", pct(r["mean"]),
                         *[""] * (len(stats) - 1)])
    by_category = [] if sampled else [
        f"  by category: dcplanner compare --study {study} --results {out}"]
    lines = [f"Study '{manifest['name']}': {manifest['cases']:,} cases in {out}",
             f"  wrote {', '.join(manifest['files'])}",
             *(f"  note: {note}" for note in manifest["notes"]), *by_category, "", *grid(rows)]
    return "\n".join(lines)


#: Columns of `catalog list` per kind, besides name and description.
CATALOG_SUMMARY = {
    "accelerators": ("tdp_w", "bf16", "hbm_gb"),  # bf16: dense TFLOPS
    "systems": ("accelerator", "gpus_per_system", "rated_w", "liquid_heat_frac"),
    "fabrics": ("radix", "port_gbps", "switch_w"),
}


def _entry_cell(value: object) -> str:
    return "-" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def catalog_table(entries: dict[str, dict]) -> str:
    """Catalog entries by kind, one line each with the kind's summary columns."""
    blocks = []
    for kind, named in entries.items():
        columns = CATALOG_SUMMARY[kind]
        rows = [["name", *columns, "description"]]
        for name, e in named.items():
            fields = {**e.model_dump(), **getattr(e, "tflops", {})}  # tflops.bf16 as "bf16"
            rows.append([name, *(_entry_cell(fields.get(f)) for f in columns), e.description])
        blocks.append("\n".join([kind, *grid(rows, align="l" + "r" * len(columns) + "l")]))
    return "\n\n".join(blocks)


def entry_table(name: str, kind: str, entry: BaseModel) -> str:
    """One catalog entry: every field with its value and source."""
    data = entry.model_dump()
    sources = data.pop("sources")
    rows = [["field", "value", "source"]]
    for field, value in data.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k} {v:g}" for k, v in value.items())
        rows.append([field, _entry_cell(value), sources.get(field, "")])
    return "\n".join([f"{name} ({kind[:-1]})", *grid(rows, align="lll")])
