"""Chip-mix optimization: the MILP against brute force, and the mix against the engine."""

import itertools

import numpy as np
import pytest

from dcplanner.config import load_resolved
from dcplanner.errors import ConfigError
from dcplanner.solvers.fit import fit
from dcplanner.solvers.optimize import OptimizeError, optimize, solve_mix
from tests.conftest import records


def brute_force(value, usage, budget, spr, racks_budget, upper):
    best, best_x = -1.0, None
    for x in itertools.product(*(range(int(u) + 1) for u in upper)):
        x = np.array(x)
        fits = np.all(usage @ x <= budget + 1e-9) and np.ceil(x / spr).sum() <= racks_budget
        if fits and value @ x > best + 1e-9:
            best, best_x = value @ x, x
    return best, best_x


@pytest.mark.parametrize("seed", range(12))
def test_milp_equals_brute_force_on_small_instances(seed):
    rng = np.random.default_rng(seed)
    j = int(rng.integers(2, 4))
    value = rng.integers(1, 20, j).astype(float)
    usage = rng.uniform(0.5, 5.0, (2, j))
    budget = rng.uniform(5, 25, 2)
    spr = rng.integers(1, 4, j).astype(float)
    racks_budget = float(rng.integers(2, 8)) if seed % 2 else np.inf
    upper = rng.integers(1, 7, j).astype(float)
    x = solve_mix(value, usage, budget, spr, racks_budget, upper)
    best, _ = brute_force(value, usage, budget, spr, racks_budget, upper)
    assert x is not None
    assert value @ x == pytest.approx(best)
    assert np.all(usage @ x <= budget + 1e-6) and np.ceil(x / spr).sum() <= racks_budget


def test_milp_respects_lower_bounds_and_reports_infeasible():
    value, usage, spr = np.array([1.0, 1.0]), np.array([[1.0, 1.0]]), np.ones(2)
    x = solve_mix(value, usage, np.array([5.0]), spr, np.inf, np.array([5.0, 5.0]),
                  lower=np.array([4.0, 0.0]))
    assert x[0] >= 4 and x.sum() == 5
    assert solve_mix(value, usage, np.array([2.0]), spr, np.inf, np.array([5.0, 5.0]),
                     lower=np.array([3.0, 0.0])) is None


SITE = ["site.grid_mw=100", "electrical.ups.modules=40", "site.max_racks=400"]
CANDIDATES = ["gb200-nvl72", "gb300-nvl72", "dgx-b200", "dgx-h100"]


@pytest.mark.parametrize("objective", ["bf16", "fp8", "fp64", "gpus", "sustained_bf16"])
def test_optimum_holds_in_the_engine_and_no_system_can_be_added(objective):
    o = optimize(load_resolved(None, SITE), CANDIDATES, objective)
    assert o.best.feasible and o.record["feasible"]
    assert all(o.blocked_by[name] for name in CANDIDATES)  # every +1 breaks a limit
    assert o.runner_up is None or o.runner_up.value <= o.best.value + 1e-9


def test_optimum_is_at_least_the_best_single_system():
    r = load_resolved(None, SITE)
    o = optimize(r, CANDIDATES, "gpus")
    best_single = max(fit(r, c).record["gpus"] for c in CANDIDATES)
    assert o.best.value >= best_single
    assert o.record["gpus"] == o.best.value


def test_rack_power_excludes_a_candidate():
    r = load_resolved(None, [*SITE, "site.max_rack_power_kw=100"])
    o = optimize(r, ["gb200-nvl72", "dgx-b200"], "bf16")
    assert o.best.counts["gb200-nvl72"] == 0 and o.best.counts["dgx-b200"] > 0
    assert o.excluded["gb200-nvl72"].startswith("not one fits")


def test_no_candidate_fits():
    with pytest.raises(OptimizeError, match="no candidate fits"):
        optimize(load_resolved(None, ["site.max_rack_power_kw=10"]), ["gb200-nvl72"], "bf16")


def test_unknown_candidate():
    with pytest.raises(ConfigError, match="unknown system 'gb900'"):
        optimize(load_resolved(), ["gb200-nvl72", "gb900"], "bf16")


def test_capex_budget_binds_and_is_respected():

    r = load_resolved(None, SITE)
    free = optimize(r, ["gb200-nvl72", "dgx-b200"], "bf16")
    o = optimize(r, ["gb200-nvl72", "dgx-b200"], "bf16", capex_budget_eur=1.0e9)
    assert o.best.value < free.best.value
    assert o.capex_eur <= 1.0e9 and o.best.feasible
    assert all("capex budget" in limits for limits in o.blocked_by.values())
    # The record's own economics price the mix the same way.
    deployments = [{"system": s, "count": n} for s, n in o.best.counts.items() if n]
    [priced] = records([load_resolved(None, [*SITE, f"deployments={deployments!r}"])])
    assert priced["economics"]["capex_eur"]["total"] == pytest.approx(o.capex_eur)


def test_a_candidate_without_a_price_cannot_be_budgeted():
    o = optimize(load_resolved(None, SITE), ["gb200-nvl72", "dgx-b300"], "gpus",
                 capex_budget_eur=1.0e9)
    assert o.best.counts["dgx-b300"] == 0
    assert o.excluded["dgx-b300"] == ("no price to budget it (set catalog.systems.dgx-b300."
                                      "price_usd)")
