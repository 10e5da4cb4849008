"""Rendering result records as a table, JSON or CSV, and writing files atomically."""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from dcplanner.models.compute import PRECISIONS
from dcplanner.results import COOLING_LOOPS, IT_PARTS, MONTH_NAMES, flat_row
from dcplanner.units import L_PER_M3, PFLOPS_PER_EFLOPS, S_PER_H, W_PER_MW

FORMATS = ("table", "json", "csv")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder and a rename, so
    that a reader never sees a half-written file."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent or ".", prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private; a result file is not
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def csv_text(rows: Sequence[dict]) -> str:
    """Rows as CSV under a header of every key, in first-seen order (missing cells empty)."""
    fields = list(dict.fromkeys(key for row in rows for key in row))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n", restval="")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def render(records: Sequence[dict], fmt: str) -> str:
    """Records as ``table``, ``json`` (one object, or a list for several) or ``csv`` (a header
    of dotted keys and one row per record)."""
    if fmt == "json":
        data = records[0] if len(records) == 1 else list(records)
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        return csv_text([flat_row(r) for r in records])
    if fmt == "table":
        return "\n\n".join(full_table(r) for r in records) + "\n"
    raise ValueError(f"unknown format {fmt!r}; allowed: {', '.join(FORMATS)}")


def grid(rows: Sequence[Sequence[object]], indent: str = "  ", align: str = "") -> list[str]:
    """Rows of cells as aligned text. ``align`` has one letter per column, ``l`` or ``r``;
    by default the first column is left-aligned and the others right-aligned."""
    cells = [[str(c) for c in row] for row in rows]
    columns = len(cells[0])
    align = align or "l" + "r" * (columns - 1)
    widths = [max(len(row[i]) for row in cells) for i in range(columns)]
    lines = []
    for row in cells:
        parts = [c.ljust(w) if a == "l" else c.rjust(w)
                 for c, w, a in zip(row, widths, align, strict=True)]
        lines.append((indent + "  ".join(parts)).rstrip())
    return lines


def pairs(items: Sequence[tuple[str, str]], indent: str = "  ") -> list[str]:
    """Label and text pairs, labels padded to one width."""
    width = max(len(label) for label, _ in items)
    return [f"{indent}{label.ljust(width)}  {text}" for label, text in items]


def _pct(frac: float | None) -> str:
    return "-" if frac is None else f"{100 * frac:.1f} %"


def _num(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def full_table(r: dict) -> str:
    """Design point, then (when simulated) the year, its economics and carbon."""
    parts = [design_table(r)]
    if "annual" in r:
        parts += [annual_table(r), economics_table(r)]
    return "\n\n".join(parts)


def design_table(r: dict) -> str:
    """The design point of one scenario, headline first, then the breakdown."""
    design, operating, cons = r["design"], r["operating"], r["constraints"]
    grid_c = cons["grid"]
    binding = cons[r["binding_constraint"]]
    peak_ef = {p: v / PFLOPS_PER_EFLOPS for p, v in r["compute"]["peak_pflops"].items() if v}
    sustained_bf16 = r["compute"]["sustained_pflops"]["bf16"]
    lines = [
        r["scenario"],
        f"Design point at {r['design_ambient_c']:.1f} °C dry bulb "
        f"({r['design_wet_bulb_c']:.1f} °C wet bulb), "
        f"plant sized on {r['provisioning_basis']} power",
        "",
        *pairs([
            ("Facility peak", f"{r['facility_peak_mw']:.2f} MW vs {r['grid_mw']:.2f} MW grid: "
             f"headroom {r['grid_headroom_mw']:+.2f} MW ({_pct(grid_c['headroom_frac'])}), "
             f"{grid_c['status']}"),
            ("Feasible", "yes" if r["feasible"] else f"NO (violated: {', '.join(r['violated'])})"),
            ("Binding constraint", f"{r['binding_constraint']}: {binding['meaning']}, "
             f"headroom {_pct(binding['headroom_frac'])}"),
            ("GPUs", f"{r['gpus']:,} in {r['racks']:,} racks"),
            ("Peak dense EFLOPS", " · ".join(f"{p.upper()} {peak_ef[p]:,.2f}"
                                            for p in reversed(PRECISIONS) if p in peak_ef)),
            ("Sustained BF16", "-" if sustained_bf16 is None else
             f"{sustained_bf16 / PFLOPS_PER_EFLOPS:,.2f} EFLOPS at MFU "
             f"{_pct(r['compute']['mfu_frac'])}"),
            ("IT load", f"{r['it_design_mw']:.2f} MW design, {r['it_operating_mw']:.2f} MW "
             "operating"),
            ("PUE at design point", f"{r['pue_design']:.3f} ({r['pue_operating']:.3f} at "
             "operating load)"),
        ]),
        "",
        "Constraints",
        *grid([["", "unit", "value", "limit", "headroom", "", "status"]] + [
            [name, c["unit"], _num(c["value"]), _num(c["limit"]), _num(c["headroom"]),
             _pct(c["headroom_frac"]), c["status"]] for name, c in cons.items()
        ]),
        "",
        "IT power (MW)",
        *grid([["", "design", "operating"]] + [
            [part.replace("_", " "), _num(design["parts_mw"][part]),
             _num(operating["parts_mw"][part])] for part in IT_PARTS
        ] + [["total IT", _num(design["it_mw"]), _num(operating["it_mw"])],
             ["facility", _num(design["facility_mw"]), _num(operating["facility_mw"])]]),
        "",
        _electrical_lines(r),
        "",
        _cooling_lines(r),
        "",
        "Deployments",
        *grid([["name", "system", "count", "GPUs", "racks", "kW/system", "kW/rack", "fabric",
                "tiers", "switches"]] + [
            [d["name"], d["system"], f"{d['count']:,}", f"{d['gpus']:,}", f"{d['racks']:,}",
             _num(d["system_design_kw"], 1), _num(d["rack_design_kw"], 1), d["fabric"],
             d["fabric_tiers"], f"{d['fabric_switches']:,}"] for d in r["deployments"]
        ]),
    ]
    return "\n".join(lines)


def _electrical_lines(r: dict) -> str:
    e, ups = r["design"]["electrical"], r["ups"]
    return "\n".join([
        "Electrical at design load (MW)",
        *grid([
            ["UPS", f"{ups['topology']}, {ups['modules']} x {ups['module_mw']:g} MW",
             f"installed {ups['installed_mw']:.2f}", f"usable {ups['usable_mw']:.2f}"],
            ["UPS load / efficiency", _pct(e["ups_load_frac"]), _pct(e["ups_efficiency"]), ""],
            ["distribution loss", _num(e["distribution_loss_mw"]), "", ""],
            ["UPS loss", _num(e["ups_loss_mw"]), "", ""],
            ["transformer loss", _num(e["transformer_loss_mw"]), "", ""],
            ["misc (lighting, offices)", _num(e["misc_mw"]), "", ""],
        ]),
    ])


def _cooling_lines(r: dict) -> str:
    c = r["design"]["cooling"]
    return "\n".join([
        f"Cooling at {r['design_ambient_c']:.1f} °C (design load, MW)",
        *grid([
            ["heat to liquid / air", _num(c["liquid_heat_mw"]), _num(c["air_heat_mw"])],
            ["free-cooling share liquid / air", _pct(c["liquid_free_cooling_frac"]),
             _pct(c["air_free_cooling_frac"])],
            ["coil air after adiabatic (°C)", _num(c["liquid_coil_air_c"], 1),
             _num(c["air_coil_air_c"], 1)],
            ["chiller COP liquid / air", _num(c["liquid_chiller_cop"]),
             _num(c["air_chiller_cop"])],
            ["chillers", _num(c["chillers_mw"]), ""],
            ["pumps", _num(c["pumps_mw"]), ""],
            ["CRAH fans", _num(c["air_fans_mw"]), ""],
            ["dry-cooler fans", _num(c["dry_cooler_fans_mw"]), ""],
            ["total cooling", _num(c["cooling_mw"]), ""],
            ["heat rejected", _num(c["heat_rejected_mw"]), ""],
            ["adiabatic water (m3/h)", _num(c["adiabatic_water_m3_per_h"], 1), ""],
        ]),
    ])


def _hours(h: dict) -> str:
    return f"{h['free']:,} free, {h['partial']:,} partial, {h['chiller']:,} chiller"


def _exceedance(name: str, c: dict) -> str:
    if c["limit_mw"] is None:
        return f"{name}: no limit set"
    if not c["exceeded_hours"]:
        return f"{name} {c['limit_mw']:.2f} MW never exceeded"
    return (f"{name} {c['limit_mw']:.2f} MW exceeded {c['exceeded_hours']:,} h, by up to "
            f"{c['excess_max_mw']:.2f} MW")


def annual_table(r: dict) -> str:
    """The annual simulation of one scenario: headline figures, then the monthly table."""
    a = r["annual"]
    stress = "".join(f"; {note}" for note in a["weather_notes"])
    grid_c, heat_c = a["grid"], a["heat_rejection"]
    holds = "yes" if a["plant_holds"] else "NO: " + ", ".join(
        _exceedance(n, c) for n, c in (("grid", grid_c), ("heat rejection", heat_c))
        if c["exceeded_hours"]
    )
    lines = [
        f"Annual simulation: {a['hours']:,} h of {a['weather']}{stress}",
        f"IT at operating power, {a['profile']} profile (mean utilization "
        f"{_pct(a['utilization_mean_frac'])})",
        "",
        *pairs([
            ("Energy", f"IT {a['it_mwh']:,.0f} MWh, facility {a['facility_mwh']:,.0f} MWh"),
            ("Annual PUE", f"{a['pue']:.3f} (energy-weighted; hourly {a['pue_hourly_min']:.3f}"
             f" to {a['pue_hourly_max']:.3f})"),
            ("Facility peak", f"{a['facility_peak_mw']:.2f} MW, {a['facility_peak_hour']} at "
             f"{a['dry_bulb_at_peak_c']:.1f} °C (mean {a['facility_mean_mw']:.2f} MW)"),
            ("Plant holds", holds),
            ("Limits", f"{_exceedance('grid', grid_c)}; {_exceedance('heat rejection', heat_c)}"
             f" (peak heat rejected {heat_c['peak_mw']:.2f} MW)"),
            ("Hottest hour", f"{a['dry_bulb_max_c']:.1f} °C dry bulb, wet bulb up to "
             f"{a['wet_bulb_max_c']:.1f} °C"),
            *[(f"Cooling hours, {label}", _hours(a["cooling_hours"][loop]))
              for loop, label in COOLING_LOOPS.items()],
            ("Cooling energy", f"{a['cooling_mwh']:,.0f} MWh: chillers {a['chiller_mwh']:,.0f}, "
             f"fans {a['fans_mwh']:,.0f}, pumps {a['pumps_mwh']:,.0f}"),
            ("Electrical losses", f"{a['electrical_loss_mwh']:,.0f} MWh (misc "
             f"{a['misc_mwh']:,.0f} MWh)"),
            ("Water", f"{a['water_m3']:,.0f} m3, WUE {a['wue_l_per_kwh']:.3f} L/kWh IT"),
        ]),
        "",
        "Monthly",
        *grid([["", "IT MWh", "facility MWh", "PUE", "peak MW", "mean °C", "max °C",
                "liquid free h", "chiller MWh", "water m3"]] + [
            [m["month"], f"{m['it_mwh']:,.0f}", f"{m['facility_mwh']:,.0f}", f"{m['pue']:.3f}",
             _num(m["facility_peak_mw"]), _num(m["dry_bulb_mean_c"], 1),
             _num(m["dry_bulb_max_c"], 1), f"{m['liquid_free_hours']:,}",
             f"{m['chiller_mwh']:,.0f}", f"{m['water_m3']:,.0f}"] for m in a["monthly"]
        ]),
    ]
    return "\n".join(lines)


#: Columns of ``--hourly-output``: name, key in the hourly arrays, divisor.
HOURLY_COLUMNS = (
    ("dry_bulb_c", "dry_bulb_c", 1.0),
    ("wet_bulb_c", "wet_bulb_c", 1.0),
    ("dew_point_c", "dew_point_c", 1.0),
    ("utilization_frac", "utilization_frac", 1.0),
    ("it_mw", "it_w", W_PER_MW),
    ("facility_mw", "facility_w", W_PER_MW),
    ("pue", "pue", 1.0),
    ("distribution_loss_mw", "distribution_loss_w", W_PER_MW),
    ("ups_loss_mw", "ups_loss_w", W_PER_MW),
    ("transformer_loss_mw", "transformer_loss_w", W_PER_MW),
    ("misc_mw", "misc_w", W_PER_MW),
    ("cooling_mw", "cooling_cooling_w", W_PER_MW),
    ("chillers_mw", "cooling_chiller_w", W_PER_MW),
    ("pumps_mw", "cooling_pump_w", W_PER_MW),
    ("air_fans_mw", "cooling_air_fan_w", W_PER_MW),
    ("dry_cooler_fans_mw", "cooling_dry_cooler_fan_w", W_PER_MW),
    ("liquid_free_cooling_frac", "cooling_liquid_free_frac", 1.0),
    ("air_free_cooling_frac", "cooling_air_free_frac", 1.0),
    ("heat_rejected_mw", "cooling_heat_rejected_w", W_PER_MW),
    ("water_m3_per_h", "cooling_water_kg_per_s", L_PER_M3 / S_PER_H),
)


def hourly_csv(hourly: dict, month, day, hour) -> str:
    """One row per hour: the calendar, the weather and every power of the chain."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["month", "day", "hour", *(name for name, _, _ in HOURLY_COLUMNS)])
    columns = [np.asarray(hourly[key]) / scale for _, key, scale in HOURLY_COLUMNS]
    for k in range(len(month)):
        writer.writerow([int(month[k]), int(day[k]), int(hour[k]),
                         *(f"{col[k]:.6g}" for col in columns)])
    return buffer.getvalue()


def weather_table(year, stats: dict, reference=None) -> str:
    """Monthly statistics of a weather year; with ``reference`` (station normals), each
    column is followed by the normal."""
    header = ["", "TX °C", "TN °C", "dew °C", "days TX>=25", "TX>=30", "TX>=35"]
    keys = ["tx_c", "tn_c", "dew_point_c", "days_tx_ge_25", "days_tx_ge_30", "days_tx_ge_35"]
    normal_rows = None
    if reference is not None:
        header = [header[0], *(h for name in header[1:] for h in (name, "normal"))]
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
        "Monthly (daily extremes from the hourly values)",
        *grid(rows),
    ]
    if reference is not None:
        lines += ["", f"Normals: {reference.station}, {reference.period} (paris-climate.md)."]
    return "\n".join(lines)


def fit_table(f) -> str:
    """A capacity fit (:class:`dcplanner.fit.Fit`): the count, what stops it, the design point."""
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
        ]),
        "",
        design_table(r),
    ]
    return "\n".join(lines)


def requirements_table(q: dict) -> str:
    """What a deployment needs from the site (:func:`dcplanner.fit.requirements`)."""
    r = q["record"]
    deps = ", ".join(f"{d['count']:,} {d['system']}" for d in r["deployments"])
    lines = [
        f"Needs of '{r['scenario']}': {q['gpus']:,} GPUs ({deps}), at "
        f"{q['design_ambient_c']:.1f} °C, plant sized on {r['provisioning_basis']} power",
        *pairs([
            ("Grid connection", f"{q['grid_mw']:.2f} MW (facility peak)"),
            ("UPS", f"{q['ups_output_mw']:.2f} MW output: {q['ups_modules']} x "
             f"{q['ups_module_mw']:g} MW {q['ups_topology']} ({q['ups_installed_mw']:.2f} MW "
             "installed)"),
            ("Heat rejection", f"{q['heat_rejection_mw']:.2f} MW"),
            ("Racks", f"{q['racks']:,}, up to {q['rack_power_kw']:.1f} kW each"),
        ]),
    ]
    return "\n".join(lines)


def _changes(phase: dict) -> str:
    """What a phase changed, in words (from its ``changes`` entry)."""
    c = phase["changes"]
    parts = []
    if c["grid_mw"] is not None:
        parts.append(f"grid to {c['grid_mw']:g} MW")
    for key, label in (("ups_modules_added", "UPS modules"), ("transformer_mva_added", "MVA"),
                       ("heat_rejection_mw_added", "MW heat rejection"),
                       ("max_racks_added", "racks")):
        if c[key]:
            parts.append(f"+{c[key]:g} {label}")
    parts += [f"retired {r['count'] if r['count'] else 'all'} of {r['name']}" for r in c["retire"]]
    parts += [f"added {a['count']:,} {a['system']}" + (" (fill)" if a["fill"] else "")
              for a in c["add"]]
    return "; ".join(parts) or "as the scenario is written"


def _shortfall(phase: dict, first: bool) -> str:
    """Which limits an infeasible phase breaks, and by how much."""
    cons = phase["record"]["constraints"]
    text = "; ".join(f"{name} {c['value']:,.2f} {c['unit']} vs {c['limit']:,.2f} {c['unit']}"
                     for name, c in cons.items() if c["status"] == "VIOLATED")
    if not first and not phase["changes"]["add"]:
        text += " (with only the load carried over from earlier phases)"
    return text


def timeline_table(t: dict) -> str:
    """A phased plan: the timeline, compute by phase, what each phase changed, and the last
    state in full."""
    phases = t["phases"]
    rows = [["phase", "start", "grid MW", "GPUs", "racks", "IT MW", "facility peak MW",
             "headroom MW", "feasible", "MWh/yr", "PUE"]]
    compute = [["phase", *(p.upper() for p in reversed(PRECISIONS)), "sustained BF16"]]
    for p in phases:
        r = p["record"]
        annual = r.get("annual")
        rows.append([
            p["phase"], p["start"], _num(r["grid_mw"]), f"{r['gpus']:,}", f"{r['racks']:,}",
            _num(r["it_design_mw"]), _num(r["facility_peak_mw"]), f"{r['grid_headroom_mw']:+.2f}",
            "yes" if r["feasible"] else "NO (" + ", ".join(r["violated"]) + ")",
            f"{annual['facility_mwh']:,.0f}" if annual else "-",
            f"{annual['pue']:.3f}" if annual else "-",
        ])
        peak, sustained = r["compute"]["peak_pflops"], r["compute"]["sustained_pflops"]
        compute.append([p["phase"], *(_num(peak[q], 0) for q in reversed(PRECISIONS)),
                        _num(sustained["bf16"], 0)])
    lines = [
        f"{t['scenario']}: {len(phases)} phases",
        "",
        "Timeline (design point; energy and PUE from the annual simulation)",
        *grid(rows, align="ll" + "r" * 9),
        "",
        "Peak dense PFLOPS by phase (sustained BF16 at the scenario's MFU and utilization)",
        *grid(compute),
        "",
        "Changes",
        *pairs([(p["phase"], _changes(p)) for p in phases]),
    ]
    problems = [(p["phase"], _shortfall(p, k == 0)) for k, p in enumerate(phases)
                if not p["record"]["feasible"]]
    if problems:
        lines += ["", "Not feasible at the design point", *pairs(problems)]
    lines += ["", f"Last phase in full: {phases[-1]['phase']}", "",
              full_table(phases[-1]["record"])]
    return "\n".join(lines)


def render_timeline(t: dict, fmt: str) -> str:
    """A phased plan as ``table``, ``json`` or ``csv`` (one row per phase)."""
    if fmt == "json":
        return json.dumps(t, indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        return csv_text([{"phase": p["phase"], "start": p["start"], **flat_row(p["record"])}
                         for p in t["phases"]])
    return timeline_table(t) + "\n"


#: How each optimization objective reads, with its unit.
OBJECTIVE_LABELS = {
    **{p: f"peak dense {p.upper()} PFLOPS" for p in PRECISIONS},
    "sustained_bf16": "sustained BF16 PFLOPS (at the scenario's MFU and utilization)",
    "gpus": "GPUs",
}


def _mix(m) -> str:
    return " + ".join(f"{n:,} {name}" for name, n in m.counts.items() if n) or "nothing"


def optimum_table(o) -> str:
    """An optimized mix (:class:`dcplanner.optimize.Optimum`) and its design point."""
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
        items.append(("Capex", f"{_eur(o.capex_eur)} of a {_eur(o.capex_budget_eur)} budget"))
    items += [(f"Excluded {name}", why) for name, why in o.excluded.items()]
    items.append(("Method", f"MILP on the linearized chain; {o.tightenings} tightening(s), "
                  f"{o.polish_steps} polish step(s)"))
    return "\n".join([f"Optimize '{r['scenario']}': maximize {label}", *pairs(items), "",
                      design_table(r)])


def _eur(value: float | None) -> str:
    """Euros with a unit that suits the size: 1.21 bn, 293.9 M, 45.2 k."""
    if value is None:
        return "unknown"
    for scale, unit in ((1e9, "bn"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= scale:
            return f"€{value / scale:,.2f} {unit}"
    return f"€{value:,.2f}"


def economics_table(r: dict) -> str:
    """Capex, opex, TCO, unit costs and carbon of one scenario."""
    e, c = r["economics"], r["carbon"]
    cap, opex = e["capex_eur"], e["opex_eur"]
    missing = e["missing_prices"]
    note = ("" if not missing else "; IT unknown: no catalog price for " + ", ".join(missing)
            + " (set catalog.systems.NAME.price_usd)")
    share = e["energy_share_of_tco_frac"]
    return "\n".join([
        f"Economics (EUR; discount rate {_pct(e['discount_rate_frac'])}, lifetimes "
        f"{e['lifetimes_years']['facility']:g} years facility, {e['lifetimes_years']['it']:g} "
        "IT) and carbon",
        "",
        *pairs([
            ("Capex", f"{_eur(cap['total'])}: facility {_eur(cap['facility'])}, IT hardware "
             f"{_eur(cap['it_hardware'])}, network {_eur(cap['network'])}, storage "
             f"{_eur(cap['storage'])}{note}"),
            ("Opex per year", f"{_eur(opex['total'])}: energy {_eur(opex['energy'])} at "
             f"€{e['energy_price_eur_per_mwh']:g}/MWh, maintenance {_eur(opex['maintenance'])},"
             f" staff {_eur(opex['staff'])}"),
            ("TCO per year", f"{_eur(e['tco_eur_per_year'])} (annualized capex "
             f"{_eur(e['annualized_capex_eur'])} + opex); energy "
             f"{_pct(share)} of it"),
            ("Cost per GPU-hour", _eur(e["cost_per_gpu_hour_eur"])),
            ("Per sustained PFLOP-day", f"{_eur(e['cost_per_sustained_pflop_day_eur'])} (BF16 at "
             f"MFU {_pct(r['compute']['mfu_frac'])}, mean utilization)"),
            ("Carbon per year", f"{c['total_tco2e']:,.0f} tCO2e: operational "
             f"{c['operational_tco2e']:,.0f} at {c['intensity']}, embodied "
             f"{c['embodied_tco2e']:,.0f}"),
        ]),
    ])


def _si(value: float) -> str:
    """405e9 -> '405B', 15.6e12 -> '15.6T'."""
    for scale, unit in ((1e12, "T"), (1e9, "B"), (1e6, "M")):
        if value >= scale:
            return f"{value / scale:,.4g}{unit}"
    return f"{value:,.4g}"


def training_table(t: dict) -> str:
    """A planned training run (:func:`dcplanner.training.plan`)."""
    moe = "" if t["active_params"] == t["params"] else f" ({_si(t['active_params'])} active)"
    return "\n".join([
        f"Training run on '{t['scenario']}': {_si(t['params'])} parameters{moe}, "
        f"{_si(t['tokens'])} tokens, {t['precision'].upper()} at MFU {_pct(t['mfu_frac'])}",
        "",
        *pairs([
            ("Compute", f"{t['training_flops']:.3g} FLOP (6 N D) on {t['gpus']:,} GPUs, "
             f"{t['peak_pflops'] / PFLOPS_PER_EFLOPS:,.2f} EFLOPS peak"),
            ("Time", f"{t['days']:,.1f} days, {t['gpu_hours']:,.0f} GPU-hours"),
            ("Facility energy", f"{t['facility_mwh']:,.0f} MWh ({t['it_busy_mw']:.2f} MW IT, "
             f"every GPU busy, x annual PUE {t['pue']:.3f})"),
            ("Cost", f"{_eur(t['cost_eur'])} (the site's annualized TCO for those days, "
             f"{_eur(t['cost_per_gpu_hour_eur'])} per GPU-hour)"),
            ("Carbon", f"{t['operational_tco2e'] + t['embodied_tco2e']:,.1f} tCO2e at "
             f"{t['grid_g_per_kwh']:.1f} g/kWh (embodied {t['embodied_tco2e']:,.1f})"),
        ]),
    ])


def accounting_table(a: dict) -> str:
    """A run accounted from GPU-hours (:func:`dcplanner.training.account`)."""
    return "\n".join(pairs([
        ("Energy", f"{a['energy_mwh']:,.2f} MWh = {a['gpu_hours']:,.0f} GPU-hours x "
         f"{a['power_w']:g} W x PUE {a['pue']:g}"),
        ("Carbon", f"{a['tco2e']:,.2f} tCO2e at {a['grid_g_per_kwh']:g} g/kWh"),
    ], indent=""))


def sig(value: float) -> str:
    """Four significant figures, without exponents for large values."""
    return f"{value:,.0f}" if abs(value) >= 1e4 else f"{value:,.4g}"


def study_table(manifest: dict, out: str) -> str:
    """What a finished study wrote, and P10/P50/P90 of each numeric output."""
    summary = json.loads((Path(out) / "summary.json").read_text(encoding="utf-8"))
    rows = [["output", "cases", "mean", "P10", "P50", "P90"]]
    for r in summary:
        if "p50" in r:
            rows.append([r["output"], f"{r['count']:,}",
                         *(sig(r[k]) for k in ("mean", "p10", "p50", "p90"))])
        elif "=" in r["output"]:
            rows.append([r["output"], f"{r['count']:,}", _pct(r["mean"]), "", "", ""])
    lines = [f"Study '{manifest['name']}': {manifest['cases']:,} cases in {out}",
             f"  wrote {', '.join(manifest['files'])}",
             *(f"  note: {note}" for note in manifest["notes"]), "", *grid(rows)]
    return "\n".join(lines)
