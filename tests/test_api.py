"""The Python face (dcplanner.api): load, with_, run and the frames, against the engine."""

from __future__ import annotations

import csv
import io
import sys

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dcplanner
from dcplanner.api import MissingExtraError, Plan, read_metadata, to_parquet
from dcplanner.cli import main
from dcplanner.config import load as config_load
from dcplanner.engine import run as engine_run
from dcplanner.engine.outputs import OUTPUTS, hourly_columns
from dcplanner.errors import ConfigError
from dcplanner.output import hourly_csv
from tests.conftest import CONFIGS, EPW_HEADER, epw_rows

pd = pytest.importorskip("pandas")


@pytest.fixture(scope="module")
def paris():
    return dcplanner.load()


@pytest.fixture(scope="module")
def paris_run(paris):
    return paris.run()


@pytest.fixture(scope="module")
def hours(paris_run):
    return paris_run.hourly(year=2025)


# -- load and with_ ---------------------------------------------------------------------------

def test_load_is_the_scenario_config_load_reads(paris):
    assert isinstance(paris, Plan)
    assert paris.resolved == config_load().resolved
    assert paris.source == "<built-in paris-40mw.yaml>"


def test_with_gives_what_set_gives_in_every_spelling(paris):
    by_set = config_load(None, ["site.grid_mw=45", "deployments.0.count=200"]).resolved
    for plan in (paris.with_("site.grid_mw=45", "deployments.0.count=200"),
                 paris.with_(**{"site.grid_mw": 45, "deployments.0.count": 200}),
                 paris.with_(site__grid_mw=45).with_(deployments__0__count=200),
                 dcplanner.load(None, ["site.grid_mw=45", "deployments.0.count=200"])):
        assert plan.resolved == by_set
    assert paris.scenario.site.grid_mw == 40  # the original is unchanged


def test_with_changes_the_run_and_the_hash(paris, paris_run):
    bigger = paris.with_(**{"site.grid_mw": 45})
    assert bigger.digest != paris.digest
    assert dcplanner.load(None, ["site.grid_mw=45"]).digest == bigger.digest
    by_set = engine_run([config_load(None, ["site.grid_mw=45"]).resolved])
    assert bigger.run().records() == by_set.records()
    assert bigger.run()["grid_mw"][0] == 45 and paris_run["grid_mw"][0] == 40


@pytest.mark.parametrize(("args", "kwargs", "message"), [
    (("site.grid_mw=-1",), {}, "with_ site.grid_mw=-1: site.grid_mw: Input should be greater "
     "than or equal to 0.001"),
    ((), {"site__grid_mw": -1}, "with_ site.grid_mw=-1: site.grid_mw: Input should be greater "
     "than or equal to 0.001"),
    ((), {"deployments.3.count": 1}, "with_ deployments.3.count=1: deployments.3: no list item "
     "'3'; indices 0 to 0"),
    (("site.grid_mw",), {}, "with_ site.grid_mw: expected dotted.path=value, e.g. "
     "deployments.0.count=300"),
    ((), {"site.nope": 1}, "with_ site.nope=1: site.nope: unknown field; allowed fields: "
     "grid_mw, design_ambient_c, design_dew_point_c, altitude_m, max_racks, "
     "max_rack_power_kw, misc_load_frac"),
])
def test_with_refuses_in_one_line_as_set_does(paris, args, kwargs, message):
    with pytest.raises(ConfigError) as error:
        paris.with_(*args, **kwargs)
    assert str(error.value) == message


def test_with_error_matches_the_cli_set_error(paris):
    cli = CliRunner().invoke(main, ["run", "--set", "site.grid_mw=-1"])
    with pytest.raises(ConfigError) as error:
        paris.with_("site.grid_mw=-1")
    assert cli.exit_code == 1
    assert cli.output.removeprefix("error: --set ") == str(error.value).removeprefix("with_ ")\
        + "\n"


# -- to_frame, monthly, deployments ------------------------------------------------------------

def test_to_frame_is_one_row_of_every_single_output(paris_run):
    frame = paris_run.to_frame()
    record = paris_run.records()[0]
    assert frame.index.tolist() == [record["scenario"]]
    assert frame.index.name == "name"
    single = [o.path for o in OUTPUTS if "[]" not in o.path
              and (o.plant is None or o.plant == "dry_cooler")]
    assert frame.columns.tolist() == single
    assert frame["facility_peak_mw"].iloc[0] == record["facility_peak_mw"]
    assert frame["annual.pue"].iloc[0] == record["annual"]["pue"]
    assert frame["binding_constraint"].iloc[0] == record["binding_constraint"]
    assert frame["violated"].iloc[0] == record["violated"]  # a list stays a list
    assert frame.attrs["units"]["facility_peak_mw"] == "MW"
    assert frame.attrs["units"]["annual.water_m3"] == "m3"
    assert frame.attrs["scenario_hash"] == dcplanner.load().digest


def test_frames_without_the_year(paris):
    bare = paris.run(annual=False)
    assert repr(bare) == ("<Run of Plan(path=None, edits=()): design point; rows "
                          "'Paris 40 MW, Bruyères-le-Châtel (phase 1)'>")
    assert not any(c.startswith("annual.") for c in bare.to_frame().columns)
    with pytest.raises(ConfigError, match=r"^annual: hourly results need the annual "):
        bare.hourly()
    with pytest.raises(ConfigError, match=r"^annual: monthly results need the annual "):
        bare.monthly()


def test_monthly_is_twelve_rows_of_the_record(paris_run):
    monthly = paris_run.monthly()
    assert monthly.index.names == ["name", "month_number"]
    assert monthly.index.get_level_values(1).tolist() == list(range(1, 13))
    assert monthly["month"].tolist()[:2] == ["Jan", "Feb"]
    np.testing.assert_array_equal(monthly["pue"].to_numpy(),
                                  paris_run["annual.monthly[].pue"][0])
    assert monthly.attrs["units"]["water_m3"] == "m3"


def test_phases_are_rows_and_deployments_rows_per_phase():
    run = dcplanner.load(CONFIGS / "paris-100mw.yaml").run()
    frame = run.to_frame()
    assert frame.index.name == "phase"
    assert frame.index.tolist() == list(run.names)
    assert len(frame) == len(run.plan.scenario.phases) >= 2
    deployments = run.deployments()
    counts = run.result.deployments().tolist()
    assert len(deployments) == sum(counts)
    for k, name in enumerate(run.names):
        rows = deployments.loc[name]
        assert rows.index.tolist() == list(range(counts[k]))
        np.testing.assert_array_equal(rows["gpus"].to_numpy(),
                                      run["deployments[].gpus"][k, :counts[k]])
    assert not run.hourly(phase=0).equals(run.hourly(phase=run.names[-1]))
    with pytest.raises(ConfigError) as error:
        run.hourly(phase="Phase 9")
    assert str(error.value).startswith("phase: no phase 'Phase 9'; phases: ")


# -- hourly -----------------------------------------------------------------------------------

def test_hourly_is_the_hourly_export_of_run(paris, hours):
    # The same rows as `dcplanner run --hourly-output`, to its 6 significant digits.
    result = engine_run([paris.resolved], keep_hourly=(0,))
    h = result.hourly[0]
    text = hourly_csv(h, hourly_columns(result.plants()[0]), h["month"], h["day"], h["hour"])
    rows = list(csv.reader(io.StringIO(text)))
    header, body = rows[0], np.array(rows[1:], dtype=float)
    assert hours.columns.tolist() == header[3:]
    np.testing.assert_allclose(hours.to_numpy(), body[:, 3:], rtol=1e-5, atol=1e-12)
    assert hours.attrs["units"]["facility_mw"] == "MW"
    assert hours.attrs["units"]["dry_bulb_c"] == "°C"
    assert hours.attrs["units"]["pue"] == "-"
    assert hours.attrs["weather"] == result.records()[0]["annual"]["weather"]
    assert (hours.attrs["year"], hours.attrs["tz"]) == (2025, "Europe/Paris")


def test_hourly_index_is_paris_time_from_standard_time_rows(hours):
    index = hours.index
    assert len(index) == 8760 and str(index.tz) == "Europe/Paris"
    assert index[0] == pd.Timestamp("2025-01-01 00:00", tz="Europe/Paris")
    # 1 July, hour ending 01:00 standard time (UTC+1): starts at 00:00 UTC+1 = 01:00 CEST.
    july = (31 + 28 + 31 + 30 + 31 + 30) * 24
    assert index[july] == pd.Timestamp("2025-07-01 01:00", tz="Europe/Paris")
    assert index[july].utcoffset().total_seconds() == 7200
    # Every step is one hour of real time: no gap in March, no repeated hour in October.
    steps = np.diff(index.tz_convert("UTC").asi8)
    assert np.all(steps == steps[0]) and pd.Timedelta(int(steps[0]), unit=index.unit) \
        == pd.Timedelta(hours=1)
    assert index.is_unique


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(year=st.integers(1900, 2100))
def test_hourly_index_of_any_year_is_the_rows_in_standard_time(paris_run, year):
    hours = paris_run.hourly(year=year)
    h = paris_run.result.hourly[0]
    standard = hours.index.tz_convert("Etc/GMT-1")  # UTC+1, no daylight saving
    # Each row starts at its own hour of standard time, on its own day: none moved or lost.
    np.testing.assert_array_equal(standard.hour, h["hour"] - 1)
    np.testing.assert_array_equal(standard.day, h["day"])
    np.testing.assert_array_equal(standard.month, h["month"])
    assert (standard.year == year).all()
    assert hours.index.is_monotonic_increasing and hours.index.is_unique


def test_hourly_in_another_zone_is_the_same_instants(paris_run, hours):
    utc = paris_run.hourly(year=2025, tz="UTC")
    assert str(utc.index.tz) == "UTC"
    assert utc.index[0] == pd.Timestamp("2024-12-31 23:00", tz="UTC")
    assert (utc.index == hours.index).all()


def test_hourly_on_a_leap_year_skips_the_29th(paris_run):
    leap = paris_run.hourly(year=2024)
    assert len(leap) == 8760
    assert not ((leap.index.month == 2) & (leap.index.day == 29)).any()
    assert leap.index[59 * 24] == pd.Timestamp("2024-03-01 00:00", tz="Europe/Paris")


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"year": 1800}, "year: must be a calendar year from 1900 to 2100, got 1800"),
    ({"year": "2025"}, "year: must be a calendar year from 1900 to 2100, got '2025'"),
    ({"year": 2025.0}, "year: must be a calendar year from 1900 to 2100, got 2025.0"),
    ({"tz": "Mars/Base"}, "tz: unknown time zone 'Mars/Base'; an IANA name such as "
     "'Europe/Paris' or 'UTC'"),
    ({"phase": 3}, "phase: no phase 3; indices 0 to 0"),
])
def test_hourly_refuses_bad_arguments_in_one_line(paris_run, kwargs, message):
    with pytest.raises(ConfigError) as error:
        paris_run.hourly(**kwargs)
    assert str(error.value) == message


def _epw(tmp_path, leap=False, zone="1.0"):
    header = [EPW_HEADER[0].replace(",1.0,78.0", f",{zone},78.0"), *EPW_HEADER[1:]]
    path = tmp_path / "site.epw"
    path.write_text("\n".join(header + epw_rows(leap=leap)) + "\n", encoding="utf-8")
    return path


def test_hourly_of_an_epw_year_is_at_its_fixed_offset(paris, tmp_path):
    run = paris.with_(**{"weather.file": str(_epw(tmp_path, zone="-5.0"))}).run()
    hours = run.hourly(year=2021)
    assert hours.index[0].utcoffset().total_seconds() == -5 * 3600
    assert hours.index[0] == pd.Timestamp("2021-01-01 05:00", tz="UTC")
    assert hours.attrs["time_zone_h"] == -5.0


def test_hourly_of_a_leap_epw_year_needs_a_leap_year(paris, tmp_path):
    run = paris.with_(**{"weather.file": str(_epw(tmp_path, leap=True))}).run()
    assert len(run.hourly(year=2024)) == 8784
    with pytest.raises(ConfigError) as error:
        run.hourly(year=2025)
    assert str(error.value) == ("year: 2025 is not a leap year, but the weather year has 29 "
                                "February: choose a leap year")


# -- Parquet ----------------------------------------------------------------------------------

def test_hourly_round_trips_through_parquet_with_its_metadata(paris, hours, tmp_path):
    pytest.importorskip("pyarrow")
    from pyarrow import parquet

    path = tmp_path / "hours.parquet"
    to_parquet(hours, path)
    back = pd.read_parquet(path)
    pd.testing.assert_frame_equal(back, hours)
    assert str(back.index.tz) == "Europe/Paris"
    assert back.attrs == hours.attrs
    meta = read_metadata(path)
    assert meta == {"version": dcplanner.__version__, "scenario_hash": paris.digest,
                    "units": hours.attrs["units"]}
    raw = parquet.read_schema(path).metadata
    assert raw[b"dcplanner.scenario_hash"] == paris.digest.encode()
    assert not list(tmp_path.glob(".*.tmp"))  # written through a temporary file


def test_to_frame_round_trips_through_parquet(paris_run, tmp_path):
    pytest.importorskip("pyarrow")
    frame = paris_run.to_frame()
    to_parquet(frame, tmp_path / "run.parquet")
    back = pd.read_parquet(tmp_path / "run.parquet")
    assert back.columns.tolist() == frame.columns.tolist()
    assert back.index.tolist() == frame.index.tolist()
    assert back["facility_peak_mw"].iloc[0] == frame["facility_peak_mw"].iloc[0]
    assert list(back["violated"].iloc[0]) == frame["violated"].iloc[0] == ["grid"]
    assert back.attrs == frame.attrs
    assert read_metadata(tmp_path / "run.parquet")["scenario_hash"] == paris_run.plan.digest


def test_study_frame_round_trips_through_parquet_with_its_hash(tmp_path):
    pytest.importorskip("pyarrow")
    frame = dcplanner.study_frame(CONFIGS / "studies" / "paris-chip-cooling-redundancy.yaml")
    to_parquet(frame, tmp_path / "cases.parquet")
    back = pd.read_parquet(tmp_path / "cases.parquet")
    pd.testing.assert_frame_equal(back.drop(columns=["cooling.liquid", "electrical.ups"]),
                                  frame.drop(columns=["cooling.liquid", "electrical.ups"]))
    meta = read_metadata(tmp_path / "cases.parquet")
    assert meta["study_hash"] == frame.attrs["study_hash"] and "scenario_hash" not in meta
    assert meta["units"]["fit.gpus"] == "GPUs"


# -- study ------------------------------------------------------------------------------------

def test_study_frame_is_the_rows_of_cases_csv(tmp_path):
    study = CONFIGS / "studies" / "paris-chip-cooling-redundancy.yaml"
    frame = dcplanner.study_frame(study)
    cli = CliRunner().invoke(main, ["study", str(study), "--out", str(tmp_path / "out")])
    assert cli.exit_code == 0, cli.output
    cases = pd.read_csv(tmp_path / "out" / "cases.csv")
    assert frame.index.tolist() == cases["case"].tolist() == list(range(18))
    assert ["case", *frame.columns] == cases.columns.tolist()
    for column in ("facility_peak_mw", "annual.pue", "fit.gpus"):
        np.testing.assert_array_equal(frame[column].to_numpy(), cases[column].to_numpy())
    assert frame["fit.gpus"].dtype == np.int64
    assert frame.attrs["units"]["annual.water_m3"] == "m3"
    assert frame.attrs["units"]["fit.gpus"] == "GPUs"


def test_study_refuses_a_bad_file_as_the_cli_does(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("grid: {site.grid_mw: [40, -1]}\noutputs: [facility_peak_mw]\n",
                   encoding="utf-8")
    cli = CliRunner().invoke(main, ["study", str(bad), "--out", str(tmp_path / "out")])
    with pytest.raises(ConfigError) as error:
        dcplanner.study_frame(bad)
    assert cli.exit_code == 1
    assert cli.output == f"error: {error.value}\n"


# -- without pandas ---------------------------------------------------------------------------

def test_frames_without_pandas_name_the_extra(paris_run, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas raises ImportError
    with pytest.raises(MissingExtraError) as error:
        paris_run.to_frame()
    assert isinstance(error.value, ImportError)
    assert str(error.value) == ("frames need pandas, which is not installed: "
                                "pip install 'dcplanner[pandas]'")
    assert paris_run["facility_peak_mw"][0] > 0  # the typed result needs no pandas


def test_a_loaded_file_reports_what_it_inherits_from_paris_as_the_cli_does(tmp_path):
    from dcplanner.sites import template_text

    path = tmp_path / "lyon.yaml"
    path.write_text(template_text("Lyon"), encoding="utf-8")  # `dcplanner init`'s template
    assert dcplanner.load(path).loaded.inherited == config_load(path).inherited != ()
    assert dcplanner.load().loaded.inherited == ()
