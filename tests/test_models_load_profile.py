"""Hourly utilization shapes."""

import numpy as np
import pytest

from dcplanner.models.load_profile import inference_utilization_frac

WEEK_HOURS = np.tile(np.arange(24), 7)
WEEKDAYS = np.repeat(np.arange(7), 24)


def shape(peak_u=0.9, trough=0.4, peak_hour=14, weekend=0.6):
    return inference_utilization_frac(WEEK_HOURS, WEEKDAYS, peak_u, trough, peak_hour, weekend)


def test_peak_and_trough_on_a_weekday():
    u = shape()
    monday = u[:24]
    assert monday.argmax() == 14 and monday.max() == pytest.approx(0.9)
    assert monday.argmin() == 2 and monday.min() == pytest.approx(0.9 * 0.4)


def test_weekend_is_scaled():
    u = shape()
    np.testing.assert_allclose(u[5 * 24:6 * 24], 0.6 * u[:24])


def test_weekly_mean_has_its_closed_form():
    # Mean of the cosine day = (1 + trough) / 2; week = (5 + 2 weekend) / 7.
    assert shape().mean() == pytest.approx(0.9 * (1 + 0.4) / 2 * (5 + 2 * 0.6) / 7)


def test_broadcasts_over_scenarios():
    u = inference_utilization_frac(WEEK_HOURS, WEEKDAYS, np.array([[1.0], [0.5]]),
                                   np.array([[1.0], [0.0]]), 14, 1.0)
    assert u.shape == (2, 168)
    np.testing.assert_allclose(u[0], 1.0)  # trough 1: flat
    assert u[1].min() == pytest.approx(0.0)
