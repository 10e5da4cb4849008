"""The view of ``dcplanner compare``: the inputs that differ and the key outputs, side by side
(text fits 100 columns), as JSON and as CSV rows."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from dcplanner.engine.outputs import Output
from dcplanner.output.text import eur, grid, sig
from dcplanner.output.view import View
from dcplanner.solvers.compare import ABSENT, Comparison, difference

#: Text width of the table [characters].
WIDTH = 100
#: Digits shown for a value by its unit (2 otherwise).
DIGITS = {"-": 3, "GPUs": 0, "racks": 0, "m3": 0, "tCO2e": 0, "MWh": 0}


def letter(i: int) -> str:
    """Column name of scenario ``i``: A, B, ..., Z, AA, AB, ..."""
    return letter(i // 26 - 1) + chr(65 + i % 26) if i >= 26 else chr(65 + i)


def label(o: Output) -> str:
    """How the comparison names an output: its declared label, a yearly one said so."""
    text = o.label[0].upper() + o.label[1:]
    if o.section == "annual" and "annual" not in o.label.lower():
        text += " (year)"
    return text


def cell(value: Any, o: Output | None = None) -> str:
    """A value as text: yes/no, ``none`` for a field not set (``-`` for a field the scenario
    does not have, an output it does not give), numbers to the digits of their unit and euros
    from 10,000 in k, M or bn."""
    if value is ABSENT:
        return "-"
    if value is None:
        return "-" if o is not None else "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float) and o is not None and o.kind in ("float", "int"):
        if o.unit == "EUR" and abs(value) >= 1e4:
            return eur(value).replace("€", "")
        digits = 0 if o.kind == "int" else DIGITS.get(o.unit, 2)
        if o.unit == "EUR":
            digits = 3
        return f"{value:,.{digits}f}"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def signed(value: float | None, o: Output) -> str:
    """A difference with its sign (blank when there is none to take)."""
    if value is None:
        return ""
    text = cell(value, o)
    return text if text.startswith("-") or text.strip("0.,kMbn ") == "" else "+" + text


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 1)] + "…"


def compare_table(c: Comparison, sources: Sequence[str], names: Sequence[str]) -> str:
    """The comparison as text, at most :data:`WIDTH` columns wide."""
    n = len(sources)
    cols = [letter(i) for i in range(n)]
    lines = [f"Compare {n} scenarios"]
    lines += [_clip(f"  {col}  {src}: {name}", WIDTH)
              for col, src, name in zip(cols, sources, names, strict=True)]
    lines.append("")
    if c.inputs:
        lines.append(f"Inputs that differ ({len(c.inputs)})")
        path_w = min(max(len(p) for p, _ in c.inputs), 44)
        value_w = max((WIDTH - 2 - path_w - 2 * n) // n, 6)
        rows = [["field", *cols]]
        rows += [[_clip(p, path_w), *(_clip(cell(v), value_w) for v in values)]
                 for p, values in c.inputs]
        lines += grid(rows, align="l" * (n + 1))
    else:
        lines.append("Inputs that differ: none")
    lines.append("")
    lines.append("Outputs")
    lines += _outputs_grid(c, cols, with_differences=True)
    if max(len(line) for line in lines[-len(c.outputs) - 1:]) > WIDTH:
        del lines[-len(c.outputs) - 1:]
        lines[-1] = "Outputs (differences left out to fit; --format csv or json has them)"
        lines += _outputs_grid(c, cols, with_differences=False)
    return "\n".join(line[:WIDTH] for line in lines) + "\n"


def _outputs_grid(c: Comparison, cols: Sequence[str], with_differences: bool) -> list[str]:
    diffs = [f"{col} - A" for col in cols[1:]] if with_differences else []
    rows = [["output", "unit", *cols, *diffs]]
    for o, values in c.outputs:
        rows.append([label(o), o.unit or "", *(cell(v, o) for v in values),
                     *(signed(difference(values[0], v, o), o)
                       for v in values[1:] if with_differences)])
    return grid(rows)


def compare_data(c: Comparison, sources: Sequence[str], names: Sequence[str]) -> dict:
    """The comparison as JSON data."""
    return {
        "scenarios": [{"column": letter(i), "source": s, "name": name}
                      for i, (s, name) in enumerate(zip(sources, names, strict=True))],
        "inputs": [{"path": p, "values": [None if v is ABSENT else v for v in values]}
                   for p, values in c.inputs],
        "outputs": [{"path": o.path, "label": label(o), "unit": o.unit,
                     "values": list(values),
                     "differences": [difference(values[0], v, o) for v in values[1:]]}
                    for o, values in c.outputs],
    }


def compare_rows(c: Comparison, n: int) -> list[dict]:
    """CSV rows: one per differing input, then one per output; a column per scenario and,
    for outputs, the difference of each from the first."""
    cols = [letter(i) for i in range(n)]
    rows: list[dict] = [{"kind": "input", "path": p, "label": "", "unit": "",
                         **{col: cell(v) for col, v in zip(cols, values, strict=True)}}
                        for p, values in c.inputs]
    for o, values in c.outputs:
        row = {"kind": "output", "path": o.path, "label": label(o), "unit": o.unit,
               **dict(zip(cols, values, strict=True))}
        row.update({f"{col}-A": difference(values[0], v, o)
                    for col, v in zip(cols[1:], values[1:], strict=True)})
        rows.append(row)
    return rows


def compare_view(c: Comparison, sources: Sequence[str], names: Sequence[str]) -> View:
    """The view of ``dcplanner compare`` (table, json, csv)."""
    return View(compare_data(c, sources, names), lambda: compare_table(c, sources, names),
                lambda: compare_rows(c, len(sources)))


def _spread(row: dict, sampled: bool) -> str:
    """A category's value of an output: mean [min-max] of a grid's cases, P50 [P10-P90] of a
    sampled design's."""
    if not row["cases"]:
        return "-"
    mid, low, high = (row["p50"], row["p10"], row["p90"]) if sampled else \
        (row["mean"], row["min"], row["max"])
    return f"{sig(mid)} [{sig(low)}, {sig(high)}]"


def categories_table(name: str, rows: Sequence[dict], sampled: bool) -> str:
    """Per category of a study, every numeric output over each value's cases, at most
    :data:`WIDTH` columns wide (the range left out where it does not fit)."""
    from dcplanner.engine.outputs import BY_PATH

    mid = "P50" if sampled else "mean"
    spread = "P50 [P10, P90]" if sampled else "mean [min, max]"
    lines = [_clip(f"{name}: by category", WIDTH),
             f"{spread} of each output over the cases of each value"
             + ("" if sampled else " (a grid: no percentiles)")]
    for path in dict.fromkeys(r["category"] for r in rows):
        mine = [r for r in rows if r["category"] == path]
        values = list(dict.fromkeys(r["value"] for r in mine))
        cols = [str(k + 1) for k in range(len(values))]
        lines += ["", path]
        counts = {r["value"]: r["cases"] for r in mine}
        lines += [_clip(f"  {col}  {value} ({counts[value]} cases)", WIDTH)
                  for col, value in zip(cols, values, strict=True)]
        outputs = list(dict.fromkeys(r["output"] for r in mine))
        at = {(r["output"], r["value"]): r for r in mine}
        for full in (True, False):
            body = [[o, BY_PATH[o].unit if o in BY_PATH else "",
                     *((_spread(at[o, v], sampled) if full else sig(at[o, v][mid.lower()]))
                       if at[o, v]["cases"] else "-" for v in values)] for o in outputs]
            table = grid([[f"output ({spread if full else mid})", "unit", *cols], *body])
            if max(len(line) for line in table) <= WIDTH or not full:
                break
        lines += table
    return "\n".join(line[:WIDTH] for line in lines) + "\n"


def categories_view(name: str, rows: list[dict], sampled: bool) -> View:
    """The view of ``dcplanner compare --study`` (table, json, csv)."""
    return View({"study": name, "samples": sampled, "categories": rows},
                lambda: categories_table(name, rows, sampled), lambda: rows)
