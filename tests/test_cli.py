"""The command line, through click's CliRunner: output, files and exit codes."""

import csv
import io
import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from dcplanner.cli import main
from tests.conftest import CONFIGS


@pytest.fixture
def cli():
    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(main, list(args))

    return invoke


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


def test_csv_has_one_header_and_one_row(cli):
    result = cli("run", str(CONFIGS / "paris-100mw.yaml"), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert len(rows) == 1
    assert rows[0]["gpus"] == str(250 * 72 + 305 * 72)
    assert rows[0]["deployments.1.system"] == "gb300-nvl72"


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
    assert result.output.endswith("2 deployment(s), 39,960 GPUs\n")
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
