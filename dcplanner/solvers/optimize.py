"""Chip-mix optimization: integer counts of candidate systems that maximize an objective.

The objective (peak dense PFLOPS in a precision, sustained BF16, or GPUs) is linear in the
counts; the site's limits are not quite (UPS part-load efficiency, transformer losses, fabric
tiers), so the full chain is linearized and then checked:

1. Each candidate alone is fitted (:func:`dcplanner.solvers.fit.largest_count`); its use of
   each limit per system is the secant from zero to that count, through the engine.
2. ``scipy.optimize.milp`` maximizes the objective under the linearized grid, UPS and
   heat-rejection limits, racks (integer racks per candidate) and the alone-fit bounds.
3. The mix is evaluated by the engine; a limit the linear model overshot is tightened by the
   overshoot and the MILP solved again.
4. The engine-feasible mix is polished (add the best single system while the engine allows),
   and compared with the best mixes that differ from it in one candidate's count (branching
   up and down on each candidate): a better feasible neighbour replaces it; the best of the
   others is the runner-up. The optimum reported has passed the full engine and no single
   system can be added to it.

Under a provisioning policy (:mod:`dcplanner.solvers.provision`) every evaluation above is the
policy's judge of the batch, so the secants, tightenings, polish and runner-up all read the
limits as the policy does (the grid's value is then the connection the hourly year needs).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np
from numpy.typing import NDArray

from dcplanner.engine import Arrays, flatten, run, with_column
from dcplanner.engine.design import CONSTRAINTS
from dcplanner.engine.economics import capex
from dcplanner.engine.hourly import scenario_hours
from dcplanner.engine.params import rows
from dcplanner.errors import ConfigError, DcplannerError, Problem
from dcplanner.models.compute import peak_pflops, sustained_pflops
from dcplanner.scenario import Deployment, ResolvedScenario, resolve
from dcplanner.solvers import OBJECTIVES
from dcplanner.solvers.fit import FitError, describe, largest_judged, violations
from dcplanner.solvers.provision import Policy, judge, judged

#: Constraints linearized for the MILP (racks are integer variables; rack power does not
#: grow with the count).
LIMITS = ("grid", "transformer", "ups", "heat_rejection")
MAX_TIGHTENINGS = 20
MAX_POLISH_STEPS = 10_000


class OptimizeError(DcplannerError):
    """No mix can be formed (no candidate fits at all)."""


def solve_mix(
    value: NDArray, usage: NDArray, budget: NDArray, systems_per_rack: NDArray,
    racks_budget: float, upper: NDArray, lower: NDArray | None = None,
) -> NDArray | None:
    """Integer counts maximizing ``value @ x`` under ``usage @ x <= budget``,
    ``sum(ceil(x / systems_per_rack)) <= racks_budget`` and ``lower <= x <= upper``.

    Parameters
    ----------
    value : ndarray, shape (J,)
        Objective per system.
    usage : ndarray, shape (Q, J)
        Use of each limit per system; ``budget`` (Q,) what is left of each.
    systems_per_rack : ndarray, shape (J,)
        Racks are integer variables ``r_j >= x_j / systems_per_rack_j``.
    racks_budget : float
        Racks available (``inf``: no limit).
    upper, lower : ndarray, shape (J,)
        Bounds on the counts.

    Returns
    -------
    ndarray of int, shape (J,), or None when infeasible.
    """
    from scipy.optimize import Bounds, LinearConstraint, milp

    j = value.size
    lower = np.zeros(j) if lower is None else lower
    # Variables: counts x (J), racks r (J).
    c = np.concatenate([-value, np.zeros(j)])
    rows = [np.hstack([usage, np.zeros_like(usage)])]
    lo = [np.full(len(budget), -np.inf)]
    hi = [budget]
    rows.append(np.hstack([np.eye(j), -np.diag(systems_per_rack)]))  # x - spr r <= 0
    lo.append(np.full(j, -np.inf))
    hi.append(np.zeros(j))
    if np.isfinite(racks_budget):
        rows.append(np.concatenate([np.zeros(j), np.ones(j)])[None, :])
        lo.append(np.array([-np.inf]))
        hi.append(np.array([racks_budget]))
    result = milp(
        c, integrality=np.ones(2 * j),
        bounds=Bounds(np.concatenate([lower, np.zeros(j)]),
                      np.concatenate([upper, np.ceil(upper / systems_per_rack)])),
        constraints=LinearConstraint(np.vstack(rows), np.concatenate(lo), np.concatenate(hi)),
    )
    if result.status != 0 or result.x is None:
        return None
    return np.round(result.x[:j]).astype(int)


@dataclass(frozen=True)
class Mix:
    """A mix of counts per candidate, its objective and whether the engine holds it."""

    counts: dict[str, int]
    value: float
    feasible: bool


@dataclass(frozen=True)
class Optimum:
    """The optimized mix, its full design-point record, and how it was found."""

    objective: str
    best: Mix
    runner_up: Mix | None
    record: dict
    excluded: dict[str, str]
    blocked_by: dict[str, list[str]]
    tightenings: int
    polish_steps: int
    capex_budget_eur: float | None = None
    capex_eur: float | None = None
    #: How the site's plant was scaled with its grid (:mod:`dcplanner.solvers.plant`).
    notes: tuple[str, ...] = ()
    #: The provisioning policy and the optimum's constraints as it reads them
    #: (:func:`dcplanner.solvers.provision.judged`).
    policy: Policy = field(default_factory=Policy)
    judged: dict = field(default_factory=dict)


class _Problem:
    """The site with every candidate as a deployment column, evaluated in batches of mixes."""

    def __init__(self, resolved: ResolvedScenario, candidates: Sequence[str],
                 keep_existing: bool, capex_budget_eur: float | None = None,
                 policy: Policy | None = None):
        self.capex_budget_eur = capex_budget_eur
        self.policy = policy or Policy()
        s = resolved.scenario
        existing = list(s.deployments) if keep_existing else []
        added = [Deployment(system=c, count=1, name=c) for c in candidates]
        try:
            trial = resolve(s.model_copy(update={"deployments": [*existing, *added]}),
                            resolved.catalog)
        except ConfigError as error:
            raise ConfigError(Problem(p.source, "candidates", p.message)
                              for p in error.problems) from None
        self.trial = trial
        self.candidates = list(candidates)
        self.x = flatten([trial])
        self.columns = np.arange(len(existing), len(existing) + len(candidates))
        self.x["count"][:, self.columns] = 0
        self.hours = scenario_hours(trial.scenario) if self.policy.budgeted else None

    def judge(self, batch: Arrays) -> Arrays:
        """The design point of a batch judged under the problem's policy."""
        return judge(batch, self.policy, self.hours)

    def evaluate(self, mixes: NDArray) -> Arrays:
        """Engine results of each mix judged under the policy; with a capex budget,
        ``capex_eur`` and a feasibility that includes it."""
        batch = rows(self.x, np.zeros(len(mixes), dtype=int))
        for k, column in enumerate(self.columns):
            batch = with_column(batch, "count", mixes[:, k], deployment=int(column))
        out = self.judge(batch)
        if self.capex_budget_eur is not None:
            out["capex_eur"] = capex(batch, out)["capex_eur"]
            out["feasible"] = out["feasible"] & (out["capex_eur"] <= self.capex_budget_eur)
        return out


def _objective_per_system(problem: _Problem, objective: str) -> NDArray:
    deps = problem.trial.deployments
    wl = problem.trial.scenario.workload
    values = []
    for col in problem.columns:
        d = deps[col]
        gpus = d.system.gpus_per_system
        if objective == "gpus":
            values.append(float(gpus))
            continue
        precision = "bf16" if objective == "sustained_bf16" else objective
        peak = peak_pflops(gpus, d.accelerator.tflops.get(precision, 0.0))
        if objective == "sustained_bf16":
            peak = sustained_pflops(peak, wl.mfu_frac, wl.utilization_frac)
        values.append(float(peak))
    return np.array(values)


def optimize(
    resolved: ResolvedScenario, candidates: Sequence[str], objective: str = "bf16", *,
    keep_existing: bool = False, capex_budget_eur: float | None = None,
    policy: Policy | None = None,
) -> Optimum:
    """The mix of ``candidates`` that maximizes ``objective`` on the scenario's site, within a
    capex budget [EUR] when one is given (facility, IT, network and storage capex, as the
    scenario's economics price them), its limits read under ``policy``
    (:mod:`dcplanner.solvers.provision`; default: every limit at the design hour).

    Raises
    ------
    ConfigError
        An unknown candidate system.
    OptimizeError
        No candidate fits even once.
    """
    if objective not in OBJECTIVES:
        raise ValueError(f"objective {objective!r}; allowed: {', '.join(OBJECTIVES)}")
    p = _Problem(resolved, candidates, keep_existing, capex_budget_eur, policy)
    j = len(candidates)
    value = _objective_per_system(p, objective)
    zero = np.zeros((1, j), dtype=int)
    base = p.evaluate(zero)
    if not base["feasible"][0]:
        raise OptimizeError("the existing deployments already exceed the site")
    # 1. Alone-fit bounds and secant use of each limit per system.
    upper = np.zeros(j)
    excluded: dict[str, str] = {}
    singles = p.evaluate(np.eye(j, dtype=int))
    for k, col in enumerate(p.columns):
        if not value[k] > 0:
            excluded[candidates[k]] = f"adds nothing to the objective {objective} (0 per system)"
            continue
        if capex_budget_eur is not None and np.isnan(singles["capex_eur"][k]):
            excluded[candidates[k]] = (f"no price to budget it (set catalog.systems."
                                       f"{candidates[k]}.price_usd)")
            continue
        if not singles["feasible"][k]:
            why = describe(violations(singles, k)) or "over the capex budget"
            excluded[candidates[k]] = f"not one fits: {why}"
            continue
        try:
            upper[k] = largest_judged(p.x, int(col), p.judge, p.policy)
        except FitError as error:
            excluded[candidates[k]] = str(error)
    if np.all(upper == 0):
        raise OptimizeError("no candidate fits: " + "; ".join(
            f"{name}: {why}" for name, why in excluded.items()))
    alone = p.evaluate(np.diag(np.maximum(upper, 1)).astype(int))
    limits = []  # (engine value key, limit) of each linearized limit that is set
    for name in LIMITS:
        limit = base[f"{name}_limit"][0]
        if np.isfinite(limit):
            limits.append((f"{name}_value", limit))
    if capex_budget_eur is not None:
        limits.append(("capex_eur", capex_budget_eur))
    usage = np.nan_to_num(np.array([(alone[key] - base[key][0]) / np.maximum(upper, 1)
                                    for key, _ in limits]))
    # Limits in their own units: W (grid, transformer, UPS, heat rejection) or EUR (capex).
    limit_values = np.array([limit for _, limit in limits])
    budget = limit_values - np.array([base[key][0] for key, _ in limits])
    spr = np.array([p.trial.deployments[c].system.systems_per_rack for c in p.columns], float)
    racks_left = p.x["max_racks"][0] - base["racks"][0] if np.isfinite(
        p.x["max_racks"][0]) else np.inf

    def solve(lower=None, upper_=upper):
        return solve_mix(value, usage, budget, spr, racks_left, upper_, lower)

    # 2-3. Solve, check with the engine, tighten what the linear model overshot.
    tightenings = 0
    counts = solve()
    while True:
        out = p.evaluate(counts[None, :])
        if out["feasible"][0] or tightenings >= MAX_TIGHTENINGS:
            break
        over = np.array([out[key][0] for key, _ in limits]) - limit_values
        budget = budget - np.maximum(over, 0) * 1.001
        tightenings += 1
        counts = solve()
    # 4. Polish and compare with the best neighbours.
    counts, steps = _polish(p, counts, value)
    runner_up = None
    for _ in range(MAX_TIGHTENINGS):
        neighbours = [n for n in _branches(solve, counts, upper) if not np.array_equal(n, counts)]
        if not neighbours:
            break
        mixes = np.array(neighbours)
        feasible = p.evaluate(mixes)["feasible"]
        values = mixes @ value
        order = np.argsort(-values)
        best_other = next((i for i in order if feasible[i]), None)
        if best_other is not None and values[best_other] > counts @ value + 1e-9:
            counts, more = _polish(p, mixes[best_other], value)
            steps += more
            continue
        if best_other is not None:
            runner_up = Mix(dict(zip(candidates, map(int, mixes[best_other]), strict=True)),
                            float(values[best_other]), True)
        break
    final = p.evaluate(counts[None, :])
    spent = float(final["capex_eur"][0]) if capex_budget_eur is not None else None
    record = _record(p, counts)
    best = Mix(dict(zip(candidates, map(int, counts), strict=True)), float(counts @ value),
               bool(final["feasible"][0]))
    return Optimum(objective, best, runner_up, record, excluded,
                   _blocked_by(p, counts), tightenings, steps, capex_budget_eur, spent,
                   policy=p.policy, judged=judged(final, 0, p.policy))


def _polish(p: _Problem, counts: NDArray, value: NDArray) -> tuple[NDArray, int]:
    """Add the most valuable single system the engine allows, until none can be added."""
    counts = counts.copy()
    steps = 0
    eye = np.eye(counts.size, dtype=int)
    while steps < MAX_POLISH_STEPS:
        feasible = p.evaluate(counts + eye)["feasible"] & (value > 0)
        if not feasible.any():
            break
        counts = counts + eye[int(np.argmax(np.where(feasible, value, -np.inf)))]
        steps += 1
    return counts, steps


def _branches(solve, counts: NDArray, upper: NDArray) -> list[NDArray]:
    """Best linear mixes that differ from ``counts`` in one candidate, up or down."""
    out = []
    for k in range(counts.size):
        if counts[k] >= 1:
            up = upper.copy()
            up[k] = counts[k] - 1
            found = solve(upper_=up)
            if found is not None:
                out.append(found)
        if counts[k] + 1 <= upper[k]:
            low = np.zeros(counts.size)
            low[k] = counts[k] + 1
            found = solve(lower=low)
            if found is not None:
                out.append(found)
    return out


def _blocked_by(p: _Problem, counts: NDArray) -> dict[str, list[str]]:
    """For each candidate, the limits one more of it would break."""
    out = p.evaluate(counts + np.eye(counts.size, dtype=int))
    blocked = {}
    for k, name in enumerate(p.candidates):
        blocked[name] = [c for c in CONSTRAINTS
                         if out[f"{c}_value"][k] > out[f"{c}_limit"][k]]  # NaN: not set
        if p.capex_budget_eur is not None and not out["capex_eur"][k] <= p.capex_budget_eur:
            blocked[name].append("capex budget")
    return blocked


def _record(p: _Problem, counts: NDArray) -> dict:
    """The design-point record of the mix (candidates at zero dropped), for reports."""
    deployments = list(p.trial.deployments)
    for k, col in enumerate(p.columns):
        deployments[col] = replace(deployments[col], count=int(counts[k]))
    columns = set(p.columns.tolist())
    kept = tuple(d for i, d in enumerate(deployments) if i not in columns or d.count > 0)
    mixed = replace(p.trial, deployments=kept)
    return run([mixed], annual=False).records()[0]
