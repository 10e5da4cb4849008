"""`dcplanner compare --study` (dcplanner.solvers.categories): a finished study per category,
percentiles only where the design samples."""

from __future__ import annotations

import csv
import json
import statistics

import pytest
from click.testing import CliRunner

from dcplanner.cli import main
from dcplanner.output.compare import WIDTH
from dcplanner.solvers.categories import categories, samples
from dcplanner.study.spec import parse_study, read_study
from tests.conftest import CONFIGS, ROOT

GRID = CONFIGS / "studies" / "paris-chip-cooling-redundancy.yaml"

MINI = """\
name: mini
base: {base}
annual: false
outputs: [facility_peak_mw, gpus, binding_constraint]
sample:
  method: random
  n: 8
  seed: 1
  parameters:
    site.grid_mw: {{dist: choice, values: [40, 60]}}
    workload.operating_power_frac: {{dist: uniform, low: 0.7, high: 0.9}}
"""


@pytest.fixture
def cli(monkeypatch):
    monkeypatch.chdir(ROOT)
    runner = CliRunner()
    return lambda *args: runner.invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def grid_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("grid") / "out"
    result = CliRunner().invoke(main, ["study", str(GRID), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def mini(tmp_path_factory):
    folder = tmp_path_factory.mktemp("mini")
    study = folder / "mini.yaml"
    study.write_text(MINI.format(base=CONFIGS / "paris-40mw.yaml"), encoding="utf-8")
    result = CliRunner().invoke(main, ["study", str(study), "--out", str(folder / "out")])
    assert result.exit_code == 0, result.output
    return study, folder / "out"


def test_grid_study_table_by_chip(cli, grid_out):
    result = cli("compare", "--study", GRID, "--results", grid_out)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:20] == [
        "Paris 40 MW, chip x cooling x redundancy: by category",
        "mean [min, max] of each output over the cases of each value (a grid: no percentiles)",
        "",
        "deployments.0.system",
        "  1  gb200-nvl72 (6 cases)",
        "  2  gb300-nvl72 (6 cases)",
        "  3  dgx-b200 (6 cases)",
        "  output (mean)                     unit        1        2       3",
        "  facility_peak_mw                    MW    43.37    44.45   6.473",
        "  pue_design                           -    1.205    1.187   1.659",
        "  annual.pue                           -    1.138    1.125   1.581",
        "  annual.facility_mwh                MWh  294,626  304,039  44,147",
        "  annual.cooling_hours.liquid.free     h    8,736    8,736   8,736",
        "  annual.water_m3                     m3   18,078   15,950   6,107",
        "  economics.cost_per_gpu_hour_eur    EUR    2.293    2.458   2.338",
        "  fit.count                                 229.8    224.5   1,802",
        "  fit.gpus                                 16,548   16,164  14,420",
        "",
        "cooling.liquid",
        '  1  {"return_c":42,"supply_c":32} (6 cases)',
    ]
    assert lines[-10] == ("  output (mean [min, max])          unit                          1"
                          "                          2")
    assert lines[-9] == ("  facility_peak_mw                    MW       31.17 [6.119, 46."
                         "24]        31.7 [6.827, 46.66]")
    assert max(len(line) for line in lines) <= WIDTH


def test_grid_means_are_the_cases_means_and_no_percentiles(cli, grid_out):
    data = json.loads(cli("compare", "--study", GRID, "--results", grid_out, "--format",
                          "json").output)
    assert data["samples"] is False
    with (grid_out / "cases.csv").open(encoding="utf-8") as f:
        cases = list(csv.DictReader(f))
    for row in data["categories"]:
        values = [float(c[row["output"]]) for c in cases if c[row["category"]] == row["value"]]
        assert row["cases"] == len(values) == (9 if row["category"] == "electrical.ups" else 6)
        assert row["mean"] == pytest.approx(statistics.fmean(values), rel=1e-12)
        assert (row["min"], row["max"]) == (min(values), max(values))
        assert "p50" not in row
    assert {r["category"] for r in data["categories"]} == {
        "deployments.0.system", "cooling.liquid", "electrical.ups"}
    assert "binding_constraint" not in {r["output"] for r in data["categories"]}


def test_a_sampled_design_gets_percentiles_per_choice(cli, mini):
    study, out = mini
    result = cli("compare", "--study", study, "--results", out)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[1] == "P50 [P10, P90] of each output over the cases of each value"
    assert lines[3:6] == ["site.grid_mw", "  1  40 (4 cases)", "  2  60 (4 cases)"]
    data = json.loads(cli("compare", "--study", study, "--results", out, "--format",
                          "json").output)
    assert data["samples"] is True
    gpus = [r for r in data["categories"] if r["output"] == "gpus"]
    assert [(r["value"], r["p10"], r["p50"], r["p90"]) for r in gpus] == [
        ("40", 18000.0, 18000.0, 18000.0), ("60", 18000.0, 18000.0, 18000.0)]
    rows = list(csv.DictReader(cli("compare", "--study", study, "--results", out, "--format",
                                   "csv").output.splitlines()))
    assert list(rows[0])[:4] == ["category", "value", "output", "cases"]


def test_categories_and_samples_of_a_spec():
    spec, _ = read_study(GRID)
    assert list(categories(spec)) == ["deployments.0.system", "cooling.liquid",
                                      "electrical.ups"]
    assert categories(spec)["cooling.liquid"][0] == '{"return_c":42,"supply_c":32}'
    assert not samples(spec)
    chosen = parse_study("name: s\nsample: {method: random, n: 2, parameters: "
                         "{site.grid_mw: {dist: choice, values: [40, 60]}}}\n", ".yaml", "s")
    assert list(categories(chosen)) == ["site.grid_mw"] and not samples(chosen)


@pytest.mark.parametrize(("args", "message"), [
    (["--study", GRID], "error: --study and --results go together: the study file and the "
     "folder of its run (dcplanner study STUDY -o DIR)"),
    (["--study", GRID, "--results", "configs"], f"error: --results configs: no cases.csv; "
     f"run dcplanner study {GRID} -o configs first"),
    (["--study", GRID, "--results", "x", "configs/paris-40mw.yaml"], "error: --study: "
     "compares a study's cases, not CONFIG, --variant, --set or --grid-mw; give one or the "
     "other"),
    (["--study", "configs/studies/paris-monte-carlo.yaml", "--results", "x"],
     "error: --study configs/studies/paris-monte-carlo.yaml: no grid, zip or choice input to "
     "summarise by"),
])
def test_study_errors(cli, args, message):
    result = cli("compare", *args)
    assert (result.exit_code, result.output) == (1, message + "\n")


def test_cases_of_another_study_are_refused(cli, mini, grid_out):
    study, _ = mini
    result = cli("compare", "--study", study, "--results", grid_out)
    assert (result.exit_code, result.output) == (
        1, f"error: {grid_out}/cases.csv: not the cases of this study: no column "
        "site.grid_mw\n")
