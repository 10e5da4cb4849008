"""The report's figures, drawn with matplotlib and returned as inline SVG and PNG.

matplotlib is an optional extra (``pip install 'dcplanner[report]'``), imported only here.
Every figure has a title and axis labels with units from the output declarations; its caption
is written by the page. Value axes start at zero; where one does not (PUE, a distribution's
range), the axis label says from where and why. Legends sit outside the data. The grid
connection, where a figure shows it, is drawn in a group with the SVG id ``grid-line-*`` so a
browser test can find it.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from dcplanner.errors import DcplannerError
from dcplanner.units import MWH_PER_GWH

WIDTH_IN = 9.0
HEIGHT_IN = 4.2
#: Resolution of the PNG export [dot/inch]: 1,350 px wide at 9 in, sharp on a slide.
PNG_DPI = 150
COLORS = ("#1f5fa8", "#e07b1a", "#3a9a4a", "#c0392b", "#7f5aa2", "#8c6d31", "#5b6b7b",
          "#d4a017", "#17a2b8")
#: Colours of the facility-power groups in the waterfall (one per group, not per part).
GROUP_COLORS = {"IT": "#1f5fa8", "electrical losses": "#e07b1a", "cooling": "#3a9a4a",
                "misc": "#8c97a3", "facility": "#1d2733"}
GRID_STYLE = {"color": "#c0392b", "linestyle": "--", "linewidth": 1.6}


@dataclass(frozen=True)
class Drawn:
    """A drawn figure: inline SVG (text as paths) and the same figure as base64 PNG."""

    svg: str
    png: str


def _figure(height_in: float = HEIGHT_IN):
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise DcplannerError("the report needs matplotlib: pip install 'dcplanner[report]'") \
            from None
    return Figure(figsize=(WIDTH_IN, height_in), layout="constrained")


def drawn(fig) -> Drawn:
    """A figure as an inline SVG element (text as paths, so no font is needed to view it)
    and as a PNG for slides."""
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "path", "svg.hashsalt": "dcplanner"}):
        fig.savefig(buffer, format="svg")
    text = buffer.getvalue()
    png = io.BytesIO()
    fig.savefig(png, format="png", dpi=PNG_DPI, metadata={"Software": None})
    return Drawn(text[text.index("<svg"):], base64.b64encode(png.getvalue()).decode("ascii"))


def _grid_line(ax, grid_mw: float, name: str, *, vertical: bool = True,
               labelled: bool = True) -> None:
    """The grid connection as a dashed red line, labelled, in SVG group ``grid-line-NAME``."""
    line = (ax.axvline if vertical else ax.axhline)(grid_mw, **GRID_STYLE, zorder=5)
    line.set_gid(f"grid-line-{name}")
    if not labelled:
        return
    if vertical:
        ax.annotate(f"grid {grid_mw:,.1f} MW", (grid_mw, 1.0), xycoords=("data", "axes fraction"),
                    xytext=(3, -3), textcoords="offset points", ha="left", va="top",
                    fontsize=8, color=GRID_STYLE["color"])
    else:
        ax.annotate(f"grid {grid_mw:,.1f} MW", (0.0, grid_mw), xycoords=("axes fraction", "data"),
                    xytext=(3, 3), textcoords="offset points", fontsize=8,
                    color=GRID_STYLE["color"])


def _whole_counts(ax) -> None:
    """Whole numbers on a count axis (cases)."""
    from matplotlib.ticker import MaxNLocator

    ax.yaxis.set_major_locator(MaxNLocator(integer=True))


def _joint_legend(fig, ax, right, ncol: int = 4) -> None:
    """One legend for a plot and its second y axis, below the axes (never over the data)."""
    handles, labels = ax.get_legend_handles_labels()
    more_handles, more_labels = right.get_legend_handles_labels()
    fig.legend(handles + more_handles, labels + more_labels, loc="outside lower center",
               ncol=ncol, fontsize=8, frameon=False)


def _legend_below(fig, ncol: int = 4) -> None:
    fig.legend(loc="outside lower center", ncol=ncol, fontsize=8, frameon=False)


def _gridded(ax, xlabel: str, ylabel: str, title: str) -> None:
    """Axis labels, the title and a light grid: the finish of a line or scatter figure."""
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(alpha=0.3)


def waterfall(parts: Sequence[tuple[str, str, float]], grid_mw: float, title: str) -> Drawn:
    """Facility power at the design point as a waterfall from IT to facility, with the grid.

    Parameters
    ----------
    parts : sequence of (label, group, MW)
        The parts that add up to facility power, in chain order; ``group`` is one of
        :data:`GROUP_COLORS` (IT, electrical losses, cooling, misc) and sets the colour.
    grid_mw : float
        The grid connection [MW], drawn as a vertical line.
    """
    labels = [label for label, _, _ in parts] + ["facility"]
    values = np.array([mw for _, _, mw in parts], dtype=float)
    total = float(values.sum())
    lefts = np.concatenate([[0.0], np.cumsum(values)[:-1], [0.0]])
    widths = np.concatenate([values, [total]])
    groups = [group for _, group, _ in parts] + ["facility"]
    fig = _figure(max(3.0, 0.26 * len(labels) + 1.6))
    ax = fig.add_subplot()
    y = np.arange(len(labels))[::-1]
    seen = set()
    for k in range(len(labels)):
        group = groups[k]
        ax.barh(y[k], widths[k], left=lefts[k], color=GROUP_COLORS[group], height=0.7,
                label=group if group not in seen and group != "facility" else None)
        seen.add(group)
        ax.annotate(f"{widths[k]:,.2f}", (lefts[k] + widths[k], y[k]), xytext=(3, 0),
                    textcoords="offset points", va="center", fontsize=7)
    _grid_line(ax, grid_mw, "waterfall")
    ax.set_yticks(y, labels, fontsize=8)
    ax.set_xlim(0, max(total, grid_mw) * 1.12)
    ax.set_xlabel("power at the design point [MW]")
    ax.set_title(title)
    _legend_below(fig)
    return drawn(fig)


def heat_map(values_mw: NDArray, title: str) -> Drawn:
    """Facility power by day of the year (rows) and hour of the day (columns)."""
    fig = _figure(4.8)
    ax = fig.add_subplot()
    days = values_mw.reshape(-1, 24)
    image = ax.imshow(days.T, aspect="auto", origin="lower", cmap="viridis",
                      extent=(0.5, days.shape[0] + 0.5, -0.5, 23.5), interpolation="nearest")
    ax.set_xlabel("day of the year [day]")
    ax.set_ylabel("hour of the day [h]")
    ax.set_title(title)
    fig.colorbar(image, ax=ax, label="facility power [MW] (colour scale spans the year's range)")
    return drawn(fig)


def monthly_energy(months: Sequence[str], it_mwh: NDArray, facility_mwh: NDArray,
                   pue: NDArray, title: str) -> Drawn:
    """Monthly IT and overhead energy as stacked bars, with the monthly PUE on a second axis."""
    fig = _figure()
    ax = fig.add_subplot()
    x = np.arange(len(months))
    it_gwh, overhead_gwh = it_mwh / MWH_PER_GWH, (facility_mwh - it_mwh) / MWH_PER_GWH
    ax.bar(x, it_gwh, color=GROUP_COLORS["IT"], label="IT")
    ax.bar(x, overhead_gwh, bottom=it_gwh, color=COLORS[1],
           label="losses, cooling and misc")
    ax.set_xticks(x, months)
    ax.set_xlabel("month")
    ax.set_ylabel("energy [GWh]")
    ax.set_ylim(0, float(np.max(it_gwh + overhead_gwh)) * 1.08)
    ax.set_title(title)
    right = ax.twinx()
    right.plot(x, pue, color="black", marker="o", label="PUE (right axis)")
    right.set_ylim(1.0, max(1.3, float(np.max(pue)) * 1.02))
    right.set_ylabel("PUE [-] (from 1.0, its floor)")
    _joint_legend(fig, ax, right)
    return drawn(fig)


def pue_vs_ambient(dry_bulb_c: NDArray, pue: NDArray, title: str) -> Drawn:
    """Hourly PUE against the outdoor dry bulb (points rasterized to keep the file small)."""
    fig = _figure()
    ax = fig.add_subplot()
    ax.scatter(dry_bulb_c, pue, s=2, alpha=0.4, color=COLORS[0], rasterized=True)
    ax.set_ylim(1.0, max(1.3, float(np.max(pue)) * 1.02))
    _gridded(ax, "outdoor dry bulb [°C]", "hourly PUE [-] (from 1.0, its floor)", title)
    return drawn(fig)


def cooling_hours(months: Sequence[str], free: NDArray, partial: NDArray, chiller: NDArray,
                  title: str) -> Drawn:
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
    ax.set_ylim(0, float(np.max(free + partial + chiller)) * 1.05)
    ax.set_title(title)
    _legend_below(fig, 3)
    return drawn(fig)


def timeline(phases: Sequence[str], facility_mw: NDArray, grid_mw: NDArray, gpus: NDArray,
             title: str) -> Drawn:
    """Facility peak and grid connection by phase, with the GPUs deployed."""
    fig = _figure()
    ax = fig.add_subplot()
    x = np.arange(len(phases))
    ax.bar(x - 0.2, facility_mw, width=0.4, color=COLORS[0], label="facility peak")
    ax.bar(x + 0.2, grid_mw, width=0.4, color=COLORS[6], label="grid connection")
    ax.set_xticks(x, phases)
    ax.set_xlabel("phase")
    ax.set_ylabel("power [MW]")
    ax.set_ylim(0, float(max(np.max(facility_mw), np.max(grid_mw))) * 1.1)
    ax.set_title(title)
    right = ax.twinx()
    right.plot(x, gpus, color=COLORS[1], marker="s", label="GPUs (right axis)")
    right.set_ylim(0, float(np.max(gpus)) * 1.1)
    right.set_ylabel("GPUs [-]")
    _joint_legend(fig, ax, right)
    return drawn(fig)


def exceedance(values: NDArray, grid_mw: float | NDArray) -> float:
    """Share of cases whose value exceeds the grid connection (a scalar or one per case) [-]."""
    return float(np.mean(values > grid_mw)) if values.size else float("nan")


def histogram(values: NDArray, label: str, title: str, grid_mw: float | None = None,
              name: str = "histogram") -> Drawn:
    """Distribution of one study output over its cases, with P10, P50 and P90 and, for a power,
    the grid connection and the probability of exceeding it."""
    fig = _figure(3.6)
    ax = fig.add_subplot()
    ax.hist(values, bins=min(40, max(5, values.size // 10)), color=COLORS[0], alpha=0.85)
    for q, style in ((10, ":"), (50, "-"), (90, ":")):
        ax.axvline(np.percentile(values, q), color="black", linestyle=style,
                   label=f"P{q} {np.percentile(values, q):,.4g}")
    note = "axis spans the cases' range, not from 0"
    if grid_mw is not None:
        _grid_line(ax, grid_mw, name)
        ax.plot([], [], **GRID_STYLE,
                label=f"grid {grid_mw:,.1f} MW: P(exceed) {exceedance(values, grid_mw):.0%}")
        low, high = ax.get_xlim()
        ax.set_xlim(min(low, grid_mw), max(high, grid_mw + 0.04 * (high - low)))
        note = "axis spans the cases and the grid, not from 0"
    ax.set_xlabel(f"{label} ({note})")
    ax.set_ylabel("cases [-]")
    _whole_counts(ax)
    ax.set_title(title)
    _legend_below(fig)
    return drawn(fig)


def tornado(rows: Sequence[tuple[str, float, float]], center: float, label: str,
            title: str) -> Drawn:
    """Swing of one output, in its unit, as each varied input goes from low to high.

    Parameters
    ----------
    rows : sequence of (input label, output at the input's low end, at its high end)
        One bar per input, drawn from the low-end value to the high-end value; largest swing
        on top. Blue when raising the input raises the output, red when it lowers it.
    center : float
        The output's mean over the cases, drawn as the bars' common reference line.
    label : str
        The output's label with its unit (the x axis).
    """
    swings = np.array([high - low for _, low, high in rows], dtype=float)
    order = np.argsort(np.abs(swings))
    fig = _figure(max(2.4, 0.42 * len(rows) + 1.5))
    ax = fig.add_subplot()
    for y, k in enumerate(order):
        _name, low, high = rows[k]
        ax.barh(y, high - low, left=low, color=COLORS[0] if high >= low else COLORS[3],
                height=0.6)
        ax.annotate(f"{high - low:+,.4g}", (max(low, high), y), xytext=(3, 0),
                    textcoords="offset points", va="center", fontsize=8)
    ax.set_yticks(np.arange(len(rows)), [rows[k][0] for k in order], fontsize=8)
    ax.axvline(center, color="black", linewidth=0.8)
    ends = [v for _, low, high in rows for v in (low, high)] + [center]
    span = (max(ends) - min(ends)) or abs(center) or 1.0
    ax.set_xlim(min(ends) - 0.05 * span, max(ends) + 0.18 * span)
    ax.set_xlabel(f"{label} (axis around the mean of the cases, not from 0)")
    ax.set_title(title)
    return drawn(fig)


#: Panels of a small-multiples figure, at most (one per category).
MAX_PANELS = 12


def small_multiples(panels: Sequence[tuple[str, NDArray]], label: str, title: str,
                    grid_mw: float | None = None, name: str = "panels") -> Drawn:
    """One small histogram per category on a shared x axis, with the grid line and each
    panel's probability of exceeding it.

    Parameters
    ----------
    panels : sequence of (category, values)
        The cases of each category (a system, a plant, a level of a grid).
    grid_mw : float, optional
        The grid connection [MW]; drawn in every panel when given.
    """
    columns = min(3, len(panels))
    rows = -(-len(panels) // columns)
    fig = _figure(1.9 * rows + 0.9)
    axes = fig.subplots(rows, columns, sharex=True, squeeze=False)
    every = np.concatenate([values for _, values in panels])
    low, high = float(np.min(every)), float(np.max(every))
    if grid_mw is not None:
        low, high = min(low, grid_mw), max(high, grid_mw)
    pad = 0.04 * ((high - low) or abs(high) or 1.0)
    bins = np.linspace(low - pad, high + pad, 21)
    for k, ax in enumerate(axes.flat):
        if k >= len(panels):
            ax.set_visible(False)
            continue
        category, values = panels[k]
        ax.hist(values, bins=bins, color=COLORS[0], alpha=0.85)
        heading = f"{category} ({values.size:,} cases"
        if grid_mw is not None:
            _grid_line(ax, grid_mw, f"{name}-{k}", labelled=False)
            heading += f", P(exceed) {exceedance(values, grid_mw):.0%}"
        ax.set_title(heading + ")", fontsize=8)
        ax.tick_params(labelsize=7)
        _whole_counts(ax)
        if k % columns == 0:
            ax.set_ylabel("cases [-]", fontsize=8)
    fig.supxlabel(f"{label} (axis spans the cases" + (" and the grid" if grid_mw else "")
                  + ", not from 0)" + (f"; dashed red: the {grid_mw:,.1f} MW grid"
                                       if grid_mw is not None else ""), fontsize=9)
    fig.suptitle(title)
    return drawn(fig)


def power_swing(t_s: NDArray, raw_mw: NDArray, smoothed_mw: NDArray, grid_mw: float,
                smoothed_label: str, title: str) -> Drawn:
    """Grid-side power over a short window of the sub-hourly trace, without and with smoothing
    and storage, with the grid connection (SVG group ``grid-line-power-swing``).

    Parameters
    ----------
    t_s : (T,) array
        Time into the trace [s].
    raw_mw, smoothed_mw : (T,) arrays
        Facility power without smoothing or storage, and the grid side with them [MW].
    grid_mw : float
        The grid connection [MW], drawn as a horizontal line.
    smoothed_label : str
        Legend entry of the smoothed trace (what smooths it).
    """
    fig = _figure(3.8)
    ax = fig.add_subplot()
    ax.plot(t_s, raw_mw, color=COLORS[6], linewidth=0.9, label="facility power, unsmoothed")
    ax.plot(t_s, smoothed_mw, color=COLORS[0], linewidth=1.6, label=smoothed_label)
    _grid_line(ax, grid_mw, "power-swing", vertical=False)
    ax.plot([], [], **GRID_STYLE, label=f"grid connection {grid_mw:,.1f} MW")
    ax.set_xlim(float(t_s[0]), float(t_s[-1]))
    ax.set_ylim(0, max(float(np.max(raw_mw)), float(np.max(smoothed_mw)), grid_mw) * 1.1)
    _gridded(ax, "time into the trace [s]", "power drawn from the grid [MW]", title)
    _legend_below(fig, 3)
    return drawn(fig)


def headroom_curve(budget_h: NDArray, extra_gpus: NDArray, title: str) -> Drawn:
    """Extra GPUs a flexible connection allows against its curtailment budget.

    Parameters
    ----------
    budget_h : (B,) array
        Curtailment budgets [h/yr], increasing.
    extra_gpus : (B,) array
        GPUs over the firm count (the zero-hour budget) within each budget [-].
    """
    fig = _figure(3.6)
    ax = fig.add_subplot()
    ax.plot(budget_h, extra_gpus, color=COLORS[0], marker="o", drawstyle="steps-post",
            label="extra GPUs (at least this many up to the next budget evaluated)")
    for h, n in zip(budget_h, extra_gpus, strict=True):
        ax.annotate(f"+{n:,.0f}", (h, n), xytext=(3, 4), textcoords="offset points",
                    fontsize=8)
    ax.set_xlim(0, float(np.max(budget_h)) * 1.08 or 1.0)
    ax.set_ylim(0, max(float(np.max(extra_gpus)), 1.0) * 1.2)
    _gridded(ax, "curtailment budget [h/yr]", "extra GPUs over the firm count [-]", title)
    _legend_below(fig, 1)
    return drawn(fig)
