"""`dcplanner compare` (dcplanner.solvers.compare, dcplanner.output.compare,
dcplanner.cli.compare): the inputs that differ, the key outputs side by side."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from dcplanner.cli import main
from dcplanner.config import load_scenario
from dcplanner.engine.outputs import BY_PATH
from dcplanner.output.compare import WIDTH, cell, letter, signed
from dcplanner.solvers.compare import ABSENT, KEY_OUTPUTS, flat_fields, input_differences
from tests.conftest import ROOT

TOWER = "configs/paris-40mw-cooling-tower.yaml"

GRID_60 = """\
Compare 2 scenarios
  A  <built-in paris-40mw.yaml>: Paris 40 MW, Bruyères-le-Châtel (phase 1)
  B  --variant site.grid_mw=60: Paris 40 MW, Bruyères-le-Châtel (phase 1)

Inputs that differ (1)
  field         A     B
  site.grid_mw  40.0  60.0

Outputs
  output                unit       A            B   B - A
  Fits at design point            no          yes
  Binding constraint            grid  transformer
  GPUs                  GPUs  18,000       18,000       0
  Facility peak           MW   43.23        43.29   +0.06
  Grid headroom           MW   -3.23        16.71  +19.94
  PUE at design point      -   1.201        1.203  +0.002
"""

PLANTS = """\
Compare 2 scenarios
  A  configs/paris-40mw.yaml: Paris 40 MW, Bruyères-le-Châtel (phase 1)
  B  configs/paris-40mw-cooling-tower.yaml: Paris 40 MW, cooling towers (comparison)

Inputs that differ (28)
  field                                         A                       B
  electrical.ups.efficiency_preset              double_conversion       none
  cooling.plant                                 dry_cooler              cooling_tower
  cooling.dry_cooler.approach_k                 10.0                    -
  cooling.dry_cooler.coil_air_delta_k           10.0                    -
  cooling.dry_cooler.fan_pressure_pa            150.0                   -
  cooling.dry_cooler.fan_efficiency             0.5                     -
  cooling.dry_cooler.min_fan_speed_frac         0.3                     -
  cooling.dry_cooler.unit_mw                    1.0                     -
  cooling.dry_cooler.redundant_units            1                       -
  cooling.adiabatic.enabled                     yes                     -
  cooling.adiabatic.effectiveness               0.8                     -
  cooling.adiabatic.switch_on_c                 21.0                    -
  cooling.adiabatic.frost_lockout_c             4.0                     -
  cooling.adiabatic.cycles_of_concentration     5.0                     -
  cooling.chiller.carnot_efficiency_frac        0.405                   0.63
  cooling.chiller.max_cop                       5.26                    11.8
  cooling.chiller.rated_cop                     2.96                    6.28
  cooling.chiller.curves                        ashrae_90_1_air_cooled  doe2_centrifugal
  cooling.cooling_tower.approach_k              -                       3.9
  cooling.cooling_tower.range_k                 -                       5.6
  cooling.cooling_tower.min_water_c             -                       4.0
  cooling.cooling_tower.fan_w_per_w             -                       0.0105
  cooling.cooling_tower.evaporated_frac         -                       1.0
  cooling.cooling_tower.cycles_of_concentrati…  -                       3.0
  cooling.cooling_tower.drift_frac              -                       8e-05
  cooling.cooling_tower.economizer_approach_k   -                       2.0
  cooling.cooling_tower.pump_head_kpa           -                       210.0
  cooling.cooling_tower.pump_efficiency         -                       0.7

Outputs
  output                            unit         A         B      B - A
  Fits at design point                          no        no
  Binding constraint                          grid      grid
  GPUs                              GPUs    18,000    18,000          0
  Facility peak                       MW     43.23     41.05      -2.19
  Grid headroom                       MW     -3.23     -1.05      +2.19
  PUE at design point                  -     1.201     1.140     -0.061
  Annual PUE                           -     1.128     1.120     -0.008
  Water (year)                        m3    18,295   628,575   +610,280
  Within limits every hour (year)              yes       yes
  Cost per installed GPU-hour        EUR     2.291     2.290     -0.001
  TCO per year                       EUR  361.30 M  361.12 M  -177.97 k
  Carbon per year                  tCO2e     6,339     6,295        -45
"""


@pytest.fixture
def cli(monkeypatch):
    monkeypatch.chdir(ROOT)
    runner = CliRunner()
    return lambda *args: runner.invoke(main, [str(a) for a in args])


def test_a_variant_of_the_builtin_scenario(cli):
    result = cli("compare", "--variant", "site.grid_mw=60", "--no-annual")
    assert (result.exit_code, result.output) == (0, GRID_60)


def test_two_plants_side_by_side(cli):
    result = cli("compare", "configs/paris-40mw.yaml", TOWER)
    assert (result.exit_code, result.output) == (0, PLANTS)


def test_json_differences_are_b_minus_a_and_values_are_the_run_records(cli):
    data = json.loads(cli("compare", "configs/paris-40mw.yaml", TOWER, "--format",
                          "json").output)
    runs = [json.loads(cli("run", path, "--format", "json").output)
            for path in ("configs/paris-40mw.yaml", TOWER)]
    assert [s["source"] for s in data["scenarios"]] == ["configs/paris-40mw.yaml", TOWER]
    assert [o["path"] for o in data["outputs"]] == list(KEY_OUTPUTS)
    for o in data["outputs"]:
        a, b = (run[o["path"].split(".")[0]] if "." not in o["path"] else
                run[o["path"].split(".")[0]][o["path"].split(".")[1]] for run in runs)
        assert o["values"] == [a, b], o["path"]
        assert o["unit"] == BY_PATH[o["path"]].unit
        if isinstance(a, bool) or not isinstance(a, int | float):
            assert o["differences"] == [None]
        else:
            assert o["differences"] == [pytest.approx(b - a, rel=1e-12, abs=1e-12)]
    inputs = {i["path"]: i["values"] for i in data["inputs"]}
    assert inputs["cooling.plant"] == ["dry_cooler", "cooling_tower"]
    assert inputs["cooling.cooling_tower.approach_k"] == [None, 3.9]


def test_csv_has_a_row_per_input_and_output(cli):
    result = cli("compare", "--variant", "site.grid_mw=60", "--variant",
                 "site.grid_mw=80; workload.mfu_frac=0.5", "--no-annual", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert list(rows[0]) == ["kind", "path", "label", "unit", "A", "B", "C", "B-A", "C-A"]
    assert [(r["kind"], r["path"], r["A"], r["B"], r["C"]) for r in rows[:2]] == [
        ("input", "site.grid_mw", "40.0", "60.0", "80.0"),
        ("input", "workload.mfu_frac", "0.4", "0.4", "0.5")]
    gpus = next(r for r in rows if r["path"] == "gpus")
    assert (gpus["A"], gpus["C"], gpus["C-A"]) == ("18000", "18000", "0")


def test_set_and_grid_mw_apply_to_every_scenario(cli):
    data = json.loads(cli("compare", "configs/paris-40mw.yaml", "--variant",
                          "workload.mfu_frac=0.5", "--grid-mw", "60", "--set",
                          "deployments.0.count=200", "--no-annual", "--format", "json").output)
    assert data["inputs"] == [{"path": "workload.mfu_frac", "values": [0.4, 0.5]}]
    gpus = next(o for o in data["outputs"] if o["path"] == "gpus")
    assert gpus["values"] == [14400, 14400]


def test_a_phased_plan_is_compared_at_its_last_phase(cli):
    result = cli("compare", "configs/paris-100mw.yaml", "configs/paris-40mw.yaml",
                 "--no-annual", "--format", "json")
    data = json.loads(result.output)
    assert data["scenarios"][0]["name"] == ("Paris 40 -> 100 MW, Bruyères-le-Châtel "
                                            "(at its last phase)")
    grid = next(o for o in data["outputs"] if o["path"] == "facility_peak_mw")
    last = json.loads(cli("run", "configs/paris-100mw.yaml", "--no-annual", "--format",
                          "json").output)["phases"][-1]["record"]["facility_peak_mw"]
    assert grid["values"][0] == last


def test_same_scenarios_differ_in_no_input(cli):
    result = cli("compare", "configs/paris-40mw.yaml", "--variant",
                 "site.grid_mw=40", "--no-annual")
    assert result.exit_code == 0
    assert "Inputs that differ: none\n" in result.output
    assert "  Facility peak           MW   43.23   43.23   0.00\n" in result.output


def test_many_scenarios_fit_100_columns(cli):
    args = [f"--variant=site.grid_mw={mw}" for mw in (50, 60, 70, 80)]
    result = cli("compare", *args, "--set", "electrical.ups.efficiency_preset=eco_mode",
                 "--no-annual")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert max(len(line) for line in lines) <= WIDTH
    assert "Outputs (differences left out to fit; --format csv or json has them)" in lines
    assert lines[-4] == ("  GPUs                  GPUs  18,000       18,000       18,000     "
                         "  18,000       18,000")


def test_written_atomically_with_output(cli, tmp_path):
    path = tmp_path / "c.json"
    result = cli("compare", "--variant", "site.grid_mw=60", "--no-annual", "--format",
                 "json", "-o", path)
    assert (result.exit_code, result.output) == (0, f"wrote {path}\n")
    assert json.loads(path.read_text(encoding="utf-8"))["inputs"][0]["path"] == "site.grid_mw"


@pytest.mark.parametrize(("args", "message"), [
    (["configs/studies/paris-monte-carlo.yaml", "configs/paris-40mw.yaml"],
     "error: configs/studies/paris-monte-carlo.yaml: not a scenario: none of site, electrical,"
     " deployments; a study file: run it with dcplanner study"),
    (["pyproject.toml", "configs/paris-40mw.yaml"],
     "error: pyproject.toml: not a scenario: none of site, electrical, deployments; "
     "dcplanner init writes a template"),
    (["configs/paris-40mw.yaml"],
     "error: compare needs two scenarios or more: give CONFIG files and/or --variant "
     "PATH=VALUE"),
    ([], "error: compare needs two scenarios or more: give CONFIG files and/or --variant "
     "PATH=VALUE"),
    (["--variant", " ; "], "error: --variant ' ; ': expected PATH=VALUE[; PATH=VALUE...], "
     "e.g. --variant cooling.plant=cooling_tower"),
    (["--variant", "site.grid_mw=abc"], "error: --variant site.grid_mw=abc: site.grid_mw: "
     "Input should be a valid number, unable to parse string as a number"),
    (["--variant", "site.grid_mw"], "error: --variant site.grid_mw: expected dotted.path=value,"
     " e.g. deployments.0.count=300"),
    (["configs/paris-40mw.yaml", "configs/missing.yaml"],
     "error: configs/missing.yaml: file not found"),
])
def test_bad_input_is_one_line_naming_the_file_or_option(cli, tmp_path, args, message):
    result = cli("compare", *args, "-o", tmp_path / "out.txt")
    assert (result.exit_code, result.output) == (1, message + "\n")
    assert list(tmp_path.iterdir()) == []


def test_flat_fields_and_differences():
    assert flat_fields({"a": {"b": [1, {"c": None}], "d": []}}) == {
        "a.b.0": 1, "a.b.1.c": None, "a.d": []}
    paris = load_scenario()
    tower = load_scenario(ROOT / TOWER)
    differ = dict(input_differences([paris, tower]))
    assert differ["cooling.plant"] == ("dry_cooler", "cooling_tower")
    assert differ["cooling.adiabatic.enabled"] == (True, ABSENT)
    assert "name" not in differ and "description" not in differ
    assert input_differences([paris, paris]) == []


def test_cells():
    assert [letter(i) for i in (0, 1, 25, 26, 27, 52)] == ["A", "B", "Z", "AA", "AB", "BA"]
    peak, pue, cost = (BY_PATH[p] for p in ("facility_peak_mw", "pue_design",
                                            "economics.tco_eur_per_year"))
    assert [cell(43.2329, peak), cell(1.20115, pue), cell(361.2955e6, cost)] == [
        "43.23", "1.201", "361.30 M"]
    assert [cell(None), cell(ABSENT), cell(None, peak), cell(True), cell([])] == [
        "none", "-", "-", "yes", "[]"]
    assert [signed(2.0, peak), signed(-2.0, peak), signed(0.0001, peak),
            signed(None, peak)] == ["+2.00", "-2.00", "0.00", ""]
