"""A flexible connection (dcplanner.models.curtailment, dcplanner.solvers.headroom)."""

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from dcplanner.cli import main
from dcplanner.config import load_resolved
from dcplanner.models.curtailment import budget_hours, exceedance, longest_run, within_budget
from dcplanner.solvers.headroom import headroom, hourly_facility_w, ramp_up

HOURS = 8760
#: Hours of a synthetic 60-day load.
DAYS = 60 * 24


def test_half_a_percent_of_a_year_is_43_8_hours():
    assert float(budget_hours(0.005)) == pytest.approx(43.8, abs=1e-9)


def test_longest_run_by_hand():
    mask = np.array([[0, 1, 1, 0, 1, 1, 1, 0], [0] * 8, [1] * 8], dtype=bool)
    np.testing.assert_array_equal(longest_run(mask), [3, 0, 8])


def test_exceedance_by_hand():
    f = np.array([[10.0, 12.0, 8.0, 11.0]])
    e = exceedance(f, [10.0])
    assert e["hours_over"][0] == 2 and e["longest_event_h"][0] == 1
    assert e["curtailed_energy_frac"][0] == pytest.approx(3 / 41, rel=1e-12)
    assert e["lost_compute_frac"][0] == pytest.approx((2 / 12 + 1 / 11) / 4, rel=1e-12)


def _largest(profile: np.ndarray, hours: float, fixed: float = 0.0) -> int:
    """Largest n with fixed + n * profile over 1.0 in at most ``hours`` hours (a grid of n)."""
    n = np.arange(0, 401)
    e = exceedance(fixed + n[:, None] * profile[None, :] / 100, np.ones(n.size))
    return int(n[within_budget(e, hours)].max())


@settings(max_examples=10, deadline=None)
@given(st.floats(0, DAYS - 1))
def test_a_flat_load_curtailed_never_gains(hours):
    flat = np.full(DAYS, 0.5)
    assert _largest(flat, hours) == _largest(flat, 0)


@settings(max_examples=10, deadline=None)
@given(st.floats(0, 100), st.floats(0, 100))
def test_a_peaky_load_gains_more_and_monotonically(a, b):
    t = np.arange(DAYS)
    # Hot afternoons: 0.5 most hours, up to 0.6 at 3 pm, higher the first days.
    peaky = 0.5 + 0.1 * (t % 24 == 15) * np.exp(-t / (10 * 24))
    lo, hi = sorted((a, b))
    gain_lo = _largest(peaky, lo) - _largest(peaky, 0)
    gain_hi = _largest(peaky, hi) - _largest(peaky, 0)
    assert gain_hi >= gain_lo >= 0
    flat = np.full(HOURS, peaky.mean())
    assert gain_hi >= _largest(flat, hi) - _largest(flat, 0)
    assert _largest(peaky, 100) > _largest(peaky, 0)


def test_the_paris_budgets_are_exact_and_monotonic():
    r = load_resolved()
    h = headroom(r, [0.0, 0.0025, 0.005, 0.01, 0.05])
    counts = [b["count"] for b in h.budgets]
    assert counts == sorted(counts) and counts[0] == h.figures["firm_count"]
    assert h.budgets[-1]["extra_gpus"] > 0
    assert h.budgets[2]["budget_hours"] == pytest.approx(43.8, abs=1e-9)
    for b in h.budgets:  # one more system breaks the budget
        over = exceedance(hourly_facility_w(r, np.array([b["count"], b["count"] + 1])),
                          [40e6])["hours_over"]
        assert over[0] <= b["budget_hours"] < over[1]
        assert b["hours_over"] == over[0]


def test_a_longest_event_limit_never_allows_more():
    free = headroom(load_resolved(None, [("power.curtailment.year_frac=0.05", "")]))
    short = headroom(load_resolved(None, [("power.curtailment.year_frac=0.05", ""),
                                          ("power.curtailment.max_event_h=2", "")]))
    assert short.budgets[0]["count"] <= free.budgets[0]["count"]
    assert short.budgets[0]["longest_event_h"] <= 2


def test_the_ramp_up_puts_contracted_power_at_risk():
    r = load_resolved("configs/paris-100mw.yaml")
    rows = ramp_up(r)
    assert [x["year"] for x in rows] == [2025, 2026, 2027, 2028, 2029, 2030]
    assert [x["contracted_mw"] for x in rows] == [40, 100, 100, 100, 100, 100]
    for x in rows:
        assert x["at_risk_mw"] == pytest.approx(x["contracted_mw"] - x["history_drawn_mw"])
        assert x["history_drawn_mw"] >= x["drawn_mw"]
    assert rows[1]["at_risk_mw"] > rows[0]["at_risk_mw"] > 0


@pytest.mark.parametrize(("override", "message"), [
    ("power.curtailment.hours_per_year=9000",
     "power.curtailment.hours_per_year: hours_per_year = 9000 is more than the year's 8,760 "
     "hours"),
    ("power.curtailment.year_frac=1.5",
     "power.curtailment.year_frac: Input should be less than or equal to 1"),
    ("power.curtailment.max_event_h=0",
     "power.curtailment.max_event_h: Input should be greater than 0"),
])
def test_a_bad_budget_is_one_line_naming_the_field(override, message):
    result = CliRunner().invoke(main, ["power", "--headroom", "--set", override])
    assert result.exit_code == 1
    assert result.stderr == f"error: --set {override}: {message}\n"


def test_cli_prints_the_headroom():
    result = CliRunner().invoke(main, ["power", "configs/paris-100mw.yaml", "--headroom",
                                       "--set", "power.duration_s=60"])
    assert result.exit_code == 0, result.output
    assert "Use it or lose it (max drawn vs contracted, rolling 5-year history):\n" \
        in result.stdout
    assert "  curtailment 43.8 h/yr " in result.stdout


def test_a_connection_too_small_for_the_fixed_loads_is_one_line():
    result = CliRunner().invoke(main, ["power", "--headroom", "--set", "power.duration_s=60",
                                       "--set", "site.grid_mw=0.1"])
    assert result.exit_code == 1
    assert result.stderr == "error: headroom: the connection is over budget with no system " \
        "deployed\n"


def test_a_budget_in_two_forms_is_refused():
    result = CliRunner().invoke(main, ["power", "--headroom",
                                       "--set", "power.curtailment.year_frac=0.01",
                                       "--set", "power.curtailment.hours_per_year=20"])
    assert result.exit_code == 1
    assert result.stderr == ("error: --set power.curtailment.year_frac=0.01: power.curtailment: "
                             "give year_frac or hours_per_year, not both (hours_per_year would "
                             "replace year_frac)\n")
