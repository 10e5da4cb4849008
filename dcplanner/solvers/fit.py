"""Capacity fit: the largest count of a system that the site holds, and what a deployment needs.

Both questions are answered by the vectorized design-point engine, never by separate physics:
candidate counts are evaluated as one batch (scenarios on axis 0), first at powers of two to
bracket the answer, then at up to 64 evenly spaced counts per round inside the bracket, so a
fit takes a handful of batched evaluations. Every constraint grows with the count (more
systems never draw less power, need less UPS, heat rejection or racks), so the feasible counts
are 0..n and the answer is exact. Under a provisioning policy the same search runs on the
batch as :func:`dcplanner.solvers.provision.judge` reads it (the grid on the hourly year's
budget, the plant at the capped design hour).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from dcplanner.engine import Arrays, Result, evaluate, flatten, run, with_column
from dcplanner.engine.hourly import scenario_hours
from dcplanner.errors import ConfigError, DcplannerError, Problem
from dcplanner.models.electrical import (
    FEEDS,
    TOPOLOGIES,
    TOPOLOGY_MODULES,
    modules_for_usable,
    systems,
)
from dcplanner.scenario import Deployment, ResolvedScenario, resolve
from dcplanner.solvers.provision import Policy, constraint_rows, judge, judged
from dcplanner.units import W_PER_MW

#: What judges a batch's design point: :func:`dcplanner.engine.evaluate`, or the same under a
#: provisioning policy (:func:`dcplanner.solvers.provision.judge`).
Judge = Callable[[Arrays], Arrays]

#: Counts tried when bracketing: 1, 2, 4, ... 2**30 systems.
BRACKET = 2 ** np.arange(31)
#: Counts evaluated per refinement round.
ROUND = 64


class FitError(DcplannerError):
    """A fit that has no answer (nothing fits, or the site is already over a limit)."""


@dataclass(frozen=True)
class Fit:
    """The largest count of ``system`` that satisfies every constraint at the design point.

    ``resolved`` is the scenario with that count deployed, ``result`` its design point;
    ``stopped_by`` lists the constraints one more system would violate, with their values;
    ``notes`` how the site's plant was scaled with its grid (:mod:`dcplanner.solvers.plant`);
    ``policy`` the provisioning policy and ``judged`` the constraints of the fitted count as
    it reads them (:func:`judged`).
    """

    system: str
    count: int
    kept_existing: bool
    resolved: ResolvedScenario
    result: Result
    stopped_by: list[dict]
    notes: tuple[str, ...] = ()
    policy: Policy = field(default_factory=Policy)
    judged: dict = field(default_factory=dict)

    @property
    def gpus(self) -> int:
        """GPUs of the fitted system."""
        return int(self.result["deployments[].gpus"][0, len(self.resolved.deployments) - 1])

    @property
    def record(self) -> dict:
        """The design-point record of the fitted scenario."""
        return self.result.records()[0]


def with_deployment(
    resolved: ResolvedScenario, system: str, count: int | None = None, *,
    gpus: int | None = None, keep_existing: bool, fabric: str | None = None,
) -> ResolvedScenario:
    """The scenario with ``count`` systems (or ``gpus`` GPUs) of ``system`` added, or instead
    of its deployments.

    Raises
    ------
    ConfigError
        An unknown system or fabric, or GPUs that are not whole systems, at the path
        ``system``, ``fabric`` or ``gpus`` (the argument that carried it).
    """
    s = resolved.scenario
    added = Deployment(system=system, count=count, gpus=gpus, fabric=fabric)
    deployments = [*s.deployments, added] if keep_existing else [added]
    try:
        return resolve(s.model_copy(update={"deployments": deployments}), resolved.catalog)
    except ConfigError as error:
        raise ConfigError(Problem(p.source, p.path.rsplit(".", 1)[-1], p.message)
                          for p in error.problems) from None


def _at_counts(x: Arrays, column: int, counts: NDArray, judge: Judge = evaluate
               ) -> tuple[NDArray, Arrays]:
    """Feasibility and results with ``counts`` systems in deployment ``column``."""
    out = judge(with_column(x, "count", counts, deployment=column))
    return out["feasible"], out


def _feasible(x: Arrays, columns: NDArray, counts: NDArray, judge: Judge = evaluate) -> NDArray:
    """Feasibility of every scenario of ``x`` at each of its candidate counts: ``counts`` has
    shape (S, K); the answer too."""
    s, k = counts.shape
    batch = {key: np.repeat(value, k, axis=0) for key, value in x.items()}
    batch = with_column(batch, "count", counts.ravel(), deployment=np.repeat(columns, k))
    return judge(batch)["feasible"].reshape(s, k)


def largest_counts(x: Arrays, columns: NDArray | int, judge: Judge = evaluate) -> NDArray:
    """Largest feasible count in deployment ``columns[i]`` of each scenario i of ``x`` (0 if
    none; -1 if more than 2**30 fit), all scenarios bracketed and refined together;
    feasibility as ``judge`` reads it (default: the design point)."""
    s = len(x["count"])
    columns = np.broadcast_to(np.asarray(columns), (s,))
    fits = _feasible(x, columns, np.tile(BRACKET, (s, 1)), judge)
    unbounded = fits.all(axis=1)
    first_bad = np.argmin(fits, axis=1)
    lo = np.where(fits[:, 0], BRACKET[np.maximum(first_bad - 1, 0)], 0)
    hi = np.where(fits[:, 0], BRACKET[first_bad], 1)
    lo[unbounded], hi[unbounded] = -1, 0
    while np.any(active := hi - lo > 1):
        rows = np.flatnonzero(active)
        counts = np.round(np.linspace(lo[rows], hi[rows], ROUND, axis=1)).astype(np.int64)
        ok = _feasible({key: value[rows] for key, value in x.items()}, columns[rows], counts,
                       judge)
        lo[rows] = np.where(ok, counts, -1).max(axis=1)
        hi[rows] = np.where(~ok & (counts > lo[rows, None]), counts, np.iinfo(np.int64).max
                            ).min(axis=1)
    return lo


def largest_count(x: Arrays, column: int, judge: Judge = evaluate) -> int:
    """Largest count in deployment ``column`` of a one-scenario batch ``x`` that is feasible
    as ``judge`` reads it (0 if none; the caller checks that 0 is feasible)."""
    count = int(largest_counts(x, column, judge)[0])
    if count < 0:
        raise FitError(f"more than {BRACKET[-1]:,} systems fit: set the site's limits")
    return count


def violations(out: Arrays, row: int) -> list[dict]:
    """The constraints scenario ``row`` of a design point breaks, with value and limit (and
    their meaning under the policy that judged it, :func:`dcplanner.solvers.provision.
    meaning`)."""
    return [{k: v for k, v in c.items() if k != "headroom_frac"}
            for c in constraint_rows(out, row)
            if c["limit"] is not None and c["value"] > c["limit"]]


#: Plant limits that can bind before the grid connection, and the fields that raise them.
PLANT_LIMITS = {"ups": "electrical.ups.modules or module_mw",
                "transformer": "electrical.transformer.rated_mva"}
#: Unused share of the grid connection worth a note [-].
UNUSED_GRID_FRAC = 0.02


def limits_record(answer: Fit | Any) -> dict:
    """What a fit's or an optimum's notes read its limits from: its design-point record, or
    under a policy other than the default the constraints as the policy judged them."""
    p, judged = answer.policy, answer.judged
    if p.default:
        return answer.record
    return {"binding_constraint": judged["binding"],
            "constraints": {c["constraint"]: {**c, "headroom": None if c["limit"] is None
                                              else c["limit"] - c["value"]}
                            for c in judged["constraints"]}}


def grid_notes(record: dict) -> list[str]:
    """In words, the plant limits that bind before the grid connection with part of it unused:
    a plant the question keeps (a field it sets, ``--keep-plant``; a larger grid otherwise
    grows the plant, :mod:`dcplanner.solvers.plant`) may make the answer that plant's."""
    constraints = record["constraints"]
    grid = constraints["grid"]
    binding = record["binding_constraint"]
    if binding not in PLANT_LIMITS or grid["headroom_frac"] is None \
            or grid["headroom_frac"] < UNUSED_GRID_FRAC:
        return []
    c = constraints[binding]
    return [f"{binding} binds at {c['value']:,.2f} of {c['limit']:,.2f} {c['unit']} with "
            f"{grid['headroom']:,.2f} MW ({grid['headroom_frac']:.1%}) of the "
            f"{grid['limit']:,.2f} MW grid connection unused: raise {PLANT_LIMITS[binding]} "
            "for a site that uses its connection"]


def describe(violations: list[dict]) -> str:
    return "; ".join(f"{v['constraint']} {v['value']:,.2f} {v['unit']} vs limit "
                     f"{v['limit']:,.2f} {v['unit']}" for v in violations)


def fit(
    resolved: ResolvedScenario, system: str, *, keep_existing: bool = False,
    fabric: str | None = None, policy: Policy | None = None,
) -> Fit:
    """The largest count of ``system`` the scenario's site holds at its design point, or under
    a provisioning policy.

    Parameters
    ----------
    resolved : ResolvedScenario
        The site: its grid, UPS, heat rejection, racks and rack-power limits.
    system : str
        Catalog name of the system to fit.
    keep_existing : bool
        Keep the scenario's deployments and fit ``system`` into what they leave; otherwise the
        system replaces them.
    fabric : str, optional
        Compute fabric of the new systems (default: the system's).
    policy : Policy, optional
        How the limits are read (:mod:`dcplanner.solvers.provision`; default: every limit at
        the design hour).

    Raises
    ------
    FitError
        If the existing deployments already violate a limit, or not one system fits.
    """
    policy = policy or Policy()
    trial = with_deployment(resolved, system, 1, keep_existing=keep_existing, fabric=fabric)
    x = flatten([trial])
    column = len(trial.deployments) - 1
    hours = scenario_hours(trial.scenario) if policy.budgeted else None

    def judged_by(batch: Arrays) -> Arrays:
        return judge(batch, policy, hours)

    feasible, out = _at_counts(x, column, np.array([0, 1]), judged_by)
    if not feasible[0]:
        raise FitError(f"the existing deployments already exceed the site: "
                       f"{describe(violations(out, 0))}; no {system} can be added")
    if not feasible[1]:
        raise FitError(f"not one {system} fits: {describe(violations(out, 1))}")
    count = largest_judged(x, column, judged_by, policy)
    _, out = _at_counts(x, column, np.array([count, count + 1]), judged_by)
    fitted = with_deployment(resolved, system, count, keep_existing=keep_existing,
                             fabric=fabric)
    return Fit(system, count, keep_existing, fitted, run([fitted], annual=False),
               violations(out, 1), policy=policy, judged=judged(out, 0, policy))


def largest_judged(x: Arrays, column: int, judge: Judge, policy: Policy) -> int:
    """Largest feasible count in deployment ``column`` of a one-scenario batch as ``judge``
    reads it under ``policy`` (:func:`largest_counts_judged`)."""
    count = int(largest_counts_judged(x, column, judge, policy)[0])
    if count < 0:
        raise FitError(f"more than {BRACKET[-1]:,} systems fit: set the site's limits")
    return count


def largest_counts_judged(x: Arrays, columns: NDArray | int, judge: Judge,
                          policy: Policy) -> NDArray:
    """:func:`largest_counts` as ``judge`` reads them under ``policy``; under a budget, the
    largest feasible counts even above a gap. The grid's budget grows with the count, but the
    plant at the capped design hour need not (once capping binds the site draws the
    connection, and more systems can put slightly less on the UPS), so feasible counts may
    resume above a first break: every count up to the grid's own largest is judged too,
    :data:`ROUND` per scenario at a time."""
    counts = largest_counts(x, columns, judge)
    if not policy.budgeted:
        return counts

    def grid_only(batch: Arrays) -> Arrays:
        out = judge(batch)
        return {**out, "feasible": ~(out["grid_headroom_frac"] < 0)}

    columns = np.broadcast_to(np.asarray(columns), counts.shape)
    top = largest_counts(x, columns, grid_only)
    best = counts.copy()
    searched = (counts >= 0) & (top > counts + 1)
    for offset in range(2, int(np.max(top - counts, initial=0)) + 1, ROUND):
        rows_ = np.flatnonzero(searched & (counts + offset <= top))
        if not rows_.size:
            break
        candidates = counts[rows_, None] + offset + np.arange(ROUND)
        valid = candidates <= top[rows_, None]
        ok = _feasible({key: value[rows_] for key, value in x.items()}, columns[rows_],
                       np.where(valid, candidates, counts[rows_, None]), judge) & valid
        found = ok.any(axis=1)
        best[rows_[found]] = np.where(ok, candidates, -1).max(axis=1)[found]
    return best


def modules_needed(topology: str, module_w: float, output_w: float) -> int:
    """Fewest UPS modules of ``module_w`` whose usable capacity under ``topology`` carries
    ``output_w`` and that the topology allows (minimum and multiple)."""
    minimum, multiple = TOPOLOGY_MODULES[topology]
    m = int(modules_for_usable(TOPOLOGIES.index(topology), module_w, output_w))
    if m > minimum + multiple * 10_000:
        raise FitError(f"more than {minimum + multiple * 10_000:,} UPS modules of "
                       f"{module_w / W_PER_MW:g} MW needed")
    return m


def requirements(resolved: ResolvedScenario) -> dict:
    """What a scenario's deployments need from the site at the design point: grid connection,
    UPS (output, and modules of the scenario's module size under its topology), heat
    rejection, racks and rack power; ``record`` is its design-point record."""
    s = resolved.scenario
    result = run([resolved], annual=False)
    ups = s.electrical.ups
    modules = modules_needed(ups.topology, ups.module_mw * W_PER_MW,
                             float(result.design["design_ups_output_w"][0]))
    return {
        "gpus": int(result["gpus"][0]),
        "racks": int(result["racks"][0]),
        "grid_mw": float(result["facility_peak_mw"][0]),
        "ups_output_mw": float(result["design.electrical.ups_output_mw"][0]),
        "ups_modules": modules,
        "ups_module_mw": ups.module_mw,
        "ups_topology": ups.topology,
        "ups_feed": ups.feed,
        "ups_installed_mw": modules * ups.module_mw * float(systems(FEEDS.index(ups.feed))),
        "heat_rejection_mw": float(result["constraints.heat_rejection.value"][0]),
        "rack_power_kw": float(result["constraints.rack_power.value"][0]),
        "design_ambient_c": s.site.design_ambient_c,
        "record": result.records()[0],
    }
