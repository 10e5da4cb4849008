"""Hourly inputs from scenario files: weather files, stress settings and profile files."""

import numpy as np
import pytest
import yaml

from dcplanner.config import builtin_scenario_text, load, load_resolved
from dcplanner.engine.hourly import hourly_utilization_frac, read_profile, scenario_hours
from dcplanner.engine.params import flatten
from dcplanner.errors import ConfigError
from dcplanner.solvers.check import check
from tests.conftest import epw_rows, write_epw


def checked(path=None, overrides=()):
    """Load a scenario and check its files and phases, problems named as the CLI names them."""
    loaded = load(path, overrides)
    with loaded.errors():
        check(loaded.resolved)
    return loaded.resolved


def write_scenario(folder, **top_level):
    data = yaml.safe_load(builtin_scenario_text())
    data.update(top_level)
    path = folder / "s.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_weather_shorthand_is_relative_to_the_scenario_file(tmp_path):
    (tmp_path / "wx").mkdir()
    write_epw(tmp_path / "wx", epw_rows(dry=lambda i: 20.0))
    path = write_scenario(tmp_path, weather="wx/w.epw")
    r = load_resolved(path, ["weather.shift_k=2"])
    assert r.scenario.weather.file == str(tmp_path / "wx" / "w.epw")
    h = scenario_hours(r.scenario)
    assert r.scenario.weather.shift_k == 2.0 and np.all(h.weather.dry_bulb_c == 20.0)


def test_loading_only_loads_and_the_check_reads_the_files(tmp_path):
    path = write_scenario(tmp_path, weather={"file": "nowhere.epw"})
    assert load_resolved(path).scenario.weather.file == str(tmp_path / "nowhere.epw")
    with pytest.raises(ConfigError):
        checked(path)


def test_missing_weather_file_names_the_field(tmp_path):
    path = write_scenario(tmp_path, weather={"file": "nowhere.epw"})
    with pytest.raises(ConfigError) as error:
        checked(path)
    # the scenario, its field, then the file the problem is in
    assert error.value.lines() == [f"{path}: weather.file: {tmp_path / 'nowhere.epw'}: weather "
                                   "file not found"]


def test_heatwave_on_a_day_the_year_lacks(tmp_path):
    path = write_scenario(tmp_path, weather={"heatwave": {"month": 2, "day": 29}})
    with pytest.raises(ConfigError, match=r"s\.yaml: weather\.heatwave: 2-29 \(month-day\) "
                       "is not a day of the weather year"):
        checked(path)


def test_unknown_weather_field_lists_the_allowed_ones():
    with pytest.raises(ConfigError, match=r"weather\.shift: unknown field; allowed fields: file, "
                       "shift_k, heatwave"):
        load_resolved(None, ["weather.shift=1"])


def test_profile_file_with_header_and_two_columns(tmp_path):
    lines = ["time,utilization_frac"] + [f"{k},{0.5 if k % 2 else 1}" for k in range(8760)]
    (tmp_path / "p.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    path = write_scenario(tmp_path)
    r = load_resolved(path, ["workload.profile.kind=file",
                             f"workload.profile.file={tmp_path / 'p.csv'}"])
    u = hourly_utilization_frac(flatten([r]), scenario_hours(r.scenario))
    assert u.shape == (1, 8760) and u.mean() == pytest.approx(0.75)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0.5\nabc\n", "p.csv: line 2: 'abc' is not a number"),
        ("0.5\n1.5\n", "p.csv: line 2: utilization 1.5 out of range; allowed 0 to 1"),
    ],
)
def test_bad_profile_file_names_the_line(tmp_path, text, message):
    (tmp_path / "p.csv").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        read_profile(tmp_path / "p.csv")


def test_profile_of_the_wrong_length(tmp_path):
    (tmp_path / "p.csv").write_text("0.5\n" * 100, encoding="utf-8")
    path = write_scenario(tmp_path, workload={"profile": {"kind": "file", "file": "p.csv"}})
    with pytest.raises(ConfigError) as error:
        checked(path)
    assert error.value.lines() == [f"{path}: workload.profile.file: {tmp_path / 'p.csv'}: 100 "
                                   "hourly values, but the weather year has 8,760 hours"]


def test_a_bad_line_of_an_hourly_file_names_the_scenario_field_file_and_line(tmp_path):
    (tmp_path / "p.csv").write_text("value\n" + "0.5\n" * 10 + "nan\n", encoding="utf-8")
    path = write_scenario(tmp_path, workload={"profile": {"kind": "file", "file": "p.csv"}})
    with pytest.raises(ConfigError) as error:
        checked(path)
    assert error.value.lines() == [f"{path}: workload.profile.file: {tmp_path / 'p.csv'}: "
                                   "line 12: utilization nan out of range; allowed 0 to 1"]


def test_profile_kind_file_needs_a_file():
    with pytest.raises(ConfigError, match=r"workload\.profile: give file exactly when kind is "
                       "file"):
        load_resolved(None, ["workload.profile=file"])
