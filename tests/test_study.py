"""Batch studies: expansion, sampling, executors, resume, analysis, bad input."""

import csv
import io
import json

import numpy as np
import pytest
from scipy import stats

from dcplanner.errors import ConfigError
from dcplanner.study import StudyError, load_study, run_study
from dcplanner.study.analysis import numeric, table
from dcplanner.study.design import build_design, quantiles, unit_samples
from dcplanner.study.spec import Choice, Sample, StudySpec, TruncNormal, parse_study
from tests.conftest import CONFIGS, records

GRID_STUDY = """
name: small grid
grid:
  deployments.0.count: [100, 200, 250]
  cooling.liquid: [{supply_c: 32, return_c: 42}, {supply_c: 45, return_c: 55}]
zip:
  site.grid_mw: [30, 40]
  electrical.ups.modules: [11, 15]
annual: false
fit: {}
outputs: [facility_peak_mw, feasible, gpus, binding_constraint, pue_design]
chunk_size: 5
"""

SAMPLE_STUDY = """
name: small sample
sample:
  method: {method}
  n: {n}
  seed: 7
  parameters:
    workload.operating_power_frac: {{dist: uniform, low: 0.7, high: 0.9}}
    cooling.chiller.carnot_efficiency_frac: {{dist: triangular, low: 0.3, mode: 0.4, high: 0.5}}
    weather.shift_k: {{dist: normal, mean: 0, sd: 1}}
set: {{workload.provisioning_basis: operating}}
outputs: [facility_peak_mw, annual.pue, annual.facility_mwh]
chunk_size: {chunk}
"""


def write(tmp_path, text, name="study.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def spec(text):
    return parse_study(text, ".yaml", "<test>")


def rows(out):
    return list(csv.DictReader(io.StringIO((out / "cases.csv").read_text(encoding="utf-8"))))


def test_grid_times_zip_in_case_order():
    d = build_design(spec(GRID_STUDY))
    assert d.count == 3 * 2 * 2
    # Case order: grid combinations outermost (last grid key fastest), then zip rows.
    assert [d.overrides(i)["deployments.0.count"] for i in range(12)] == \
        [100] * 4 + [200] * 4 + [250] * 4
    assert [d.overrides(i)["site.grid_mw"] for i in range(4)] == [30, 40, 30, 40]
    assert [d.overrides(i)["cooling.liquid"]["supply_c"] for i in range(4)] == [32, 32, 45, 45]
    assert d.overrides(1)["electrical.ups.modules"] == 15  # zipped with grid_mw 40


@pytest.mark.parametrize("method", ["random", "lhs", "halton", "sobol"])
def test_samples_reproduce_with_the_seed(method):
    s = Sample(method=method, n=16, seed=3, parameters={
        "a": {"dist": "uniform", "low": 0, "high": 1}, "b": {"dist": "uniform", "low": 0,
                                                             "high": 1}})
    u1, u2 = unit_samples(s), unit_samples(s)
    np.testing.assert_array_equal(u1, u2)
    other = unit_samples(s.model_copy(update={"seed": 4}))
    assert not np.array_equal(u1, other)
    assert u1.shape == ((16 * 4, 2) if method == "sobol" else (16, 2))
    assert np.all((u1 > 0) & (u1 < 1))


def test_latin_hypercube_strata_and_saltelli_layout():
    s = Sample(method="lhs", n=10, seed=1, parameters={"a": {"dist": "uniform", "low": 0,
                                                              "high": 1}})
    assert sorted(np.floor(unit_samples(s)[:, 0] * 10).astype(int)) == list(range(10))
    sob = Sample(method="sobol", n=4, seed=1, parameters={
        k: {"dist": "uniform", "low": 0, "high": 1} for k in "abc"})
    u = unit_samples(sob).reshape(4, 5, 3)  # per base point: A, AB1, AB2, AB3, B
    a, b = u[:, 0], u[:, 4]
    for k in range(3):
        np.testing.assert_array_equal(u[:, 1 + k, k], b[:, k])
        np.testing.assert_array_equal(np.delete(u[:, 1 + k], k, axis=1), np.delete(a, k, axis=1))


def test_distribution_quantiles():
    u = np.linspace(0.001, 0.999, 999)
    t = quantiles(TruncNormal(dist="truncnormal", mean=0.4, sd=0.05, low=0.3, high=0.45), u)
    assert t.min() >= 0.3 and t.max() <= 0.45
    np.testing.assert_allclose(
        quantiles(spec("name: x\nsample: {method: random, n: 1, parameters: "
                       "{a: {dist: lognormal, median: 2, sigma: 0.5}}}").sample.parameters["a"],
                  np.array([0.5])), [2.0])
    c = quantiles(Choice(dist="choice", values=["a", "b"], weights=[3, 1]), u)
    assert abs(np.mean(c == "a") - 0.75) < 0.01


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name: x\nsample: {method: random, n: 5, parameters: {a: {dist: uniform, low: 2, "
         "high: 1}}}", "low (2) must be below high (1)"),
        ("name: x\nsample: {method: sobol, n: 100, parameters: {a: {dist: normal, mean: 0, "
         "sd: 1}}}", "Sobol designs need a power of 2 (e.g. 64 or 128)"),
        ("name: x\nsample: {method: random, n: 5, parameters: {a: {dist: normal, mean: 0, "
         "sd: -1}}}", "sample.parameters.a.normal.sd: Input should be greater than 0"),
        ("name: x\nzip: {a: [1, 2], b: [1]}", "zip: lists must have the same length"),
        ("name: x\ngrid: {a: [1]}\nzip: {a: [2]}", "a is in both grid and zip"),
        ("name: x\nsample: {method: random, n: 5, parameters: {a: {dist: gamma}}}",
         "sample.parameters.a: Input tag 'gamma' found using 'dist' does not match"),
    ],
)
def test_bad_study_files(text, message):
    with pytest.raises(ConfigError) as error:
        spec(text)
    assert any(message in line for line in error.value.lines()), error.value.lines()


def test_paths_and_outputs_are_checked_before_starting(tmp_path):
    path = write(tmp_path, "name: x\ngrid: {site.gird_mw: [40]}\nannual: false\n"
                 "outputs: [facility_peak_mw, annual.pue]\n")
    with pytest.raises(ConfigError) as error:
        load_study(path)
    lines = error.value.lines()
    assert lines[0].startswith(f"{path}: grid.site.gird_mw: no such scenario field: unknown "
                               "field; allowed fields: grid_mw")
    assert lines[1] == f"{path}: outputs.1: 'annual.pue' is not a result (annual: false)"


def test_an_invalid_case_is_reported_and_the_study_goes_on(tmp_path):
    path = write(tmp_path, "name: x\ngrid: {workload.mfu_frac: [0.4, 1.5, 0.5]}\n"
                 "annual: false\noutputs: [facility_peak_mw]\n")
    run_study(load_study(path), tmp_path / "out")
    r = rows(tmp_path / "out")
    assert [row["error"] for row in r] == [
        "", "workload.mfu_frac: Input should be less than or equal to 1", ""]
    assert r[1]["facility_peak_mw"] == "" and float(r[2]["facility_peak_mw"]) > 0


def test_grid_study_rows_fit_and_match_single_runs(tmp_path):
    from dcplanner.config import load_resolved
    from dcplanner.solvers.fit import fit

    run_study(load_study(write(tmp_path, GRID_STUDY)), tmp_path / "out")
    r = rows(tmp_path / "out")
    assert len(r) == 12
    case = r[7]  # count 200, liquid 45/55, grid 40, 15 modules
    resolved = load_resolved(None, ["deployments.0.count=200", "cooling.liquid.supply_c=45",
                                    "cooling.liquid.return_c=55", "site.grid_mw=40",
                                    "electrical.ups.modules=15"])
    [record] = records([resolved], annual=False)
    assert float(case["facility_peak_mw"]) == record["facility_peak_mw"]
    assert int(case["fit.count"]) == fit(resolved, "gb200-nvl72").count


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """An uninterrupted in-process run of a small annual sample study."""
    folder = tmp_path_factory.mktemp("ref")
    job = load_study(write(folder, SAMPLE_STUDY.format(method="lhs", n=12, chunk=4)))
    run_study(job, folder / "out")
    return (folder / "out" / "cases.csv").read_text(encoding="utf-8")


@pytest.mark.parametrize(("chunk", "workers"), [(4, 2), (5, 1), (12, 2)])
def test_rows_are_identical_whatever_chunks_and_workers(tmp_path, reference, chunk, workers):
    job = load_study(write(tmp_path, SAMPLE_STUDY.format(method="lhs", n=12, chunk=chunk)))
    run_study(job, tmp_path / "out", workers=workers)
    assert (tmp_path / "out" / "cases.csv").read_text(encoding="utf-8") == reference


def test_rows_are_identical_on_a_dask_local_cluster(tmp_path, reference):
    distributed = pytest.importorskip("distributed")
    job = load_study(write(tmp_path, SAMPLE_STUDY.format(method="lhs", n=12, chunk=4)))
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        run_study(job, tmp_path / "out", scheduler=cluster.scheduler_address)
    assert (tmp_path / "out" / "cases.csv").read_text(encoding="utf-8") == reference


def test_resume_after_an_interruption_gives_the_same_rows(tmp_path, reference):
    job = load_study(write(tmp_path, SAMPLE_STUDY.format(method="lhs", n=12, chunk=4)))
    calls = []

    def interrupt(n):
        calls.append(n)
        if len(calls) == 3:  # the initial count, then two finished chunks
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_study(job, tmp_path / "out", progress=interrupt)
    done = sorted(p.name for p in (tmp_path / "out" / "chunks").iterdir())
    assert done == ["chunk-000000.csv", "chunk-000001.csv"]
    assert not (tmp_path / "out" / "cases.csv").exists()
    with pytest.raises(StudyError, match="already holds a study"):
        run_study(job, tmp_path / "out")
    resumed = []
    run_study(job, tmp_path / "out", resume=True, progress=resumed.append)
    assert resumed == [8, 4]  # 8 cases already done, one chunk of 4 evaluated
    assert (tmp_path / "out" / "cases.csv").read_text(encoding="utf-8") == reference
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "complete" and manifest["cases"] == 12


def test_a_changed_study_refuses_to_resume(tmp_path):
    path = write(tmp_path, SAMPLE_STUDY.format(method="lhs", n=4, chunk=4))
    run_study(load_study(path), tmp_path / "out")
    path.write_text(SAMPLE_STUDY.format(method="lhs", n=8, chunk=4), encoding="utf-8")
    with pytest.raises(StudyError, match="the study changed since"):
        run_study(load_study(path), tmp_path / "out", resume=True)
    with pytest.raises(StudyError, match="holds no study to resume"):
        run_study(load_study(path), tmp_path / "new", resume=True)


def test_a_huge_grid_needs_a_go_ahead(tmp_path):
    path = write(tmp_path, "name: big\nannual: false\noutputs: [gpus]\ngrid:\n"
                 f"  deployments.0.count: {list(range(1, 1002))}\n"
                 f"  site.grid_mw: {list(range(1, 1001))}\n")
    with pytest.raises(StudyError, match=r"allow_large: 1,001,000 cases \(about .* h and .* GiB "
                       r"of results on one core\): re-run with allow_large to start it"):
        run_study(load_study(path), tmp_path / "out")


def test_summary_and_spearman_against_numpy_and_scipy(tmp_path):
    job = load_study(write(tmp_path, SAMPLE_STUDY.format(method="random", n=40, chunk=16)))
    run_study(job, tmp_path / "out")
    cols = table((tmp_path / "out" / "cases.csv").read_text(encoding="utf-8"))
    y = numeric(cols["annual.pue"])
    summary = {r["output"]: r for r in csv.DictReader(
        io.StringIO((tmp_path / "out" / "summary.csv").read_text(encoding="utf-8")))}
    s = summary["annual.pue"]
    assert float(s["mean"]) == pytest.approx(y.mean(), rel=1e-12)
    assert float(s["std"]) == pytest.approx(y.std(ddof=1), rel=1e-12)
    assert float(s["p10"]) == pytest.approx(np.percentile(y, 10), rel=1e-12)
    assert float(s["p90"]) == pytest.approx(np.percentile(y, 90), rel=1e-12)
    sens = {(r["input"], r["output"]): r for r in csv.DictReader(
        io.StringIO((tmp_path / "out" / "sensitivity.csv").read_text(encoding="utf-8")))}
    x = numeric(cols["weather.shift_k"])
    rho, p_value = stats.spearmanr(x, y)
    row = sens[("weather.shift_k", "annual.pue")]
    assert float(row["spearman_rho"]) == pytest.approx(rho)
    assert float(row["p_value"]) == pytest.approx(p_value)
    assert rho > 0.5  # a warmer year, a higher PUE


def test_sobol_indices_rank_the_dominant_input(tmp_path):
    pytest.importorskip("SALib")
    job = load_study(write(tmp_path, SAMPLE_STUDY.format(method="sobol", n=64, chunk=128)))
    manifest = run_study(job, tmp_path / "out")
    assert "sobol.csv" in manifest["files"]
    sobol = {(r["input"], r["output"]): r for r in csv.DictReader(
        io.StringIO((tmp_path / "out" / "sobol.csv").read_text(encoding="utf-8")))}
    power = float(sobol[("workload.operating_power_frac", "annual.facility_mwh")]["ST"])
    chiller = float(sobol[("cooling.chiller.carnot_efficiency_frac", "annual.facility_mwh")]["ST"])
    assert power > 0.5 > chiller


@pytest.mark.parametrize(("name", "cases"), [("paris-chip-cooling-redundancy.yaml", 18),
                                             ("paris-monte-carlo.yaml", 512)])
def test_example_studies_load(name, cases):
    from dcplanner.study.runner import study_cases

    job = load_study(CONFIGS / "studies" / name)
    assert isinstance(job.spec, StudySpec) and study_cases(job) == cases
    assert job.spec.fit is not None  # both report the GPUs that fit


@pytest.mark.parametrize(
    "overrides",
    [
        {"catalog.accelerators.gb200.tdp_w": 1100.0, "cooling.liquid.supply_c": 38.0},
        {"catalog.accelerators.gb200.tflops.bf16": 3000.0, "site.grid_mw": 60},
        {"catalog.systems.gb200-nvl72.liquid_heat_frac": 0.9, "weather.shift_k": 1.0,
         "electrical.ups.modules": 16},
    ],
)
def test_a_case_equals_the_same_scenario_loaded_whole(overrides):
    from dcplanner.config import load_resolved, scenario_data
    from dcplanner.study.cases import CaseBuilder

    data, _ = scenario_data(None)
    builder = CaseBuilder(spec("name: x"), data, None)
    case = builder.scenario(overrides)
    whole = load_resolved(None, [f"{k}={v}" for k, v in overrides.items()])
    assert case.scenario == whole.scenario
    assert records([case]) == records([whole])


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"catalog.accelerators.gb200.tdp_w": -5.0},
         "catalog.accelerators.gb200.tdp_w: Input should be greater than 0"),
        ({"catalog.accelerators.gb200.idle_w": 5000.0},
         "catalog.accelerators.gb200: idle_w (5000) must not exceed tdp_w (1200)"),
        ({"cooling.liquid.supply_c": 50.0},
         "cooling.liquid: supply_c (50) must be below return_c (45)"),
    ],
)
def test_an_invalid_case_names_the_field(overrides, message):
    from dcplanner.config import scenario_data
    from dcplanner.study.cases import CaseBuilder

    data, _ = scenario_data(None)
    with pytest.raises(ConfigError) as error:
        CaseBuilder(spec("name: x"), data, None).scenario(overrides)
    assert error.value.lines() == [message]


@pytest.mark.parametrize("address", ["tcp://127.0.0.1:1", "not-an-address"])
def test_an_unreachable_scheduler_is_a_clear_error(tmp_path, monkeypatch, address):
    pytest.importorskip("distributed")
    import dcplanner.study.runner as runner

    monkeypatch.setattr(runner, "DASK_CONNECT_TIMEOUT_S", 1)
    job = load_study(write(tmp_path, SAMPLE_STUDY.format(method="lhs", n=4, chunk=4)))
    with pytest.raises(StudyError, match=f"scheduler: {address}: cannot connect: "):
        run_study(job, tmp_path / "out", scheduler=address)
    assert not (tmp_path / "out" / "manifest.json").exists()  # nothing ran: start it again
    run_study(job, tmp_path / "out")


def test_an_out_folder_that_cannot_be_made_is_a_clear_error(tmp_path):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    job = load_study(write(tmp_path, SAMPLE_STUDY.format(method="lhs", n=4, chunk=4)))
    with pytest.raises(StudyError, match=r"out: .*file/out: cannot write there: "):
        run_study(job, tmp_path / "file" / "out")


def test_a_missing_base_file_names_the_study_field(tmp_path):
    path = write(tmp_path, "name: x\nbase: missing.yaml\n")
    with pytest.raises(ConfigError) as error:
        load_study(path)
    assert error.value.lines() == [f"{path}: base: {tmp_path / 'missing.yaml'}: file not found"]
