"""Provisioning policies of fit and optimize (dcplanner.solvers.provision)."""

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dcplanner.config import load_resolved
from dcplanner.engine import evaluate, flatten, with_column
from dcplanner.engine.hourly import scenario_hours
from dcplanner.models import curtailment
from dcplanner.models.it_power import accelerator_peak_w
from dcplanner.solvers.fit import fit
from dcplanner.solvers.headroom import headroom
from dcplanner.solvers.optimize import optimize
from dcplanner.solvers.provision import (
    Policy,
    capped_design,
    connection_needed_w,
    judge,
    policy,
)
from tests.conftest import scenario_from

PARIS_HOURS = 8760


@pytest.fixture(scope="module")
def paris():
    return load_resolved()


def batch(resolved, counts, column=-1):
    x = flatten([resolved])
    return with_column(x, "count", np.asarray(counts, dtype=float),
                       deployment=column % x["count"].shape[1])


def test_the_budgets_come_from_the_scenario(paris_data):
    r = scenario_from(paris_data)
    assert policy(r, "percentile").budget_h == pytest.approx(0.001 * PARIS_HOURS, rel=1e-12)
    assert policy(r, "curtailment").budget_h == pytest.approx(43.8, rel=1e-12)
    c = policy(scenario_from(paris_data, power__curtailment__hours_per_year=10,
                             power__curtailment__max_event_h=2,
                             power__curtailment__energy_frac=0.001), "curtailment")
    assert (c.budget_h, c.max_event_h, c.energy_frac) == (10, 2, 0.001)
    assert not policy(r, "design").budgeted
    with pytest.raises(ValueError, match="allowed: design, percentile, curtailment"):
        policy(r, "p99")


def test_connection_needed_by_hand():
    f = np.array([[5.0, 4.0, 3.0, 2.0, 1.0]])
    # Two hours may be over: the connection must reach the third-highest hour.
    assert connection_needed_w(f, Policy("percentile", 2.0), np.array([10.0]))[0] == 3.0
    # Three hours allowed but no event over an hour: 5, 5 in a row must both be under.
    f = np.array([[5.0, 5.0, 1.0, 1.0, 4.0]])
    needed = connection_needed_w(f, Policy("curtailment", 3.0, max_event_h=1.0),
                                 np.array([10.0]))[0]
    assert needed == pytest.approx(5.0, abs=1e-9)
    # An energy share: at C, the energy above is sum(max(f - C, 0)) of 16.
    f = np.array([[4.0, 4.0, 4.0, 4.0]])
    needed = connection_needed_w(f, Policy("curtailment", 4.0, energy_frac=0.25),
                                 np.array([10.0]))[0]
    assert needed == pytest.approx(3.0, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0, 100), min_size=3, max_size=40), st.floats(0, 110),
       st.floats(0, 10), st.sampled_from([np.inf, 1.0, 2.0]),
       st.sampled_from([np.inf, 0.01, 0.1]))
def test_the_connection_needed_agrees_with_the_budget(values, connection, hours, event, energy):
    f = np.array([values])
    c = np.array([connection])
    p = Policy("curtailment", hours, event, energy)
    needed = connection_needed_w(f, p, c)[0]
    ok = curtailment.within_budget(curtailment.exceedance(f, c), hours, event, energy)[0]
    assert (needed <= connection) == ok
    assert curtailment.within_budget(curtailment.exceedance(f, np.array([needed])), hours,
                                     event, energy)[0]


def test_the_capped_design_hour_holds_the_grid(paris):
    x = batch(paris, [200, 290, 400, 10**6])
    out = evaluate(x)
    capped, cap_w = capped_design(x)
    peak = accelerator_peak_w(x["gpu_tdp_w"], x["gpu_power_cap_w"])[:, 0]
    # Within the grid, nothing is capped and nothing moves.
    assert out["design_facility_w"][0] <= 40e6
    assert cap_w[0, 0] == peak[0]
    assert capped["design_ups_output_w"][0] == out["design_ups_output_w"][0]
    # Over it, the GPUs are capped between idle and peak so that the site draws the grid.
    for i in (1, 2):
        assert x["gpu_idle_w"][i, 0] < cap_w[i, 0] < peak[i]
        assert capped["design_facility_w"][i] == pytest.approx(40e6, rel=1e-6)
        assert capped["design_facility_w"][i] <= 40e6
    assert cap_w[1, 0] > cap_w[2, 0]  # more GPUs, a lower cap
    # A million systems at idle still take the grid over: capping cannot hold the site.
    assert cap_w[3, 0] == pytest.approx(x["gpu_idle_w"][3, 0])
    assert capped["design_facility_w"][3] > 40e6
    judged = judge(x, Policy("percentile", 8.76), scenario_hours(paris.scenario))
    assert not judged["feasible"][3]
    assert judged["grid_value"][3] >= capped["design_facility_w"][3] > 40e6


@pytest.mark.parametrize("name", ["percentile", "curtailment"])
def test_a_budget_fit_is_exact_and_reports_its_hours(paris, name):
    p = policy(paris, name)
    f = fit(paris, "gb200-nvl72", policy=p)
    out = judge(batch(f.resolved, [f.count, f.count + 1]), p, scenario_hours(paris.scenario))
    assert out["feasible"].tolist() == [True, False]
    assert f.judged["hours_over"] <= p.budget_h
    assert f.judged["feasible"]
    assert [c["constraint"] for c in f.stopped_by] == ["grid"]


def test_the_p999_fit_is_the_headroom_studys_count(paris):
    """Two routes to one answer: fit under the percentile policy and the oversubscribed
    count of ``dcplanner power --headroom`` (the Paris deployment is one GB200 column)."""
    f = fit(paris, "gb200-nvl72", policy=policy(paris, "percentile"))
    assert f.gpus == headroom(paris).figures["oversubscribed_gpus"]


def test_a_looser_budget_never_fits_fewer(paris_data):
    counts = [fit(r, "gb200-nvl72", policy=policy(r, "percentile")).count
              for r in (scenario_from(paris_data, power__oversubscription__percentile_frac=q)
                        for q in (1.0, 0.999, 0.99, 0.9))]
    assert counts == sorted(counts)
    assert counts[-1] > counts[0]


def test_the_ups_reserve_carries_load_where_the_ups_binds(paris_data):
    r = scenario_from(paris_data, electrical__ups__modules=11)  # 10 of 11 blocks usable
    plain = fit(r, "gb200-nvl72")
    assert [c["constraint"] for c in plain.stopped_by] == ["ups"]
    reserve = fit(r, "gb200-nvl72", policy=Policy(ups_reserve=True))
    assert reserve.count > plain.count
    ups = {c["constraint"]: c for c in reserve.judged["constraints"]}["ups"]
    assert ups["limit"] == pytest.approx(33.0, rel=1e-9)  # 11 x 3 MW installed


def test_an_optimum_under_a_budget_holds_and_beats_the_design(paris):
    names = ["gb200-nvl72", "dgx-b200"]
    p = policy(paris, "percentile")
    o = optimize(paris, names, "gpus", policy=p)
    d = optimize(paris, names, "gpus")
    assert o.best.feasible and o.judged["feasible"]
    assert o.best.value >= fit(paris, "gb200-nvl72", policy=p).gpus
    assert o.best.value > d.best.value


def test_cli_fit_under_a_policy(cli):
    result = cli("fit", "--system", "gb200-nvl72", "--policy", "percentile")
    assert result.exit_code == 0, result.output
    assert "Connection needed" in result.output
    assert "GPUs capped at 789 W (gb200-nvl72) in the design hour" in result.output
    data = json.loads(cli("fit", "--system", "gb200-nvl72", "--policy", "curtailment",
                          "--format", "json").output)
    assert data["policy"]["policy"] == "curtailment"
    assert data["policy"]["budget"]["budget_h"] == pytest.approx(43.8)
    default = json.loads(cli("fit", "--system", "gb200-nvl72", "--format", "json").output)
    assert "policy" not in default


def test_cli_refuses_a_policy_with_gpus_and_an_unknown_policy(cli):
    result = cli("fit", "--system", "gb200-nvl72", "--gpus", "18000", "--policy", "percentile")
    assert result.exit_code != 0
    assert "--gpus gives what a deployment needs at the design hour" in result.output
    result = cli("fit", "--system", "gb200-nvl72", "--policy", "p99")
    assert result.exit_code != 0
    assert "'p99' is not one of 'design', 'percentile', 'curtailment'" in result.output


def test_cli_budget_errors_name_the_field(cli):
    result = cli("fit", "--system", "gb200-nvl72", "--policy", "percentile",
                 "--set", "power.oversubscription.percentile_frac=1.5")
    assert result.exit_code == 1
    assert "power.oversubscription.percentile_frac" in result.output
    assert "Traceback" not in result.output


def test_the_p999_fit_with_swings_is_the_headroom_studys_count(paris):
    from dcplanner.solvers.provision import swing_ratios

    p = policy(paris, "percentile", swings=True)
    assert len(p.swing_ratio) == 64
    assert min(p.swing_ratio) < 1 < max(p.swing_ratio)  # the job swings about its mean
    f = fit(paris, "gb200-nvl72", policy=p)
    room = headroom(paris, swing_ratio=swing_ratios(paris))
    assert f.gpus == room.figures["swing_gpus"]
    assert f.gpus < fit(paris, "gb200-nvl72", policy=policy(paris, "percentile")).gpus
    assert f.judged["swings"] and f.judged["hours_over"] <= p.budget_h


def test_swings_refuse_the_design_policy_and_an_event_length(paris_data):
    from dcplanner.errors import ConfigError, DcplannerError

    r = scenario_from(paris_data)
    with pytest.raises(DcplannerError, match="choose a budget policy"):
        policy(r, "design", swings=True)
    r = scenario_from(paris_data, power__curtailment__max_event_h=2)
    with pytest.raises(ConfigError, match=r"power\.curtailment\.max_event_h: events have no"):
        policy(r, "curtailment", swings=True)


def test_cli_with_swings(cli):
    result = cli("fit", "--system", "gb200-nvl72", "--with-swings")
    assert result.exit_code != 0
    assert "--with-swings spreads the hourly year" in result.output
    result = cli("fit", "--system", "gb200-nvl72", "--policy", "curtailment", "--with-swings",
                 "--set", "power.curtailment.max_event_h=2")
    assert result.exit_code == 1
    assert result.output.startswith("error: --set power.curtailment.max_event_h=2: "
                                    "power.curtailment.max_event_h: events have no length")


def test_a_study_fits_each_case_under_its_own_budget(tmp_path):
    from dcplanner.solvers.plant import load_with_grid
    from dcplanner.study import load_study, run_study
    from dcplanner.study.analysis import table

    study = tmp_path / "s.yaml"
    study.write_text("""name: budgets
grid:
  power.oversubscription.percentile_frac: [1.0, 0.99]
  site.grid_mw: [40, 45]
annual: false
outputs: [facility_peak_mw]
fit: {system: gb200-nvl72, policy: percentile}
""", encoding="utf-8")
    run_study(load_study(study), tmp_path / "out")
    cases = table((tmp_path / "out" / "cases.csv").read_text(encoding="utf-8"))
    assert cases["error"] == [""] * 4
    for k in range(4):
        q = float(cases["power.oversubscription.percentile_frac"][k])
        grid_mw = float(cases["site.grid_mw"][k])
        # A study grows the plant with its grid connection, as fit --grid-mw does.
        loaded, _ = load_with_grid(None, [f"power.oversubscription.percentile_frac={q}"],
                                   [f"site.grid_mw={grid_mw}"])
        r = loaded.resolved
        assert int(cases["fit.gpus"][k]) == fit(r, "gb200-nvl72",
                                                 policy=policy(r, "percentile")).gpus


def test_the_ups_holds_the_capped_year_not_only_the_hot_hour(paris_data):
    """In a mild hour at the connection the cooling takes less than at 42 °C, so more of the
    connection is IT load: the UPS must carry the year's highest capped hour (a reviewer's
    case: 2.5 MW blocks, 35 MW usable, held 290 systems on the design hour alone)."""
    r = scenario_from(paris_data, electrical__ups__module_mw=2.5)
    p = policy(r, "percentile")
    f = fit(r, "gb200-nvl72", policy=p)
    assert [c["constraint"] for c in f.stopped_by] == ["ups"]
    x = batch(f.resolved, [f.count])
    out = evaluate(x)
    from dcplanner.solvers.provision import hourly_year

    year = hourly_year(x, out, scenario_hours(r.scenario), ("facility_w", "ups_output_w"))
    held = np.fmin(1.0, 40e6 / year["facility_w"])
    assert (year["ups_output_w"] * held).max() <= out["ups_limit"][0]


def test_a_fit_under_a_budget_finds_the_largest_count_beyond_a_gap(paris_data):
    """Once capping binds, more systems can put slightly less on the UPS at the capped hour:
    with 2.4357 MW blocks (34.1 MW usable) the counts that fit resume above a gap, and the fit
    is the largest of them (a reviewer's case)."""
    r = scenario_from(paris_data, electrical__ups__module_mw=2.4357)
    p = policy(r, "percentile")
    f = fit(r, "gb200-nvl72", policy=p)
    top = fit(scenario_from(paris_data), "gb200-nvl72", policy=p).count  # the grid's own
    counts = np.arange(200, top + 3)
    ok = judge(batch(f.resolved, counts), p, scenario_hours(r.scenario))["feasible"]
    assert ok[counts == f.count].all()
    assert not ok[counts > f.count].any()
    assert not ok[counts < f.count].all()  # a gap below the answer: a first break is not it


def test_the_ups_reserve_reads_as_installed_capacity(paris_data):
    r = scenario_from(paris_data, electrical__ups__modules=11)
    f = fit(r, "gb200-nvl72", policy=Policy(ups_reserve=True))
    assert f.stopped_by[0]["meaning"].endswith("vs installed UPS capacity (the reserve carries "
                                               "load)")
