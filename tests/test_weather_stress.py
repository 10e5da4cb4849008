"""Heat stress: uniform shift and injected heatwave."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dcplanner.weather.stress import (
    heatwave_weight,
    stressed_dew_point_c,
    stressed_dry_bulb_c,
)

HOURS = 24 * 20


def base_year():
    t = np.arange(HOURS)
    return 20.0 + 5.0 * np.sin(2 * np.pi * (t - 9) / 24)


def peak_day_mask(day):
    mask = np.zeros(HOURS, bool)
    mask[day * 24:(day + 1) * 24] = True
    return mask


def test_weight_is_one_on_the_peak_day_and_zero_outside_the_event():
    w = heatwave_weight(HOURS, peak_day=10, days=5)
    assert np.all(w[240:264] == 1.0)
    assert np.all(w[:10 * 24 - 48] == 0.0) and np.all(w[11 * 24 + 48:] == 0.0)
    # Symmetric about the peak day, strictly between 0 and 1 on the ramps.
    np.testing.assert_allclose(w[240 - 24:240], w[264:288][::-1])
    assert np.all((w[200:240] > 0) & (w[200:240] < 1))


def test_one_day_event_covers_only_the_peak_day():
    w = heatwave_weight(HOURS, peak_day=3, days=1)
    assert w.sum() == 24 and np.all(w[72:96] == 1)


def test_heatwave_peaks_exactly_at_the_given_temperature():
    dry = base_year()
    w = heatwave_weight(HOURS, 10, 5)
    out = stressed_dry_bulb_c(dry, 0.0, 42.0, w, peak_day_mask(10))
    assert out[peak_day_mask(10)].max() == pytest.approx(42.0)
    assert out.max() == pytest.approx(42.0)
    np.testing.assert_array_equal(out[w == 0], dry[w == 0])


def test_no_heatwave_when_peak_is_nan_and_a_hotter_day_is_left_alone():
    dry = base_year()
    w = heatwave_weight(HOURS, 10, 5)
    np.testing.assert_array_equal(stressed_dry_bulb_c(dry, 0.0, np.nan, w, peak_day_mask(10)),
                                  dry)
    np.testing.assert_array_equal(stressed_dry_bulb_c(dry, 0.0, 20.0, w, peak_day_mask(10)),
                                  dry)


@settings(max_examples=30, deadline=None)
@given(shift=st.floats(-5, 5), peak=st.floats(26, 48))
def test_shift_and_heatwave_broadcast_per_scenario(shift, peak):
    dry = base_year()
    w = heatwave_weight(HOURS, 10, 5)
    shifts = np.array([[0.0], [shift]])
    peaks = np.array([[np.nan], [peak]])
    out = stressed_dry_bulb_c(dry, shifts, peaks, w, peak_day_mask(10))
    assert out.shape == (2, HOURS)
    np.testing.assert_array_equal(out[0], dry)
    # The event peak is absolute: the shift does not move it.
    assert out[1, peak_day_mask(10)].max() == pytest.approx(max(peak, 25.0 + shift))
    np.testing.assert_allclose(out[1, w == 0], dry[w == 0] + shift)


def test_dew_point_moves_with_the_shift_but_never_above_the_dry_bulb():
    dew = np.array([10.0, 19.0])
    dry = np.array([25.0, 20.0])
    np.testing.assert_allclose(stressed_dew_point_c(dew, 2.0, dry), [12.0, 20.0])
