"""Commands on one scenario: run it, show its weather year, validate it, print its schema."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click
import numpy as np

from dcplanner.cli.base import (
    CONFIG,
    GRID_MW,
    SET,
    check_writable,
    emit,
    main,
    output_options,
    reports_errors,
    say_notes,
    site_overrides,
    stress_overrides,
    warn_inherited,
    weather_options,
)
from dcplanner.config import Override, load

if TYPE_CHECKING:
    from dcplanner.engine import Result
    from dcplanner.output import View
    from dcplanner.scenario import ResolvedScenario


@main.command()
@CONFIG
@SET
@GRID_MW
@weather_options
@click.option("--hourly-output", type=click.Path(dir_okay=False, writable=True),
              metavar="FILE",
              help="Write the hourly simulation to this file: one row per hour (of every "
              "phase), with its ISO 8601 start, weather, load, each power, grid intensity, "
              "tCO2e and electricity cost; CSV, or Parquet for a name ending in .parquet "
              "(needs pandas and pyarrow).")
@click.option("--annual/--no-annual", default=True, show_default=True,
              help="Run the annual simulation as well as the design point.")
@reports_errors
@output_options("table", "json", "csv")
def run(config: str | None, overrides: tuple[Override, ...], grid_mw: float | None,
        weather_file: str | None,
        shift_k: float | None, heatwave: bool, heatwave_peak_c: float | None,
        hourly_output: str | None, annual: bool) -> View:
    """Size a scenario at its design point and simulate a year of its weather, hour by hour.

    CONFIG is a scenario file (YAML, TOML or JSON); without one, the built-in Paris-area
    scenario (Bruyères-le-Châtel, 40 MW, 250 GB200 NVL72 racks) is used, with the built-in
    weather year from the Brétigny-sur-Orge 1991-2020 normals. A scenario with phases prints
    its timeline, phase by phase, then the last phase in full (--hourly-output: every phase,
    named in a phase column). The hourly rows are labelled by the start of each hour of the
    typical year as 2025 (2024 if it has 29 February), at the weather's UTC offset.

    \b
    Examples:
      dcplanner run
      dcplanner run configs/h100-superpod.yaml --format csv -o h100.csv
      dcplanner run configs/paris-100mw.yaml        # the 40 -> 100 MW timeline
      dcplanner run --set workload.provisioning_basis=operating
      dcplanner run --heatwave --shift-k 1.0 --hourly-output paris-hours.csv
      dcplanner run configs/paris-100mw.yaml --hourly-output plan-hours.parquet
      dcplanner run --weather FRA_Paris.Orly.071490_TMYx.epw
    """
    from dcplanner.engine import run as run_scenarios
    from dcplanner.output import scenario_view, timeline_view
    from dcplanner.solvers.phases import run_phases

    if hourly_output and not annual:
        raise click.UsageError("--hourly-output needs the annual simulation (drop --no-annual)")
    check_writable(hourly_output, "--hourly-output")
    parquet = bool(hourly_output) and hourly_output.endswith(".parquet")
    if parquet:
        _parquet_ready(hourly_output)
    every = overrides + site_overrides(grid_mw) + stress_overrides(
        weather_file, shift_k, heatwave, heatwave_peak_c)
    loaded = load(config, every)
    warn_inherited(loaded)
    resolved = loaded.resolved
    with loaded.errors():
        if resolved.scenario.phases:
            timeline, result = run_phases(resolved, annual=annual,
                                          keep_hourly_all=bool(hourly_output))
            view = timeline_view(timeline)
            names = tuple(p["phase"] for p in timeline["phases"])
        else:
            result = run_scenarios([resolved], annual=annual,
                                   keep_hourly=(0,) if hourly_output else ())
            view = scenario_view(result.records())
            names = (resolved.scenario.name,)
    if parquet:
        _write_parquet(hourly_output, config, every, result, names, resolved)
    elif hourly_output:
        emit(_hourly_text(result, names, resolved), hourly_output, "--hourly-output")
    return view


def _hourly_text(result: Result, names: tuple[str, ...], resolved: ResolvedScenario) -> str:
    """Every kept phase's hours as one CSV: the time, the phase (for a phased plan), the
    calendar and the columns of :func:`~dcplanner.engine.outputs.hourly_columns`."""
    from dcplanner.engine.hourly import base_year
    from dcplanner.engine.outputs import hourly_columns
    from dcplanner.output.files import hour_starts, hourly_csv

    # Phases change the plant's capacity and the deployments, never the weather or the
    # cooling plant: one time column and one header hold for every phase.
    offset = base_year(resolved.scenario.weather).time_zone_h
    phased = bool(resolved.scenario.phases)
    parts = []
    for n, (i, hours) in enumerate(sorted(result.hourly.items())):
        calendar = hours["month"], hours["day"], hours["hour"]
        parts.append(hourly_csv(hours, hourly_columns(result.plants()[i]), *calendar,
                                time=hour_starts(*calendar, offset),
                                phase=names[i] if phased else None, header=n == 0))
    return "".join(parts)


def _parquet_ready(path: str) -> None:
    """Refuse, before any work, a Parquet file without pandas and pyarrow."""
    from dcplanner.errors import DcplannerError

    try:
        import pandas  # noqa: F401
        import pyarrow  # noqa: F401
    except ImportError:
        raise DcplannerError(f"--hourly-output {path}: Parquet needs pandas and pyarrow "
                             "(pip install 'dcplanner[parquet]'), or give a .csv name") from None


def _write_parquet(path: str, config: str | None, overrides: tuple[Override, ...],
                   result: Result, names: tuple[str, ...], resolved: ResolvedScenario) -> None:
    """Every kept phase's hours as Parquet through the Python API
    (:meth:`dcplanner.api.Run.hourly`, :func:`dcplanner.api.to_parquet`): a time-zone-aware
    index, typed columns, a phase column for a phased plan, and key-value metadata (version,
    scenario hash, units)."""
    import pandas as pd

    from dcplanner import api
    from dcplanner.output.files import HOURLY_LEAP_YEAR, HOURLY_YEAR

    plan = api.load(config, overrides)
    # Run.hourly reads each row's weather, which phases do not change.
    run_ = api.Run(plan, result, names, (resolved,) * len(names))
    hours = result.hourly[min(result.hourly)]
    leap = bool(np.any((np.asarray(hours["month"]) == 2) & (np.asarray(hours["day"]) == 29)))
    year = HOURLY_LEAP_YEAR if leap else HOURLY_YEAR
    frames = [run_.hourly(year, phase=i) for i in sorted(result.hourly)]
    if resolved.scenario.phases:
        for frame, i in zip(frames, sorted(result.hourly), strict=True):
            frame.insert(0, "phase", names[i])
        attrs = {**frames[0].attrs, "phase": [names[i] for i in sorted(result.hourly)]}
        attrs["units"] = {"phase": "", **attrs["units"]}
        frame = pd.concat(frames)
        frame.attrs = attrs
    else:
        frame = frames[0]
    try:
        api.to_parquet(frame, path)
    except OSError as error:
        from dcplanner.errors import DcplannerError

        raise DcplannerError(f"--hourly-output {path}: cannot write: "
                             f"{error.strerror or error}") from None
    click.echo(f"wrote {path}", err=True)


@main.command()
@CONFIG
@SET
@weather_options
@reports_errors
@output_options("table", "json")
def weather(config: str | None, overrides: tuple[Override, ...], weather_file: str | None,
            shift_k: float | None, heatwave: bool, heatwave_peak_c: float | None) -> View:
    """Show a scenario's weather year month by month, next to the station normals.

    The year is the one `dcplanner run` simulates: the scenario's EPW file or the built-in
    Paris-area year, with any shift or heatwave. For the built-in year the Brétigny-sur-Orge
    1991-2020 normals it was generated from are shown alongside.

    \b
    Examples:
      dcplanner weather
      dcplanner weather --shift-k 1.0 --heatwave
      dcplanner weather --weather FRA_Paris.Orly.071490_TMYx.epw --format json
    """
    from dcplanner.engine.hourly import stressed_year
    from dcplanner.output import View, weather_table
    from dcplanner.weather.summary import monthly_statistics
    from dcplanner.weather.synthetic import normals

    loaded = load(config, overrides + stress_overrides(
        weather_file, shift_k, heatwave, heatwave_peak_c))
    with loaded.errors():
        year = stressed_year(loaded.resolved.scenario)
    stats = monthly_statistics(year)
    reference = normals() if loaded.resolved.scenario.weather.file is None else None
    data = {"weather": year.name, "notes": list(year.notes), "hours": year.hours,
            "monthly": {k: v.tolist() for k, v in stats.items()}}
    if reference is not None:
        data["normals"] = reference.model_dump()
    return View(data, lambda: weather_table(year, stats, reference))


@main.command()
@CONFIG
@SET
@reports_errors
@output_options("table", "json")
def validate(config: str | None, overrides: tuple[Override, ...]) -> View:
    """Check a scenario file (default: the built-in one) and report every problem, one line
    each.

    Reads the weather, profile and intensity files it names, and applies every phase (each
    fill fitted), as `dcplanner run` would.

    \b
    Example:
      dcplanner validate configs/paris-100mw.yaml
    """
    from dcplanner.config import BUILTIN_SCENARIO
    from dcplanner.output import View
    from dcplanner.solvers.check import check

    loaded = load(config, overrides)
    resolved = loaded.resolved
    say_notes(loaded)
    with loaded.errors():
        states = check(resolved)
    phases = ""
    if states:
        phases = f"{len(states)} phases; after the last: "
        resolved = states[-1].resolved
    gpus = sum(d.gpus for d in resolved.deployments)
    source = config or f"built-in {BUILTIN_SCENARIO}"
    data = {"config": source, "valid": True, "scenario": resolved.scenario.name,
            "phases": len(states), "deployments": len(resolved.deployments), "gpus": gpus}
    return View(data, lambda: f"{source}: valid: '{resolved.scenario.name}', {phases}"
                f"{len(resolved.deployments)} deployment(s), {gpus:,} GPUs")


@main.command()
@reports_errors
@output_options("json")
def schema() -> View:
    """Print the JSON Schema of scenario files, for editor completion and checks.

    \b
    Example:
      dcplanner schema -o scenario.schema.json
    """
    from dcplanner.output import View
    from dcplanner.scenario import Scenario

    schema = Scenario.model_json_schema()
    return View(schema, lambda: "")
