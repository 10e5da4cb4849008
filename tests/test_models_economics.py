"""Capital recovery, energy cost and emissions by hand."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dcplanner.models.economics import (
    capital_recovery_factor,
    emissions_tco2e,
    energy_cost_eur,
    fabric_capex_usd,
    goodput_frac,
)


def test_crf_hand_values():
    # 8 % over 5 years: 0.08 x 1.08^5 / (1.08^5 - 1) = 0.250456.
    assert capital_recovery_factor(0.08, 5) == pytest.approx(0.250456, abs=1e-6)
    assert capital_recovery_factor(0.0, 20) == pytest.approx(0.05)


@given(rate=st.floats(0.001, 0.3), years=st.floats(1, 50))
def test_crf_repays_the_capital(rate, years):
    # The annuity's present value over the lifetime equals the capital.
    crf = capital_recovery_factor(rate, years)
    present_value = crf * (1 - (1 + rate) ** -years) / rate
    assert present_value == pytest.approx(1.0, rel=1e-9)
    assert crf >= 1 / years


def test_energy_cost_and_emissions():
    assert energy_cost_eur(1000.0, 99.0) == pytest.approx(99_000.0)
    # 298,651 MWh at 21.7 g/kWh = 6,481 t.
    assert emissions_tco2e(298_651.0, 21.7) == pytest.approx(6480.7, abs=0.1)
    np.testing.assert_allclose(emissions_tco2e(np.array([1.0, 2.0]), 1000.0), [1.0, 2.0])


def test_crf_at_a_vanishing_rate_is_straight_line():
    # 1 + 1e-300 rounds to 1: the annuity must still tend to 1 / n, not 0 / 0.
    assert capital_recovery_factor(1e-300, 5) == pytest.approx(0.2)
    assert capital_recovery_factor(2.2250738585072014e-308, 20) == pytest.approx(0.05)


def test_fabric_capex_by_hand():
    # 1,408 switches at $35k, 108,000 ends at $375, 54,000 links at $100.
    parts = fabric_capex_usd(1408, 108_000, 35_000, 375, 100)
    assert parts["switches"] == pytest.approx(49.28e6)
    assert parts["optics"] == pytest.approx(40.5e6)
    assert parts["cables"] == pytest.approx(5.4e6)


def test_goodput_by_hand_and_its_bounds():
    # No interruptions and free checkpoints: every hour is useful.
    assert goodput_frac(0.0, 0.0, 0.1) == pytest.approx(1.0)
    # One interruption per 10 h, 6 min restart, checkpoints of 36 s every 1 h of compute:
    # W = (1 + 0.01) / (1 - 0.1 (0.1 + 1.01 / 2)) = 1.01 / 0.9395.
    assert goodput_frac(0.1, 0.01, 0.1, 1.0) == pytest.approx(0.9395 / 1.01)
    # Interruptions faster than a restart: the job never finishes, nothing is delivered.
    assert goodput_frac(20.0, 0.01, 0.1) == 0.0


@given(rate=st.floats(0, 2), write=st.floats(0, 0.1), restart=st.floats(0, 1))
def test_goodput_is_a_share(rate, write, restart):
    g = goodput_frac(rate, write, restart)
    assert 0.0 <= g <= 1.0
