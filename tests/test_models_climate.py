"""Psychrometrics against published values and PsychroLib (the ASHRAE 2017 ch. 1 reference
implementation, Meyer and Thevenard 2019), and the wet-bulb table against the exact solver."""

import numpy as np
import psychrolib
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from dcplanner.models import climate

psychrolib.SetUnitSystem(psychrolib.SI)

#: Pressures checked: sea level, the Paris site (78 m), 1,500 m and a high plateau (3,000 m).
PRESSURES_PA = [101325.0, 100391.47, 84555.93, 70108.5]


def test_standard_atmosphere_matches_the_ashrae_table():
    # ASHRAE 2017 ch. 1 table 1: 101.325 kPa at 0 m, 84.556 kPa at 1,500 m, 70.109 at 3,000.
    np.testing.assert_allclose(climate.standard_pressure_pa([0.0, 1500.0, 3000.0]),
                               [101325.0, 84556.0, 70109.0], atol=1.0)


def test_saturation_pressure_matches_iapws_values():
    # IAPWS: triple point 611.657 Pa; over water 2,339.2 Pa at 20 °C and 101,418 Pa at
    # 100 °C (IAPWS-95); over ice 259.90 Pa at -10 °C (Wagner, Riethmann, Feistel and Harvey,
    # J. Phys. Chem. Ref. Data 40, 043103, 2011). Hyland-Wexler is within 0.05 % of them.
    np.testing.assert_allclose(climate.saturation_pressure_pa([0.01, 20.0, 100.0, -10.0]),
                               [611.657, 2339.2, 101418.0, 259.90], rtol=5e-4)


def test_relative_humidity_from_dew_point():
    assert climate.relative_humidity_frac(25.0, 25.0) == pytest.approx(1.0)
    assert climate.relative_humidity_frac(25.0, 30.0) == pytest.approx(1.0)  # capped
    # p_ws(13.7 °C) / p_ws(42 °C) = 1,567 Pa / 8,205 Pa = 0.191.
    assert climate.relative_humidity_frac(42.0, 13.7) == pytest.approx(0.191, abs=0.001)


def test_dew_point_from_rh_inverts_the_saturation_pressure():
    td = climate.dew_point_from_rh_c([25.0, -5.0, 40.0], [40.0, 70.0, 10.0])
    np.testing.assert_allclose(100 * climate.relative_humidity_frac([25.0, -5.0, 40.0], td),
                               [40.0, 70.0, 10.0], rtol=1e-9)
    assert climate.dew_point_from_rh_c(20.0, 100.0) == pytest.approx(20.0)
    assert climate.dew_point_from_rh_c(25.0, 40.0) == pytest.approx(
        psychrolib.GetTDewPointFromRelHum(25.0, 0.40), abs=1e-3)


def test_paris_design_hour_wet_bulb():
    # 42.0 °C, dew point 13.7 °C at 78 m (100,391 Pa): PsychroLib gives 22.939 °C; Stull
    # (2011), the relation used before, gave 23.72 °C at sea level.
    p = float(climate.standard_pressure_pa(78.0))
    expected = psychrolib.GetTWetBulbFromTDewPoint(42.0, 13.7, p)
    assert expected == pytest.approx(22.939, abs=0.001)
    assert climate.wet_bulb_c(42.0, 13.7, p) == pytest.approx(expected, abs=0.005)
    assert climate.wet_bulb_exact_c(42.0, 13.7, p) == pytest.approx(expected, abs=0.001)


def _psychrolib_wet_bulb(t, td, p):
    return np.array([psychrolib.GetTWetBulbFromTDewPoint(a, b, c) for a, b, c in
                     np.broadcast(t, td, p)])


def _psychrolib_humidity_ratio_at(t, tw, p):
    """Humidity ratio that ASHRAE eq 33/35 (PsychroLib) gives for a wet bulb ``tw``."""
    return np.array([psychrolib.GetHumRatioFromTWetBulb(a, b, c) for a, b, c in
                     np.broadcast(t, tw, p)])


@pytest.mark.parametrize("pressure_pa", PRESSURES_PA)
def test_wet_bulb_within_0_05_k_of_psychrolib_on_a_grid(pressure_pa):
    # The range: dry bulb -10 to 45 °C, relative humidity 5 to 100 %.
    t, rh = np.meshgrid(np.arange(-10.0, 45.01, 2.5), np.arange(5.0, 100.01, 5.0))
    t, rh = t.ravel(), rh.ravel()
    td = climate.dew_point_from_rh_c(t, rh)
    ours = climate.wet_bulb_c(t, td, pressure_pa)
    reference = _psychrolib_wet_bulb(t, td, pressure_pa)
    close = np.abs(ours - reference) <= 0.05
    # Near 0 °C, eq 33 (wet wick) and eq 35 (iced wick) both have a root for some humidity
    # ratios, and PsychroLib's bisection lands on either: there, ours must be a root too.
    band = ~close
    assert band.sum() <= 0.02 * t.size
    assert np.all(np.abs(ours[band]) < 1.0) and np.all(np.abs(reference[band]) < 1.0)
    w = climate.humidity_ratio(climate.saturation_pressure_pa(td[band]), pressure_pa)
    # dW/dt* is about 7e-4 per K near 0 °C: 5e-6 is within 0.01 K of a root.
    np.testing.assert_allclose(_psychrolib_humidity_ratio_at(t[band], ours[band], pressure_pa),
                               w, atol=5e-6)
    assert np.abs(ours - reference)[close].max() < 0.007


def test_exact_solver_agrees_with_psychrolib_to_its_tolerance():
    t = np.array([-10.0, -2.0, 5.0, 20.0, 35.0, 45.0])
    td = np.array([-15.0, -20.0, -3.0, 10.0, 30.0, 5.0])
    for p in PRESSURES_PA:
        np.testing.assert_allclose(climate.wet_bulb_exact_c(t, td, p),
                                   _psychrolib_wet_bulb(t, td, p), atol=0.001)


@pytest.mark.parametrize("constant_pressure", [True, False])
def test_table_is_within_0_007_k_of_the_exact_solver(constant_pressure):
    rng = np.random.default_rng(7)
    t = rng.uniform(-50, 60, 20_000)
    td = t - rng.uniform(0, 70, t.size)
    p = np.full(t.size, 84555.93) if constant_pressure else rng.uniform(40_000, 110_000, t.size)
    exact = climate.wet_bulb_exact_c(t, td, p)
    table = climate.wet_bulb_c(t, td, p)
    # Where the wet wick's root is within the interpolation error of 0 °C, the table may
    # choose the other wick than the exact solver does (0 °C overlap): a different root.
    wet_wick, _ = climate._wick_roots(t, td, p)
    clear = np.abs(wet_wick) > 0.01
    assert clear.mean() > 0.99
    assert np.abs(table - exact)[clear].max() < 0.007


def test_hours_outside_the_table_are_solved_exactly():
    t = np.array([-60.0, 20.0, 65.0, 30.0])
    td = np.array([-65.0, -60.0, 20.0, 10.0])  # below, beyond the depression, above, inside
    np.testing.assert_allclose(climate.wet_bulb_c(t, td), climate.wet_bulb_exact_c(t, td),
                               atol=0.007)
    assert climate.wet_bulb_c(t[:3], td[:3]) == pytest.approx(
        climate.wet_bulb_exact_c(t[:3], td[:3]), abs=1e-9)


def test_extremes_of_the_epw_ranges_agree_with_psychrolib():
    # Dry bulb and dew point to +-70 °C, station pressure 31-120 kPa (EPW Data Dictionary),
    # 85 °C (70 °C shifted by 15 K) at 5,000 m: outside the table, near boiling at 31 kPa.
    t = np.array([70.0, 70.0, 60.0, -70.0, 85.0, 69.0])
    td = np.array([-70.0, 60.0, 40.0, -75.0, 20.0, 68.0])
    p = np.array([31000.0, 120000.0, 31000.0, 101325.0, 54000.0, 31000.0])
    np.testing.assert_allclose(climate.wet_bulb_c(t, td, p), _psychrolib_wet_bulb(t, td, p),
                               atol=0.002)


def test_shapes_broadcast_and_pressure_rows_apply_per_hour():
    t = np.array([[30.0, 30.0], [10.0, 10.0]])
    p = np.array([[101325.0, 80000.0]])  # per hour, as an EPW station pressure
    tw = climate.wet_bulb_c(t, t - 10.0, p)
    assert tw.shape == (2, 2)
    np.testing.assert_allclose(tw[:, 1], climate.wet_bulb_c(t[:, 1], t[:, 1] - 10.0, 80000.0),
                               atol=1e-4)
    assert climate.wet_bulb_c(np.empty((0, 3)), np.empty((0, 3))).shape == (0, 3)


temps = st.floats(-10, 45)
depressions = st.floats(0, 40)
pressures = st.floats(60_000, 105_000)


@given(temps, depressions, pressures)
def test_wet_bulb_between_dew_point_and_dry_bulb(t, depression, p):
    tw = float(climate.wet_bulb_c(t, t - depression, p))
    assert t - depression - 1e-9 <= tw <= t


@given(temps, pressures)
@example(0.25, 60000.0).via("the wet wick's root at 0 °C saturation is over ice's vapour")
@example(0.005, 101325.0).via("between 0 °C and the triple point")
def test_wet_bulb_is_the_dry_bulb_at_saturation(t, p):
    assert float(climate.wet_bulb_c(t, t, p)) == pytest.approx(t, abs=1e-9)
    assert float(climate.wet_bulb_c(t, t + 3.0, p)) == pytest.approx(t, abs=1e-9)
    assert float(climate.wet_bulb_exact_c(t, t, p)) == t


@given(temps, st.lists(depressions, min_size=2, max_size=20), pressures)
def test_wet_bulb_never_falls_as_the_dew_point_rises(t, ds, p):
    td = t - np.sort(np.array(ds))[::-1]  # rising dew points
    assert np.all(np.diff(climate.wet_bulb_c(t, td, p)) >= -1e-9)


@given(temps, st.floats(1, 40))
def test_lower_pressure_lowers_the_wet_bulb(t, depression):
    # At lower pressure the same dew point holds more water per kg of air and the
    # psychrometric constant is smaller: the wet bulb falls further below the dry bulb.
    sea, high = climate.wet_bulb_c(t, t - depression, [101325.0, 80000.0])
    assert high < sea
