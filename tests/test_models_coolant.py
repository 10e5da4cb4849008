"""Coolant properties (Melinder 2010) and what glycol costs a pumped loop."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dcplanner.models.cooling.coolant import (
    MAX_GLYCOL_FRAC,
    freezing_point_c,
    propylene_glycol,
    pumping_factor,
)


def test_water_from_the_correlation():
    # Water at 37 °C: 993.3 kg/m³, 4,178 J/kg/K, 0.692 mPa s (IAPWS); the correlation at a
    # mass fraction of 0 within 0.1 %, 0.1 % and 0.5 %.
    water = propylene_glycol(0.0, 37.0)
    assert water["density_kg_per_m3"] == pytest.approx(993.3, rel=1e-3)
    assert water["cp_j_per_kg_k"] == pytest.approx(4178.0, rel=1e-3)
    assert water["viscosity_pa_s"] == pytest.approx(0.692e-3, rel=5e-3)
    assert freezing_point_c(0.0) == pytest.approx(0.0, abs=0.05)


def test_glycol_against_published_tables():
    # ASHRAE Handbook Fundamentals (2017) ch. 31, inhibited propylene glycol by mass:
    # 30 % freezes at -12.8 °C, 50 % at -33 °C; 30 % at 40 °C has cp about 3.9 kJ/kg/K.
    assert freezing_point_c(0.3) == pytest.approx(-12.8, abs=0.3)
    assert freezing_point_c(0.5) == pytest.approx(-33.0, abs=1.0)
    assert propylene_glycol(0.3, 40.0)["cp_j_per_kg_k"] == pytest.approx(3900.0, rel=0.01)


def test_pumping_factor_by_hand():
    # 30 % at 37 °C: flow (993.7 x 4178.5) / (1015.1 x 3902.5) = 1.048; head
    # 1.0215^0.75 x (1.708 / 0.689)^0.25 x 1.048^1.75 = 1.016 x 1.255 x 1.086; power = head x flow.
    g, w = propylene_glycol(0.3, 37.0), propylene_glycol(0.0, 37.0)
    flow = (w["density_kg_per_m3"] * w["cp_j_per_kg_k"]) / (
        g["density_kg_per_m3"] * g["cp_j_per_kg_k"])
    assert flow == pytest.approx(1.048, abs=1e-3)
    head = ((g["density_kg_per_m3"] / w["density_kg_per_m3"]) ** 0.75
            * (g["viscosity_pa_s"] / w["viscosity_pa_s"]) ** 0.25 * flow**1.75)
    assert pumping_factor(0.3, 37.0) == pytest.approx(head * flow, rel=1e-12)
    assert pumping_factor(0.3, 37.0) == pytest.approx(1.45, abs=0.01)
    assert pumping_factor(0.0, 37.0) == pytest.approx(1.0, rel=1e-12)


@given(st.floats(0.0, MAX_GLYCOL_FRAC - 0.05), st.floats(0.01, 0.05), st.floats(5.0, 60.0))
def test_more_glycol_freezes_lower_and_pumps_harder(frac, more, temp_c):
    assert freezing_point_c(frac + more) < freezing_point_c(frac)
    assert pumping_factor(frac + more, temp_c) > pumping_factor(frac, temp_c)


def test_vectorized_over_scenarios_and_hours():
    out = pumping_factor(np.array([[0.0], [0.3]]), np.array([[20.0, 40.0]]))
    assert out.shape == (2, 2)
    assert out[1, 0] > out[1, 1] > out[0, 0]  # colder glycol is more viscous
