"""Sub-hourly load physics and smoothing: hand-computed references and invariants."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dcplanner.models import power_swing, storage


def square(steps=2000, period=20, duty=0.5, hi=1.0, lo=0.4):
    t = np.arange(steps)
    return np.where(power_swing.phase_compute(t, period, duty), hi, lo)


def test_ideal_storage_to_the_mean_lowers_the_peak_by_30_percent():
    # 50 % duty between 100 % and 40 % of TGP: mean 70 %, NVIDIA's "up to 30 %" lower peak.
    w = square()
    assert w.mean() == pytest.approx(0.7, abs=1e-12)
    # A ramp limit of swing / period sets the averaging window to one period.
    grid = storage.grid_side_w(w, 1.0, [0.6 / 20], [np.nan])
    reduction = 1 - grid.max() / w.max()
    assert reduction == pytest.approx(0.30, abs=1e-12)
    np.testing.assert_allclose(grid, 0.7, atol=1e-12)


def test_phases_checkpoints_and_restarts_by_hand():
    t = np.arange(10) * 1.0
    np.testing.assert_array_equal(power_swing.phase_compute(t, 4.0, 0.75)[0],
                                  [1, 1, 1, 0, 1, 1, 1, 0, 1, 1])
    np.testing.assert_array_equal(power_swing.checkpointing(t, 3.0, 2.0)[0],
                                  [1, 1, 0, 0, 0, 1, 1, 0, 0, 0])
    assert not power_swing.checkpointing(t, np.inf, 2.0).any()
    starts = np.zeros((1, 10), dtype=int)
    starts[0, 2] = 1
    np.testing.assert_array_equal(power_swing.down(starts, 3)[0],
                                  [0, 0, 1, 1, 1, 0, 0, 0, 0, 0])
    w = power_swing.job_gpu_w(np.array([[True, False, True]]), np.array([[False, False, True]]),
                              np.array([[1.0, 0.0, 1.0]]), 1000, 400, 100, 50)
    np.testing.assert_array_equal(w[0], [1000, 50, 100])
    is_down = np.array([[False, True, True, False, False, False, False]])
    np.testing.assert_allclose(power_swing.restart_ramp_frac(is_down, 4)[0],
                               [1, 0, 0, 0.25, 0.5, 0.75, 1])
    np.testing.assert_allclose(power_swing.restart_ramp_frac(is_down, 0)[0],
                               [1, 0, 0, 1, 1, 1, 1])


def test_failures_follow_the_rate():
    rngs = [np.random.default_rng([1, i]) for i in range(200)]
    starts = power_swing.failure_starts(rngs, 3600, 1.0, 1 / 360)
    assert starts.sum(axis=1).mean() == pytest.approx(10, rel=0.05)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(0, 1500), min_size=2, max_size=60),
       st.floats(1, 2000), st.floats(1, 2000), st.floats(0, 1))
def test_smoothing_respects_ramps_and_floor(values, up, down, floor):
    w = np.array([values])
    y = storage.smoothed_gpu_w(w, 0.1, 1400.0, floor, up, down)
    dy = np.diff(y[0])
    assert (dy <= up * 0.1 * (1 + 1e-9) + 1e-9).all()
    assert (y >= floor * 1400.0 - 1e-9).all()
    # Falls are limited only where the floor is not holding the power up.
    above = y[0, 1:] > floor * 1400.0 + 1e-9
    assert (dy[above] >= -down * 0.1 * (1 + 1e-9) - 1e-9).all()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(0, 100), min_size=2, max_size=80), st.floats(0.1, 50),
       st.floats(0, 100))
def test_battery_holds_the_grid_within_limits(values, ramp, swing):
    w = np.array([values])
    g = storage.grid_side_w(w, 1.0, [ramp], [swing])
    assert np.abs(np.diff(g[0])).max(initial=0) <= ramp * (1 + 1e-9) + 1e-9
    assert g.max() - g.min() <= swing + 1e-9


def test_storage_sizing_by_hand():
    # 1 W out for 2 s, then 1 W in for 2 s, lossless: 2 J, one full cycle.
    s = storage.storage_sizing(np.array([[1.0, 1.0, -1.0, -1.0]]), 1.0, 1.0)
    assert s["power_w"][0] == 1.0
    assert s["energy_j"][0] == pytest.approx(2.0)
    assert s["cycles"][0] == pytest.approx(1.0)
    m = storage.swing_metrics(square(2000, 20), 0.5)
    assert m["dominant_hz"][0] == pytest.approx(0.1)
    assert m["swing_w"][0] == pytest.approx(0.6)
    assert m["max_ramp_w_per_s"][0] == pytest.approx(1.2)
