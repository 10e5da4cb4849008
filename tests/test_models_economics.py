"""Capital recovery, energy cost and emissions by hand."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dcplanner.models.economics import capital_recovery_factor, emissions_tco2e, energy_cost_eur


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
