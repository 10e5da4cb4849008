"""The annual simulation: energy balance, agreement with the design point, physics trends."""

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from dcplanner.config import builtin_scenario_text, load_resolved
from dcplanner.engine import evaluate, flatten, run
from dcplanner.engine.annual import simulate
from dcplanner.engine.hourly import hourly_inputs
from tests.conftest import epw_rows, scenario_from, write_epw


def annual(resolved, **kwargs):
    x = flatten(resolved)
    out = evaluate(x)
    return simulate(hourly_inputs(resolved), x, out, **kwargs), out


@pytest.fixture(scope="module")
def paris_hourly():
    resolved = [load_resolved()]
    year, out = annual(resolved, keep_hourly=[0])
    return year.hourly[0], year.values, out


def test_energy_balance_every_hour(paris_hourly):
    h, _, _ = paris_hourly
    parts = (h["it_w"] + h["distribution_loss_w"] + h["ups_loss_w"] + h["cooling_w"]
             + h["misc_w"] + h["transformer_loss_w"])
    np.testing.assert_allclose(h["facility_w"], parts, rtol=1e-12)
    np.testing.assert_allclose(
        h["cooling_w"],
        h["chiller_w"] + h["pump_w"] + h["air_fan_w"]
        + h["dry_cooler_fan_w"], rtol=1e-12)
    assert h["facility_w"].shape == (8760,)


def test_pue_at_least_one_every_hour_and_annual_pue_is_energy_weighted(paris_hourly):
    h, v, _ = paris_hourly
    assert np.all(h["pue"] >= 1.0)
    assert v["pue"][0] == pytest.approx(h["facility_w"].sum() / h["it_w"].sum(), rel=1e-12)
    assert v["pue_min"][0] <= v["pue"][0] <= v["pue_max"][0]


def test_training_it_energy_is_operating_power_times_hours(paris_hourly):
    _, v, out = paris_hourly
    assert v["it_mwh"][0] == pytest.approx(out["operating_it_w"][0] * 8760 / 1e6, rel=1e-12)


def test_monthly_values_add_up_to_the_year(paris_hourly):
    _, v, _ = paris_hourly
    for key in ("it_mwh", "facility_mwh", "chiller_mwh", "water_m3"):
        assert v[f"monthly_{key}"][0].sum() == pytest.approx(v[key][0], rel=1e-9)
    assert v["monthly_facility_peak_w"][0].max() == pytest.approx(v["facility_peak_w"][0])
    assert v["monthly_liquid_free_hours"][0].sum() == v["liquid_free_hours"][0]
    for mode in ("free", "partial", "chiller"):
        assert v[f"monthly_plant_{mode}_hours"][0].sum() == v[f"plant_{mode}_hours"][0]


def test_cooling_mode_hours_cover_the_year(paris_hourly):
    _, v, _ = paris_hourly
    for loop in ("plant", "liquid", "air"):
        total = sum(v[f"{loop}_{mode}_hours"][0] for mode in ("free", "partial", "chiller"))
        assert total == 8760


def test_water_and_wue_hand_check(paris_hourly):
    h, v, _ = paris_hourly
    water_m3 = (h["water_kg_per_s"] * 3600 / 1000).sum()
    assert v["water_m3"][0] == pytest.approx(water_m3)
    assert v["wue_l_per_kwh"][0] == pytest.approx(water_m3 * 1000 / (h["it_w"].sum() / 1000))


def test_hourly_engine_agrees_with_the_design_point_at_the_same_ambient(tmp_path, paris_data):
    # A year at a constant 42.0 °C / 13.7 °C dew point is the design ambient in every hour;
    # its station pressure (101,325 Pa) is the standard atmosphere at a site at sea level.
    path = write_epw(tmp_path, epw_rows(dry=lambda i: 42.0, dew=lambda i: 13.7))
    r = scenario_from(paris_data, weather__file=str(path), site__altitude_m=0.0)
    year, out = annual([r], keep_hourly=[0])
    np.testing.assert_allclose(year.hourly[0]["facility_w"], out["operating_facility_w"][0],
                               rtol=1e-12)
    np.testing.assert_allclose(year.hourly[0]["wet_bulb_c"], out["design_wet_bulb_c"][0],
                               rtol=1e-12)


def test_hourly_wet_bulb_takes_the_station_pressure_or_the_site_altitude(tmp_path, paris_data):
    from dcplanner.models.climate import standard_pressure_pa, wet_bulb_c
    from dcplanner.weather import builtin_year

    # The built-in year has no pressure: the standard atmosphere at site.altitude_m, per
    # scenario (a higher site, a lower wet bulb). Two pressures in one batch are interpolated
    # between the 1 kPa tables, within 1e-4 K of each pressure's own table.
    year, _ = annual([scenario_from(paris_data, site__altitude_m=z) for z in (0.0, 1500.0)],
                     keep_hourly=[0, 1])
    base = builtin_year()
    for i, z in enumerate((0.0, 1500.0)):
        np.testing.assert_allclose(year.hourly[i]["wet_bulb_c"], wet_bulb_c(
            base.dry_bulb_c, base.dew_point_c, standard_pressure_pa(z)), atol=1e-4)
    assert np.all(year.hourly[1]["wet_bulb_c"] <= year.hourly[0]["wet_bulb_c"] + 1e-9)
    # An EPW file's hours take its station pressure, whatever the site altitude.
    pressure = 95000.0 + 100.0 * (np.arange(8760) % 50)
    rows = [r.replace(",101325,", f",{pressure[i]:.0f},", 1) for i, r in enumerate(epw_rows())]
    path = write_epw(tmp_path, rows)
    year, _ = annual([scenario_from(paris_data, weather__file=str(path), site__altitude_m=z)
                      for z in (0.0, 1500.0)], keep_hourly=[0, 1])
    dry, dew = year.hourly[0]["dry_bulb_c"], year.hourly[0]["dew_point_c"]
    for i in (0, 1):
        np.testing.assert_allclose(year.hourly[i]["wet_bulb_c"],
                                   wet_bulb_c(dry, dew, pressure), atol=1e-12)


def test_a_colder_year_gives_a_lower_annual_pue(paris_data):
    shifts = [-4.0, 0.0, 4.0]
    resolved = [scenario_from(paris_data, weather__shift_k=s) for s in shifts]
    year, _ = annual(resolved)
    assert np.all(np.diff(year.values["pue"]) > 0)
    assert np.all(np.diff(year.values["water_m3"]) > 0)


def test_w45_loop_has_at_least_as_many_free_cooling_hours_as_w32(paris_data):
    resolved = [scenario_from(paris_data, cooling__liquid__supply_c=s,
                              cooling__liquid__return_c=s + 10) for s in (32, 40, 45)]
    year, _ = annual(resolved)
    free = year.values["liquid_free_hours"]
    assert free[0] <= free[1] <= free[2] and free[0] < free[2]
    assert year.values["chiller_mwh"][0] > year.values["chiller_mwh"][2]


def test_batch_equals_one_at_a_time_whatever_the_chunk(paris_data):
    resolved = [
        scenario_from(paris_data, weather__shift_k=1.5),
        scenario_from(paris_data, workload__profile="inference"),
        scenario_from(paris_data, deployments__0__count=120),
        scenario_from(paris_data, weather__heatwave={"peak_c": 40}),
        scenario_from(paris_data),
    ]
    batch, _ = annual(resolved, chunk_scenarios=2)
    for i, r in enumerate(resolved):
        single, _ = annual([r])
        for key, value in single.values.items():
            if value.dtype == object:  # names and notes
                assert batch.values[key][i] == value[0], key
                continue
            np.testing.assert_allclose(batch.values[key][i], value[0], rtol=1e-12,
                                       err_msg=f"{key}, scenario {i}")


def test_inference_profile_energy_follows_mean_utilization(paris_data):
    r = scenario_from(paris_data, workload__profile={"kind": "inference", "trough_frac": 0.4})
    year, out = annual([r])
    v = year.values
    idle, busy = out["idle_it_w"][0], out["busy_it_w"][0]
    expected = (idle + (busy - idle) * v["utilization_mean_frac"][0]) * 8760 / 1e6
    assert v["it_mwh"][0] == pytest.approx(expected, rel=1e-9)
    assert v["utilization_mean_frac"][0] < 1.0


def test_heatwave_raises_the_peak_and_a_tight_grid_is_exceeded(paris_data):
    base = scenario_from(paris_data)
    stressed = scenario_from(paris_data, weather__heatwave={"peak_c": 42.0})
    first, _ = annual([stressed])
    peak_mw = first.values["facility_peak_w"][0] / 1e6
    # a grid and a heat rejection 1 % below what the heatwave needs
    tight = scenario_from(paris_data, weather__heatwave={"peak_c": 42.0},
                          site__grid_mw=round(0.99 * peak_mw, 3),
                          cooling__heat_rejection_mw=round(0.99 * peak_mw * 0.97, 3))
    year, _ = annual([base, stressed, tight])
    v = year.values
    assert v["dry_bulb_max_c"][1] == pytest.approx(42.0)
    assert v["facility_peak_w"][1] > v["facility_peak_w"][0]
    assert v["grid_exceeded_hours"][0] == 0 and v["grid_exceeded_hours"][2] > 0
    assert v["grid_excess_max_w"][2] == pytest.approx(v["facility_peak_w"][2]
                                                     - round(0.99 * peak_mw, 3) * 1e6)
    assert v["heat_rejection_exceeded_hours"][2] > 0
    assert np.isnan(v["heat_rejection_exceeded_hours"][0])  # no limit set


def test_records_carry_the_annual_section(paris_data):
    records = run([scenario_from(paris_data, weather__heatwave={})]).records()
    a = records[0]["annual"]
    assert a["facility_peak_hour"].startswith("25 Jul")
    assert a["weather_notes"] == ["heatwave of 5 days peaking at 42 °C on 25/07"]
    assert len(a["monthly"]) == 12 and a["monthly"][6]["month"] == "Jul"
    assert a["plant_holds"] is True


def test_leap_year_epw_gives_8784_hours(tmp_path, paris_data):
    path = write_epw(tmp_path, epw_rows(2020, leap=True))
    year, _ = annual([scenario_from(paris_data, weather__file=str(path),
                                    weather__heatwave={"month": 2, "day": 29})])
    v = year.values
    assert v["hours"][0] == 8784
    assert v["monthly_it_mwh"][0][1] == pytest.approx(v["it_mwh"][0] * 29 / 366)
    assert v["dry_bulb_max_c"][0] == pytest.approx(42.0)


@settings(max_examples=15, deadline=None)
@given(
    shift=st.floats(-10, 10),
    supply=st.floats(20, 50),
    utilization=st.floats(0, 1),
    profile=st.sampled_from(["training", "inference"]),
)
def test_facility_at_least_it_every_hour(shift, supply, utilization, profile):
    data = yaml.safe_load(builtin_scenario_text())
    r = scenario_from(data, weather__shift_k=shift, cooling__liquid__supply_c=supply,
                      cooling__liquid__return_c=supply + 8, workload__utilization_frac=utilization,
                      workload__profile=profile)
    year, _ = annual([r], keep_hourly=[0])
    h = year.hourly[0]
    assert np.all(h["facility_w"] >= h["it_w"])
    assert np.all(h["pue"] >= 1.0)


def test_a_batch_without_it_load_gives_null_ratios_not_infinities():
    # The schema refuses a scenario with every deployment empty; the Python API can still
    # build one (with_column), and its ratios must be null, never inf in JSON.
    import json

    from dcplanner.engine import evaluate_batch, with_column
    resolved = [load_resolved()]
    x = flatten(resolved)
    used = x["system"] != None  # noqa: E711 (object array)
    x = with_column(x, "count", [0.0], deployment=used)
    result = evaluate_batch(x, hourly_inputs(resolved))
    record = result.records()[0]
    json.dumps(record, allow_nan=False)  # raises on NaN or inf
    assert record["annual"]["pue"] is None and record["annual"]["wue_l_per_kwh"] is None
    assert all(m["pue"] is None for m in record["annual"]["monthly"])
    assert record["economics"]["cost_per_gpu_hour_eur"] is None


def test_monthly_extremes_of_a_value_constant_over_the_hours_are_per_month():
    from dcplanner.engine.annual import _Reducer
    starts = np.array([0, 744, 1416])  # three months
    it_w = np.array([[1.0], [2.0]])  # (S, 1): flat over the hours
    r = _Reducer({"it_w": it_w}, (2, 2160), starts)
    np.testing.assert_array_equal(r.monthly("max", "it_w"), [[1, 1, 1], [2, 2, 2]])
    np.testing.assert_array_equal(r.monthly("min", "it_w"), [[1, 1, 1], [2, 2, 2]])
    np.testing.assert_array_equal(r.annual("max", "it_w"), [1, 2])
