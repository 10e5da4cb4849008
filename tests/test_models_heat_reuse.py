"""Heat export physics: Carnot COP, the capped heat pump, degree-hour demand, the heat balance."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dcplanner.models.heat_reuse import (
    carnot_heating_cop,
    curve_cop,
    degree_hour_demand_w,
    heat_export,
    heat_pump_cop,
    heating_degree_c,
)


def test_carnot_cop_is_sink_kelvin_over_lift():
    # 45 °C loop return to a 65 °C supply: 338.15 K / 20 K.
    assert carnot_heating_cop(45.0, 65.0) == pytest.approx(338.15 / 20.0, rel=1e-12)
    # Equinix PA10: 28 °C to 65 °C.
    assert carnot_heating_cop(28.0, 65.0) == pytest.approx(338.15 / 37.0, rel=1e-12)


def test_heat_pump_cop_is_a_carnot_fraction_below_its_cap():
    # 0.46 x 338.15 / 37 = 4.204 (PA10's lift), under a cap of 5.
    assert heat_pump_cop(28.0, 65.0, 0.46, 5.0) == pytest.approx(0.46 * 338.15 / 37.0, rel=1e-12)
    # 0.46 x 16.91 = 7.78 at a 20 K lift: the cap of 5 holds.
    assert heat_pump_cop(45.0, 65.0, 0.46, 5.0) == 5.0


@pytest.mark.parametrize("source_c", [65.0, 70.0])
def test_a_lift_of_zero_or_less_is_bounded_by_the_cop_cap(source_c):
    assert np.isinf(carnot_heating_cop(source_c, 65.0))
    assert heat_pump_cop(source_c, 65.0, 0.46, 5.0) == 5.0


def test_heat_pump_cop_never_below_one():
    # A 150 K lift at 0.1 of Carnot: 0.1 x 423.15 / 150 = 0.28, held at 1.
    assert heat_pump_cop(0.0, 150.0, 0.1, 5.0) == 1.0


def test_curve_cop_interpolates_and_holds_its_ends():
    lifts, cops = np.array([[10.0, 20.0, 40.0]] * 3), np.array([[8.0, 6.0, 3.0]] * 3)
    got = curve_cop(np.array([15.0, 5.0, 60.0]), lifts, cops)
    np.testing.assert_allclose(got, [7.0, 8.0, 3.0], rtol=1e-12)


def test_heating_degrees_follow_eurostat_rule():
    # 18 - T at or below 15 °C, else 0.
    np.testing.assert_allclose(heating_degree_c([-2.0, 15.0, 15.5, 25.0]), [20.0, 3.0, 0.0, 0.0])


def test_degree_hour_demand_spreads_the_year_by_heating_degrees():
    dry = np.array([[10.0, 20.0, 14.0, 30.0]])  # 8 K and 4 K of heating degrees
    demand = degree_hour_demand_w(dry, np.array([[12.0]]), np.array([[0.0]]))
    # 12 MWh over 12 degree-hours: 8 and 4 MWh, as W over one hour each.
    np.testing.assert_allclose(demand, [[8e6, 0.0, 4e6, 0.0]], rtol=1e-12)
    flat = degree_hour_demand_w(dry, np.array([[12.0]]), np.array([[1.0]]))
    np.testing.assert_allclose(flat, [[3e6] * 4], rtol=1e-12)


def test_degree_hour_demand_is_flat_without_heating_hours():
    demand = degree_hour_demand_w(np.full((1, 4), 25.0), np.array([[4.0]]), np.array([[0.2]]))
    np.testing.assert_allclose(demand, [[1e6] * 4], rtol=1e-12)


def test_heat_export_hand_case():
    # COP 5: each W delivered takes 0.8 W from the loop and 0.2 W of electricity.
    h = heat_export(np.array([10.0, 10.0, 10.0]), np.array([5.0, 20.0, 0.0]), 5.0, np.nan)
    np.testing.assert_allclose(h["delivered_w"], [5.0, 12.5, 0.0], rtol=1e-12)
    np.testing.assert_allclose(h["recovered_w"], [4.0, 10.0, 0.0], rtol=1e-12)
    np.testing.assert_allclose(h["electricity_w"], [1.0, 2.5, 0.0], rtol=1e-12)
    capped = heat_export(np.array([10.0]), np.array([20.0]), 5.0, 6.0)
    np.testing.assert_allclose(capped["delivered_w"], [6.0], rtol=1e-12)


def test_no_demand_exports_nothing():
    h = heat_export(np.full((2, 5), 1e6), np.zeros((2, 5)), 4.0, np.nan)
    assert not h["delivered_w"].any() and not h["electricity_w"].any()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 1e8), st.floats(0, 1e8)), min_size=1, max_size=20),
       st.floats(1.01, 50.0), st.one_of(st.just(np.nan), st.floats(0, 1e8)))
def test_heat_sold_never_exceeds_available_demand_or_capacity(hours, cop, capacity):
    available, demand = (np.array(v) for v in zip(*hours, strict=True))
    h = heat_export(available, demand, cop, capacity)
    tol = 1e-9 * (1 + np.maximum(available, demand))
    assert np.all(h["delivered_w"] <= demand + tol)
    assert np.all(h["recovered_w"] <= available + tol)
    assert np.all(h["delivered_w"] <= available * cop / (cop - 1) + tol)
    if not np.isnan(capacity):
        assert np.all(h["delivered_w"] <= capacity + tol)
    np.testing.assert_allclose(h["delivered_w"], h["recovered_w"] + h["electricity_w"],
                               rtol=1e-12, atol=1e-6)
    np.testing.assert_allclose(h["electricity_w"] * cop, h["delivered_w"], rtol=1e-9, atol=1e-6)
    assert np.all(h["electricity_w"] >= -tol)


def test_cop_of_one_takes_nothing_from_the_loop():
    # COP 1: the heat delivered is all electricity, whatever the loop has.
    h = heat_export(np.array([0.0, 5.0]), np.array([3.0, 3.0]), 1.0, np.nan)
    np.testing.assert_allclose(h["delivered_w"], [3.0, 3.0])
    np.testing.assert_allclose(h["recovered_w"], [0.0, 0.0])
    np.testing.assert_allclose(h["electricity_w"], [3.0, 3.0])
