"""Study cases at engine speed: every case equals the same values given to `run --set`."""

import json

import numpy as np
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import stats

import dcplanner.study.cases as cases_module
from dcplanner.config import load_resolved
from dcplanner.errors import ConfigError, Problem
from dcplanner.solvers.plant import load_with_grid
from dcplanner.study import load_study, run_study
from dcplanner.study.analysis import rank, spearman
from dcplanner.study.cases import depth_order
from dcplanner.study.design import latin_hypercube
from dcplanner.study.runner import _prepared
from tests.conftest import records

OUTPUTS = ["facility_peak_mw", "feasible", "gpus", "binding_constraint", "pue_design",
           "design.cooling.pumps_mw", "deployments.0.fabric_switches",
           "constraints.rack_power.headroom"]

#: Paths a study may vary, with values to draw from: numbers that take the column route
#: (scenario fields, catalog entry fields, a deployment's count; some out of bounds or
#: breaking a rule), and values that build variants (names, sections, flags).
PATHS = {
    "site.grid_mw": [30.0, 45.5, 60.0, -1.0],
    "site.design_ambient_c": [25.0, 35.0, 42.0, 10.0],  # 10 < the 13.7 °C dew point
    "cooling.liquid.supply_c": [30.0, 38.0, 46.0],  # 46 > the 45 °C return
    "cooling.liquid.pump_head_kpa": [100.0, 400.0],
    "cooling.liquid": [{"supply_c": 32, "return_c": 42}, {"supply_c": 40, "return_c": 55}],
    "cooling.adiabatic.enabled": [True, False],
    "electrical.ups.modules": [15, 16, 30],
    "electrical.ups.topology": ["catcher", "2N"],  # 2N needs an even count
    "deployments.0.count": [0, 100, 250, 300],
    "deployments.0.system": ["gb200-nvl72", "gb300-nvl72", "dgx-b200"],
    "catalog.accelerators.gb200.tdp_w": [1000.0, 1200.0, 1400.0, 100.0],  # 100 < idle
    "catalog.systems.gb300-nvl72.host_peak_w": [40000.0, 60000.0],
    "workload.operating_power_frac": [0.7, 0.9],
    "workload.provisioning_basis": ["peak", "operating"],
}


def run_case(overrides):
    """The record of ``run --set`` with the values in the order a study applies them, the
    plant following a larger grid connection as fit, optimize and studies do (solvers.plant;
    ``run`` itself keeps the plant as written)."""
    items = [f"{p}={json.dumps(overrides[p])}" for p in depth_order(list(overrides))]
    try:
        return records([load_with_grid(None, items)[0].resolved], annual=False)[0], ""
    except ConfigError as error:  # the one-line reason a study records, without the option
        return None, "; ".join(str(Problem("", p.path, p.message)) for p in error.problems)


def pick(record, key):
    node = record
    for part in key.split("."):
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_every_case_equals_the_same_values_given_to_run_set(tmp_path_factory, data):
    paths = data.draw(st.lists(st.sampled_from(sorted(PATHS)), min_size=1, max_size=4,
                               unique=True))
    layout = data.draw(st.sampled_from(["grid", "zip", "sample"]))
    length = data.draw(st.integers(1, 3))
    values = {p: data.draw(st.lists(st.sampled_from(PATHS[p]), min_size=length,
                                    max_size=length)) for p in paths}
    if layout == "grid":  # distinct values per path, as a grid would be written
        values = {p: list({json.dumps(v): v for v in vs}.values()) for p, vs in values.items()}
    if layout == "sample":
        values = {"method": "random", "n": 6, "seed": data.draw(st.integers(0, 99)),
                  "parameters": {p: {"dist": "choice", "values": vs}
                                 for p, vs in values.items()}}
    study = {"name": "property", layout: values, "annual": False, "outputs": OUTPUTS,
             "chunk_size": 4}
    folder = tmp_path_factory.mktemp("case")
    path = folder / "study.yaml"
    path.write_text(yaml.safe_dump(study), encoding="utf-8")
    run_study(load_study(path), folder / "out")
    rows = json.loads(json.dumps(_rows(folder / "out" / "cases.csv")))
    _, design, _ = _prepared(load_study(path))
    for row in rows:
        case = design.overrides(int(row["case"]))
        record, error = run_case(case)
        assert row["error"] == error, (case, row["error"], error)
        for key in OUTPUTS:
            expected = "" if record is None else pick(record, key)
            got = row[key]
            if isinstance(expected, float):
                assert float(got) == pytest.approx(expected, rel=1e-12), (case, key)
            else:
                assert got == ("" if expected is None else str(expected)), (case, key)


def _rows(path):
    import csv

    return list(csv.DictReader(path.open(encoding="utf-8")))


def _study(tmp_path, text):
    path = tmp_path / "study.yaml"
    path.write_text(text, encoding="utf-8")
    return load_study(path)


def test_numbers_take_the_column_route_and_build_nothing(tmp_path, monkeypatch):
    job = _study(tmp_path, """
name: columns
sample:
  method: lhs
  n: 200
  seed: 3
  parameters:
    site.design_ambient_c: {dist: uniform, low: 30, high: 45}
    catalog.accelerators.gb200.tdp_w: {dist: uniform, low: 1000, high: 1400}
    deployments.0.count: {dist: choice, values: [100, 200, 250]}
    cooling.liquid.supply_c: {dist: uniform, low: 30, high: 40}
set:
  catalog.systems.gb200-nvl72.rated_w: 150000   # room for the TDPs drawn
annual: false
outputs: [facility_peak_mw]
""")
    _, _, table = _prepared(job)
    assert [c.path for c in table.inputs] == [
        "site.design_ambient_c", "catalog.accelerators.gb200.tdp_w", "deployments.0.count",
        "cooling.liquid.supply_c"]
    assert table.structural == [] and len(table.variants) == 1
    built = []
    monkeypatch.setattr(cases_module.CaseBuilder, "scenario",
                        lambda self, overrides: built.append(overrides))
    outputs, errors = table.evaluate(range(200))
    assert built == [] and errors == [""] * 200
    assert not outputs["facility_peak_mw"].missing.any()


def test_structural_values_are_built_once_per_distinct_value(tmp_path, monkeypatch):
    job = _study(tmp_path, """
name: variants
grid:
  deployments.0.system: [gb200-nvl72, gb300-nvl72]
  electrical.ups.topology: [catcher, N+1]
  site.grid_mw: [30, 40, 50, 60, 70]
annual: false
outputs: [facility_peak_mw]
""")
    _, _, table = _prepared(job)
    assert len(table.variants) == 4 and [c.path for c in table.inputs] == ["site.grid_mw"]


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("site.grid_mw", -1.0, "site.grid_mw: Input should be greater than or equal to 0.001"),
        ("electrical.ups.modules", 15.5, "electrical.ups.modules: Input should be a valid "
         "integer, got a number with a fractional part"),
        ("electrical.ups.modules", 1, "electrical.ups: modules = 1 does not fit topology "
         "catcher: at least 2"),
        ("cooling.liquid.supply_c", 46.0, "cooling.liquid: supply_c (46) must be below "
         "return_c (45)"),
        ("catalog.accelerators.gb200.tdp_w", 100.0, "catalog.accelerators.gb200: idle_w (200) "
         "must not exceed tdp_w (100)"),
        ("deployments.0.count", 0, "deployments: every deployment is empty; give at least "
         "one a count or gpus above 0"),
        ("weather.heatwave.peak_c", 99.0, "weather.heatwave.peak_c: Input should be less than "
         "or equal to 60"),
    ],
)
def test_a_column_value_outside_its_checks_gets_the_schema_reason(tmp_path, path, value,
                                                                   message):
    job = _study(tmp_path, f"name: bad\ngrid:\n  {path}: [{value}]\nannual: false\n"
                 "outputs: [facility_peak_mw]\n")
    run_study(job, tmp_path / "out")
    [row] = _rows(tmp_path / "out" / "cases.csv")
    assert row["error"] == message and row["facility_peak_mw"] == ""


def test_a_field_of_a_missing_section_builds_the_section_as_set_does(tmp_path):
    # The built-in scenario has no heatwave: setting its peak creates one, enabled.
    job = _study(tmp_path, "name: hw\ngrid: {weather.heatwave.peak_c: [40, 44]}\n"
                 "outputs: [annual.facility_peak_mw, annual.dry_bulb_max_c]\n")
    run_study(job, tmp_path / "out")
    rows = _rows(tmp_path / "out" / "cases.csv")
    assert [float(r["annual.dry_bulb_max_c"]) for r in rows] == pytest.approx([40, 44])
    [expected] = records([load_resolved(None, ["weather.heatwave.peak_c=44"])])
    assert float(rows[1]["annual.facility_peak_mw"]) == pytest.approx(
        expected["annual"]["facility_peak_mw"], rel=1e-12)


def test_latin_hypercube_is_scipys_without_importing_scipy_stats():
    from scipy.stats import qmc

    for n, d, seed in [(512, 6, 20250611), (12, 3, 7), (1, 1, 0)]:
        np.testing.assert_array_equal(latin_hypercube(n, d, seed),
                                      qmc.LatinHypercube(d=d, rng=seed).random(n))


def test_spearman_and_ranks_equal_scipy():
    rng = np.random.default_rng(5)
    x = rng.integers(0, 20, 300).astype(float)  # ties
    y = x * 0.3 + rng.normal(size=300)
    np.testing.assert_array_equal(rank(x), stats.rankdata(x))
    rho, p = spearman(x, y)
    expected = stats.spearmanr(x, y)
    assert rho == pytest.approx(expected.statistic, rel=1e-12)
    assert p == pytest.approx(expected.pvalue, rel=1e-9)


def test_parquet_columns_are_typed_and_equal_the_csv(tmp_path):
    parquet = pytest.importorskip("pyarrow.parquet")
    job = _study(tmp_path, "name: pq\ngrid: {site.grid_mw: [-1, 40, 50]}\nannual: false\n"
                 "outputs: [facility_peak_mw, feasible, gpus, binding_constraint]\nfit: {}\n")
    run_study(job, tmp_path / "out")
    table = parquet.read_table(tmp_path / "out" / "cases.parquet").to_pylist()
    rows = _rows(tmp_path / "out" / "cases.csv")
    assert [t["gpus"] for t in table] == [None, 18000, 18000]
    assert [t["feasible"] for t in table] == [None, False, True]
    for t, r in zip(table, rows, strict=True):
        assert t["facility_peak_mw"] == (float(r["facility_peak_mw"]) if r["facility_peak_mw"]
                                         else None)
        assert t["fit.count"] == (int(r["fit.count"]) if r["fit.count"] else None)
        assert (t["error"] or "") == r["error"]


def test_cases_parquet_carries_version_study_hash_and_units(tmp_path):
    pytest.importorskip("pyarrow.parquet")
    from dcplanner import __version__
    from dcplanner.api import read_metadata

    job = _study(tmp_path, "name: pq\ngrid: {site.grid_mw: [40, 50]}\nannual: false\n"
                 "outputs: [facility_peak_mw, gpus]\nfit: {}\n")
    run_study(job, tmp_path / "out")
    meta = read_metadata(tmp_path / "out" / "cases.parquet")
    assert meta["version"] == __version__
    assert meta["study_hash"] == job.digest
    assert meta["units"] == {"facility_peak_mw": "MW", "gpus": "GPUs",
                                       "fit.system": "", "fit.count": "systems",
                                       "fit.gpus": "GPUs"}


@pytest.mark.parametrize("path, value", [
    ("cooling.air.water.supply_c", 20.0),  # air.water left to its default: a required return_c
    ("cooling.dry_cooler.approach_k", 8.0),  # dry_cooler left to its default: all defaulted
])
def test_a_field_of_a_section_the_base_leaves_to_its_default_is_as_set_gives(tmp_path, path,
                                                                             value):
    job = _study(tmp_path, f"name: d\ngrid:\n  {path}: [{value}]\nannual: false\n"
                 "outputs: [facility_peak_mw]\n")
    run_study(job, tmp_path / "out")
    [row] = _rows(tmp_path / "out" / "cases.csv")
    expected, error = run_case({path: value})
    assert row["error"] == error
    if expected is not None:
        assert float(row["facility_peak_mw"]) == pytest.approx(expected["facility_peak_mw"],
                                                               rel=1e-12)


@pytest.mark.parametrize("text, message", [
    ("grid: {site.grid_mw: [40, .nan]}", "grid.site.grid_mw.1: must be a finite number"),
    ("set: {site.grid_mw: .inf}", "set.site.grid_mw: must be a finite number"),
    ("set: {cooling.liquid.pump_head_kpa: 500}\ngrid: {cooling.liquid: [{supply_c: 30, "
     "return_c: 40}]}", "set.cooling.liquid.pump_head_kpa lies inside the varied section "
     "cooling.liquid (grid), whose values would replace it"),
])
def test_study_values_that_cannot_mean_what_they_say_are_refused(tmp_path, text, message):
    with pytest.raises(ConfigError) as error:
        _study(tmp_path, f"name: bad\n{text}\nannual: false\noutputs: [facility_peak_mw]\n")
    assert message in str(error.value)


def test_invalid_cases_are_counted_in_the_notes(tmp_path):
    job = _study(tmp_path, "name: bad\ngrid: {site.grid_mw: [40, -1, -2]}\nannual: false\n"
                 "outputs: [facility_peak_mw]\n")
    manifest = run_study(job, tmp_path / "out")
    assert manifest["notes"] == ["2 of 3 cases are invalid (each with its reason in the error "
                                 "column of cases.csv; the first, case 1: site.grid_mw: Input "
                                 "should be greater than or equal to 0.001)"]
