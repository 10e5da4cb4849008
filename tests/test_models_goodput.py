"""Goodput of a synchronous training run: the Young/Daly first-order model, by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dcplanner.models.goodput import optimal_interval_h, time_budget_h, wall_time_h


def test_wall_time_by_hand():
    # T 100 h, a checkpoint of 0.1 h every 1 h, restarts of 0.5 h, 0.05 interruptions per h:
    # W = 100 x 1.1 / (1 - 0.05 x (0.5 + 1.1 / 2)) = 110 / 0.9475
    assert wall_time_h(100, 1.0, 0.1, 0.5, 0.05) == pytest.approx(110 / 0.9475, rel=1e-12)
    b = time_budget_h(100, 1.0, 0.1, 0.5, 0.05)
    assert b["checkpoint"] == pytest.approx(10.0)
    assert b["interruptions"] == pytest.approx(0.05 * 110 / 0.9475)
    assert b["restart"] == pytest.approx(b["interruptions"] * 0.5)
    assert b["redo"] == pytest.approx(b["interruptions"] * 0.55)
    assert b["compute"] + b["checkpoint"] + b["redo"] + b["restart"] == \
        pytest.approx(b["wall"], rel=1e-12)


def test_young_daly_interval_is_its_closed_form_and_the_first_order_optimum():
    write_h, rate = 0.05, 1 / 3.0
    tau = optimal_interval_h(write_h, rate)
    assert tau == pytest.approx(math.sqrt(2 * write_h / rate), rel=1e-15)
    grid = np.linspace(0.2 * tau, 5 * tau, 20_001)
    walls = wall_time_h(1000.0, grid, write_h, 0.2, rate)
    # Young's interval is first order: the wall time's exact minimizer is shorter when the
    # restart and the write are not small beside the 3 h between interruptions (here 12 %),
    # but the wall time at sqrt(2 δ M) is within 0.5 % of the least.
    assert grid[np.argmin(walls)] == pytest.approx(tau, rel=0.15)
    assert walls.min() <= wall_time_h(1000.0, tau, write_h, 0.2, rate) <= 1.005 * walls.min()


def test_no_interruptions_and_no_checkpoints_is_the_failure_free_time_exactly():
    assert optimal_interval_h(0.01, 0.0) == np.inf
    assert wall_time_h(123.4, optimal_interval_h(0.01, 0.0), 0.01, 0.5, 0.0) == 123.4
    # free checkpoints (no write time): only restarts are lost
    assert wall_time_h(100.0, optimal_interval_h(0.0, 0.1), 0.0, 0.5, 0.1) == \
        pytest.approx(100 / (1 - 0.1 * 0.5))


def test_a_run_that_never_finishes_is_nan():
    assert np.isnan(wall_time_h(100.0, 1.0, 0.1, 2.0, 0.5))  # 0.5 x (2 + 0.55) >= 1
    assert np.isnan(wall_time_h(100.0, np.inf, 0.1, 0.5, 0.01))  # no checkpoints, failures


@given(compute=st.floats(1, 1e5), write_s=st.floats(0.1, 600), restart_s=st.floats(0, 3600),
       rate=st.floats(1e-4, 0.5), more=st.floats(1.01, 10))
def test_goodput_falls_as_interruptions_or_checkpoint_time_rise(compute, write_s, restart_s,
                                                                rate, more):
    def wall(write_h, rate_per_h):
        return float(wall_time_h(compute, optimal_interval_h(write_h, rate_per_h), write_h,
                                 restart_s / 3600, rate_per_h))

    base = wall(write_s / 3600, rate)
    if not math.isfinite(base):
        return
    assert base >= compute
    worse_rate, worse_write = wall(write_s / 3600, rate * more), wall(write_s * more / 3600, rate)
    assert not worse_rate < base * (1 - 1e-12)  # NaN (never finishes) counts as worse
    assert not worse_write < base * (1 - 1e-12)
