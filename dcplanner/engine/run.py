"""Running scenarios: the design point, the year and its economics, as one :class:`Result`."""

from __future__ import annotations

from collections.abc import Sequence

from dcplanner.engine.annual import simulate
from dcplanner.engine.design import evaluate
from dcplanner.engine.economics import costs
from dcplanner.engine.hourly import ScenarioHours, hourly_inputs
from dcplanner.engine.outputs import Result
from dcplanner.engine.params import Arrays, flatten
from dcplanner.scenario import ResolvedScenario, Scenario, resolve


def evaluate_batch(x: Arrays, hours: Sequence[ScenarioHours] | None, *,
                   keep_hourly: Sequence[int] = ()) -> Result:
    """The results of a flattened batch: the design point, and with ``hours`` (one per
    scenario) the year and its economics."""
    design = evaluate(x)
    if hours is None:
        return Result(x, design)
    year = simulate(hours, x, design, keep_hourly=keep_hourly)
    return Result(x, design, year.values, costs(x, design, year.values), year.hourly)


def run(scenarios: Sequence[Scenario | ResolvedScenario], *, annual: bool = True,
        keep_hourly: Sequence[int] = ()) -> Result:
    """Design point and (unless ``annual=False``) the annual simulation and economics of each
    scenario, as one batch; ``keep_hourly`` lists the scenarios whose hours are kept.

    Raises
    ------
    ConfigError
        A scenario whose system would draw more than its supply capacity, or whose inputs give
        a result that is not a finite number.
    """
    resolved = [s if isinstance(s, ResolvedScenario) else resolve(s) for s in scenarios]
    result = evaluate_batch(flatten(resolved), hourly_inputs(resolved) if annual else None,
                            keep_hourly=keep_hourly)
    result.check()
    return result
