"""The power study (dcplanner.solvers.power) and the `dcplanner power` command."""

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from dcplanner.cli import main
from dcplanner.config import load_resolved
from dcplanner.engine import evaluate, flatten
from dcplanner.solvers.power import inputs, study, trace

FLAT = [("power.swing.duty_frac=1", ""), ("power.swing.checkpoints=false", ""),
        ("power.swing.failures=false", "")]


def test_a_trace_without_swings_equals_the_hourly_model():
    r = load_resolved(None, FLAT)
    out = evaluate(flatten([r]))
    s = study([r])
    np.testing.assert_allclose(s.trace["it_raw_w"], out["operating_it_w"][0], rtol=1e-12)
    np.testing.assert_allclose(s.trace["facility_raw_w"], out["operating_facility_w"][0],
                               rtol=1e-9)
    np.testing.assert_allclose(s.trace["grid_w"], out["operating_facility_w"][0], rtol=1e-9)
    assert s.figures["raw_swing_mw"][0] == pytest.approx(0, abs=1e-6)
    assert s.figures["raw_dominant_hz"][0] == 0


def test_energy_balance_holds_at_every_step():
    r = load_resolved(None, [("power.smoothing.floor_tgp_frac=0.6", ""),
                             ("power.rack_storage.window_s=2", ""),
                             ("power.battery.max_ramp_mw_per_s=1", ""),
                             ("power.battery.max_swing_mw=2", ""),
                             ("power.duration_s=600", "")])
    p = inputs([r])
    tr = trace(p, 0.0, 6000, 0.1)
    parts = tr["it_w"] + tr["distribution_loss_w"] + tr["ups_loss_w"] + tr["misc_w"] \
        + tr["cooling_w"] + tr["transformer_loss_w"]
    np.testing.assert_allclose(tr["facility_w"], parts, rtol=1e-12)
    np.testing.assert_allclose(tr["grid_w"] + tr["battery_w"], tr["facility_w"], rtol=1e-12)
    summed = trace(p, 0.0, 6000, 0.1, parts=False)
    np.testing.assert_allclose(summed["fast_loss_w"], tr["distribution_loss_w"]
                               + tr["ups_loss_w"] + tr["misc_w"], rtol=1e-12)
    np.testing.assert_allclose(summed["facility_w"], tr["facility_w"], rtol=1e-12)
    # The floor only adds power; the battery keeps its limits.
    assert (tr["it_w"] + tr["rack_storage_w"] >= tr["it_raw_w"] - 1e-6).all()
    assert np.abs(np.diff(tr["grid_w"][0])).max() / 0.1 <= 1e6 * (1 + 1e-9)
    assert np.ptp(tr["grid_w"][0]) <= 2e6 * (1 + 1e-9)


def test_the_paris_job_swings_at_its_iteration_frequency():
    s = study([load_resolved()])
    assert s.figures["raw_dominant_hz"][0] == pytest.approx(0.5)  # a 2 s iteration
    assert s.figures["raw_swing_mw"][0] > 10
    assert s.figures["floor_mwh_per_year"][0] == 0  # no smoothing by default


def test_a_streamed_trace_is_chunked_by_hour():
    r = load_resolved(None, [("power.step_s=1", ""), ("power.duration_s=7200", "")])
    s = study([r])
    assert s.trace["t_s"].size == 7200
    assert s.trace["t_s"][-1] == 7199


@pytest.mark.parametrize(("override", "message"), [
    ("power.smoothing.floor_tgp_frac=1.2",
     "power.smoothing.floor_tgp_frac: Input should be less than or equal to 1"),
    ("power.smoothing.ramp_up_w_per_s=0",
     "power.smoothing.ramp_up_w_per_s: Input should be greater than 0"),
    ("power.swing.period_s=0.05",
     "power.swing.period_s: period_s = 0.05 is shorter than power.step_s = 0.1: the phases "
     "would fall between steps"),
    ("power.battery.efficiency_frac=0",
     "power.battery.efficiency_frac: Input should be greater than 0"),
    ("power.rack_storage.efficiency_frac=1.5",
     "power.rack_storage.efficiency_frac: Input should be less than or equal to 1"),
    ("power.cooling_time_constant_s=7200",  # the trace is computed hour by hour
     "power.cooling_time_constant_s: Input should be less than or equal to 3600"),
])
def test_bad_input_is_one_line_naming_the_field(override, message, tmp_path):
    target = tmp_path / "trace.csv"
    result = CliRunner().invoke(main, ["power", "--set", override, "--trace", str(target)])
    assert result.exit_code == 1
    assert result.stderr == f"error: --set {override}: {message}\n"
    assert not target.exists()


def test_cli_prints_the_study_and_writes_the_trace(tmp_path):
    target = tmp_path / "trace.csv"
    result = CliRunner().invoke(main, ["power", "--set", "power.duration_s=60",
                                       "--trace", str(target)])
    assert result.exit_code == 0, result.output
    assert "  dominant frequency [Hz]         0.5        0.5\n" in result.stdout
    lines = target.read_text().splitlines()
    assert lines[0] == ("time_s,it_mw,facility_mw,it_smoothed_mw,facility_smoothed_mw,"
                        "cooling_mw,battery_mw,grid_mw")
    assert len(lines) == 601
    assert result.stderr == f"wrote {target}\n"


def test_a_flat_trace_at_an_hour_equals_that_hour_of_the_annual_simulation():
    from dcplanner.engine.annual import simulate
    from dcplanner.engine.hourly import scenario_hours

    r = load_resolved(None, [*FLAT, ("power.hour=4800", ""), ("power.duration_s=60", "")])
    x = flatten([r])
    year = simulate([scenario_hours(r.scenario)], x, evaluate(x), keep_hourly=[0]).hourly[0]
    s = study([r])
    np.testing.assert_allclose(s.trace["it_raw_w"], year["it_w"][4800], rtol=1e-12)
    np.testing.assert_allclose(s.trace["facility_raw_w"], year["facility_w"][4800], rtol=1e-9)


def test_json_gives_every_figure():
    import json

    result = CliRunner().invoke(main, ["power", "--set", "power.duration_s=60",
                                       "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["step_s"] == 0.1 and data["duration_s"] == 60
    assert data["raw_dominant_hz"] == pytest.approx(0.5)
    assert {"grid_peak_mw", "grid_max_ramp_mw_per_s", "grid_swing_mw", "floor_mwh_per_year",
            "floor_eur_per_year", "battery_power_mw", "battery_energy_mwh",
            "battery_cycles_per_day", "rack_energy_kwh_per_rack"} <= set(data)


def test_the_swing_keeps_the_hourly_mean_by_default():
    r = load_resolved(None, [("power.swing.checkpoints=false", ""),
                             ("power.swing.failures=false", ""), ("power.duration_s=600", "")])
    x = flatten([r])
    out = evaluate(x)
    s = study([r])
    # 0.7 of each 2 s iteration at (0.8 - 0.3 x 0.4) / 0.7 = 0.971 of TGP, 0.3 at 0.4.
    assert x["gpu_tdp_w"][0, 0] == 1200  # GB200
    assert s.trace["it_raw_w"].mean() == pytest.approx(out["operating_it_w"][0], rel=1e-12)
    assert s.trace["it_raw_w"].max() - s.trace["it_raw_w"].min() == pytest.approx(
        out["gpus"][0] * (0.68 / 0.7 - 0.4) * 1200, rel=1e-9)


def test_a_scenario_traces_the_same_alone_and_in_a_batch():
    a = load_resolved(None, [("power.duration_s=600", ""),
                             ("workload.training.interruption_rate_per_gpu_hour=0.001", "")])
    b = load_resolved(None, [("power.duration_s=600", ""), ("power.swing.period_s=3", "")])
    alone = study([a]).trace
    batch = study([b, a], scenarios_per_chunk=1)
    pair = study([b, a])
    np.testing.assert_array_equal(batch.figures["grid_peak_mw"], pair.figures["grid_peak_mw"])
    np.testing.assert_allclose(alone["grid_w"].max() / 1e6, pair.figures["grid_peak_mw"][1],
                               rtol=1e-12)


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_a_streamed_trace_file_holds_every_step_in_order(suffix, tmp_path):
    target = tmp_path / f"trace{suffix}"
    result = CliRunner().invoke(main, ["power", "--set", "power.step_s=1",
                                       "--set", "power.duration_s=7200", "--trace", str(target)])
    assert result.exit_code == 0, result.output
    if suffix == ".csv":
        time_s = np.loadtxt(target, delimiter=",", skiprows=1, usecols=0)
    else:
        pq = pytest.importorskip("pyarrow.parquet")
        time_s = pq.read_table(target).column("time_s").to_numpy()
    np.testing.assert_array_equal(time_s, np.arange(7200.0))
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no temporary file left


@settings(max_examples=12, deadline=None)
@given(st.floats(0, 1), st.floats(50, 5000), st.floats(50, 5000), st.floats(0, 10),
       st.floats(0.1, 20), st.floats(0, 10), st.floats(0.5, 1))
def test_energy_balance_for_any_smoothing(floor, up, down, rack_s, ramp_mw, swing_mw, eff):
    r = load_resolved(None, [(f"power.smoothing.floor_tgp_frac={floor!r}", ""),
                             (f"power.smoothing.ramp_up_w_per_s={up!r}", ""),
                             (f"power.smoothing.ramp_down_w_per_s={down!r}", ""),
                             (f"power.rack_storage.window_s={rack_s!r}", ""),
                             (f"power.battery.max_ramp_mw_per_s={ramp_mw!r}", ""),
                             (f"power.battery.max_swing_mw={swing_mw!r}", ""),
                             (f"power.battery.efficiency_frac={eff!r}", "")])
    tr = trace(inputs([r]), 0.0, 600, 0.1)
    parts = tr["it_w"] + tr["distribution_loss_w"] + tr["ups_loss_w"] + tr["misc_w"] \
        + tr["cooling_w"] + tr["transformer_loss_w"]
    np.testing.assert_allclose(tr["facility_w"], parts, rtol=1e-12)
    np.testing.assert_allclose(tr["grid_w"] + tr["battery_w"], tr["facility_w"], rtol=1e-12)
    assert np.abs(np.diff(tr["grid_w"][0])).max() / 0.1 <= ramp_mw * 1e6 * (1 + 1e-9)
    assert np.ptp(tr["grid_w"][0]) <= swing_mw * 1e6 * (1 + 1e-9) + 1e-3


def test_headroom_json_gives_the_budgets_and_the_ramp_up():
    import json

    result = CliRunner().invoke(main, ["power", "configs/paris-100mw.yaml", "--headroom",
                                       "--set", "power.duration_s=60", "--format", "json"])
    assert result.exit_code == 0, result.output
    room = json.loads(result.stdout)["headroom"]
    assert room["connection_mw"] == 100 and room["budget_percentile_frac"] == 0.999
    assert room["budgets"][0]["budget_hours"] == pytest.approx(43.8, abs=1e-9)
    assert [r["year"] for r in room["ramp_up"]] == [2025, 2026, 2027, 2028, 2029, 2030]
    assert room["swing_peak_mw"] > room["peak_mw"]  # the swings reach above the hourly mean
    assert room["swing_firm_gpus"] <= room["firm_gpus"]


def test_without_headroom_the_output_is_unchanged():
    result = CliRunner().invoke(main, ["power", "--set", "power.duration_s=60"])
    assert result.exit_code == 0, result.output
    assert "Headroom" not in result.stdout
