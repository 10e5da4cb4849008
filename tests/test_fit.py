"""Capacity fit and requirements: exact counts through the design-point engine."""

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dcplanner.config import load_resolved
from dcplanner.engine import evaluate, flatten
from dcplanner.errors import ConfigError
from dcplanner.solvers.fit import FitError, fit, modules_needed, requirements, with_deployment
from dcplanner.solvers.phases import expand
from tests.conftest import CONFIGS, records


def feasible_with(resolved, count):
    """Whether the scenario holds ``count`` systems in its last deployment."""
    deployments = list(resolved.deployments)
    deployments[-1] = replace(deployments[-1], count=count)
    out = evaluate(flatten([replace(resolved, deployments=tuple(deployments))]))
    return bool(out["feasible"][0])


@pytest.mark.parametrize(
    ("system", "overrides", "keep"),
    [
        ("gb200-nvl72", [], False),
        ("gb300-nvl72", ["site.grid_mw=100", "electrical.ups.modules=40"], True),
        ("dgx-h100", ["site.max_racks=50"], False),
        ("dgx-b200", ["cooling.heat_rejection_mw=5"], False),
        ("gb200-nvl72", ["workload.provisioning_basis=operating"], False),
    ],
)
def test_fitted_count_fits_and_one_more_does_not(system, overrides, keep):
    f = fit(load_resolved(None, overrides), system, keep_existing=keep)
    assert f.count > 0 and f.record["feasible"]
    assert feasible_with(f.resolved, f.count)
    assert not feasible_with(f.resolved, f.count + 1)
    assert f.stopped_by and all(v["value"] > v["limit"] for v in f.stopped_by)


@settings(max_examples=20, deadline=None)
@given(grid_mw=st.floats(0.5, 200))
def test_fit_is_exact_for_any_grid(grid_mw):
    r = load_resolved(None, [f"site.grid_mw={grid_mw}", "electrical.ups.modules=100"])
    try:
        f = fit(r, "gb200-nvl72")
    except FitError:
        assert not feasible_with(with_deployment(r, "gb200-nvl72", 1, keep_existing=False), 1)
        return
    assert feasible_with(f.resolved, f.count) and not feasible_with(f.resolved, f.count + 1)


def test_fit_and_run_agree():
    f = fit(load_resolved(), "gb200-nvl72")
    [record] = records([f.resolved], annual=False)
    assert record == f.record
    assert f.stopped_by[0]["constraint"] == "grid"


def test_the_100_mw_phase_fill_is_the_largest_gb300_count():
    # Phase 2 of configs/paris-100mw.yaml fills the 100 MW site with GB300 NVL72 next to the
    # 250 GB200 racks it keeps (the count is pinned by the golden fixture run-paris-100mw):
    # one more does not fit.
    last = expand(load_resolved(CONFIGS / "paris-100mw.yaml"))[-1]
    n = last.filled
    assert n > 250
    assert feasible_with(last.resolved, n) and not feasible_with(last.resolved, n + 1)


def test_not_one_fits_names_the_constraint():
    with pytest.raises(FitError, match=r"not one gb200-nvl72 fits: rack_power 128\.75 kW vs "
                       r"limit 100\.00 kW"):
        fit(load_resolved(None, ["site.max_rack_power_kw=100"]), "gb200-nvl72")


def test_existing_load_over_the_grid_is_reported():
    peak = records([load_resolved()], annual=False)[0]["facility_peak_mw"]
    with pytest.raises(FitError, match=rf"existing deployments already exceed the site: grid "
                       rf"{peak:.2f} MW vs limit 40\.00 MW; no dgx-h100 can be added"):
        fit(load_resolved(), "dgx-h100", keep_existing=True)


def test_unknown_system_is_named_by_the_argument_not_a_flag():
    with pytest.raises(ConfigError) as error:
        fit(load_resolved(), "gb900")
    assert error.value.lines()[0].startswith("system: unknown system 'gb900'; available:")


def test_modules_needed_by_hand():
    # Catcher: m blocks of 3 MW carry 3 (m - 1) MW; 37.18 MW needs m - 1 >= 12.39, so 14.
    assert modules_needed("catcher", 3e6, 37.18e6) == 14
    # 2N: 2 x 30 MW carries 30 MW; 31 MW needs 4 modules.
    assert modules_needed("2N", 30e6, 30e6) == 2 and modules_needed("2N", 30e6, 31e6) == 4
    # 4N/3 in fours: 4 x 10 MW carries 30 MW.
    assert modules_needed("4N/3", 10e6, 30e6) == 4 and modules_needed("4N/3", 10e6, 30.1e6) == 8


def test_requirements_are_what_the_design_point_draws():
    r = load_resolved()
    q = requirements(with_deployment(r, "gb200-nvl72", gpus=18000, keep_existing=False))
    record = q["record"]
    assert q["grid_mw"] == pytest.approx(record["facility_peak_mw"])
    assert q["ups_modules"] == 14 and q["ups_installed_mw"] == 42.0
    assert q["heat_rejection_mw"] == pytest.approx(record["design"]["cooling"]["heat_rejected_mw"])
    # A site built to these needs holds the deployment, given the margin of one more standby
    # set's 7.5 kW block heater: the sets follow the grid connection (17 x 2.4 = 40.8 MW).
    grid_mw = np.ceil((q["grid_mw"] + 0.0075) * 100) / 100
    built = load_resolved(None, [f"site.grid_mw={grid_mw}",
                                 f"electrical.ups.modules={q['ups_modules']}"])
    assert records([built], annual=False)[0]["feasible"]


def test_a_larger_grid_alone_says_loudly_that_the_plant_binds_first():
    from dcplanner.solvers.fit import grid_notes

    f = fit(load_resolved(None, ["site.grid_mw=100"]), "gb300-nvl72")
    [note] = grid_notes(f.record)
    # the 40 MW site's 50 MVA transformer, at the 0.95 power factor, binds first
    t = f.record["constraints"]["transformer"]
    unused_mw = 100.0 - f.record["facility_peak_mw"]
    assert note.startswith(f"transformer binds at {t['value']:.2f} of 50.00 MVA with "
                           f"{unused_mw:.2f} MW ({unused_mw:.1f}%) of the 100.00 MW grid "
                           "connection unused: raise electrical.transformer.rated_mva")
    assert t["value"] > 0.99 * 50.0 and unused_mw > 50.0
    scaled = fit(load_resolved(None, ["site.grid_mw=100", "electrical.ups.modules=40",
                                      "electrical.transformer.rated_mva=120"]), "gb300-nvl72")
    assert scaled.record["binding_constraint"] == "grid" and grid_notes(scaled.record) == []


def test_requirements_under_an_ab_feed_count_modules_per_side():
    # Each side must carry the whole UPS output: 14 catcher blocks of 3 MW per side, 84 MW
    # installed on the two sides.
    r = load_resolved(None, ["electrical.ups.feed=A/B"])
    q = requirements(with_deployment(r, "gb200-nvl72", gpus=18000, keep_existing=False))
    assert q["ups_modules"] == 14 and q["ups_installed_mw"] == 84.0 and q["ups_feed"] == "A/B"
