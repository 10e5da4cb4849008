import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dcplanner.models import climate


def test_stull_wet_bulb_worked_example():
    # Stull (2011): T = 20 °C, RH = 50 % gives Tw = 13.7 °C.
    assert climate.wet_bulb_c(20.0, 0.5) == pytest.approx(13.7, abs=0.05)


def test_relative_humidity_from_dew_point():
    assert climate.relative_humidity_frac(25.0, 25.0) == pytest.approx(1.0)
    # Magnus: e_s(13.7) / e_s(42.0) = 15.7 hPa / 82.0 hPa ≈ 0.19.
    assert climate.relative_humidity_frac(42.0, 13.7) == pytest.approx(0.19, abs=0.01)


@given(st.floats(-20, 50), st.floats(0.05, 0.99))
def test_wet_bulb_never_above_dry_bulb(temp_c, rh):
    assert climate.wet_bulb_c(temp_c, rh) <= temp_c + 1e-9


def test_wet_bulb_rises_with_humidity():
    tw = climate.wet_bulb_c(30.0, np.linspace(0.1, 0.95, 20))
    assert np.all(np.diff(tw) > 0)


def test_dew_point_from_rh_inverts_magnus():
    td = climate.dew_point_from_rh_c(25.0, 40.0)
    assert 100 * climate.relative_humidity_frac(25.0, td) == pytest.approx(40.0)
    assert climate.dew_point_from_rh_c(20.0, 100.0) == pytest.approx(20.0)
