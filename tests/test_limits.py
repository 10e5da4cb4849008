"""Impossible plans are refused or infeasible, and no result that is not finite is shown:
the transformer's rating, UPS curves, fabric depth, domain limits and the finite-output guard."""

from __future__ import annotations

import importlib
import json

import numpy as np
import pytest

from dcplanner.config import load, load_resolved
from dcplanner.engine import run
from dcplanner.errors import ConfigError, DcplannerError
from dcplanner.output import View, render, write_atomic
from dcplanner.output.files import _umask
from dcplanner.study import load_study, run_study


def test_a_transformer_carrying_more_than_its_rating_is_infeasible():
    # 50 MVA behind a 2,400 MW connection: the grid holds, the transformer does not.
    [record] = run([load_resolved(None, ["site.grid_mw=2400", "deployments.0.count=16000",
                                         "electrical.ups.module_mw=300"])]).records()
    transformer = record["constraints"]["transformer"]
    assert transformer["status"] == "VIOLATED" and transformer["limit"] == 50.0
    # apparent power: the real power at the site's 0.95 power factor
    assert transformer["value"] == pytest.approx(record["facility_peak_mw"] / 0.95, rel=1e-12)
    assert not record["feasible"] and record["binding_constraint"] == "transformer"


def test_a_transformer_left_to_its_default_is_the_grid_connection_and_not_a_second_limit():
    [record] = run([load_resolved(None, ["electrical.transformer.rated_mva=null"])],
                   annual=False).records()
    assert record["constraints"]["transformer"]["status"] == "not set"


def test_a_ups_curve_whose_losses_fall_with_load_is_refused():
    with pytest.raises(ConfigError, match=r"electrical\.ups\.efficiency_curve: losses must not "
                       r"fall as the load rises \(loss per rated output 0\.1000, 0\.0155, "
                       r"0\.0101 at load_frac 0\.1, 0\.5, 1\)"):
        load_resolved(None, ["electrical.ups.efficiency_preset=null",
                             "electrical.ups.efficiency_curve={load_frac: [0.1, 0.5, 1.0], "
                             "efficiency: [0.5, 0.97, 0.99]}"])
    # flat efficiency: losses grow in proportion to the load, accepted
    load_resolved(None, ["electrical.ups.efficiency_preset=null",
                         "electrical.ups.efficiency_curve={load_frac: [0.1, 1.0], "
                         "efficiency: [0.97, 0.97]}"])


def test_a_fabric_deeper_than_five_tiers_is_an_error_naming_the_count():
    with pytest.raises(ConfigError, match=r"deployments\.0\.count: 144,000,000 fabric "
                       r"endpoints \(2,000,000 x 72 GPUs x 1 ports\); a fat tree of "
                       r"ib-ndr-qm9700's 64-port switches connects at most 67,108,864 in 5 "
                       r"tiers"):
        load_resolved(None, ["deployments.0.count=2000000"])


@pytest.mark.parametrize("override, message", [
    ("cooling.dry_cooler.fan_efficiency=5e-324", "greater than or equal to 0.01"),
    ("site.grid_mw=1e308", "less than or equal to 100000"),
    ("site.grid_mw=1e-320", "greater than or equal to 0.001"),
    ("workload.mfu_frac=1e-320", "greater than or equal to 0.01"),
    ("electrical.transformer.rated_mva=1e300", "less than or equal to 100000"),
])
def test_inputs_beyond_the_domain_are_refused_by_field(override, message):
    with pytest.raises(ConfigError, match=message) as error:
        load(None, [override])
    assert error.value.lines()[0].startswith(f"override {override}: {override.split('=')[0]}")


def test_a_result_that_is_not_finite_is_refused_by_name(monkeypatch):
    from dcplanner.engine import design

    real = design.evaluate

    def overflowing(x):
        out = real(x)
        out["design_facility_w"] = np.full_like(out["design_facility_w"], np.inf)
        return out

    monkeypatch.setattr(importlib.import_module("dcplanner.engine.run"), "evaluate", overflowing)
    with pytest.raises(ConfigError, match=r"^result facility_peak_mw is not a finite number"):
        run([load_resolved()], annual=False)


def test_nothing_that_is_not_finite_is_rendered_in_any_format():
    view = View({"a": {"b": [1.0, float("inf")]}}, table=lambda: "t", rows=lambda: [])
    for fmt in ("json", "table", "csv"):
        with pytest.raises(DcplannerError, match=r"^result a\.b\.1 is not a finite number"):
            render(view, fmt)
    assert json.loads(render(View({"a": None, "b": 1.5}, table=lambda: ""), "json")) == \
        {"a": None, "b": 1.5}


def test_a_study_case_whose_result_is_not_finite_is_an_invalid_case(tmp_path, monkeypatch):
    from dcplanner.engine import design

    real = design.evaluate

    def overflow_one(x):
        out = real(x)
        out["design_facility_w"] = np.where(x["grid_w"] > 45e6, np.inf,
                                            out["design_facility_w"])
        return out

    monkeypatch.setattr(importlib.import_module("dcplanner.engine.run"), "evaluate",
                        overflow_one)
    path = tmp_path / "s.yaml"
    path.write_text("name: s\nannual: false\ngrid: {site.grid_mw: [40, 50]}\n"
                    "outputs: [facility_peak_mw, pue_design]\n", encoding="utf-8")
    manifest = run_study(load_study(path), tmp_path / "out")
    lines = (tmp_path / "out" / "cases.csv").read_text(encoding="utf-8").splitlines()
    assert lines[2].startswith('1,50,,,"result facility_peak_mw is not a finite number')
    assert "1 of 2 cases are invalid" in manifest["notes"][0]
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert all(row["count"] == 1 for row in summary)


def test_an_output_through_a_symlink_writes_its_target_and_keeps_the_link(tmp_path):
    target = tmp_path / "real.json"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    write_atomic(link, "new")
    assert link.is_symlink() and target.read_text(encoding="utf-8") == "new"
    assert oct(target.stat().st_mode & 0o777) == oct(0o666 & ~_umask())
