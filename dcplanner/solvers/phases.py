"""Phased build-out: the state of the site after each phase, and the timeline of results.

Each phase changes the state the phase before it left (the first phase changes the scenario as
written): a new grid connection, systems retired, systems added (a count, GPUs, or as many as
fit, through :func:`dcplanner.solvers.fit.fit`), UPS modules, transformer rating, heat rejection and
racks added. Every state is a complete scenario, so the timeline is one batch through the same
engine as a single run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from dcplanner.catalog import unknown_name
from dcplanner.engine import Result, run
from dcplanner.errors import ConfigError, Problem
from dcplanner.scenario import Deployment, Phase, ResolvedScenario, Scenario, resolve
from dcplanner.solvers.fit import FitError, fit
from dcplanner.validation import validate


@dataclass(frozen=True)
class PhaseState:
    """The site as a phase leaves it; ``filled`` is the count a ``fill`` deployment got."""

    phase: Phase
    resolved: ResolvedScenario
    filled: int | None


def _prefix(k: int, problems: Sequence[Problem]) -> list[Problem]:
    return [Problem(p.source, f"phases.{k}" + (f".{p.path}" if p.path else ""), p.message)
            for p in problems]


def _retire(deployments: list[Deployment], phase: Phase, k: int) -> list[Deployment]:
    """Deployments after the phase's retirements (by label; counts of systems)."""
    out = list(deployments)
    for j, r in enumerate(phase.retire):
        labels = [d.name or d.system for d in out]
        if r.name not in labels:
            raise ConfigError([Problem("", f"phases.{k}.retire.{j}.name",
                                       f"no deployment '{r.name}' to retire; deployed: "
                                       f"{', '.join(labels) or 'none'}")])
        i = labels.index(r.name)
        d = out[i]
        if d.count is None:  # given as GPUs: resolve to systems below, so compare in GPUs
            raise ConfigError([Problem("", f"phases.{k}.retire.{j}.name",
                                       f"'{r.name}' is given in GPUs; give it a count of "
                                       "systems to retire from it")])
        if r.count is None or r.count == d.count:
            out.pop(i)
        elif r.count > d.count:
            raise ConfigError([Problem("", f"phases.{k}.retire.{j}.count",
                                       f"cannot retire {r.count} of '{r.name}': "
                                       f"{d.count} deployed")])
        else:
            out[i] = d.model_copy(update={"count": d.count - r.count})
    return out


def _added_to(value: float | None, added: float, path: str) -> float | None:
    if not added:
        return value
    if value is None:
        raise ConfigError([Problem("", path, "the site sets no such limit to add to; set it "
                                   "in the scenario first")])
    return value + added


def apply_phase(state: Scenario, phase: Phase, k: int) -> Scenario:
    """The scenario after phase ``k``'s changes, validated (``fill`` deployments not yet added)."""
    data = state.model_dump()
    site, electrical, cooling = data["site"], data["electrical"], data["cooling"]
    if phase.grid_mw is not None:
        site["grid_mw"] = phase.grid_mw
    electrical["ups"]["modules"] += phase.ups_modules_added
    transformer = electrical["transformer"]
    if phase.transformer_mva_added:
        transformer["rated_mva"] = (transformer["rated_mva"] or state.site.grid_mw) \
            + phase.transformer_mva_added
    cooling["heat_rejection_mw"] = _added_to(cooling["heat_rejection_mw"],
                                             phase.heat_rejection_mw_added,
                                             f"phases.{k}.heat_rejection_mw_added")
    site["max_racks"] = _added_to(site["max_racks"], phase.max_racks_added,
                                  f"phases.{k}.max_racks_added")
    kept = _retire(state.deployments, phase, k)
    added = [Deployment(**d.model_dump(exclude={"fill"})) for d in phase.add if not d.fill]
    data["deployments"] = [d.model_dump() for d in (*kept, *added)]
    data["phases"] = []
    try:
        return validate(Scenario, data)
    except ConfigError as error:
        raise ConfigError(_prefix(k, error.problems)) from None


def expand(resolved: ResolvedScenario) -> list[PhaseState]:
    """The state after every phase of a scenario, in order.

    Raises
    ------
    ConfigError
        A change that cannot apply (unknown system, retiring what is not deployed, a limit
        added where none is set, a ``fill`` with no room: the load carried over already
        exceeds the phase's site, or not one system fits), named by its ``phases.N...`` path.
    """
    catalog = resolved.catalog
    state = resolved.scenario.model_copy(update={"phases": []})
    states = []
    for k, phase in enumerate(resolved.scenario.phases):
        problems = [unknown_name(("phases", k, "add", j, "system"), d.system, "systems", catalog)
                    for j, d in enumerate(phase.add) if d.system not in catalog.systems]
        if problems:
            raise ConfigError(problems)
        state = apply_phase(state, phase, k)
        try:
            current = resolve(state, catalog)
        except ConfigError as error:
            raise ConfigError(_prefix(k, error.problems)) from None
        filled = None
        for j, d in enumerate(phase.add):
            if d.fill:
                try:
                    f = fit(current, d.system, keep_existing=True, fabric=d.fabric)
                except FitError as error:
                    raise ConfigError([Problem("", f"phases.{k}.add.{j}", f"cannot fill with "
                                               f"{d.system}: {error}")]) from None
                except ConfigError as error:  # an unknown fabric
                    raise ConfigError([Problem("", f"phases.{k}.add.{j}.fabric", p.message)
                                       for p in error.problems]) from None
                filled = f.count
                state = state.model_copy(update={"deployments": [
                    *state.deployments,
                    Deployment(system=d.system, count=f.count, fabric=d.fabric, name=d.name),
                ]})
        named = state.model_copy(update={"name": f"{resolved.scenario.name}: {phase.name}"})
        states.append(PhaseState(phase, resolve(named, catalog), filled))
    return states


def _changes(s: PhaseState) -> dict:
    """The phase's changes as plain data, with the count each ``fill`` got."""
    changes = s.phase.model_dump(mode="json", exclude={"name", "start", "add"})
    changes["add"] = [
        {"system": d.system, "name": d.name, "fill": d.fill,
         "count": s.filled if d.fill else next(r.count for r in s.resolved.deployments
                                               if r.label == (d.name or d.system))}
        for d in s.phase.add
    ]
    return changes


def run_phases(resolved: ResolvedScenario, *, annual: bool = True,
               keep_hourly_last: bool = False,
               keep_hourly_all: bool = False) -> tuple[dict, Result]:
    """The timeline of a phased scenario: one record per phase state, evaluated as one batch.

    Returns the timeline (``scenario``, ``phases``: each with ``phase``, ``start``, ``changes``
    and the state's full ``record``) and the batch's result (with the last phase's hours when
    ``keep_hourly_last``, every phase's when ``keep_hourly_all``).
    """
    states = expand(resolved)
    keep = tuple(range(len(states))) if keep_hourly_all else \
        (len(states) - 1,) if keep_hourly_last else ()
    result = run([s.resolved for s in states], annual=annual, keep_hourly=keep)
    records = result.records()
    timeline = {
        "scenario": resolved.scenario.name,
        "phases": [
            {"phase": s.phase.name, "start": s.phase.start.isoformat(),
             "changes": _changes(s), "record": record}
            for s, record in zip(states, records, strict=True)
        ],
    }
    return timeline, result
