"""Command-line interface: parse, call the library, render. No physics here.

Exit codes: 0 success; 1 invalid input or domain error (one line per problem on stderr, no
traceback); 2 usage error (click).
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from dcplanner import __version__
from dcplanner.catalog import KINDS
from dcplanner.config import (
    BUILTIN_SCENARIO,
    Override,
    builtin_scenario_text,
    load,
)
from dcplanner.engine import run as run_engine
from dcplanner.engine.hourly import stressed_year
from dcplanner.engine.outputs import hourly_columns
from dcplanner.errors import ConfigError, DcplannerError, Problem
from dcplanner.models.compute import PRECISIONS
from dcplanner.output import (
    FORMATS,
    accounting_table,
    fit_table,
    grid,
    hourly_csv,
    optimum_table,
    render,
    render_timeline,
    requirements_table,
    study_table,
    training_table,
    weather_table,
    write_atomic,
)
from dcplanner.report import scenario_report, study_report
from dcplanner.scenario import Scenario
from dcplanner.solvers.check import check
from dcplanner.solvers.fit import fit, requirements, with_deployment
from dcplanner.solvers.optimize import OBJECTIVES, optimize
from dcplanner.solvers.phases import expand, run_phases
from dcplanner.solvers.training import account, plan
from dcplanner.study import load_study, run_study
from dcplanner.study.runner import study_cases, study_estimate
from dcplanner.weather.summary import monthly_statistics
from dcplanner.weather.synthetic import normals

CONFIG = click.argument("config", required=False, type=click.Path(dir_okay=False))
SET = click.option(
    "--set", "overrides", multiple=True, metavar="PATH=VALUE",
    help="Override a scenario field by dotted path, e.g. --set deployments.0.count=300 "
    "(repeatable; the value is read as YAML).",
)
OUTPUT = click.option(
    "--output", "-o", type=click.Path(dir_okay=False, writable=True),
    help="Write to this file (atomically) instead of standard output.",
)


def fmt_option(choices: tuple[str, ...]) -> Callable:
    return click.option("--format", "fmt", type=click.Choice(choices), default="table",
                        show_default=True, help="Output format.")


def reports_errors(command: Callable) -> Callable:
    """Turn dcplanner's errors into one line per problem on stderr and exit code 1."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except DcplannerError as error:
            for line in error.lines():
                click.echo(f"error: {line}", err=True)
            sys.exit(1)

    return wrapper


@contextmanager
def flags(names: dict[str, str]) -> Iterator[None]:
    """Library problems at an argument (``system``) named by the option that set it
    (``--system``)."""
    try:
        yield
    except ConfigError as error:
        raise ConfigError(Problem(names[p.path], "", p.message)
                          if not p.source and p.path in names else p
                          for p in error.problems) from None


def emit(text: str, output: str | None, option: str = "--output") -> None:
    if output:
        try:
            write_atomic(output, text)
        except OSError as error:
            raise DcplannerError(
                f"{option} {output}: cannot write: {error.strerror or error}"
            ) from None
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text, nl=False)


def weather_options(command: Callable) -> Callable:
    """The options that choose and stress the weather year."""
    options = [
        click.option("--weather", "weather_file", type=click.Path(dir_okay=False),
                     help="EPW weather file (default: the scenario's weather, else the "
                     "built-in Paris-area year)."),
        click.option("--shift-k", type=float, metavar="K",
                     help="Shift the year's dry bulb and dew point by K kelvin, e.g. 1.0."),
        click.option("--heatwave", is_flag=True,
                     help="Inject a 5-day heatwave peaking at 42 °C on 25 July (the 2019 "
                     "record near the site), or as set under weather.heatwave."),
        click.option("--heatwave-peak-c", type=float, metavar="C",
                     help="Peak of the injected heatwave [°C]; implies --heatwave."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dcplanner")
def main() -> None:
    """Capacity planner for AI data centers: grid connection -> electrical losses -> cooling in
    real weather -> GPUs -> FLOPS -> training time, energy, cost and carbon.

    \b
    Examples:
      dcplanner run                                  # built-in Paris 40 MW scenario, a year
      dcplanner run configs/paris-100mw.yaml         # the 40 -> 100 MW phase timeline
      dcplanner run --heatwave --hourly-output hours.csv
      dcplanner fit --system gb300-nvl72 --grid-mw 100
      dcplanner optimize --candidates gb200-nvl72,dgx-b200 --objective fp8
      dcplanner train --params 405e9 --tokens 15.6e12
      dcplanner study configs/studies/paris-monte-carlo.yaml --out mc --workers 2
      dcplanner report --out report.html
      dcplanner catalog show gb200-nvl72
    """


@main.command()
@CONFIG
@SET
@fmt_option(FORMATS)
@OUTPUT
@weather_options
@click.option("--hourly-output", type=click.Path(dir_okay=False, writable=True),
              help="Write the hourly simulation (one row per hour, CSV) to this file.")
@click.option("--annual/--no-annual", default=True, show_default=True,
              help="Run the annual simulation as well as the design point.")
@reports_errors
def run(config: str | None, overrides: tuple[str, ...], fmt: str, output: str | None,
        weather_file: str | None, shift_k: float | None, heatwave: bool,
        heatwave_peak_c: float | None, hourly_output: str | None, annual: bool) -> None:
    """Size a scenario at its design point and simulate a year of its weather, hour by hour.

    CONFIG is a scenario file (YAML, TOML or JSON); without one, the built-in Paris-area
    scenario (Bruyères-le-Châtel, 40 MW, 250 GB200 NVL72 racks) is used, with the built-in
    weather year from the Brétigny-sur-Orge 1991-2020 normals. A scenario with phases prints
    its timeline, phase by phase, then the last phase in full (--hourly-output: last phase).

    \b
    Examples:
      dcplanner run
      dcplanner run configs/h100-superpod.yaml --format csv -o h100.csv
      dcplanner run configs/paris-100mw.yaml        # the 40 -> 100 MW timeline
      dcplanner run --set workload.provisioning_basis=operating
      dcplanner run --heatwave --shift-k 1.0 --hourly-output paris-hours.csv
      dcplanner run --weather FRA_Paris.Orly.071490_TMYx.epw
    """
    if hourly_output and not annual:
        raise click.UsageError("--hourly-output needs the annual simulation (drop --no-annual)")
    loaded = load(config, overrides + _stress_overrides(
        weather_file, shift_k, heatwave, heatwave_peak_c))
    resolved = loaded.resolved
    with loaded.errors():
        if resolved.scenario.phases:
            timeline, result = run_phases(resolved, annual=annual,
                                          keep_hourly_last=bool(hourly_output))
            text = render_timeline(timeline, fmt)
        else:
            result = run_engine([resolved], annual=annual,
                                keep_hourly=(0,) if hourly_output else ())
            text = render(result.records(), fmt)
    if hourly_output:
        (i, hourly), = result.hourly.items()
        emit(hourly_csv(hourly, hourly_columns(result.plants()[i]), hourly["month"],
                        hourly["day"], hourly["hour"]), hourly_output, "--hourly-output")
    emit(text, output)


def _stress_overrides(weather_file: str | None, shift_k: float | None, heatwave: bool,
                      heatwave_peak_c: float | None) -> tuple[Override, ...]:
    """The weather options as overrides, validated like any field and named in errors."""
    overrides: list[Override] = []
    if weather_file is not None:
        overrides.append((f"weather.file={json.dumps(weather_file)}",
                          f"--weather {weather_file}"))
    if shift_k is not None:
        overrides.append((f"weather.shift_k={shift_k!r}", f"--shift-k {shift_k:g}"))
    if heatwave or heatwave_peak_c is not None:
        overrides.append(("weather.heatwave.enabled=true", "--heatwave"))
    if heatwave_peak_c is not None:
        overrides.append((f"weather.heatwave.peak_c={heatwave_peak_c!r}",
                          f"--heatwave-peak-c {heatwave_peak_c:g}"))
    return tuple(overrides)


@main.command()
@CONFIG
@SET
@weather_options
@fmt_option(("table", "json"))
@reports_errors
def weather(config: str | None, overrides: tuple[str, ...], weather_file: str | None,
            shift_k: float | None, heatwave: bool, heatwave_peak_c: float | None,
            fmt: str) -> None:
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
    loaded = load(config, overrides + _stress_overrides(
        weather_file, shift_k, heatwave, heatwave_peak_c))
    resolved = loaded.resolved
    with loaded.errors():
        year = stressed_year(resolved.scenario)
    stats = monthly_statistics(year)
    reference = normals() if resolved.scenario.weather.file is None else None
    if fmt == "json":
        data = {"weather": year.name, "notes": list(year.notes), "hours": year.hours,
                "monthly": {k: v.tolist() for k, v in stats.items()}}
        if reference is not None:
            data["normals"] = reference.model_dump()
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    click.echo(weather_table(year, stats, reference))


GRID_MW = click.option("--grid-mw", type=float, metavar="MW",
                       help="Grid connection [MW] (instead of the scenario's site.grid_mw).")


def _site_overrides(grid_mw: float | None, max_racks: int | None = None
                    ) -> tuple[Override, ...]:
    """Site options as overrides, validated like any field and named in errors."""
    values = {("site.grid_mw", "--grid-mw"): grid_mw, ("site.max_racks", "--max-racks"): max_racks}
    return tuple((f"{path}={value!r}", f"{option} {value:g}")
                 for (path, option), value in values.items() if value is not None)


@main.command("fit")
@CONFIG
@click.option("--system", required=True, metavar="NAME",
              help="Catalog system to fit, e.g. gb300-nvl72 (see: dcplanner catalog list "
              "systems).")
@GRID_MW
@click.option("--gpus", type=click.IntRange(min=1), metavar="N",
              help="Inverse: what N GPUs of the system need (grid, UPS, heat rejection).")
@click.option("--keep-existing", is_flag=True,
              help="Keep the scenario's deployments and fit the system into what they leave.")
@click.option("--fabric", metavar="NAME", help="Compute fabric (default: the system's).")
@SET
@fmt_option(("table", "json"))
@OUTPUT
@reports_errors
def fit_command(config: str | None, system: str, grid_mw: float | None, gpus: int | None,
                keep_existing: bool, fabric: str | None, overrides: tuple[str, ...], fmt: str,
                output: str | None) -> None:
    """The largest count of a system the site holds, or what a deployment needs.

    Every constraint is checked at the design point through the full chain: grid connection
    (facility peak), usable UPS capacity under the redundancy topology, installed heat
    rejection, racks and rack power. The answer is exact: the count fits and one more breaks
    at least one constraint.

    \b
    Examples:
      dcplanner fit --system gb200-nvl72
      dcplanner fit configs/paris-100mw.yaml --system gb300-nvl72 --keep-existing
      dcplanner fit --system gb300-nvl72 --grid-mw 100 --format json
      dcplanner fit --system gb200-nvl72 --gpus 18000
    """
    resolved = load(config, overrides + _site_overrides(grid_mw)).resolved
    if gpus is not None:
        with flags(FIT_FLAGS):
            needs = requirements(with_deployment(resolved, system, gpus=gpus,
                                                 keep_existing=keep_existing, fabric=fabric))
        text = (json.dumps(needs, indent=2, ensure_ascii=False) + "\n" if fmt == "json"
                else requirements_table(needs) + "\n")
    else:
        with flags(FIT_FLAGS):
            f = fit(resolved, system, keep_existing=keep_existing, fabric=fabric)
        data = {"system": f.system, "count": f.count, "gpus": f.gpus,
                "kept_existing": f.kept_existing, "stopped_by": f.stopped_by,
                "record": f.record}
        text = (json.dumps(data, indent=2, ensure_ascii=False) + "\n" if fmt == "json"
                else fit_table(f) + "\n")
    emit(text, output)


#: The options that carry the arguments of fit and requirements.
FIT_FLAGS = {"system": "--system", "fabric": "--fabric", "gpus": "--gpus"}
POSITIVE = click.FloatRange(min=0, min_open=True)


@main.command("train")
@CONFIG
@click.option("--params", type=POSITIVE, metavar="N", help="Model parameters, e.g. 405e9.")
@click.option("--tokens", type=POSITIVE, metavar="D", help="Training tokens, e.g. 15.6e12.")
@click.option("--active-params", type=POSITIVE, metavar="N",
              help="Parameters active per token (mixture of experts); default --params.")
@click.option("--mfu", type=click.FloatRange(min=0, max=1, min_open=True), metavar="X",
              help="Model FLOPs utilization in (0, 1]; default the scenario's workload.mfu_frac.")
@click.option("--precision", type=click.Choice(PRECISIONS), default="bf16", show_default=True,
              help="Tensor precision of the run.")
@click.option("--gpu-hours", type=POSITIVE, metavar="H",
              help="Accounting mode: GPU-hours of a run (with --power-w, --pue, "
              "--grid-g-per-kwh).")
@click.option("--power-w", type=POSITIVE, metavar="W", help="Accounting mode: power per GPU.")
@click.option("--pue", type=click.FloatRange(min=1), metavar="X", help="Accounting mode: PUE.")
@click.option("--grid-g-per-kwh", type=click.FloatRange(min=0), metavar="G",
              help="Accounting mode: grid carbon intensity [gCO2e/kWh].")
@SET
@fmt_option(("table", "json"))
@OUTPUT
@reports_errors
def train_command(config: str | None, params: float | None, tokens: float | None,
                  active_params: float | None, mfu: float | None, precision: str,
                  gpu_hours: float | None, power_w: float | None, pue: float | None,
                  grid_g_per_kwh: float | None, overrides: tuple[str, ...], fmt: str,
                  output: str | None) -> None:
    """Days, GPU-hours, energy, cost and carbon of training a model on the scenario's GPUs.

    Compute is 6 x parameters x tokens; time follows from the GPUs' peak in the precision and
    the MFU; energy from the IT draw with every GPU busy and the scenario's annual PUE; cost
    from the site's annualized TCO; carbon from the scenario's grid intensity. With
    --gpu-hours, a run is accounted instead, the way model cards do.

    \b
    Examples:
      dcplanner train --params 405e9 --tokens 15.6e12
      dcplanner train --params 671e9 --active-params 37e9 --tokens 14.8e12 --precision fp8
      dcplanner train --gpu-hours 1022362 --power-w 400 --pue 1.1 --grid-g-per-kwh 385
    """
    if gpu_hours is not None:
        accounting = {"--power-w": power_w, "--pue": pue, "--grid-g-per-kwh": grid_g_per_kwh}
        missing = [name for name, value in accounting.items() if value is None]
        if missing:
            raise click.UsageError(f"--gpu-hours needs {', '.join(missing)}")
        if params is not None or tokens is not None or config is not None:
            raise click.UsageError("--gpu-hours accounts a run by itself: drop CONFIG, "
                                   "--params and --tokens")
        result = account(gpu_hours=gpu_hours, power_w=power_w, pue=pue,
                         grid_g_per_kwh=grid_g_per_kwh)
        text = accounting_table(result)
    else:
        if params is None or tokens is None:
            raise click.UsageError("give --params and --tokens (or --gpu-hours for accounting)")
        loaded = load(config, overrides)
        resolved = loaded.resolved
        with loaded.errors(), flags({"precision": "--precision",
                                     "active_params": "--active-params"}):
            if resolved.scenario.phases:
                resolved = expand(resolved)[-1].resolved  # the finished site
            result = plan(run_engine([resolved]), params=params, tokens=tokens,
                          active_params=active_params, mfu_frac=mfu, precision=precision)
        text = training_table(result)
    emit(json.dumps(result, indent=2, ensure_ascii=False) + "\n" if fmt == "json"
         else text + "\n", output)


@main.command("study")
@click.argument("study", type=click.Path(dir_okay=False))
@click.option("--out", required=True, type=click.Path(file_okay=False), metavar="DIR",
              help="Folder for the chunks, the cases, the summary and the sensitivities.")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="Processes evaluating chunks (with --scheduler local: Dask workers).")
@click.option("--scheduler", metavar="ADDRESS",
              help="Run chunks on a Dask cluster: its scheduler address (tcp://host:8786), or "
              "'local' for a LocalCluster of --workers. Needs dcplanner[dask].")
@click.option("--resume", is_flag=True,
              help="Continue an interrupted study in --out from its finished chunks.")
@click.option("--yes", is_flag=True, help="Start a study of more than 1,000,000 cases.")
@reports_errors
def study_command(study: str, out: str, workers: int, scheduler: str | None, resume: bool,
                  yes: bool) -> None:
    """Run a batch study: a grid, paired lists and/or samples of a base scenario.

    Writes every case with its inputs and outputs (cases.csv, and cases.parquet with
    pyarrow), summary statistics (summary.csv: mean, std, P5-P95) and sensitivities
    (sensitivity.csv: Spearman rank correlations; sobol.csv: Sobol indices for a sobol sample,
    with SALib). Chunks are written as they finish, so an interrupted study continues with
    --resume. The same study gives the same rows whatever --workers or --scheduler.

    \b
    Examples:
      dcplanner study configs/studies/paris-chip-cooling-redundancy.yaml --out grid
      dcplanner study configs/studies/paris-monte-carlo.yaml --out mc --workers 2
      dcplanner study configs/studies/paris-monte-carlo.yaml --out mc --resume
    """
    job = load_study(study)
    spec = job.spec
    count = study_cases(job)
    seconds, memory = study_estimate(job, count)
    chunks = -(-count // spec.chunk_size)
    click.echo(f"{spec.name}: {count:,} cases in {chunks:,} chunk(s) of up to "
               f"{spec.chunk_size:,}; about {seconds:,.0f} s of work on one core and "
               f"{memory / 2**20:,.0f} MiB of results", err=True)
    with click.progressbar(length=count, label="cases", file=sys.stderr, show_eta=True,
                           show_pos=True) as bar:
        try:
            manifest = run_study(job, out, workers=workers, scheduler=scheduler, resume=resume,
                                 progress=bar.update, allow_large=yes)
        except KeyboardInterrupt:
            click.echo(f"\ninterrupted: finished chunks are kept in {out}; continue with "
                       f"dcplanner study {study} --out {out} --resume", err=True)
            sys.exit(130)
    click.echo(study_table(manifest, out))


@main.command("report")
@click.argument("target", required=False, type=click.Path())
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False), metavar="FILE",
              help="HTML file to write (atomically).")
@SET
@weather_options
@reports_errors
def report_command(target: str | None, out: str, overrides: tuple[str, ...],
                   weather_file: str | None, shift_k: float | None, heatwave: bool,
                   heatwave_peak_c: float | None) -> None:
    """Write a self-contained HTML report of a scenario or of a finished study.

    TARGET is a scenario file (default: the built-in Paris scenario) or the --out folder of a
    `dcplanner study`. A scenario's report has the headline figures, the power breakdown from
    the grid to the GPUs, facility power over the year (day x hour), monthly energy and PUE,
    PUE against the outdoor temperature, free-cooling hours and, with phases, the timeline. A
    study's has the distributions of its outputs and tornado charts of the sensitivities.
    Figures are inline SVG: no network is needed to view the file. Needs dcplanner[report].

    \b
    Examples:
      dcplanner report configs/paris-40mw.yaml --out report.html
      dcplanner report configs/paris-100mw.yaml --out plan.html --heatwave
      dcplanner report paris-mc --out study.html
    """
    if target is not None and Path(target).is_dir():
        if not (Path(target) / "manifest.json").exists():
            raise DcplannerError(f"{target}: a folder, but not a study's --out folder (no "
                                 "manifest.json)")
        text = study_report(target)
    else:
        loaded = load(target, overrides + _stress_overrides(
            weather_file, shift_k, heatwave, heatwave_peak_c))
        if target is None:
            source, source_text = f"built-in {BUILTIN_SCENARIO}", builtin_scenario_text()
        else:
            source, source_text = target, Path(target).read_text(encoding="utf-8")
        with loaded.errors():
            text = scenario_report(loaded.resolved, source, source_text)
    emit(text, out, "--out")


#: Candidates of `dcplanner optimize` by default: the Blackwell systems of the catalog.
DEFAULT_CANDIDATES = ("gb200-nvl72", "gb300-nvl72", "dgx-b200", "dgx-b300")


@main.command("optimize")
@CONFIG
@click.option("--candidates", default=",".join(DEFAULT_CANDIDATES), show_default=True,
              metavar="A,B,...", help="Catalog systems the mix may use, comma-separated.")
@click.option("--objective", type=click.Choice(OBJECTIVES), default="bf16", show_default=True,
              help="What to maximize: peak dense PFLOPS in a precision, sustained BF16 "
              "PFLOPS, or GPUs.")
@GRID_MW
@click.option("--max-racks", type=click.IntRange(min=1), metavar="N",
              help="White-space racks available.")
@click.option("--keep-existing", is_flag=True,
              help="Keep the scenario's deployments and optimize what is added to them.")
@click.option("--capex-budget-eur", type=POSITIVE, metavar="EUR",
              help="Capex budget [EUR]: facility, IT, network and storage, priced by the "
              "scenario's economics, e.g. 1.5e9.")
@SET
@fmt_option(("table", "json"))
@OUTPUT
@reports_errors
def optimize_command(config: str | None, candidates: str, objective: str,
                     grid_mw: float | None, max_racks: int | None, keep_existing: bool,
                     capex_budget_eur: float | None, overrides: tuple[str, ...], fmt: str,
                     output: str | None) -> None:
    """The mix of candidate systems that maximizes an objective on the site.

    Integer counts per candidate, under the grid connection, usable UPS capacity, installed
    heat rejection, racks, rack power and optionally a capex budget, solved as a MILP on the
    linearized chain, then verified and polished with the full engine. Reports the runner-up
    mix and its gap.

    \b
    Examples:
      dcplanner optimize --grid-mw 100 --set electrical.ups.modules=40
      dcplanner optimize --candidates gb200-nvl72,dgx-b300 --objective fp8 --max-racks 300
      dcplanner optimize configs/paris-40mw.yaml --objective gpus --format json
      dcplanner optimize --grid-mw 100 --set electrical.ups.modules=40 --capex-budget-eur 1.5e9
    """
    names = [c.strip() for c in candidates.split(",") if c.strip()]
    if not names or len(set(names)) != len(names):
        raise click.BadParameter("give distinct system names, comma-separated",
                                 param_hint="--candidates")
    resolved = load(config, overrides + _site_overrides(grid_mw, max_racks)).resolved
    with flags({"candidates": "--candidates"}):
        o = optimize(resolved, names, objective, keep_existing=keep_existing,
                     capex_budget_eur=capex_budget_eur)
    if fmt == "json":
        data = {"objective": objective, "best": vars(o.best),
                "runner_up": vars(o.runner_up) if o.runner_up else None,
                "blocked_by": o.blocked_by, "excluded": o.excluded,
                "tightenings": o.tightenings, "polish_steps": o.polish_steps,
                "capex_budget_eur": o.capex_budget_eur, "capex_eur": o.capex_eur,
                "record": o.record}
        emit(json.dumps(data, indent=2, ensure_ascii=False) + "\n", output)
    else:
        emit(optimum_table(o) + "\n", output)


@main.command()
@click.argument("config", type=click.Path(dir_okay=False))
@SET
@reports_errors
def validate(config: str, overrides: tuple[str, ...]) -> None:
    """Check a scenario file and report every problem, one line each.

    \b
    Example:
      dcplanner validate configs/paris-100mw.yaml
    """
    loaded = load(config, overrides)
    resolved = loaded.resolved
    with loaded.errors():
        states = check(resolved)  # files fit, every phase applies, every fill finds room
    phases = ""
    if states:
        phases = f"{len(states)} phases; after the last: "
        resolved = states[-1].resolved
    gpus = sum(d.gpus for d in resolved.deployments)
    click.echo(f"{config}: valid: '{resolved.scenario.name}', {phases}"
               f"{len(resolved.deployments)} deployment(s), {gpus:,} GPUs")


@main.command()
@OUTPUT
@reports_errors
def schema(output: str | None) -> None:
    """Print the JSON Schema of scenario files, for editor completion and checks.

    \b
    Example:
      dcplanner schema -o scenario.schema.json
    """
    emit(json.dumps(Scenario.model_json_schema(), indent=2) + "\n", output)


@main.group()
def catalog() -> None:
    """Browse the chip, system and fabric catalog (with a scenario's overrides applied)."""


KIND_CHOICE = click.Choice(list(KINDS))


@catalog.command("list")
@click.argument("kind", required=False, type=KIND_CHOICE)
@click.option("--config", type=click.Path(dir_okay=False),
              help="Scenario whose catalog overrides and additions to include.")
@SET
@fmt_option(("table", "json"))
@reports_errors
def catalog_list(kind: str | None, config: str | None, overrides: tuple[str, ...],
                 fmt: str) -> None:
    """List catalog entries, all kinds or one KIND (accelerators, systems, fabrics).

    \b
    Example:
      dcplanner catalog list systems
    """
    cat = load(config, overrides).resolved.catalog
    kinds = [kind] if kind else list(KINDS)
    if fmt == "json":
        data = {k: {n: e.model_dump(exclude={"sources"}) for n, e in cat.kind(k).items()}
                for k in kinds}
        click.echo(json.dumps(data, indent=2))
        return
    blocks = []
    for k in kinds:
        rows = [["name", *SUMMARY[k], "description"]]
        for n, e in cat.kind(k).items():
            fields = {**e.model_dump(), **getattr(e, "tflops", {})}  # tflops.bf16 as "bf16"
            rows.append([n, *(_cell(fields.get(f)) for f in SUMMARY[k]), e.description])
        blocks.append("\n".join([k, *grid(rows, align="l" + "r" * len(SUMMARY[k]) + "l")]))
    click.echo("\n\n".join(blocks))


#: Columns of `catalog list` per kind, besides name and description.
SUMMARY = {
    "accelerators": ("tdp_w", "bf16", "hbm_gb"),  # bf16: dense TFLOPS
    "systems": ("accelerator", "gpus_per_system", "rated_w", "liquid_heat_frac"),
    "fabrics": ("radix", "port_gbps", "switch_w"),
}


def _cell(value: object) -> str:
    return "-" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


@catalog.command("show")
@click.argument("name")
@click.option("--config", type=click.Path(dir_okay=False),
              help="Scenario whose catalog overrides and additions to include.")
@SET
@fmt_option(("table", "json"))
@reports_errors
def catalog_show(name: str, config: str | None, overrides: tuple[str, ...], fmt: str) -> None:
    """Show one catalog entry with the source and date of every number.

    \b
    Example:
      dcplanner catalog show gb200
    """
    kind, entry = load(config, overrides).resolved.catalog.find(name)
    data = entry.model_dump()
    if fmt == "json":
        click.echo(json.dumps({"name": name, "kind": kind, **data}, indent=2))
        return
    sources = data.pop("sources")
    rows = [["field", "value", "source"]]
    for field, value in data.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k} {v:g}" for k, v in value.items())
        rows.append([field, _cell(value), sources.get(field, "")])
    click.echo("\n".join([f"{name} ({kind[:-1]})", *grid(rows, align="lll")]))
