"""The HTML report: contents for a scenario, a phased plan and a study; the missing-extra
message; and an end-to-end render in headless Chromium."""

import os
import re
import shutil
import sys

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


def figures(html):
    return re.findall(r'<figure class="plot">\s*<h2>(.*?)</h2>\s*(<svg.*?</svg>)\s*'
                      r"<figcaption>(.*?)</figcaption>", html, flags=re.S)


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


@pytest.fixture(scope="module")
def study_html(tmp_path_factory):
    folder = tmp_path_factory.mktemp("study")
    (folder / "s.yaml").write_text(SMALL_STUDY, encoding="utf-8")
    run_study(load_study(folder / "s.yaml"), folder / "out")
    return study_report(folder / "out")


def test_scenario_report_has_every_figure_with_title_and_caption(paris_html):
    found = figures(paris_html)
    titles = [title for title, _, _ in found]
    assert titles == ["Power from the grid to the GPUs", "Facility power through the year",
                      "Monthly energy and PUE", "PUE against outdoor temperature",
                      "Free-cooling hours"]
    for _, svg, caption in found:
        assert len(caption) > 40 and svg.count("<path") > 10
    check_self_contained(paris_html)


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


def test_study_report_has_distributions_and_tornados(study_html):
    titles = [title for title, _, _ in figures(study_html)]
    assert "Distribution of facility_peak_mw" in titles
    assert "Distribution of fit.gpus" in titles
    assert "Sensitivity of annual.pue" in titles
    check_self_contained(study_html)


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


@pytest.mark.parametrize("name", ["paris_html", "plan_html", "study_html"])
def test_report_renders_in_headless_chromium(name, request, tmp_path):
    html = request.getfixturevalue(name)
    page = tmp_path / "report.html"
    page.write_text(html, encoding="utf-8")
    driver = browser()
    try:
        driver.get(page.as_uri())
        sizes = driver.execute_script(
            "return Array.from(document.querySelectorAll('figure.plot svg')).map("
            "s => { const r = s.getBoundingClientRect(); return [r.width, r.height]; });")
        images = driver.execute_script(
            "return Array.from(document.querySelectorAll('figure.plot svg image')).map("
            "i => i.getBBox().width);")
        errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        height = driver.execute_script("return document.body.scrollHeight")
        driver.set_window_size(1100, height + 100)
        ARTIFACTS.mkdir(exist_ok=True)
        driver.save_screenshot(str(ARTIFACTS / f"{name.removesuffix('_html')}-report.png"))
    finally:
        driver.quit()
    assert len(sizes) == len(figures(html)) > 0
    assert all(w > 300 and h > 100 for w, h in sizes), sizes
    assert all(w > 0 for w in images)  # embedded rasters (heat map, scatter) drawn
    assert errors == []
