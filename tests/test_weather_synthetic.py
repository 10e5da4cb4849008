"""The built-in Paris-area weather year against the Brétigny-sur-Orge 1991-2020 normals."""

import numpy as np
import pytest
from scipy import integrate, stats

from dcplanner.weather.synthetic import (
    builtin_year,
    daily_extremes,
    diurnal_cycle,
    fit_daily_max,
    normals,
    split_normal_ppf,
)
from dcplanner.weather.year import MONTH_DAYS

NORMALS = normals()


def daily_max_min(year):
    days = year.dry_bulb_c.reshape(-1, 24)
    return days.max(axis=1), days.min(axis=1), year.month.reshape(-1, 24)[:, 0]


def test_the_year_has_8760_hours_and_is_deterministic():
    a = builtin_year()
    builtin_year.cache_clear()
    b = builtin_year()
    assert a.hours == 8760 and (a.month[0], a.day[0], a.hour[0]) == (1, 1, 1)
    np.testing.assert_array_equal(a.dry_bulb_c, b.dry_bulb_c)
    np.testing.assert_array_equal(a.dew_point_c, b.dew_point_c)


@pytest.mark.parametrize("seed", [20190725, 1, 2, 3])
def test_monthly_means_of_daily_max_and_min_within_half_a_kelvin(seed):
    tx, tn, month = daily_max_min(builtin_year(seed))
    for m in range(12):
        days = month == m + 1
        assert tx[days].mean() == pytest.approx(NORMALS.tx_c[m], abs=0.5), f"TX month {m + 1}"
        assert tn[days].mean() == pytest.approx(NORMALS.tn_c[m], abs=0.5), f"TN month {m + 1}"


@pytest.mark.parametrize("seed", [20190725, 1, 2, 3])
def test_hot_day_counts_within_20_percent_of_the_station(seed):
    # 55.7 days >= 25 °C and 14.5 days >= 30 °C a year (paris-climate.md §4).
    tx, _, _ = daily_max_min(builtin_year(seed))
    assert (tx >= 25).sum() == pytest.approx(55.7, rel=0.2)
    assert (tx >= 30).sum() == pytest.approx(14.5, rel=0.2)


def test_a_one_kelvin_shift_matches_the_2015_2024_counts():
    # 69.4 days >= 25 °C and 19.8 >= 30 °C in 2015-2024 (paris-climate.md §4).
    tx, _, _ = daily_max_min(builtin_year())
    assert (tx + 1.0 >= 25).sum() == pytest.approx(NORMALS.recent_days_tx_ge_c[25], rel=0.2)
    assert (tx + 1.0 >= 30).sum() == pytest.approx(NORMALS.recent_days_tx_ge_c[30], rel=0.2)


def test_dew_point_follows_the_monthly_normal_and_never_exceeds_the_dry_bulb():
    year = builtin_year()
    assert np.all(year.dew_point_c <= year.dry_bulb_c)
    for m in range(12):
        hours = year.month == m + 1
        # The normals are ±1 °C (Magnus on monthly means, paris-climate.md §2).
        assert year.dew_point_c[hours].mean() == pytest.approx(NORMALS.dew_point_c[m], abs=1.0)


def test_split_normal_is_the_normal_when_symmetric():
    q = np.array([0.01, 0.3, 0.5, 0.9, 0.999])
    np.testing.assert_allclose(split_normal_ppf(q, 10.0, 2.0, 2.0),
                               stats.norm.ppf(q, 10.0, 2.0), rtol=1e-12)


def test_split_normal_mean_matches_its_closed_form():
    mode, lo, hi = 24.0, 3.0, 5.0
    mean, _ = integrate.quad(lambda q: split_normal_ppf(q, mode, lo, hi), 0, 1, limit=200)
    assert mean == pytest.approx(mode + np.sqrt(2 / np.pi) * (hi - lo), abs=1e-6)


def test_july_fit_reproduces_the_july_counts():
    # July: mean TX 26.0 °C, 17.6 days >= 25 °C, 5.7 >= 30 °C over 31 days.
    sample = split_normal_ppf((np.arange(31) + 0.5) / 31, *fit_daily_max(NORMALS, 6))
    assert sample.mean() == pytest.approx(26.0, abs=0.01)
    assert abs((sample >= 25).sum() - 17.6) <= 1
    assert abs((sample >= 30).sum() - 5.7) <= 1


def test_daily_minima_stay_below_maxima():
    tx, tn = daily_extremes(NORMALS)
    assert tx.shape == tn.shape == (sum(MONTH_DAYS),)
    assert np.all(tn <= tx - 1.0 + 1e-12)


def test_diurnal_cycle_hits_tn_at_six_and_tx_at_fifteen():
    tx = np.array([20.0, 30.0, 25.0])
    tn = np.array([10.0, 12.0, 14.0])
    hourly = diurnal_cycle(tx, tn).reshape(3, 24)
    # Hour ending 6 is 06:00, hour ending 15 is 15:00 (row index hour - 1).
    np.testing.assert_allclose(hourly[:, 5], tn)
    np.testing.assert_allclose(hourly[:, 14], tx)
    np.testing.assert_allclose(hourly.max(axis=1), tx)
    # At 22:00, 7 of the 15 hours from 15:00 to the next 06:00, on the half-cosine.
    assert hourly[0, 21] == pytest.approx(20.0 + (12.0 - 20.0) * (1 - np.cos(np.pi * 7 / 15)) / 2)


def test_the_shipped_year_is_the_generators_output():
    from dcplanner.weather import synthetic

    shipped = synthetic.builtin_year()
    generated = synthetic.generate_year()
    # Within 0.1 mK, not bit for bit: the generator's scipy solvers land up to 2e-5 K apart
    # between releases (numpy 2.4.6 / scipy 1.17.1 against those that wrote the file), far
    # below the 0.1 K the year is read at; a stale file is off by kelvins.
    np.testing.assert_allclose(shipped.dry_bulb_c, generated.dry_bulb_c, rtol=0, atol=1e-4)
    np.testing.assert_allclose(shipped.dew_point_c, generated.dew_point_c, rtol=0, atol=1e-4)
    assert (shipped.name, shipped.notes) == (generated.name, generated.notes)


def test_changed_normals_regenerate_the_year_instead_of_reading_a_stale_file(monkeypatch):
    from dcplanner.weather import synthetic

    made = []
    monkeypatch.setattr(synthetic, "_normals_digest", lambda file: "changed")
    monkeypatch.setattr(synthetic, "generate_year", lambda *a: made.append(a) or "generated")
    assert synthetic.builtin_year.__wrapped__() == "generated" and made
