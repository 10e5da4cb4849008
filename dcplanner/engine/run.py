"""Running scenarios: the design point, the year, its economics, and result records."""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence

from dcplanner.engine.annual import Annual, simulate
from dcplanner.engine.design import evaluate
from dcplanner.engine.economics import carbon_record, costs, economics_record
from dcplanner.engine.hourly import hourly_inputs
from dcplanner.engine.params import flatten
from dcplanner.engine.records import annual_record, as_lists, records
from dcplanner.scenario import ResolvedScenario, Scenario, resolve
from dcplanner.units import W_PER_MW


def run_detailed(
    scenarios: Sequence[Scenario | ResolvedScenario],
    *,
    annual: bool = True,
    keep_hourly: Sequence[int] = (),
    sections: Collection[str] | None = None,
) -> tuple[list[dict], Annual | None]:
    """Records as :func:`run`, and the annual simulation with the hourly arrays of the
    scenarios in ``keep_hourly``. ``sections`` limits the record's nested sections (see
    :func:`dcplanner.engine.records.records`; also ``annual``, ``economics``, ``carbon``)."""
    resolved = [s if isinstance(s, ResolvedScenario) else resolve(s) for s in scenarios]
    x = flatten(resolved)
    out = evaluate(x)
    result = records(resolved, out, sections)
    if not annual:
        return result, None
    year = simulate(hourly_inputs(resolved), x, out, keep_hourly=keep_hourly)
    money = as_lists(costs(x, out, year.values))
    values = as_lists(year.values)
    heat_limits_w = out["heat_rejection_limit"].tolist()
    for i, (r, record) in enumerate(zip(resolved, result, strict=True)):
        if sections is None or "annual" in sections:
            heat = heat_limits_w[i] / W_PER_MW
            record["annual"] = annual_record(
                values, i, year.hours[i], record["grid_mw"], None if math.isnan(heat) else heat,
                r.scenario.workload.profile.kind,
            )
        if sections is None or "economics" in sections:
            record["economics"] = economics_record(money, i, r)
        if sections is None or "carbon" in sections:
            record["carbon"] = carbon_record(money, i, r)
    return result, year


def run(scenarios: Sequence[Scenario | ResolvedScenario], *, annual: bool = True) -> list[dict]:
    """Design point and (unless ``annual=False``) the annual simulation of each scenario, as one
    result record (nested dict) per scenario."""
    return run_detailed(scenarios, annual=annual)[0]
