"""Rendering result records as a table, JSON or CSV, and writing files atomically."""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from dcplanner.models.compute import PRECISIONS
from dcplanner.results import IT_PARTS, flat_row
from dcplanner.units import PFLOPS_PER_EFLOPS

FORMATS = ("table", "json", "csv")


def write_atomic(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder and a rename, so
    that a reader never sees a half-written file."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent or ".", prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def render(records: Sequence[dict], fmt: str) -> str:
    """Records as ``table``, ``json`` (one object, or a list for several) or ``csv`` (a header
    of dotted keys and one row per record)."""
    if fmt == "json":
        data = records[0] if len(records) == 1 else list(records)
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        rows = [flat_row(r) for r in records]
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return buffer.getvalue()
    if fmt == "table":
        return "\n\n".join(design_table(r) for r in records) + "\n"
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
