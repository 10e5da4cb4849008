"""``dcplanner compare``: scenario files and variants side by side."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from dcplanner.cli.base import GRID_MW, SET, main, output_options, reports_errors, site_overrides
from dcplanner.config import BUILTIN_SCENARIO, Loaded, Override, load, scenario_data
from dcplanner.errors import ConfigError, DcplannerError

if TYPE_CHECKING:
    from dcplanner.output import View


def _variant(text: str) -> tuple[Override, ...]:
    """``--variant 'a=1; b=2'`` as overrides, each named by the option in errors."""
    parts = [part.strip() for part in text.split(";") if part.strip()]
    if not parts:
        raise DcplannerError(f"--variant {text!r}: expected PATH=VALUE[; PATH=VALUE...], e.g. "
                             "--variant cooling.plant=cooling_tower")
    return tuple((part, f"--variant {text}") for part in parts)


@main.command()
@click.argument("configs", nargs=-1, type=click.Path(dir_okay=False), metavar="[CONFIG]...")
@click.option("--variant", "variants", multiple=True, metavar="PATH=VALUE[; PATH=VALUE]",
              help="A variant of the first CONFIG (or of the built-in scenario) with these "
              "fields changed, compared as one more scenario (repeatable).")
@click.option("--study", "study", type=click.Path(dir_okay=False), metavar="STUDY",
              help="Instead of scenarios: summarise a finished study per category (each "
              "value of its grid, zip or choice inputs); needs --results.")
@click.option("--results", type=click.Path(file_okay=False), metavar="DIR",
              help="The folder of the study's run (dcplanner study STUDY -o DIR).")
@SET
@GRID_MW
@click.option("--annual/--no-annual", default=True, show_default=True,
              help="Simulate the year (annual PUE, water, cost, carbon) as well as the "
              "design point.")
@reports_errors
@output_options("table", "json", "csv")
def compare(configs: tuple[str, ...], variants: tuple[str, ...], study: str | None,
            results: str | None, overrides: tuple[Override, ...], grid_mw: float | None,
            annual: bool) -> View:
    """Compare scenarios: the inputs that differ, then the key outputs side by side with
    each one's difference from the first (A).

    The scenarios are the CONFIG files, each with the --set and --grid-mw given, then one per
    --variant: the first CONFIG (the built-in Paris scenario when there is none) with the
    variant's fields changed. At least two scenarios; a phased plan is compared at its last
    phase.

    With --study and --results, a finished study instead: every numeric output per value of
    each input its grid, zip or choice distribution varies, as mean [min, max] over a grid's
    cases, and P50 [P10, P90] only where the design samples.

    \b
    Examples:
      dcplanner compare configs/paris-40mw.yaml configs/paris-40mw-cooling-tower.yaml
      dcplanner compare --variant site.grid_mw=60 --variant site.grid_mw=80
      dcplanner compare configs/paris-40mw.yaml --variant 'workload.mfu_frac=0.5; \\
          workload.operating_power_frac=0.9' --format csv -o compare.csv
      dcplanner compare --study configs/studies/paris-chip-cooling-redundancy.yaml \
          --results grid-out
    """
    from dcplanner.output.compare import compare_view
    from dcplanner.solvers.compare import check_scenario_data, compare, run_records

    if study is not None or results is not None:
        return _study_view(study, results, bool(configs or variants or overrides or grid_mw))
    common = overrides + site_overrides(grid_mw)
    parsed = [_variant(v) for v in variants]
    if len(configs or (None,)) + len(parsed) < 2:
        raise DcplannerError("compare needs two scenarios or more: give CONFIG files and/or "
                             "--variant PATH=VALUE")
    for path in configs:
        check_scenario_data(*scenario_data(path))
    loaded: list[Loaded] = [load(path, common) for path in configs]
    base = configs[0] if configs else None
    if not configs:
        loaded.append(load(None, common))
    loaded += [load(base, common + v) for v in parsed]
    sources = [*(configs or (f"<built-in {BUILTIN_SCENARIO}>",)),
               *(f"--variant {v}" for v in variants)]
    resolved = [item.resolved for item in loaded]
    try:
        records = run_records(resolved, annual)
    except ConfigError:
        for item in loaded:  # the batch failed: find the scenario, and name what set it
            with item.errors():
                run_records([item.resolved], annual)
        raise
    names = [r.scenario.name + (" (at its last phase)" if r.scenario.phases else "")
             for r in resolved]
    return compare_view(compare(resolved, records), sources, names)


def _study_view(study: str | None, results: str | None, scenarios: bool) -> View:
    """``compare --study STUDY --results DIR``: the study's cases by category."""
    from pathlib import Path

    from dcplanner.documents import read_bounded
    from dcplanner.output.compare import categories_view
    from dcplanner.solvers.categories import (
        MAX_CASES_BYTES,
        categories,
        category_rows,
        read_cases,
        samples,
    )
    from dcplanner.study.spec import read_study

    if scenarios:
        raise DcplannerError("--study: compares a study's cases, not CONFIG, --variant, --set "
                             "or --grid-mw; give one or the other")
    if study is None or results is None:
        raise DcplannerError("--study and --results go together: the study file and the "
                             "folder of its run (dcplanner study STUDY -o DIR)")
    spec, _ = read_study(study)
    if not categories(spec):
        raise DcplannerError(f"--study {study}: no grid, zip or choice input to summarise by")
    path = Path(results) / "cases.csv"
    if not path.is_file():
        raise DcplannerError(f"--results {results}: no cases.csv; run dcplanner study {study} "
                             f"-o {results} first")
    rows = read_cases(read_bounded(path, MAX_CASES_BYTES), str(path), categories(spec))
    return categories_view(spec.name, category_rows(spec, rows), samples(spec))
