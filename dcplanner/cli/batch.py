"""Commands over many scenarios or for reading: batch studies and the HTML report."""

from __future__ import annotations

import signal
import sys
import threading
from pathlib import Path

import click

from dcplanner.cli.base import (
    GRID_MW,
    SET,
    check_writable,
    emit,
    emphasised,
    flags,
    main,
    output_option,
    reports_errors,
    site_overrides,
    stress_overrides,
    weather_options,
)
from dcplanner.config import BUILTIN_SCENARIO, Override, builtin_scenario_text, load
from dcplanner.errors import DcplannerError

#: The options that carry the arguments of a study run.
STUDY_FLAGS = {"out": "--output", "resume": "--resume", "scheduler": "--scheduler",
               "allow_large": "--yes"}


@main.command("study")
@click.argument("study", type=click.Path(dir_okay=False))
@output_option(folder=True, required=True, alias="--out",
               help="Folder for the chunks, the cases, the summary and the sensitivities.")
@SET
@click.option("--format", "fmt", type=click.Choice(("table", "json")), default="table",
              show_default=True, help="Format of the summary printed when the study ends.")
@click.option("--workers", type=click.IntRange(min=1, max=1024), default=1, show_default=True,
              help="Processes evaluating chunks (with --scheduler local: Dask workers).")
@click.option("--scheduler", metavar="ADDRESS",
              help="Run chunks on a Dask cluster: its scheduler address (tcp://host:8786), or "
              "'local' for a LocalCluster of --workers. Needs dcplanner[dask].")
@click.option("--resume", is_flag=True,
              help="Continue an interrupted study in --output from its finished chunks.")
@click.option("--yes", is_flag=True, help="Start a study of more than 1,000,000 cases.")
@reports_errors
def study_command(study: str, output: str, overrides: tuple[Override, ...], fmt: str,
                  workers: int, scheduler: str | None, resume: bool, yes: bool) -> None:
    """Run a batch study: a grid, paired lists and/or samples of a base scenario.

    Writes every case with its inputs and outputs (cases.csv, and cases.parquet with
    pyarrow; with `fit:` and `train:` blocks, each case's fitted count and training run),
    summary statistics (summary.csv: mean, std, P5-P95) and sensitivities (sensitivity.csv:
    Spearman rank correlations; sobol.csv: Sobol indices for a sobol sample, with SALib).
    Chunks are written as they finish, so an interrupted study continues with --resume. The
    same study gives the same rows whatever --workers or --scheduler; every case equals the
    same values given to `dcplanner run --set`, applied shallowest first. --set changes the
    study's base scenario before any case (and is part of what --resume checks).

    \b
    Examples:
      dcplanner study configs/studies/paris-chip-cooling-redundancy.yaml -o grid
      dcplanner study configs/studies/paris-monte-carlo.yaml -o mc --workers 2
      dcplanner study configs/studies/paris-monte-carlo.yaml -o mc --resume
      dcplanner study configs/studies/paris-monte-carlo.yaml -o mc-60 --set site.grid_mw=60
    """
    from dcplanner.output import study_table
    from dcplanner.study import load_study, run_study
    from dcplanner.study.runner import study_cases, study_estimate

    out = output
    with flags(STUDY_FLAGS):
        job = load_study(study, allow_large=yes, overrides=overrides)
    spec = job.spec
    count = study_cases(job)
    seconds, memory = study_estimate(job, count)
    chunks = -(-count // spec.chunk_size)
    click.echo(f"{spec.name}: {count:,} cases in {chunks:,} chunk(s) of up to "
               f"{spec.chunk_size:,}; about {seconds:,.0f} s of work on one core and "
               f"{memory / 2**20:,.0f} MiB of results", err=True)
    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminated) if main_thread else None
    with click.progressbar(length=count, label="cases", file=sys.stderr, show_eta=True,
                           show_pos=True) as bar:
        try:
            with flags(STUDY_FLAGS):
                manifest = run_study(job, out, workers=workers, scheduler=scheduler,
                                     resume=resume, progress=bar.update, allow_large=yes)
        except (KeyboardInterrupt, _Terminated) as stop:
            click.echo(f"\ninterrupted: finished chunks are kept in {out}; continue with "
                       f"dcplanner study {study} -o {out} --resume", err=True)
            sys.exit(143 if isinstance(stop, _Terminated) else 130)
        finally:
            if main_thread:
                signal.signal(signal.SIGTERM, previous)
    if fmt == "json":
        import json

        summary = json.loads((Path(out) / "summary.json").read_text(encoding="utf-8"))
        click.echo(json.dumps({"manifest": manifest, "summary": summary}, indent=2,
                              ensure_ascii=False))
    else:
        from dcplanner.solvers.categories import samples

        click.echo(emphasised(study_table(manifest, out, sampled=samples(job.spec),
                                           study=str(study))))


class _Terminated(BaseException):
    """SIGTERM during a study: stop as Ctrl-C does (workers stopped, chunks kept)."""


def _terminated(_signum: int, _frame: object) -> None:
    raise _Terminated()


@main.command("report")
@click.argument("target", required=False, type=click.Path(), metavar="[CONFIG]")
@output_option(required=True, alias="--out", help="HTML file to write (atomically).")
@click.option("--format", "fmt", type=click.Choice(("html",)), default="html",
              show_default=True, help="Output format.")
@SET
@GRID_MW
@weather_options
@reports_errors
def report_command(target: str | None, output: str, fmt: str,
                   overrides: tuple[Override, ...], grid_mw: float | None,
                   weather_file: str | None, shift_k: float | None, heatwave: bool,
                   heatwave_peak_c: float | None) -> None:
    """Write a self-contained HTML report of a scenario or of a finished study.

    CONFIG is a scenario file (default: the built-in Paris scenario) or the -o folder of a
    `dcplanner study`. A scenario's report has the headline figures, the power breakdown from
    the grid to the GPUs, facility power over the year (day x hour), monthly energy and PUE,
    PUE against the outdoor temperature, free-cooling hours and, with phases, the timeline. A
    study's has the distributions of its outputs and tornado charts of the sensitivities.
    Figures are inline SVG: no network is needed to view the file. Needs dcplanner[report].

    \b
    Examples:
      dcplanner report configs/paris-40mw.yaml -o report.html
      dcplanner report configs/paris-100mw.yaml -o plan.html --heatwave
      dcplanner report paris-mc -o study.html
    """
    from dcplanner.report import scenario_report, study_report

    out = output
    check_writable(out)
    stress = site_overrides(grid_mw) + stress_overrides(weather_file, shift_k, heatwave,
                                                        heatwave_peak_c)
    if target is not None and Path(target).is_dir():
        if not (Path(target) / "manifest.json").exists():
            raise DcplannerError(f"{target}: a folder, but not a study's output folder (no "
                                 "manifest.json)")
        if overrides or stress:
            used = [label for _, label in (*overrides, *stress)]
            raise DcplannerError(f"{', '.join(used)}: a study's report shows its cases as "
                                 "they ran; these options apply to a scenario")
        text = study_report(target)
    else:
        loaded = load(target, overrides + stress)
        if target is None:
            source, source_text = f"built-in {BUILTIN_SCENARIO}", builtin_scenario_text()
        else:
            source, source_text = target, Path(target).read_text(encoding="utf-8")
        with loaded.errors():
            text = scenario_report(loaded.resolved, source, source_text)
    emit(text, out)
