"""Text building blocks: aligned grids, label pairs and number formats."""

from __future__ import annotations

from collections.abc import Sequence


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


def pct(frac: float | None) -> str:
    return "-" if frac is None else f"{100 * frac:.1f} %"


def num(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def sig(value: float) -> str:
    """Four significant figures, without exponents for large values."""
    return f"{value:,.0f}" if abs(value) >= 1e4 else f"{value:,.4g}"


def eur(value: float | None) -> str:
    """Euros with a unit that suits the size: 1.21 bn, 293.9 M, 45.2 k."""
    if value is None:
        return "unknown"
    for scale, unit in ((1e9, "bn"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= scale:
            return f"€{value / scale:,.2f} {unit}"
    return f"€{value:,.2f}"


def si(value: float) -> str:
    """405e9 -> '405B', 15.6e12 -> '15.6T'."""
    for scale, unit in ((1e12, "T"), (1e9, "B"), (1e6, "M")):
        if value >= scale:
            return f"{value / scale:,.4g}{unit}"
    return f"{value:,.4g}"
