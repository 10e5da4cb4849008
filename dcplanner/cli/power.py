"""``dcplanner power``: the sub-hourly swings of a training job, smoothing and storage."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import click
import numpy as np

from dcplanner.cli.base import CONFIG, SET, check_writable, main, output_options, reports_errors
from dcplanner.config import Override, load
from dcplanner.errors import DcplannerError
from dcplanner.solvers.power import TRACE_COLUMNS
from dcplanner.units import KWH_PER_MWH, W_PER_MW

if TYPE_CHECKING:
    from dcplanner.output import View
    from dcplanner.solvers.headroom import Headroom
    from dcplanner.solvers.power import PowerStudy


@main.command("power")
@CONFIG
@click.option("--trace", "trace_file", type=click.Path(dir_okay=False), metavar="FILE",
              help="Write the sub-hourly trace (a time column, then MW columns): CSV, or "
              "Parquet for a name ending in .parquet (needs pyarrow).")
@click.option("--headroom", is_flag=True,
              help="Also the headroom on the connection over the hourly year: the GPUs a "
              "power.oversubscription percentile or a power.curtailment budget adds, the UPS "
              "reserve used for load, and the contracted power at risk each year of the "
              "ramp-up ('use it or lose it').")
@SET
@reports_errors
@output_options("table", "json")
def power_command(config: str | None, trace_file: str | None, headroom: bool,
                  overrides: tuple[Override, ...]) -> View:
    """How a training job swings the site's power over seconds, and what smooths it.

    One trace of the scenario's power: section (default an hour at 100 ms at the design
    hour): compute and communication phases, checkpoint dips, interruptions and restarts,
    through the facility chain (UPS and distribution losses follow instantly, cooling its
    trailing mean over power.cooling_time_constant_s), then GPU power smoothing, rack
    storage and a site battery held to power.battery limits. A phased scenario is studied
    as its finished site.

    \b
    Examples:
      dcplanner power
      dcplanner power --set power.battery.max_ramp_mw_per_s=1 --set power.battery.max_swing_mw=2
      dcplanner power --set power.smoothing.floor_tgp_frac=0.7 --trace trace.csv
      dcplanner power configs/paris-100mw.yaml --headroom
    """
    from dcplanner.output import View
    from dcplanner.solvers.power import study

    check_writable(trace_file, "--trace")
    loaded = load(config, overrides)
    with loaded.errors():
        resolved = phased = loaded.resolved
        if resolved.scenario.phases:
            from dcplanner.solvers.phases import expand

            resolved = expand(resolved)[-1].resolved  # the finished site
        first_hour: list[np.ndarray] = []

        def keep_first(chunk: dict) -> None:
            if not first_hour:
                first_hour.append(chunk["grid_w"])

        if trace_file:
            with TraceWriter(trace_file) as writer:
                def write(chunk: dict) -> None:
                    writer.write(chunk)
                    keep_first(chunk)

                result = study([resolved], keep_trace=False, on_chunk=write)
            click.echo(f"wrote {trace_file}", err=True)
        else:
            result = study([resolved], keep_trace=False,
                           on_chunk=keep_first if headroom else None)
        room = None
        if headroom:
            from dcplanner.solvers.headroom import headroom as headroom_study
            from dcplanner.solvers.provision import trace_ratios

            room = headroom_study(resolved, phased=phased,
                                  swing_ratio=trace_ratios(first_hour[0]))
    data = {"scenario": result.names[0], "step_s": result.step_s,
            "duration_s": result.duration_s,
            **{k: float(v[0]) for k, v in result.figures.items()}}
    if room is None:
        return View(data, lambda: power_table(result))
    data["headroom"] = {**room.figures, "budgets": room.budgets, "ramp_up": room.ramp_up}
    return View(data, lambda: power_table(result) + "\n" + headroom_table(room))


def headroom_table(h: Headroom) -> str:
    """The headroom study as text."""
    from dcplanner.output.text import grid

    f = h.figures
    q = f"p{f['budget_percentile_frac'] * 100:g}"
    lines = [f"Headroom on the {f['connection_mw']:,.1f} MW connection over the hourly year: "
             f"{f['gpus']:,.0f} GPUs deployed, peak {f['peak_mw']:,.2f} MW, "
             f"{q} {f['budget_mw']:,.2f} MW", ""]
    rows = [("", "GPUs", "extra", "hours over", "compute lost"),
            ("firm (no hour over)", f"{f['firm_gpus']:,.0f}", "", "0 h", ""),
            (f"{q} budget, GPUs capped", f"{f['oversubscribed_gpus']:,.0f}",
             f"+{f['oversubscribed_extra_gpus']:,.0f}", f"{f['capped_hours']:,.0f} h",
             f"{f['capped_lost_days']:,.3f} d/yr")]
    if "swing_gpus" in f:
        rows.append((f"firm with the swings (peak {f['swing_peak_mw']:,.2f} MW)",
                     f"{f['swing_firm_gpus']:,.0f}", "", "0 h", ""))
        rows.append((f"{q} with the swings ({f['swing_budget_mw']:,.2f} MW)",
                     f"{f['swing_gpus']:,.0f}", f"{f['swing_extra_gpus']:+,.0f}",
                     f"{f['swing_capped_hours']:,.1f} h",
                     f"{f['swing_capped_lost_days']:,.3f} d/yr"))
    for b in h.budgets:
        event = "" if b["max_event_h"] is None else f", events <= {b['max_event_h']:g} h"
        rows.append((f"curtailment {b['budget_hours']:,.1f} h/yr{event}", f"{b['gpus']:,.0f}",
                     f"+{b['extra_gpus']:,.0f}", f"{b['hours_over']:,.0f} h, longest "
                     f"{b['longest_event_h']:,.0f} h", f"{b['lost_days']:,.3f} d/yr"))
    lines += grid(rows, align="lrrll")
    lines += ["", f"  UPS reserve carrying load, capped on a failure: "
              f"+{f['ups_reserve_gain_frac'] * 100:,.1f} % UPS capacity for IT "
              f"({f['ups_reserve_mw']:,.2f} MW)", "",
              "Use it or lose it (max drawn vs contracted, rolling 5-year history):", ""]
    lines += grid([("year", "contracted [MW]", "max drawn [MW]", "5-year max [MW]",
                    "at risk [MW]"),
                   *((str(r["year"]), f"{r['contracted_mw']:,.1f}", f"{r['drawn_mw']:,.2f}",
                      f"{r['history_drawn_mw']:,.2f}", f"{r['at_risk_mw']:,.2f}")
                     for r in h.ramp_up)], align="lrrrr")
    return "\n".join(lines) + "\n"


def power_table(s: PowerStudy) -> str:
    """The study as text."""
    from dcplanner.output.text import grid

    f = {k: float(v[0]) for k, v in s.figures.items()}
    lines = [f"{s.names[0]}: {s.duration_s:,.0f} s at {s.step_s:g} s steps, "
             f"mean IT {f['mean_it_mw']:,.2f} MW", ""]
    lines += grid([
        ("", "unsmoothed", "grid side"),
        ("peak [MW]", f"{f['raw_peak_mw']:,.2f}", f"{f['grid_peak_mw']:,.2f}"),
        ("max ramp [MW/s]", f"{f['raw_max_ramp_mw_per_s']:,.2f}",
         f"{f['grid_max_ramp_mw_per_s']:,.2f}"),
        ("swing peak-to-peak [MW]", f"{f['raw_swing_mw']:,.2f}", f"{f['grid_swing_mw']:,.2f}"),
        ("dominant frequency [Hz]", f"{f['raw_dominant_hz']:.4g}",
         f"{f['grid_dominant_hz']:.4g}"),
    ])
    lines += ["", *grid([
        ("burnt by floor and ramp-down", f"{f['floor_mwh_per_year']:,.0f} MWh/yr",
         f"€{f['floor_eur_per_year']:,.0f}/yr"),
        ("held back by the ramp-up limit", f"{f['held_mwh_per_year']:,.0f} MWh/yr",
         "of the job's IT demand (compute slowed)"),
        ("rack storage",
         f"{f['rack_power_mw']:,.2f} MW, {f['rack_energy_mwh'] * KWH_PER_MWH:,.1f} kWh",
         f"{f['rack_energy_kwh_per_rack']:,.3f} kWh/rack, "
         f"{f['rack_cycles_per_day']:,.0f} cycles/day"),
        ("site battery", f"{f['battery_power_mw']:,.2f} MW, "
         f"{f['battery_energy_mwh'] * KWH_PER_MWH:,.1f} kWh", f"{f['battery_cycles_per_day']:,.0f} "
         "cycles/day"),
    ], align="lll")]
    return "\n".join(lines) + "\n"


class TraceWriter:
    """The first scenario's trace, written hour by hour to a temporary file (CSV, or Parquet
    row groups) and renamed into place only when the study has finished: a failed study
    leaves no file."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.parquet = path.endswith(".parquet")
        if self.parquet:
            try:
                import pyarrow  # noqa: F401
            except ImportError:
                raise DcplannerError(f"--trace {path}: Parquet needs pyarrow "
                                     "(pip install pyarrow), or give a .csv name") from None

    def __enter__(self) -> TraceWriter:
        from dcplanner.output.files import temporary

        fd, self.tmp, self.target = temporary(self.path)
        self.handle = os.fdopen(fd, "wb" if self.parquet else "w")
        self.writer = None
        if not self.parquet:
            self.handle.write(",".join(("time_s", *(n for n, _ in TRACE_COLUMNS))) + "\n")
        return self

    def write(self, chunk: dict) -> None:
        """Append one chunk of the trace (the arrays of :func:`dcplanner.solvers.power.trace`
        for one scenario)."""
        columns = {"time_s": chunk["t_s"],
                   **{name: chunk[key] / W_PER_MW for name, key in TRACE_COLUMNS}}
        if self.parquet:
            import pyarrow as pa
            import pyarrow.parquet as pq

            table = pa.table(columns)
            if self.writer is None:
                self.writer = pq.ParquetWriter(self.handle, table.schema)
            self.writer.write_table(table)
        else:
            np.savetxt(self.handle, np.column_stack(list(columns.values())), delimiter=",",
                       fmt="%.6g")

    def __exit__(self, kind: object, *_: object) -> None:
        from dcplanner.output.files import commit

        try:
            if self.writer is not None:
                self.writer.close()
            self.handle.close()
            if kind is None:
                commit(self.tmp, self.target)
        finally:
            self.tmp.unlink(missing_ok=True)
