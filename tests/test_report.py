"""The HTML report: contents for a scenario, a phased plan and a study; the missing-extra
message; and an end-to-end render in headless Chromium."""

import base64
import os
import re
import shutil
import sys
from html import unescape

import numpy as np
import pytest

from dcplanner.config import builtin_scenario_text, load_resolved
from dcplanner.errors import DcplannerError
from dcplanner.report import file_hash, scenario_report, study_report
from dcplanner.study import load_study, run_study
from tests.conftest import CONFIGS, ROOT

ARTIFACTS = ROOT / "test-artifacts"

SMALL_STUDY = """
name: report study
sample:
  method: lhs
  n: 24
  seed: 2
  parameters:
    workload.operating_power_frac: {dist: uniform, low: 0.7, high: 0.9}
    weather.shift_k: {dist: uniform, low: -1, high: 2}
set: {workload.provisioning_basis: operating}
outputs: [facility_peak_mw, annual.pue, annual.facility_mwh]
fit: {system: gb200-nvl72}
chunk_size: 12
"""


GRID_STUDY = """
name: report grid study
grid:
  deployments.0.system: [gb200-nvl72, gb300-nvl72, dgx-b200]
  workload.operating_power_frac: [0.7, 0.9]
outputs: [facility_peak_mw, pue_design]
annual: false
fit: {}
"""


def figures(html):
    return re.findall(r'<figure class="plot">\s*<h2>(.*?)</h2>\s*(<svg.*?</svg>)\s*'
                      r"<figcaption>(.*?)</figcaption>", html, flags=re.S)


def pngs(html):
    """(file name, PNG bytes) of each figure's download link."""
    return [(name, base64.b64decode(data)) for name, data in re.findall(
        r'<a class="png" download="(.*?)" href="data:image/png;base64,(.*?)">', html)]


def answer(html):
    return re.search(r'<p class="answer">(.*?)</p>', html).group(1)


def check_self_contained(html):
    assert "<script" not in html and "<link" not in html and "<img" not in html
    assert not re.search(r'(src|href)="(https?:)?//', html)


@pytest.fixture(scope="module")
def paris_html():
    return scenario_report(load_resolved(), "built-in paris-40mw.yaml", builtin_scenario_text())


@pytest.fixture(scope="module")
def plan_html():
    path = CONFIGS / "paris-100mw.yaml"
    return scenario_report(load_resolved(path), str(path), path.read_text(encoding="utf-8"))


def _study_report(tmp_path_factory, name: str, text: str) -> str:
    """The report of a study given as YAML text, run in a fresh folder."""
    folder = tmp_path_factory.mktemp(name)
    (folder / "study.yaml").write_text(text, encoding="utf-8")
    run_study(load_study(folder / "study.yaml"), folder / "out")
    return study_report(folder / "out")


@pytest.fixture(scope="module")
def study_html(tmp_path_factory):
    return _study_report(tmp_path_factory, "study", SMALL_STUDY)


@pytest.fixture(scope="module")
def grid_html(tmp_path_factory):
    return _study_report(tmp_path_factory, "grid", GRID_STUDY)


def test_scenario_report_has_every_figure_with_title_and_caption(paris_html):
    found = figures(paris_html)
    titles = [title for title, _, _ in found]
    assert titles == ["Power from the grid to the GPUs", "Facility power through the year",
                      "Monthly energy and PUE", "PUE against outdoor temperature",
                      "Free-cooling hours", "Swings of a training job, unsmoothed and smoothed",
                      "GPUs a flexible connection adds"]
    for _, svg, caption in found:
        assert len(caption) > 40 and svg.count("<path") > 10
    check_self_contained(paris_html)


def test_power_over_seconds_section(paris_html, plan_html):
    for html in (paris_html, plan_html):
        # one section heading, right before the two figures it holds
        assert html.count('<h2 class="section"') == 1
        section = html.index('<h2 class="section" id="power-over-seconds">Power over seconds'
                             '</h2>\n<figure class="plot">\n<h2>Swings of a training job')
        assert section > html.index("<h2>Free-cooling hours</h2>")
        (_, swing_svg, swing), (_, _, curve) = figures(html)[-2:]
        assert 'id="grid-line-power-swing"' in swing_svg
        swing = unescape(swing)
        assert swing.startswith("The first 60 s, at 0.1 s steps, of the trace `dcplanner "
                                "power` simulates at the design hour")
        # the Paris scenario's power: section sets no smoothing: the caption says what is drawn
        assert "README's `dcplanner power` example, an illustration" in swing
        curve = unescape(curve)
        assert "Method (dcplanner power --headroom): the largest count of systems" in curve
        assert "8.8, 43.8, 87.6, 175.2 hours a year" in curve
    # README's example: 20.00 MW unsmoothed, 1.95 MW on the grid side over the hour
    assert "swinging 20.0 MW peak-to-peak in this window" in unescape(paris_html)


def test_swing_window_is_the_first_60_s_of_the_power_trace():
    from dcplanner.report.scenario import swing_window
    from dcplanner.solvers.power import study

    resolved = load_resolved(None, ["power.smoothing.floor_tgp_frac=0.6",
                                    "power.rack_storage.window_s=2",
                                    "power.battery.max_ramp_mw_per_s=1",
                                    "power.battery.max_swing_mw=2"])
    w = swing_window(resolved)
    assert not w["example"] and w["t_s"].size == 600 and w["t_s"][-1] == pytest.approx(59.9)
    trace = study([resolved]).trace
    np.testing.assert_allclose(w["raw_mw"], trace["facility_raw_w"][:600] / 1e6, rtol=1e-12)
    np.testing.assert_allclose(w["grid_mw"], trace["grid_w"][:600] / 1e6, rtol=1e-12)
    # the battery holds the grid side to 1 MW/s (0.1 MW a step) and 2 MW peak-to-peak
    assert np.max(np.abs(np.diff(w["grid_mw"]))) <= 0.1 + 1e-9
    assert np.ptp(w["grid_mw"]) <= 2 + 1e-9 < np.ptp(w["raw_mw"])
    # no smoothing set: the example profile, the same numbers as setting it
    example = swing_window(load_resolved())
    assert example["example"]
    np.testing.assert_allclose(example["grid_mw"], w["grid_mw"], rtol=1e-12)
    np.testing.assert_allclose(example["raw_mw"], w["raw_mw"], rtol=1e-12)


def test_curtailment_curve_rises_with_the_budget():
    from dcplanner.report.scenario import curtailment_curve

    budgets = curtailment_curve(load_resolved())
    hours = [b["budget_hours"] for b in budgets]
    extra = np.array([b["extra_gpus"] for b in budgets])
    assert hours == pytest.approx([0, 8.76, 43.8, 87.6, 175.2])
    assert extra[0] == 0 and np.all(np.diff(extra) >= 0) and extra[-1] > 0
    assert np.all(extra % 72 == 0)  # whole GB200 NVL72 systems
    for b in budgets:
        assert b["hours_over"] <= b["budget_hours"]


def test_scenario_report_states_version_file_and_hash(paris_html):
    from dcplanner import __version__

    assert f"dcplanner {__version__}" in paris_html
    assert f"SHA-256 {file_hash(builtin_scenario_text())}" in paris_html
    assert "<title>Paris 40 MW, Bruyères-le-Châtel (phase 1)</title>" in paris_html


def test_phased_plan_report_has_the_timeline(plan_html):
    titles = [title for title, _, _ in figures(plan_html)]
    assert titles[0] == "Phase timeline" and "Power from the grid to the GPUs" in titles
    from dcplanner.solvers.phases import expand

    gpus = 18000 + 72 * expand(load_resolved(CONFIGS / "paris-100mw.yaml"))[1].filled
    assert f"Phase 2: 100 MW (2026-06-30): {gpus:,} GPUs" in plan_html
    assert answer(plan_html).startswith(
        f"In the last phase (Phase 2: 100 MW): 18,000 GB200 + {gpus - 18000:,} GB300 fit in "
        "100 MW with ")


def test_scenario_report_answers_in_one_sentence(paris_html):
    # 43.23 MW at peak provisioning vs 40 MW: 3.2 MW over; on operating power 35.64 MW
    assert answer(paris_html) == (
        "18,000 GB200 do not fit in 40 MW: they need 43.2 MW at the 42 °C design hour, 3.2 MW "
        "over, with the plant sized on peak power; sized on operating power they would fit "
        "with 4.4 MW to spare.")


def test_scenario_report_answer_when_it_fits():
    html = scenario_report(load_resolved(None, ["workload.provisioning_basis=operating"]),
                           "x", "x")
    assert answer(html) == ("18,000 GB200 fit in 40 MW with 4.4 MW to spare at the 42 °C "
                            "design hour (plant sized on operating power).")


def test_waterfall_adds_up_to_the_facility_peak_and_shows_the_grid(paris_html):
    from dcplanner.engine import run
    from dcplanner.report.scenario import _breakdown

    result = run([load_resolved()], annual=False)
    parts = _breakdown(result, 0)
    assert sum(mw for _, _, mw in parts) == pytest.approx(
        result.records()[0]["facility_peak_mw"], rel=1e-9)
    assert {group for _, group, _ in parts} == {"IT", "electrical losses", "cooling", "misc"}
    assert 'id="grid-line-waterfall"' in paris_html


def test_every_figure_has_a_png(paris_html, study_html):
    for html in (paris_html, study_html):
        found = pngs(html)
        assert len(found) == len(figures(html))
        assert len({name for name, _ in found}) == len(found)
        for _, data in found:
            assert data[:8] == b"\x89PNG\r\n\x1a\n"
            width = int.from_bytes(data[16:20], "big")
            assert width == 9 * 150  # 9 in at 150 dpi


def test_study_report_answers_with_the_exceedance(study_html):
    text = answer(study_html)
    assert text.startswith("Facility peak exceeds the 40 MW grid in 0 of 24 cases "
                           "(P(exceed) 0%; P50 ")
    assert "GPUs fit (P10 to P90, P50 " in text


def test_study_report_has_distributions_and_tornados(study_html):
    titles = [title for title, _, _ in figures(study_html)]
    for label in ("Facility peak", "annual PUE", "facility energy", "GPUs that fit"):
        assert f"Distribution of {label}" in titles
        assert f"What moves {label}" in titles  # every output asked has its tornado
    assert 'id="grid-line-facility_peak_mw"' in study_html
    assert "Facility peak [MW]" in study_html and "facility_peak_mw [MW]" not in study_html
    check_self_contained(study_html)


def test_grid_study_has_small_multiples_per_category(grid_html):
    titles = [title for title, _, _ in figures(grid_html)]
    assert "Facility peak by deployments.0.system" in titles
    assert "Facility peak by workload.operating_power_frac" in titles
    assert not any("fit.system" in t for t in titles)  # an output, not an input
    # one panel per system, each with its grid line
    assert all(f'id="grid-line-facility_peak_mw-deployments-0-system-{k}"' in grid_html
               for k in range(3))
    caption = next(c for t, _, c in figures(grid_html) if t.endswith("deployments.0.system"))
    assert unescape(caption).endswith("with the grid connection dashed red and each "
                                          "panel's P(exceed).")
    # peak provisioning: the two GB200 NVL72 cases at 43.2 MW and the two GB300 NVL72 cases
    # exceed 40 MW whatever the operating share; the 250 DGX B200 (2,000 GPUs) do not
    # a grid's cases are no distribution: a share of cases, mean and max, no percentiles
    assert answer(grid_html).startswith("Facility peak exceeds the 40 MW grid in 4 of 6 cases "
                                        "(67% of the cases; mean ")
    assert "P10" not in answer(grid_html) and "P50" not in answer(grid_html)
    assert "the cases' min to max" in unescape(answer(grid_html))


def test_swing_in_output_units():
    from dcplanner.report.study import swing

    # sampled (20 distinct values > 12 levels): lowest and highest 20 % = 4 cases each, mean
    # y (1+2+3+4)/4 = 2.5 and (17+18+19+20)/4 = 18.5
    x = [str(v) for v in range(20)]
    assert swing(x, np.arange(1.0, 21.0)) == ("lowest 20% → highest 20%", 2.5, 18.5)
    # levels: the mean at the lowest and highest level
    assert swing(["1", "2", "1", "2"], np.array([10.0, 4.0, 12.0, 6.0])) == ("1 → 2", 11.0, 5.0)
    # categories: the lowest- and highest-mean category
    assert swing(["a", "b", "c", "b"], np.array([3.0, 1.0, 5.0, 2.0])) == ("b → c", 1.5, 5.0)
    assert swing(["a", "a"], np.array([1.0, 2.0])) is None


def test_exceedance():
    from dcplanner.report.figures import exceedance

    assert exceedance(np.array([39.0, 40.0, 40.5, 41.0]), 40.0) == 0.5
    assert exceedance(np.array([39.0, 41.0]), np.array([38.0, 42.0])) == 0.5


def test_unfinished_study_is_refused(tmp_path):
    (tmp_path / "s.yaml").write_text(SMALL_STUDY, encoding="utf-8")
    job = load_study(tmp_path / "s.yaml")

    def stop(_):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_study(job, tmp_path / "out", progress=stop)
    with pytest.raises(DcplannerError, match="the study is not finished"):
        study_report(tmp_path / "out")


def test_missing_matplotlib_is_a_clear_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    with pytest.raises(DcplannerError, match=r"the report needs matplotlib: pip install "
                       r"'dcplanner\[report\]'"):
        scenario_report(load_resolved(), "x", "x")


def browser():
    """A headless Chromium through Selenium, or None where it is not installed (CI has it)."""
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        webdriver = None
    if not (chromium and driver and webdriver):
        if os.environ.get("CI"):
            pytest.fail("CI must have chromium, chromedriver and selenium (.ci/run installs them)")
        pytest.skip("headless Chromium not installed (apt-get install chromium chromium-driver)")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1100,900"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(driver), options=options)


#: Figures that must show the grid connection (SVG group id), by report.
GRID_LINES = {"paris_html": ["grid-line-waterfall", "grid-line-power-swing"],
              "plan_html": ["grid-line-waterfall", "grid-line-power-swing"],
              "study_html": ["grid-line-facility_peak_mw"],
              "grid_html": ["grid-line-facility_peak_mw",
                            "grid-line-facility_peak_mw-deployments-0-system-0"]}


@pytest.mark.parametrize("name", ["paris_html", "plan_html", "study_html", "grid_html"])
def test_report_renders_in_headless_chromium(name, request, tmp_path):
    html = request.getfixturevalue(name)
    page = tmp_path / "report.html"
    page.write_text(html, encoding="utf-8")
    driver = browser()
    report = name.removesuffix("_html")
    try:
        driver.get(page.as_uri())
        sizes = driver.execute_script(
            "return Array.from(document.querySelectorAll('figure.plot svg')).map("
            "s => { const r = s.getBoundingClientRect(); return [r.width, r.height]; });")
        images = driver.execute_script(
            "return Array.from(document.querySelectorAll('figure.plot svg image')).map("
            "i => i.getBBox().width);")
        lines = driver.execute_script(
            "return Object.fromEntries(arguments[0].map(id => { const g = "
            "document.getElementById(id); return [id, g ? Math.max(g.getBBox().width, "
            "g.getBBox().height) : 0]; }));",
            GRID_LINES[name])
        answer_shown = driver.execute_script(
            "return document.querySelector('p.answer').getBoundingClientRect().height")
        errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        height = driver.execute_script("return document.body.scrollHeight")
        driver.set_window_size(1100, height + 100)
        ARTIFACTS.mkdir(exist_ok=True)
        driver.save_screenshot(str(ARTIFACTS / f"{report}-report.png"))
        from selenium.webdriver.common.by import By

        for k, element in enumerate(driver.find_elements(By.CSS_SELECTOR, "figure.plot")):
            element.screenshot(str(ARTIFACTS / f"{report}-{k:02d}-{pngs(html)[k][0]}"))
    finally:
        driver.quit()
    assert len(sizes) == len(figures(html)) > 0
    assert all(w > 300 and h > 100 for w, h in sizes), sizes
    assert all(w > 0 for w in images)  # embedded rasters (heat map, scatter) drawn
    assert all(h > 50 for h in lines.values()), lines  # the grid line is drawn, full length
    assert answer_shown > 0
    assert errors == []
