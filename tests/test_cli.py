"""The command line, through click's CliRunner: output, files and exit codes."""

import csv
import io
import json
import os
import stat
import subprocess
import sys

import numpy as np
import pytest

import dcplanner
from tests.conftest import CONFIGS, epw_rows, write_epw


def test_run_default_prints_the_paris_plan_headline_first(cli):
    result = cli("run")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Paris 40 MW, Bruyères-le-Châtel (phase 1)"
    assert lines[3].lstrip().startswith("Facility peak") and "vs 40.00 MW grid" in lines[3]
    assert "18,000 in 250 racks" in result.output
    assert "Binding constraint   grid" in result.output


def test_run_json_carries_the_headline_fields(cli):
    result = cli("run", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["gpus"] == 18000
    assert isinstance(data["feasible"], bool)
    assert data["binding_constraint"] in data["constraints"]
    for key in ("facility_peak_mw", "it_design_mw", "pue_design"):
        assert data[key] > 0
    assert data["compute"]["peak_pflops"]["fp8"] == pytest.approx(90000)


def test_set_count_shows_the_larger_plan(cli):
    small = json.loads(cli("run", "--format", "json").output)
    result = cli("run", "--set", "deployments.0.count=300", "--format", "json")
    large = json.loads(result.output)
    assert large["gpus"] == 21600 and large["facility_peak_mw"] > small["facility_peak_mw"]
    assert "21,600 in 300 racks" in cli("run", "--set", "deployments.0.count=300").output


def test_csv_has_one_header_and_one_row_per_phase(cli):
    result = cli("run", str(CONFIGS / "paris-100mw.yaml"), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [r["phase"] for r in rows] == ["Phase 1: 40 MW", "Phase 2: 100 MW"]
    # phase 2 fills the extension with as many GB300 racks as fit: whatever that count, the
    # row's GPUs are the two deployments' GPUs
    assert int(rows[1]["deployments.1.count"]) > 250
    assert rows[1]["gpus"] == str(250 * 72 + int(rows[1]["deployments.1.count"]) * 72)
    assert rows[1]["deployments.1.system"] == "gb300-nvl72"
    assert rows[0]["deployments.1.system"] == ""  # phase 1 has one deployment


def test_output_file_written_atomically(cli, tmp_path):
    target = tmp_path / "plan.json"
    result = cli("run", "--format", "json", "--output", str(target))
    assert result.exit_code == 0
    assert json.loads(target.read_text(encoding="utf-8"))["gpus"] == 18000
    assert [p.name for p in tmp_path.iterdir()] == ["plan.json"]  # no temporary file left


def test_broken_config_one_line_per_problem_exit_1(cli, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "name: x\nsite: {grid_mw: 40, design_ambient_c: 25, design_dew_point_c: 30}\n"
        "electrical: {ups: {topology: N+2, module_mw: 3, modules: 2}}\n"
        "deployments: [{system: gb200-nvl72, count: -10}]\n",
        encoding="utf-8",
    )
    result = cli("run", str(bad))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = result.output.splitlines()
    assert lines == [
        f"error: {bad}: site: design_dew_point_c (30) must not exceed design_ambient_c (25)",
        f"error: {bad}: electrical.ups.topology: Input should be 'N', 'N+1', 'catcher', "
        "'4N/3', '3N/2' or '2N'",
        f"error: {bad}: deployments.0.count: Input should be greater than or equal to 0",
    ]


def test_validate(cli, tmp_path):
    result = cli("validate", str(CONFIGS / "paris-100mw.yaml"))
    assert result.exit_code == 0
    run = json.loads(cli("run", str(CONFIGS / "paris-100mw.yaml"), "--format", "json").output)
    gpus = run["phases"][-1]["record"]["gpus"]
    assert result.output.endswith(f"2 phases; after the last: 2 deployment(s), {gpus:,} GPUs\n")
    result = cli("validate", str(tmp_path / "missing.yaml"))
    assert result.exit_code == 1
    assert result.output == f"error: {tmp_path / 'missing.yaml'}: file not found\n"


def test_catalog_list_and_show(cli):
    result = cli("catalog", "list", "systems")
    assert result.exit_code == 0
    assert "gb300-nvl72" in result.output and "accelerators" not in result.output
    lines = result.output.splitlines()
    assert lines[1].split() == ["name", "accelerator", "gpus_per_system", "rated_w",
                                "liquid_heat_frac", "description"]
    assert next(line for line in lines if "gb200-nvl72" in line).split()[:5] == [
        "gb200-nvl72", "gb200", "72", "132000", "0.85"]
    chips = cli("catalog", "list", "accelerators").output.splitlines()
    assert next(line for line in chips if line.split()[0] == "gb200").split()[:4] == [
        "gb200", "1200", "2500", "186"]
    shown = cli("catalog", "show", "dgx-h100")
    assert shown.exit_code == 0
    assert "rated_w" in shown.output and "10.2 kW max" in shown.output
    overridden = cli("catalog", "show", "gb200", "--set", "catalog.accelerators.gb200.tdp_w=1000",
                     "--format", "json")
    data = json.loads(overridden.output)
    assert data["tdp_w"] == 1000 and data["sources"]["tdp_w"] == "scenario override"
    unknown = cli("catalog", "show", "gb400")
    assert unknown.exit_code == 1 and "available: a100-sxm" in unknown.output


def test_usage_error_is_exit_2(cli):
    assert cli("run", "--format", "xml").exit_code == 2
    assert cli("catalog", "list", "racks").exit_code == 2


def test_schema_is_json_schema_of_the_scenario(cli):
    result = cli("schema")
    schema = json.loads(result.output)
    assert schema["title"] == "Scenario"
    assert schema["additionalProperties"] is False
    assert {"site", "electrical", "deployments"} <= set(schema["required"])


def test_python_dash_m_runs():
    result = subprocess.run([sys.executable, "-m", "dcplanner", "run", "--format", "json"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["gpus"] == 18000


def test_unwritable_output_is_a_clean_error(cli, tmp_path):
    target = tmp_path / "no-such-folder" / "plan.json"
    result = cli("run", "--format", "json", "--output", str(target))
    assert result.exit_code == 1
    assert result.output == f"error: --output {target}: cannot write: No such file or directory\n"


def test_run_shows_the_annual_simulation_after_the_design_point(cli):
    result = cli("run")
    assert result.exit_code == 0
    text = result.output
    assert text.index("Design point at 42.0 °C") < text.index("Annual simulation: 8,760 h of "
                                                              "built-in Paris-area year")
    assert "Annual PUE" in text and "Cooling hours, liquid loop" in text
    assert "\n  Jul " in text  # monthly table


def test_hourly_output_has_8760_rows_with_dry_and_wet_bulb(cli, tmp_path):
    target = tmp_path / "hours.csv"
    result = cli("run", "--hourly-output", str(target), "--format", "json")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert len(rows) == 8760
    assert {"month", "day", "hour", "dry_bulb_c", "wet_bulb_c", "facility_mw"} <= set(rows[0])
    record = json.loads(result.stdout)
    facility_mwh = sum(float(r["facility_mw"]) for r in rows)
    assert facility_mwh == pytest.approx(record["annual"]["facility_mwh"], rel=1e-5)
    assert all(float(r["wet_bulb_c"]) <= float(r["dry_bulb_c"]) for r in rows)


def test_heatwave_option_reports_the_stressed_peak(cli):
    result = cli("run", "--heatwave-peak-c", "45", "--format", "json")
    assert result.exit_code == 0, result.output
    annual = json.loads(result.output)["annual"]
    assert annual["dry_bulb_max_c"] == pytest.approx(45.0)
    assert annual["weather_notes"] == ["heatwave of 5 days peaking at 45 °C on 25/07"]
    assert annual["dry_bulb_at_peak_c"] == pytest.approx(45.0)
    plain = json.loads(cli("run", "--format", "json").output)["annual"]
    assert annual["facility_peak_mw"] > plain["facility_peak_mw"]


def test_weather_option_runs_an_epw_file(cli, tmp_path):
    path = write_epw(tmp_path, epw_rows(dry=lambda i: 5.0, dew=lambda i: 0.0))
    result = cli("run", "--weather", str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    annual = json.loads(result.output)["annual"]
    assert annual["weather"] == "w.epw (Test Site,,FRA)"
    assert annual["cooling_hours"]["liquid"]["free"] == 8760


def test_weather_option_with_a_missing_file(cli, tmp_path):
    result = cli("run", "--weather", str(tmp_path / "none.epw"))
    assert result.exit_code == 1
    # the option that set the field, the field, then the file the problem is in
    path = tmp_path / "none.epw"
    assert result.output == (f"error: --weather {path}: weather.file: {path}: weather file not "
                             "found\n")


def test_hourly_output_needs_the_annual_simulation(cli, tmp_path):
    result = cli("run", "--no-annual", "--hourly-output", str(tmp_path / "h.csv"))
    assert result.exit_code == 2
    assert "--hourly-output needs the annual simulation" in result.output


def test_no_annual_prints_only_the_design_point(cli):
    result = cli("run", "--no-annual", "--format", "json")
    assert result.exit_code == 0 and "annual" not in json.loads(result.output)


def test_unwritable_hourly_output_is_a_clean_error(cli, tmp_path):
    result = cli("run", "--hourly-output", str(tmp_path / "missing" / "h.csv"))
    assert result.exit_code == 1
    assert result.output.startswith(f"error: --hourly-output {tmp_path / 'missing' / 'h.csv'}: "
                                    "cannot write:")


def test_weather_command_compares_the_built_in_year_with_the_normals(cli):
    result = cli("weather")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == ("Weather: built-in Paris-area year (Brétigny-sur-Orge 1991-2020 "
                        "normals)")
    jul = next(line for line in lines if line.lstrip().startswith("Jul"))
    tx, tx_normal = (float(v) for v in jul.split()[1:3])
    assert tx_normal == 26.0 and abs(tx - tx_normal) <= 0.5


def test_weather_command_json_with_stress(cli):
    result = cli("weather", "--heatwave", "--shift-k", "1", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["notes"][1:] == ["shifted +1 K; heatwave of 5 days peaking at 42 °C on 25/07"]
    assert max(data["monthly"]["tx_c"]) > data["normals"]["tx_c"][6]
    assert sum(data["monthly"]["days_tx_ge_35"]) >= 1


def test_weather_command_on_an_epw_file_has_no_normals(cli, tmp_path):
    path = write_epw(tmp_path, epw_rows(dry=lambda i: 31.0 if i % 24 == 14 else 20.0))
    result = cli("weather", "--weather", str(path), "--format", "json")
    data = json.loads(result.output)
    assert "normals" not in data
    assert data["monthly"]["days_tx_ge_30"] == [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]


def test_fit_prints_the_count_and_what_breaks(cli):
    result = cli("fit", "--system", "gb200-nvl72")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == ("Fit: gb200-nvl72 into 'Paris 40 MW, Bruyères-le-Châtel (phase 1)', "
                        "replacing its deployments")
    # the count is the model's (pinned by the golden fixture fit-gb200.json); the text says it
    n = json.loads(cli("fit", "--system", "gb200-nvl72", "--format", "json").output)["count"]
    assert lines[1].split() == ["Largest", "count", str(n), "systems", "=", f"{72 * n:,}",
                                "GPUs", "in", str(n), "racks"]
    assert f"One more ({n + 1}) breaks  grid (facility peak vs grid connection): " \
        in result.output
    assert "\nConstraints\n" in result.output


def test_fit_json_with_grid_option(cli):
    result = cli("fit", "--system", "gb300-nvl72", "--grid-mw", "100", "--format", "json",
                 "--set", "electrical.ups.modules=40", "--set",
                 "electrical.transformer.rated_mva=120")
    data = json.loads(result.output)
    assert data["count"] > 0 and data["record"]["grid_mw"] == 100
    assert data["record"]["feasible"] and data["stopped_by"][0]["constraint"] == "grid"


def test_fit_inverse_gives_the_needs(cli):
    result = cli("fit", "--system", "gb200-nvl72", "--gpus", "18000")
    assert result.exit_code == 0
    needs = json.loads(cli("fit", "--system", "gb200-nvl72", "--gpus", "18000", "--format",
                           "json").output)
    assert f"Grid connection  {needs['grid_mw']:.2f} MW (facility peak)" in result.output
    assert (f"UPS              {needs['ups_output_mw']:.2f} MW output: {needs['ups_modules']} x "
            "3 MW catcher (42.00 MW installed)") in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--system", "gb900"], "error: --system: unknown system 'gb900'; available: "),
        (["--system", "gb200-nvl72", "--set", "site.max_rack_power_kw=100"],
         "error: not one gb200-nvl72 fits: rack_power 128.75 kW vs limit 100.00 kW\n"),
        (["--system", "gb300-nvl72", "--fabric", "nosuch"],
         "error: --fabric: unknown fabric 'nosuch'; available: "),
        (["--system", "gb200-nvl72", "--set", "deployments.0.count=0"],
         "error: --set deployments.0.count=0: deployments: every deployment is empty"),
        (["--system", "gb200-nvl72", "--set", "deployments.4.count=1"],
         "error: --set deployments.4.count=1: deployments.4: no list item '4'; indices 0 to 0"),
    ],
)
def test_fit_errors(cli, args, message):
    result = cli("fit", *args)
    assert result.exit_code == 1
    assert result.output.startswith(message)


def test_run_on_a_phased_plan_prints_the_timeline(cli):
    result = cli("run", str(CONFIGS / "paris-100mw.yaml"))
    assert result.exit_code == 0, result.output
    text = result.output
    assert text.startswith("Paris 40 -> 100 MW, Bruyères-le-Châtel: 2 phases\n")
    data = json.loads(cli("run", str(CONFIGS / "paris-100mw.yaml"), "--format", "json").output)
    filled = data["phases"][1]["changes"]["add"][0]["count"]
    assert f"Phase 2: 100 MW  grid to 100 MW; +20 UPS modules; +75 MVA; added {filled} " \
           "gb300-nvl72 (fill)" in text
    assert "Last phase in full: Phase 2: 100 MW" in text
    assert [p["record"]["gpus"] for p in data["phases"]] == [18000, 18000 + 72 * filled]


def test_bad_phase_in_a_file_names_file_and_path(cli, tmp_path):
    path = tmp_path / "plan.yaml"
    text = (CONFIGS / "paris-100mw.yaml").read_text(encoding="utf-8")
    path.write_text(text.replace("system: gb300-nvl72", "system: gb301"), encoding="utf-8")
    result = cli("run", str(path))
    assert result.exit_code == 1
    assert result.output.startswith(f"error: {path}: phases.1.add.0.system: unknown system "
                                    "'gb301'; available:")


def test_optimize_prints_a_verified_mix(cli):
    result = cli("optimize", "--candidates", "gb200-nvl72,dgx-h100", "--objective", "gpus",
                 "--max-racks", "300")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Optimize 'Paris 40 MW, Bruyères-le-Châtel (phase 1)': maximize GPUs"
    assert "feasible through the full engine; no single system can be added" in result.output
    data = json.loads(cli("optimize", "--candidates", "gb200-nvl72,dgx-h100", "--objective",
                          "gpus", "--max-racks", "300", "--format", "json").output)
    counts = data["best"]["counts"]
    assert data["record"]["gpus"] == counts["gb200-nvl72"] * 72 + counts["dgx-h100"] * 8
    assert data["record"]["racks"] <= 300 and data["record"]["feasible"]


@pytest.mark.parametrize(
    ("args", "message", "code"),
    [
        (["--candidates", "gb200-nvl72,gb900"], "error: --candidates: unknown system 'gb900'",
         1),
        (["--candidates", "gb200-nvl72", "--set", "site.max_rack_power_kw=10"],
         "error: no candidate fits: gb200-nvl72: not one fits: rack_power 128.75 kW", 1),
        (["--candidates", "a,a"], "give distinct system names", 2),
        (["--candidates", "dgx-h100", "--objective", "fp4"],
         "error: no candidate fits: dgx-h100: adds nothing to the objective fp4", 1),
        (["--capex-budget-eur", "nan"], "Invalid value for '--capex-budget-eur': must be a "
         "finite number", 2),
        (["--objective", "fp16"], "Invalid value for '--objective'", 2),
    ],
)
def test_optimize_errors(cli, args, message, code):
    result = cli("optimize", *args)
    assert result.exit_code == code
    assert message in result.output


def test_train_on_the_paris_site(cli):
    result = cli("train", "--params", "405e9", "--tokens", "15.6e12")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:2] == ["Training run on 'Paris 40 MW, Bruyères-le-Châtel (phase 1)': 405B "
                         "parameters, 15.6T tokens, BF16 at",
                         "  MFU 40.0 % (workload.mfu_frac)"]  # wrapped at 100 columns
    assert any(line.lstrip().startswith("Time") and "days wall" in line and "effective" in line
               for line in lines)
    assert any(line.lstrip().startswith("Interruptions") and "expected" in line
               for line in lines)
    assert any(line.lstrip().startswith("Checkpoints") and "Young/Daly" in line
               for line in lines)
    data = json.loads(cli("train", "--params", "405e9", "--tokens", "15.6e12", "--format",
                          "json").output)
    effective = 6 * 405e9 * 15.6e12 / (18_000 * 2.5e15 * 0.4) / 86_400
    assert data["effective_days"] == pytest.approx(effective)
    assert data["days"] == pytest.approx(effective / data["goodput"]["effective_frac"])
    assert data["facility_mwh"] > 0 and data["cost_eur"] > 0 and data["operational_tco2e"] > 0


def test_train_on_part_of_the_site_from_a_date(cli):
    result = cli("train", "--params", "405e9", "--tokens", "15.6e12", "--gpus", "9000",
                 "--start", "2026-07-01", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["gpus"] == 9000 and data["site_gpus"] == 18000 and data["start"] == "07-01"
    whole = json.loads(cli("train", "--params", "405e9", "--tokens", "15.6e12", "--format",
                           "json").output)
    assert data["effective_days"] == pytest.approx(2 * whole["effective_days"])
    # Half the GPUs busy: the plant runs at part load, in the summer: a higher PUE.
    assert data["pue"] > whole["pue"]
    assert data["weather_hours"].endswith("hours from 07-01")


@pytest.mark.parametrize(("args", "message"), [
    (["--gpus", "20000"], "error: --gpus: 20,000 GPUs; the site has 18,000"),
    (["--start", "2026-02-30"], "Invalid value for '--start': '2026-02-30' is not a date"),
    (["--start", "02-29"], "error: --start: 02-29 is not a day of the weather year"),
    (["--set", "workload.training.checkpoint_interval_s=0.1"],
     "checkpoint_interval_s: checkpoint_interval_s = 0.1 is shorter than checkpoint_write_s"),
    (["--set", "workload.training.restart_s=-1"], "restart_s: Input should be greater than or "
     "equal to 0"),
    (["--set", "workload.training.interruption_rate_per_gpu_hour=0.001"],
     "error: --set workload.training.interruption_rate_per_gpu_hour=0.001: "
     "workload.training.interruption_rate_per_gpu_hour: one interruption every 0.0556 h on "
     "18,000 GPUs"),
])
def test_train_goodput_and_calendar_errors_name_the_option(cli, args, message):
    result = cli("train", "--params", "405e9", "--tokens", "15.6e12", *args)
    assert result.exit_code in (1, 2)
    assert message in result.output


def test_train_accounting_mode_reproduces_llama_65b(cli):
    result = cli("train", "--gpu-hours", "1022362", "--power-w", "400", "--pue", "1.1",
                 "--grid-g-per-kwh", "385")
    assert result.exit_code == 0
    assert result.output == ("Energy  449.84 MWh = 1,022,362 GPU-hours x 400 W x PUE 1.1\n"
                             "Carbon  173.19 tCO2e at 385 g/kWh\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--params", "0", "--tokens", "1e12"], "Invalid value for '--params'"),
        (["--params", "1e9", "--tokens", "-5"], "Invalid value for '--tokens'"),
        (["--params", "1e9", "--tokens", "1e12", "--mfu", "1.5"], "Invalid value for '--mfu'"),
        (["--params", "nan", "--tokens", "1e12"],
         "Invalid value for '--params': must be a finite number"),
        (["--params", "1e9", "--tokens", "inf"],
         "Invalid value for '--tokens': inf is not in the range 1<=x<=1e+16"),
        (["--params", "1e308", "--tokens", "1e12"],
         "Invalid value for '--params': 1e+308 is not in the range 1<=x<=1e+16"),
        (["--params", "1e9"], "give --params and --tokens"),
        (["--gpu-hours", "10", "--power-w", "400"], "--gpu-hours needs --pue, --grid-g-per-kwh"),
        (["--gpu-hours", "10", "--power-w", "400", "--pue", "1.1", "--grid-g-per-kwh", "50",
          "--params", "1e9"], "--gpu-hours accounts a run by itself"),
    ],
)
def test_train_usage_errors(cli, args, message):
    result = cli("train", *args)
    assert result.exit_code == 2
    assert message in result.output


def test_run_shows_economics_and_carbon(cli):
    result = cli("run")
    record = json.loads(cli("run", "--format", "json").output)
    e = record["economics"]
    assert (f"Cost per GPU-hour        €{e['cost_per_gpu_hour_eur']:.2f} installed, "
            f"€{e['cost_per_sold_gpu_hour_eur']:.2f} sold ({100 * e['sold_frac']:.1f} % of "
            f"hours), €{e['cost_per_delivered_gpu_hour_eur']:.2f} delivered (goodput\n"
            f"                           {100 * e['goodput_frac']:.1f} %)") in result.output
    assert f"Carbon per year          {record['carbon']['total_tco2e']:,.0f} tCO2e" \
        in result.output


def test_study_command_runs_the_example_grid(cli, tmp_path):
    out = tmp_path / "grid"
    result = cli("study", str(CONFIGS / "studies" / "paris-chip-cooling-redundancy.yaml"),
                 "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "Paris 40 MW, chip x cooling x redundancy: 18 cases in 3 chunk(s) of up to 6; about " \
        in result.output and " MiB of results" in result.output
    assert f"Study 'Paris 40 MW, chip x cooling x redundancy': 18 cases in {out}" \
        in result.output
    assert "fit.gpus" in result.output
    # a grid lists values: its cases summarised by mean, min and max, not percentiles, and
    # the per-category table named
    lines = result.output.splitlines()
    assert any(line.split() == ["output", "cases", "mean", "min", "max"] for line in lines)
    assert "P50" not in result.output
    study = CONFIGS / "studies" / "paris-chip-cooling-redundancy.yaml"
    assert f"  by category: dcplanner compare --study {study} --results {out}" in lines
    assert len((out / "cases.csv").read_text(encoding="utf-8").splitlines()) == 19
    again = cli("study", str(CONFIGS / "studies" / "paris-chip-cooling-redundancy.yaml"),
                "--out", str(out))
    assert again.exit_code == 1 and "already holds a study" in again.output


def test_study_command_bad_file(cli, tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("name: x\ngrid: {site.grid_mw: []}\n", encoding="utf-8")
    result = cli("study", str(path), "--out", str(tmp_path / "o"))
    assert result.exit_code == 1
    assert result.output == f"error: {path}: grid.site.grid_mw: give at least one value\n"


def test_report_command_writes_a_page(cli, tmp_path):
    target = tmp_path / "report.html"
    result = cli("report", "--out", str(target), "--heatwave")
    assert result.exit_code == 0, result.output
    html = target.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and html.count('<figure class="plot">') == 7
    assert "heatwave of 5 days peaking at 42 °C on 25/07" in html


def test_report_command_refuses_a_folder_that_is_not_a_study(cli, tmp_path):
    result = cli("report", str(tmp_path), "--out", str(tmp_path / "r.html"))
    assert result.exit_code == 1
    assert result.output == (f"error: {tmp_path}: a folder, but not a study's output folder (no "
                             "manifest.json)\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["fit", "--system", "gb200-nvl72", "--grid-mw", "-5"],
         "error: --grid-mw -5: site.grid_mw: Input should be greater than or equal to 0.001\n"),
        (["run", "--shift-k", "40"],
         "error: --shift-k 40: weather.shift_k: Input should be less than or equal to 15\n"),
        (["weather", "--heatwave-peak-c", "99"],
         "error: --heatwave-peak-c 99: weather.heatwave.peak_c: Input should be less than or "
         "equal to 60\n"),
    ],
)
def test_option_errors_name_the_option(cli, args, message):
    result = cli(*args)
    assert result.exit_code == 1 and result.output == message


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["configs/h100-superpod.yaml", "--params", "1e9", "--tokens", "1e12", "--precision",
          "fp4"], "error: --precision: no deployed chip supports fp4\n"),
        (["--params", "1e9", "--active-params", "2e9", "--tokens", "1e12"],
         "error: --active-params: 2e+09 active parameters exceed the 1e+09 parameters\n"),
    ],
)
def test_train_domain_errors_name_the_option(cli, args, message):
    result = cli("train", *args)
    assert result.exit_code == 1
    assert result.output == message


def test_study_resume_of_an_empty_folder_names_the_option(cli, tmp_path):
    result = cli("study", "configs/studies/paris-monte-carlo.yaml", "--out", str(tmp_path),
                 "--resume")
    assert result.exit_code == 1
    assert result.output.endswith(f"error: --resume: {tmp_path} holds no study to resume\n")


def test_an_unwritable_output_is_refused_before_anything_is_written(cli, tmp_path):
    hourly = tmp_path / "h.csv"
    result = cli("run", "--hourly-output", str(hourly), "-o", str(tmp_path / "no" / "x.json"))
    assert result.exit_code == 1
    assert result.output == (f"error: --output {tmp_path / 'no' / 'x.json'}: cannot write: "
                             "No such file or directory\n")
    assert not hourly.exists()


def test_report_of_a_study_refuses_scenario_options(cli, tmp_path):
    (tmp_path / "manifest.json").write_text("{}", encoding="utf-8")
    result = cli("report", str(tmp_path), "--out", str(tmp_path / "r.html"), "--heatwave",
                 "--set", "site.grid_mw=50")
    assert result.exit_code == 1
    assert result.output == ("error: --set site.grid_mw=50, --heatwave: a study's report shows "
                             "its cases as they ran; these options apply to a scenario\n")


def test_run_says_which_chiller_model_prices_the_trim_chillers(cli):
    assert "\n  chillers: 0.405 of the Carnot COP, at most 5.26\n" in cli("run").output
    eir = cli("run", "--set", "cooling.chiller.model=eir")
    assert "\n  chillers: EIR curves ashrae_90_1_air_cooled, rated COP 2.96\n" in eir.output
    data = json.loads(cli("run", "--set", "cooling.chiller.model=eir", "--format", "json").output)
    assert data["chiller"] == {"model": "eir", "curves": "ashrae_90_1_air_cooled",
                               "carnot_frac": 0.405, "max_cop": 5.26, "rated_cop": 2.96}


# -- hourly outputs: timestamps, carbon and cost, every phase, Parquet (#15 item 2) ---------

def test_hourly_rows_have_iso_times_carbon_and_cost(cli, tmp_path):
    target = tmp_path / "hours.csv"
    result = cli("run", "--hourly-output", str(target), "--format", "json")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    header = list(rows[0])
    assert header[:4] == ["time", "month", "day", "hour"]
    assert header[-3:] == ["grid_g_per_kwh", "operational_tco2e", "electricity_eur"]
    # Row k ends at hour k of local standard time (UTC+1 for the built-in year): it starts at
    # hour k - 1, labelled in 2025.
    assert [rows[k]["time"] for k in (0, 1, 8759)] == [
        "2025-01-01T00:00+01:00", "2025-01-01T01:00+01:00", "2025-12-31T23:00+01:00"]
    assert rows[4967]["time"] == "2025-07-26T23:00+01:00"  # 26 Jul hour 24
    assert (rows[4967]["month"], rows[4967]["day"], rows[4967]["hour"]) == ("7", "26", "24")
    record = json.loads(result.stdout)
    # Hand check of one hour: facility MW x 1 h x 21.7 g/kWh = tCO2e; x €/MWh drawn = EUR.
    r = rows[0]
    assert float(r["grid_g_per_kwh"]) == pytest.approx(21.7)
    assert float(r["operational_tco2e"]) == pytest.approx(
        float(r["facility_mw"]) * 1e3 * 21.7 / 1e6, rel=1e-5)
    e = record["economics"]
    assert float(r["electricity_eur"]) == pytest.approx(
        float(r["facility_mw"]) * e["energy_price_eur_per_mwh"], rel=1e-5)
    # The year's operational carbon is the sum of its hours; the hours' cost is the
    # electricity bill without the fixed per-kW grid tariff.
    assert sum(float(r["operational_tco2e"]) for r in rows) == pytest.approx(
        record["carbon"]["operational_tco2e"], rel=1e-5)
    assert sum(float(r["electricity_eur"]) for r in rows) == pytest.approx(
        record["annual"]["facility_mwh"] * e["energy_price_eur_per_mwh"], rel=1e-5)


def test_hourly_output_of_a_phased_plan_has_every_phase(cli, tmp_path):
    target = tmp_path / "plan.csv"
    result = cli("run", str(CONFIGS / "paris-100mw.yaml"), "--hourly-output", str(target),
                 "--format", "json")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert len(rows) == 2 * 8760
    assert list(rows[0])[:2] == ["time", "phase"]
    phases = json.loads(result.stdout)["phases"]
    for k, phase in enumerate(phases):
        hours = rows[k * 8760:(k + 1) * 8760]
        assert {r["phase"] for r in hours} == {phase["phase"]}
        assert hours[0]["time"] == "2025-01-01T00:00+01:00"
        assert sum(float(r["facility_mw"]) for r in hours) == pytest.approx(
            phase["record"]["annual"]["facility_mwh"], rel=1e-5)


def test_hourly_parquet_has_typed_columns_and_metadata(cli, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    pd = pytest.importorskip("pandas")
    target = tmp_path / "plan.parquet"
    result = cli("run", str(CONFIGS / "paris-100mw.yaml"), "--hourly-output", str(target),
                 "--format", "json")
    assert result.exit_code == 0, result.output
    assert f"wrote {target}" in result.output
    meta = pq.read_schema(target).metadata
    assert meta[b"dcplanner.version"].decode() == dcplanner.__version__
    assert len(meta[b"dcplanner.scenario_hash"]) == 64
    units = json.loads(meta[b"dcplanner.units"])
    assert (units["facility_mw"], units["operational_tco2e"], units["electricity_eur"],
            units["grid_g_per_kwh"]) == ("MW", "tCO2e", "EUR", "gCO2e/kWh")
    frame = pd.read_parquet(target)
    assert frame.shape[0] == 2 * 8760 and str(frame.index.tz) == "Europe/Paris"
    assert frame["facility_mw"].dtype == "float64"
    csv_path = tmp_path / "plan.csv"
    cli("run", str(CONFIGS / "paris-100mw.yaml"), "--hourly-output", str(csv_path))
    rows = list(csv.DictReader(io.StringIO(csv_path.read_text(encoding="utf-8"))))
    # The same instants and values as the CSV (to its 6 significant digits).
    assert pd.Timestamp(rows[8760]["time"]) == frame.index[8760]
    assert frame["phase"].iloc[8760] == rows[8760]["phase"]
    np.testing.assert_allclose(frame["electricity_eur"].to_numpy(),
                               [float(r["electricity_eur"]) for r in rows], rtol=1e-5)


def test_every_output_file_has_the_same_permissions(cli, tmp_path):
    pytest.importorskip("pyarrow")
    pytest.importorskip("pandas")
    old = os.umask(0o022)
    try:
        cli("run", "--format", "json", "-o", str(tmp_path / "r.json"), "--hourly-output",
            str(tmp_path / "h.csv"))
        cli("run", "--hourly-output", str(tmp_path / "h.parquet"), "-o", str(tmp_path / "r.txt"))
        cli("compare", "--variant", "site.grid_mw=60", "--no-annual", "-o",
            str(tmp_path / "c.txt"))
    finally:
        os.umask(old)
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in tmp_path.iterdir()}
    assert modes == dict.fromkeys(("r.json", "h.csv", "h.parquet", "r.txt", "c.txt"), 0o644)


def test_gpus_rounded_up_is_said_on_stderr(cli):
    result = cli("validate", "--set", "deployments.0.count=null", "--set",
                 "deployments.0.gpus=18001")
    assert result.exit_code == 0, result.output
    assert result.output == (
        "note: --set deployments.0.gpus=18001: deployments.0.gpus: 18,001 GPUs rounded up to 251 "
        "gb200-nvl72 systems (18,072 GPUs, 72 each)\n"
        "built-in paris-40mw.yaml: valid: 'Paris 40 MW, Bruyères-le-Châtel (phase 1)', 1 "
        "deployment(s),\n  18,072 GPUs\n")


def test_fit_gpus_rounds_up_to_whole_systems_and_says_so(cli):
    result = cli("fit", "--system", "gb200-nvl72", "--gpus", "100")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == ("note: --gpus 100: deployments.0.gpus: 100 GPUs rounded up to 2 "
                        "gb200-nvl72 systems (144 GPUs, 72 each)")
    assert lines[1].startswith("Needs of 'Paris 40 MW, Bruyères-le-Châtel (phase 1)': 144 GPUs "
                               "(2 gb200-nvl72)")
