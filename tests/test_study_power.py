"""A study's power: block: the sub-hourly power study of each case, as ``dcplanner power``."""

import json

import numpy as np
import pytest
from click.testing import CliRunner

from dcplanner.cli import main
from dcplanner.errors import ConfigError
from dcplanner.study import StudyError, load_study, run_study
from dcplanner.study.analysis import table
from dcplanner.study.cases import as_column
from dcplanner.study.runner import LARGE_POWER_STEPS, check_size
from dcplanner.study.spec import POWER_FIGURES, column_units, parse_study

FLOORS = [0.0, 0.6, 0.9]
STUDY = """name: floor
grid:
  power.smoothing.floor_tgp_frac: [0.0, 0.6, 0.9, 1.5]
annual: false
outputs: [facility_peak_mw]
power: {}
"""


def run(tmp_path, text):
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    run_study(load_study(path), tmp_path / "out")
    return table((tmp_path / "out" / "cases.csv").read_text(encoding="utf-8"))


def power_json(*sets):
    args = ["power", "--format", "json"]
    for s in sets:
        args += ["--set", s]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_each_case_equals_dcplanner_power_with_its_values(tmp_path):
    rows = run(tmp_path, STUDY)
    assert rows["error"][:3] == ["", "", ""]
    for k, floor in enumerate(FLOORS):
        assert float(rows["power.smoothing.floor_tgp_frac"][k]) == floor
        cli = power_json(f"power.smoothing.floor_tgp_frac={floor}")
        for key in POWER_FIGURES:
            assert float(rows[f"power.{key}"][k]) == pytest.approx(cli[key], rel=1e-12,
                                                                   abs=1e-12), key
    # A higher floor fills the communication phase: less swing, more energy burnt.
    swing = [float(v) for v in rows["power.grid_swing_mw"][:3]]
    burnt = [float(v) for v in rows["power.floor_mwh_per_year"][:3]]
    assert swing[0] > swing[1] > swing[2]
    assert burnt[0] == 0 < burnt[1] < burnt[2]
    # Raw (unsmoothed) figures do not depend on the floor.
    assert len(set(rows["power.raw_peak_mw"][:3])) == 1


def test_an_invalid_power_value_is_a_case_with_its_reason(tmp_path):
    rows = run(tmp_path, STUDY)
    assert rows["error"][3] == ("power.smoothing.floor_tgp_frac: Input should be less than "
                                "or equal to 1")
    assert rows["power.grid_peak_mw"][3] == "" and rows["facility_peak_mw"][3] == ""


def test_the_outputs_asked_are_the_columns_in_their_order(tmp_path):
    rows = run(tmp_path, "name: t\nzip:\n  power.battery.max_swing_mw: [2, 0.5]\n"
               "  power.seed: [1, 2]\nannual: false\noutputs: [gpus]\n"
               "power: {outputs: [battery_energy_mwh, grid_swing_mw]}\n")
    assert list(rows)[-3:] == ["power.battery_energy_mwh", "power.grid_swing_mw", "error"]
    for k, (swing, seed) in enumerate([(2, 1), (0.5, 2)]):
        cli = power_json(f"power.battery.max_swing_mw={swing}", f"power.seed={seed}")
        assert float(rows["power.battery_energy_mwh"][k]) == pytest.approx(
            cli["battery_energy_mwh"], rel=1e-12)
        assert float(rows["power.grid_swing_mw"][k]) <= swing + 1e-9
    assert column_units(["gpus"], list(rows)) == {
        "gpus": "GPUs", "power.battery_energy_mwh": "MWh", "power.grid_swing_mw": "MW"}


def test_a_bad_power_output_is_a_one_line_error_naming_it():
    with pytest.raises(ConfigError) as error:
        parse_study("name: t\npower: {outputs: [grid_peak_mw, grid_peak]}\n", ".yaml",
                    "t.yaml")
    assert error.value.lines() == [
        "t.yaml: power.outputs: 'grid_peak' (item 1) is not a power figure; close: "
        "grid_peak_mw, raw_peak_mw"]


def test_a_bad_power_output_on_the_command_line(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("name: t\npower: {outputs: [peak]}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["study", str(path), "-o", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert result.output == (f"error: {path}: power.outputs: 'peak' (item 0) is not a "
                             f"power figure; one of {', '.join(POWER_FIGURES)}\n")
    assert "Traceback" not in result.output


def test_a_long_power_study_needs_the_go_ahead():
    spec = parse_study("name: t\npower: {}\n", ".yaml", "t.yaml")
    steps = 36_000  # an hour at 0.1 s
    cases = int(LARGE_POWER_STEPS // steps) + 1
    with pytest.raises(StudyError, match="power study"):
        check_size(spec, cases, False, power_steps=steps)
    check_size(spec, cases, True, power_steps=steps)
    check_size(spec, cases - 1, False, power_steps=steps)


def test_a_long_power_study_on_the_command_line_asks_for_yes(tmp_path):
    # 17 cases of a year at 0.1 s: 17 x 315,360,000 = 5.4e9 steps, 17 x 157.7 s = 0.7 h
    path = tmp_path / "s.yaml"
    path.write_text("name: big\nset: {power.duration_s: 31536000}\ngrid:\n  power.seed: "
                    f"{list(range(17))}\nannual: false\noutputs: [gpus]\npower: {{}}\n",
                    encoding="utf-8")
    result = CliRunner().invoke(main, ["study", str(path), "-o", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert result.output == ("error: --yes: 17 cases of a power study of 315,360,000 steps "
                             "each (about 0.7 h on one core): re-run with --yes to start it\n")
    assert not (tmp_path / "o").exists()


def test_the_figures_are_those_of_the_power_study():
    from dcplanner.config import load
    from dcplanner.solvers.power import study

    assert set(study([load(None, []).resolved], keep_trace=False).figures) == set(POWER_FIGURES)


def test_an_engine_input_varied_with_the_power_study_is_the_cases_own(tmp_path):
    # operating_power_frac is an engine column (no variant per value): the power study still
    # sees each case's value, as `dcplanner power --set` does.
    assert as_column("workload.operating_power_frac", np.array([0.7])) is not None
    rows = run(tmp_path, "name: t\ngrid:\n  workload.operating_power_frac: [0.7, 0.9]\n"
               "  power.swing.duty_frac: [0.5, 0.8]\nannual: false\noutputs: [gpus]\n"
               "power: {outputs: [mean_it_mw, grid_swing_mw]}\n")
    assert rows["error"] == [""] * 4
    for k in range(4):
        frac = rows["workload.operating_power_frac"][k]
        duty = rows["power.swing.duty_frac"][k]
        cli = power_json(f"workload.operating_power_frac={frac}", f"power.swing.duty_frac={duty}")
        assert float(rows["power.mean_it_mw"][k]) == pytest.approx(cli["mean_it_mw"], rel=1e-12)
        assert float(rows["power.grid_swing_mw"][k]) == pytest.approx(cli["grid_swing_mw"],
                                                                      rel=1e-12)
    mean = [float(v) for v in rows["power.mean_it_mw"]]
    assert mean[0] < mean[2] and mean[1] < mean[3]  # a higher busy draw, at either duty


def test_a_case_the_power_study_refuses_has_its_reason_and_no_outputs(tmp_path):
    # 8783 passes the schema (a leap year's last hour) but not the built-in 8,760-hour year:
    # only the power study refuses it, for that case alone.
    rows = run(tmp_path, "name: t\ngrid:\n  power.hour: [0, 8783]\nannual: false\n"
               "outputs: [gpus]\npower: {outputs: [grid_peak_mw]}\n")
    assert rows["error"] == ["", "power.hour: hour = 8783 is past the weather year's 8,760 "
                             "hours"]
    assert rows["gpus"] == ["18000", ""] and rows["power.grid_peak_mw"][1] == ""
    assert float(rows["power.grid_peak_mw"][0]) == pytest.approx(
        power_json("power.hour=0")["grid_peak_mw"], rel=1e-12)
