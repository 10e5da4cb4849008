"""Commands that answer a question of a site: what fits, which mix, how long a training run."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

import click

from dcplanner.cli.base import (
    CONFIG,
    GRID_MW,
    SET,
    FiniteRange,
    flags,
    main,
    output_options,
    reports_errors,
    site_overrides,
)
from dcplanner.config import Override, load
from dcplanner.engine.hourly import MAX_INTENSITY_G_PER_KWH
from dcplanner.validation import MIN_EFFICIENCY

if TYPE_CHECKING:
    from dcplanner.config import Loaded
    from dcplanner.output import View
    from dcplanner.solvers.fit import Fit
    from dcplanner.solvers.optimize import Optimum
    from dcplanner.solvers.provision import Policy
from dcplanner.models.compute import PRECISIONS
from dcplanner.solvers import OBJECTIVES
from dcplanner.solvers.provision import POLICIES

#: Parameters or tokens of a training run, from 1 to 1e16: 25,000 times Llama 3.1's 405e9
#: parameters and 640 times its 15.6e12 tokens; beyond, no product of the chain means anything.
MODEL_COUNT = FiniteRange(min=1, max=1e16)
#: Plausibility limits of the accounting options (not sources; values past them are typing
#: errors): 1e12 GPU-hours is a million times Llama 3.1's 30.84 M, 100 kW per GPU 70 times a
#: GB300's TDP, PUE 10 far beyond any site, a capex of 1e15 EUR a thousand times the largest
#: campus announced.
MAX_GPU_HOURS, MAX_POWER_PER_GPU_W, MAX_PUE, MAX_CAPEX_EUR = 1e12, 1e5, 10.0, 1e15
#: The options that carry the arguments of fit and requirements.
FIT_FLAGS = {"system": "--system", "fabric": "--fabric", "gpus": "--gpus"}
#: The option that keeps the scenario's plant when the grid connection grows.
KEEP_PLANT = click.option(
    "--keep-plant", is_flag=True,
    help="With a larger grid (--grid-mw, --set site.grid_mw=...), keep the scenario's UPS "
    "and transformer instead of growing them with the connection (usable UPS capacity and "
    "transformer rating in proportion); a note says so.")
#: The provisioning policy of fit and optimize (:mod:`dcplanner.solvers.provision`).
POLICY = click.option(
    "--policy", type=click.Choice(POLICIES), default="design", show_default=True,
    help="What the limits are held to. design: every limit at the design hour. percentile: "
    "the grid at the hourly year's power.oversubscription.percentile_frac (p99.9 by "
    "default), GPUs capped above it. curtailment: the hourly year over the grid within "
    "power.curtailment's budget (0.5 % of the year by default). Under both, transformer, "
    "UPS and heat rejection hold at the design hour capped to the grid. Set a budget with "
    "--set, e.g. --set power.oversubscription.percentile_frac=0.99.")
UPS_RESERVE = click.option(
    "--ups-reserve", is_flag=True,
    help="Let the reserve of a redundant UPS carry load, capped on a module failure (zero "
    "reserved power): the UPS limit becomes its installed capacity.")
WITH_SWINGS = click.option(
    "--with-swings", is_flag=True,
    help="Under --policy percentile or curtailment, spread each hour of the year over the "
    "training job's sub-hourly swings (the power study's first hour of the scenario as "
    "written, as power --headroom does); the budget then counts the hours' shares over.")


def policy_options(command: Callable) -> Callable:
    """--policy, --ups-reserve and --with-swings: how fit and optimize read the limits."""
    return POLICY(UPS_RESERVE(WITH_SWINGS(command)))


#: Candidates of `dcplanner optimize` by default: the Blackwell systems of the catalog.
DEFAULT_CANDIDATES = ("gb200-nvl72", "gb300-nvl72", "dgx-b200", "dgx-b300")


@main.command("fit")
@CONFIG
@click.option("--system", required=True, metavar="NAME",
              help="Catalog system to fit, e.g. gb300-nvl72 (see: dcplanner catalog list "
              "systems).")
@GRID_MW
@click.option("--gpus", type=click.IntRange(min=1, max=10**9), metavar="N",
              help="Inverse: what N GPUs of the system need (grid, UPS, heat rejection).")
@click.option("--keep-existing", is_flag=True,
              help="Keep the scenario's deployments and fit the system into what they leave.")
@click.option("--fabric", metavar="NAME", help="Compute fabric (default: the system's).")
@KEEP_PLANT
@policy_options
@SET
@reports_errors
@output_options("table", "json")
def fit_command(config: str | None, system: str, grid_mw: float | None, gpus: int | None,
                keep_existing: bool, fabric: str | None, keep_plant: bool, policy: str,
                ups_reserve: bool, with_swings: bool, overrides: tuple[Override, ...]) -> View:
    """The largest count of a system the site holds, or what a deployment needs.

    Every constraint is checked at the design point through the full chain: grid connection
    (facility peak), usable UPS capacity under the redundancy topology, installed heat
    rejection, racks and rack power. The answer is exact: the count fits and one more breaks
    at least one constraint. With --policy percentile or curtailment the grid is held to the
    hourly year within a budget instead of the design hour (oversubscription, a flexible
    connection), and the table says how often and how hard the GPUs are capped.

    \b
    Examples:
      dcplanner fit --system gb200-nvl72
      dcplanner fit --system gb300-nvl72 --keep-existing --grid-mw 60
      dcplanner fit --system gb300-nvl72 --grid-mw 100 --format json
      dcplanner fit --system gb200-nvl72 --gpus 18000
      dcplanner fit --system gb200-nvl72 --policy percentile
      dcplanner fit --system gb200-nvl72 --policy percentile --with-swings
      dcplanner fit --system gb200-nvl72 --policy curtailment --set power.curtailment.max_event_h=2
    """
    from dcplanner.output import View, fit_table, requirements_table
    from dcplanner.solvers.fit import fit, requirements, with_deployment
    from dcplanner.solvers.plant import load_with_grid

    if gpus is not None and (policy != "design" or ups_reserve or with_swings):
        raise click.UsageError("--gpus gives what a deployment needs at the design hour; drop "
                               "--policy, --ups-reserve and --with-swings, or fit with them")
    loaded, notes = load_with_grid(config, overrides, site_overrides(grid_mw),
                                   keep_plant=keep_plant)
    resolved = loaded.resolved
    with flags(FIT_FLAGS):
        if gpus is not None:
            deployed = with_deployment(resolved, system, gpus=gpus,
                                       keep_existing=keep_existing, fabric=fabric)
            for note in deployed.notes:
                click.echo(f"note: --gpus {gpus}: {note}", err=True)
            needs = requirements(deployed)
            return View(needs, lambda: requirements_table(needs))
        chosen = provisioning(loaded, policy, ups_reserve=ups_reserve, swings=with_swings)
        f = replace(fit(resolved, system, keep_existing=keep_existing, fabric=fabric,
                        policy=chosen), notes=tuple(notes))
    from dcplanner.solvers.fit import grid_notes, limits_record

    data = {"system": f.system, "count": f.count, "gpus": f.gpus,
            "notes": [*f.notes, *grid_notes(limits_record(f))],
            "kept_existing": f.kept_existing, "stopped_by": f.stopped_by, **policy_data(f),
            "record": f.record}
    return View(data, lambda: fit_table(f))


@main.command("train")
@CONFIG
@click.option("--params", type=MODEL_COUNT, metavar="N", help="Model parameters, e.g. 405e9.")
@click.option("--tokens", type=MODEL_COUNT, metavar="D", help="Training tokens, e.g. 15.6e12.")
@click.option("--active-params", type=MODEL_COUNT, metavar="N",
              help="Parameters active per token (mixture of experts); default --params.")
@click.option("--mfu", type=FiniteRange(min=MIN_EFFICIENCY, max=1), metavar="X",
              help="Model FLOPs utilization in (0, 1]; default the scenario's workload.mfu_frac.")
@click.option("--precision", type=click.Choice(PRECISIONS), default="bf16", show_default=True,
              help="Tensor precision of the run.")
@click.option("--gpus", type=click.IntRange(min=1, max=10**9), metavar="N",
              help="Train on N of the site's GPUs (the others idle), at the plant's part-load "
              "PUE; default all.")
@click.option("--start", metavar="[YYYY-]MM-DD", callback=lambda _c, _p, v: _month_day(v),
              help="Start on this day of the weather year: energy, PUE and carbon of the run's "
              "own hours (the year repeats for a longer run); default the year's average.")
@click.option("--gpu-hours", type=FiniteRange(min=0, min_open=True, max=MAX_GPU_HOURS), metavar="H",
              help="Accounting mode: GPU-hours of a run (with --power-w, --pue, "
              "--grid-g-per-kwh).")
@click.option("--power-w", type=FiniteRange(min=0, min_open=True, max=MAX_POWER_PER_GPU_W),
              metavar="W",
              help="Accounting mode: power per GPU.")
@click.option("--pue", type=FiniteRange(min=1, max=MAX_PUE), metavar="X",
              help="Accounting mode: PUE.")
@click.option("--grid-g-per-kwh", type=FiniteRange(min=0, max=MAX_INTENSITY_G_PER_KWH),
              metavar="G",
              help="Accounting mode: grid carbon intensity [gCO2e/kWh].")
@SET
@reports_errors
@output_options("table", "json")
def train_command(config: str | None, params: float | None, tokens: float | None,
                  active_params: float | None, mfu: float | None, precision: str,
                  gpus: int | None, start: tuple[int, int] | None, gpu_hours: float | None,
                  power_w: float | None, pue: float | None, grid_g_per_kwh: float | None,
                  overrides: tuple[Override, ...]) -> View:
    """Days, GPU-hours, energy, cost and carbon of training a model on the scenario's GPUs.

    Compute is 6 x parameters x tokens; the failure-free time follows from the GPUs' peak in
    the precision and the MFU (the scenario's for the precision and for dense or
    mixture-of-experts models, workload.training); checkpoints, interruptions and restarts
    stretch it to the wall time (Young/Daly). Energy: compute, checkpoint and restart hours at
    their own IT draw, times the PUE of the year (or of the run's hours with --start); cost
    from the site's annualized TCO; carbon from the grid intensity. Set the goodput with
    --set workload.training.<field> (interruption_rate_per_gpu_hour, checkpoint_write_s,
    checkpoint_interval_s, restart_s). With --gpu-hours, a run is accounted instead, the way
    model cards do.

    \b
    Examples:
      dcplanner train --params 405e9 --tokens 15.6e12
      dcplanner train --params 405e9 --tokens 15.6e12 --gpus 9000 --start 2026-07-01
      dcplanner train --params 671e9 --active-params 37e9 --tokens 14.8e12 --precision fp8
      dcplanner train --gpu-hours 1022362 --power-w 400 --pue 1.1 --grid-g-per-kwh 385
    """
    from dcplanner.output import View, accounting_table, training_table
    from dcplanner.solvers.phases import expand
    from dcplanner.solvers.training import account, train

    if gpu_hours is not None:
        accounting = {"--power-w": power_w, "--pue": pue, "--grid-g-per-kwh": grid_g_per_kwh}
        missing = [name for name, value in accounting.items() if value is None]
        if missing:
            raise click.UsageError(f"--gpu-hours needs {', '.join(missing)}")
        if params is not None or tokens is not None or config is not None \
                or gpus is not None or start is not None:
            raise click.UsageError("--gpu-hours accounts a run by itself: drop CONFIG, "
                                   "--params, --tokens, --gpus and --start")
        result = account(gpu_hours=gpu_hours, power_w=power_w, pue=pue,
                         grid_g_per_kwh=grid_g_per_kwh)
        return View(result, lambda: accounting_table(result))
    if params is None or tokens is None:
        raise click.UsageError("give --params and --tokens (or --gpu-hours for accounting)")
    loaded = load(config, overrides)
    resolved = loaded.resolved
    with loaded.errors(), flags({"precision": "--precision", "active_params": "--active-params",
                                 "gpus": "--gpus", "start": "--start"}):
        if resolved.scenario.phases:
            resolved = expand(resolved)[-1].resolved  # the finished site
        result = train(resolved, params=params, tokens=tokens, active_params=active_params,
                       mfu_frac=mfu, precision=precision, gpus=gpus, start=start)
    return View(result, lambda: training_table(result))


def provisioning(loaded: Loaded, name: str, *, ups_reserve: bool, swings: bool) -> Policy:
    """The policy ``name`` with the loaded scenario's budgets (:func:`dcplanner.solvers.
    provision.policy`), a problem with them named by its file or option."""
    from dcplanner.solvers.provision import policy

    if swings and name == "design":
        raise click.UsageError("--with-swings spreads the hourly year: give --policy "
                               "percentile or curtailment")
    with loaded.errors():
        return policy(loaded.resolved, name, ups_reserve=ups_reserve, swings=swings)


def policy_data(answer: Fit | Optimum) -> dict:
    """The ``policy`` key of a fit's or an optimum's JSON: absent under the default (so that
    its output reads as before), else the judged record of the answer."""
    p = answer.policy
    return {} if p.default else {"policy": answer.judged}


def _month_day(text: str | None) -> tuple[int, int] | None:
    """``2026-07-01`` or ``07-01`` as (7, 1); the year, if given, is ignored (the weather
    year is a typical year)."""
    if text is None:
        return None
    import datetime

    parts = text.split("-")
    try:
        if len(parts) == 3:
            date = datetime.date(int(parts[0]), int(parts[1]), int(parts[2]))
        elif len(parts) == 2:
            date = datetime.date(2000, int(parts[0]), int(parts[1]))  # a leap year: 02-29 ok
        else:
            raise ValueError
    except ValueError:
        raise click.BadParameter(f"{text!r} is not a date; give YYYY-MM-DD or MM-DD, e.g. "
                                 "2026-07-01") from None
    return date.month, date.day


@main.command("optimize")
@CONFIG
@click.option("--candidates", default=",".join(DEFAULT_CANDIDATES), show_default=True,
              metavar="A,B,...", help="Catalog systems the mix may use, comma-separated.")
@click.option("--objective", type=click.Choice(OBJECTIVES), default="bf16", show_default=True,
              help="What to maximize: peak dense PFLOPS in a precision, sustained BF16 "
              "PFLOPS, or GPUs.")
@GRID_MW
@click.option("--max-racks", type=click.IntRange(min=1, max=10**8), metavar="N",
              help="White-space racks available.")
@click.option("--keep-existing", is_flag=True,
              help="Keep the scenario's deployments and optimize what is added to them.")
@click.option("--capex-budget-eur", type=FiniteRange(min=0, min_open=True, max=MAX_CAPEX_EUR),
              metavar="EUR",
              help="Capex budget [EUR]: facility, IT, network and storage, priced by the "
              "scenario's economics, e.g. 1.5e9.")
@KEEP_PLANT
@policy_options
@SET
@reports_errors
@output_options("table", "json")
def optimize_command(config: str | None, candidates: str, objective: str,
                     grid_mw: float | None, max_racks: int | None, keep_existing: bool,
                     capex_budget_eur: float | None, keep_plant: bool, policy: str,
                     ups_reserve: bool, with_swings: bool,
                     overrides: tuple[Override, ...]) -> View:
    """The mix of candidate systems that maximizes an objective on the site.

    Integer counts per candidate, under the grid connection, usable UPS capacity, installed
    heat rejection, racks, rack power and optionally a capex budget, solved as a MILP on the
    linearized chain, then verified and polished with the full engine. Reports the runner-up
    mix and its gap. --policy, --ups-reserve and --with-swings read the limits as in fit.

    \b
    Examples:
      dcplanner optimize --grid-mw 100 --set electrical.ups.modules=40
      dcplanner optimize --candidates gb200-nvl72,dgx-b300 --objective fp8 --max-racks 300
      dcplanner optimize configs/paris-40mw.yaml --objective gpus --format json
      dcplanner optimize --grid-mw 100 --set electrical.ups.modules=40 --capex-budget-eur 1.5e9
      dcplanner optimize --objective gpus --policy percentile
    """
    from dcplanner.output import View, optimum_table
    from dcplanner.solvers.optimize import optimize

    names = [c.strip() for c in candidates.split(",") if c.strip()]
    if not names or len(set(names)) != len(names):
        raise click.BadParameter("give distinct system names, comma-separated",
                                 param_hint="--candidates")
    from dcplanner.solvers.plant import load_with_grid

    loaded, notes = load_with_grid(config, overrides, site_overrides(grid_mw, max_racks),
                                   keep_plant=keep_plant)
    chosen = provisioning(loaded, policy, ups_reserve=ups_reserve, swings=with_swings)
    with flags({"candidates": "--candidates"}):
        o = replace(optimize(loaded.resolved, names, objective, keep_existing=keep_existing,
                             capex_budget_eur=capex_budget_eur, policy=chosen),
                    notes=tuple(notes))
    from dcplanner.solvers.fit import grid_notes, limits_record

    data = {"objective": objective, "best": vars(o.best),
            "runner_up": vars(o.runner_up) if o.runner_up else None,
            "blocked_by": o.blocked_by, "excluded": o.excluded,
            "tightenings": o.tightenings, "polish_steps": o.polish_steps,
            "capex_budget_eur": o.capex_budget_eur, "capex_eur": o.capex_eur,
            "notes": [*o.notes, *grid_notes(limits_record(o))], **policy_data(o),
            "record": o.record}
    return View(data, lambda: optimum_table(o))
