"""The report's figures, drawn with matplotlib and returned as inline SVG.

matplotlib is an optional extra (``pip install 'dcplanner[report]'``), imported only here.
Every figure has a title and axis labels with units; its caption is written by the page.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from dcplanner.errors import DcplannerError
from dcplanner.units import MWH_PER_GWH

WIDTH_IN = 9.0
HEIGHT_IN = 4.2
COLORS = ("#1f5fa8", "#e07b1a", "#3a9a4a", "#c0392b", "#7f5aa2", "#8c6d31", "#5b6b7b",
          "#d4a017", "#17a2b8")


def _figure(height_in: float = HEIGHT_IN):
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise DcplannerError("the report needs matplotlib: pip install 'dcplanner[report]'") \
            from None
    return Figure(figsize=(WIDTH_IN, height_in), layout="constrained")


def svg(fig) -> str:
    """A figure as an inline SVG element (text as paths, so no font is needed to view it)."""
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "path", "svg.hashsalt": "dcplanner"}):
        fig.savefig(buffer, format="svg")
    text = buffer.getvalue()
    return text[text.index("<svg"):]


def _joint_legend(ax, right, loc: str) -> None:
    """One legend for a plot and its second y axis."""
    handles, labels = ax.get_legend_handles_labels()
    more_handles, more_labels = right.get_legend_handles_labels()
    ax.legend(handles + more_handles, labels + more_labels, loc=loc, fontsize=8)


def power_breakdown(parts: Sequence[tuple[str, float]], grid_mw: float, title: str) -> str:
    """Facility power at the design point as one stacked bar per chain stage, with the grid."""
    fig = _figure(4.4)
    ax = fig.add_subplot()
    left = 0.0
    for k, (label, mw) in enumerate(parts):
        ax.barh([0], [mw], left=left, color=COLORS[k % len(COLORS)], label=f"{label} {mw:.2f}")
        left += mw
    ax.axvline(grid_mw, color="black", linestyle="--", label=f"grid connection {grid_mw:.1f}")
    ax.set_yticks([])
    ax.set_xlabel("power at the design point [MW]")
    ax.set_title(title)
    fig.legend(loc="outside lower center", ncol=4, fontsize=8, frameon=False)
    return svg(fig)


def heat_map(values_mw: NDArray, title: str) -> str:
    """Facility power by day of the year (rows) and hour of the day (columns)."""
    fig = _figure(4.8)
    ax = fig.add_subplot()
    days = values_mw.reshape(-1, 24)
    image = ax.imshow(days.T, aspect="auto", origin="lower", cmap="viridis",
                      extent=(0.5, days.shape[0] + 0.5, -0.5, 23.5), interpolation="nearest")
    ax.set_xlabel("day of the year [day]")
    ax.set_ylabel("hour of the day [h]")
    ax.set_title(title)
    fig.colorbar(image, ax=ax, label="facility power [MW]")
    return svg(fig)


def monthly_energy(months: Sequence[str], it_mwh: NDArray, facility_mwh: NDArray,
                   pue: NDArray, title: str) -> str:
    """Monthly IT and overhead energy as stacked bars, with the monthly PUE on a second axis."""
    fig = _figure()
    ax = fig.add_subplot()
    x = np.arange(len(months))
    it_gwh, overhead_gwh = it_mwh / MWH_PER_GWH, (facility_mwh - it_mwh) / MWH_PER_GWH
    ax.bar(x, it_gwh, color=COLORS[0], label="IT")
    ax.bar(x, overhead_gwh, bottom=it_gwh, color=COLORS[1],
           label="losses, cooling and misc")
    ax.set_xticks(x, months)
    ax.set_xlabel("month")
    ax.set_ylabel("energy [GWh]")
    ax.set_title(title)
    right = ax.twinx()
    right.plot(x, pue, color="black", marker="o", label="PUE")
    right.set_ylabel("PUE [-]")
    _joint_legend(ax, right, "lower right")
    return svg(fig)


def pue_vs_ambient(dry_bulb_c: NDArray, pue: NDArray, title: str) -> str:
    """Hourly PUE against the outdoor dry bulb (points rasterized to keep the file small)."""
    fig = _figure()
    ax = fig.add_subplot()
    ax.scatter(dry_bulb_c, pue, s=2, alpha=0.4, color=COLORS[0], rasterized=True)
    ax.set_xlabel("outdoor dry bulb [°C]")
    ax.set_ylabel("hourly PUE [-]")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    return svg(fig)


def cooling_hours(months: Sequence[str], free: NDArray, partial: NDArray, chiller: NDArray,
                  title: str) -> str:
    """Hours per month with full free cooling, partial, and chillers only."""
    fig = _figure()
    ax = fig.add_subplot()
    x = np.arange(len(months))
    ax.bar(x, free, color=COLORS[2], label="free cooling only")
    ax.bar(x, partial, bottom=free, color=COLORS[7], label="partial (dry coolers + chiller)")
    ax.bar(x, chiller, bottom=free + partial, color=COLORS[3], label="chiller only")
    ax.set_xticks(x, months)
    ax.set_xlabel("month")
    ax.set_ylabel("hours [h]")
    ax.set_title(title)
    ax.legend(loc="lower right", fontsize=8)
    return svg(fig)


def timeline(phases: Sequence[str], facility_mw: NDArray, grid_mw: NDArray, gpus: NDArray,
             title: str) -> str:
    """Facility peak and grid connection by phase, with the GPUs deployed."""
    fig = _figure()
    ax = fig.add_subplot()
    x = np.arange(len(phases))
    ax.bar(x - 0.2, facility_mw, width=0.4, color=COLORS[0], label="facility peak")
    ax.bar(x + 0.2, grid_mw, width=0.4, color=COLORS[6], label="grid connection")
    ax.set_xticks(x, phases)
    ax.set_xlabel("phase")
    ax.set_ylabel("power [MW]")
    ax.set_title(title)
    right = ax.twinx()
    right.plot(x, gpus, color=COLORS[1], marker="s", label="GPUs")
    right.set_ylabel("GPUs [-]")
    _joint_legend(ax, right, "upper left")
    return svg(fig)


def histogram(values: NDArray, label: str, title: str) -> str:
    """Distribution of one study output over its cases, with P10, P50 and P90."""
    fig = _figure(3.4)
    ax = fig.add_subplot()
    ax.hist(values, bins=min(40, max(5, values.size // 10)), color=COLORS[0], alpha=0.85)
    for q, style in ((10, ":"), (50, "-"), (90, ":")):
        ax.axvline(np.percentile(values, q), color="black", linestyle=style,
                   label=f"P{q} {np.percentile(values, q):,.4g}")
    ax.set_xlabel(label)
    ax.set_ylabel("cases [-]")
    ax.set_title(title)
    ax.legend(fontsize=8)
    return svg(fig)


def tornado(inputs: Sequence[str], rho: NDArray, output: str, title: str) -> str:
    """Spearman rank correlation of each varied input with one output, largest first."""
    order = np.argsort(np.abs(rho))
    fig = _figure(max(2.4, 0.45 * len(inputs) + 1.2))
    ax = fig.add_subplot()
    colors = [COLORS[3] if r < 0 else COLORS[0] for r in rho[order]]
    ax.barh(np.arange(len(inputs)), rho[order], color=colors)
    ax.set_yticks(np.arange(len(inputs)), [inputs[i] for i in order], fontsize=8)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlim(-1, 1)
    ax.set_xlabel(f"Spearman rank correlation with {output} [-]")
    ax.set_title(title)
    return svg(fig)
