"""``dcplanner power``: the sub-hourly swings of a training job, smoothing and storage."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from dcplanner.cli.base import CONFIG, SET, check_writable, main, output_options, reports_errors
from dcplanner.config import Override, load
from dcplanner.errors import DcplannerError

if TYPE_CHECKING:
    from dcplanner.output import View
    from dcplanner.solvers.power import PowerStudy


@main.command("power")
@CONFIG
@click.option("--trace", "trace_file", type=click.Path(dir_okay=False), metavar="FILE",
              help="Write the sub-hourly trace (a time column, then MW columns): CSV, or "
              "Parquet for a name ending in .parquet (needs pyarrow).")
@SET
@reports_errors
@output_options("table", "json")
def power_command(config: str | None, trace_file: str | None,
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
    """
    from dcplanner.output import View
    from dcplanner.solvers.power import study

    check_writable(trace_file, "--trace")
    loaded = load(config, overrides)
    with loaded.errors():
        resolved = loaded.resolved
        if resolved.scenario.phases:
            from dcplanner.solvers.phases import expand

            resolved = expand(resolved)[-1].resolved  # the finished site
        result = study([resolved])
    if trace_file:
        _write_trace(result, trace_file)
    data = {"scenario": result.names[0], "step_s": result.step_s,
            "duration_s": result.duration_s,
            **{k: float(v[0]) for k, v in result.figures.items()}}
    return View(data, lambda: power_table(result))


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
        ("rack storage", f"{f['rack_power_mw']:,.2f} MW, {f['rack_energy_mwh'] * 1e3:,.1f} kWh",
         f"{f['rack_energy_kwh_per_rack']:,.3f} kWh/rack, "
         f"{f['rack_cycles_per_day']:,.0f} cycles/day"),
        ("site battery", f"{f['battery_power_mw']:,.2f} MW, "
         f"{f['battery_energy_mwh'] * 1e3:,.1f} kWh", f"{f['battery_cycles_per_day']:,.0f} "
         "cycles/day"),
    ], align="lll")]
    return "\n".join(lines) + "\n"


def _write_trace(s: PowerStudy, path: str) -> None:
    """The first scenario's trace as CSV or Parquet, atomically."""
    from dcplanner.output.files import commit, temporary
    from dcplanner.solvers.power import TRACE_COLUMNS
    from dcplanner.units import W_PER_MW

    assert s.trace is not None
    columns = {"time_s": s.trace["t_s"],
               **{name: s.trace[key] / W_PER_MW for name, key in TRACE_COLUMNS}}
    import os

    fd, tmp, target = temporary(path)
    try:
        if path.endswith(".parquet"):
            os.close(fd)
            try:
                import pyarrow as pa
                import pyarrow.parquet as pq
            except ImportError:
                raise DcplannerError(f"--trace {path}: Parquet needs pyarrow "
                                     "(pip install pyarrow), or give a .csv name") from None
            pq.write_table(pa.table(columns), str(tmp))
        else:
            import numpy as np

            with os.fdopen(fd, "w") as handle:
                handle.write(",".join(columns) + "\n")
                np.savetxt(handle, np.column_stack(list(columns.values())), delimiter=",",
                           fmt="%.6g")
        commit(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    click.echo(f"wrote {path}", err=True)
