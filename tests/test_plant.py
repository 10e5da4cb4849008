"""The plant follows the grid (dcplanner.solvers.plant): a 100 MW answer is a 100 MW site."""

import json

import numpy as np
import pytest
from click.testing import CliRunner

from dcplanner.cli import main
from dcplanner.config import load_resolved
from dcplanner.engine import flatten
from dcplanner.errors import ConfigError
from dcplanner.solvers.plant import follow_grid, given_parts, grown_plant, load_with_grid
from dcplanner.study import load_study, run_study


def fit_json(*args):
    result = CliRunner().invoke(main, ["fit", "--system", "gb300-nvl72", *args,
                                       "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_a_larger_grid_grows_the_ups_and_transformer_by_the_rule():
    loaded, notes = load_with_grid(None, [], [("site.grid_mw=100", "--grid-mw 100")])
    r = loaded.resolved
    e = r.scenario.electrical
    # 42 MW usable at 40 MW -> 105 MW: 35 active catcher blocks of 3 MW + 1 reserve
    assert e.ups.modules == 36 and e.transformer.rated_mva == pytest.approx(125.0)
    [note] = notes
    assert note.startswith("plant scaled with the grid connection 40 -> 100 MW")
    assert "electrical.ups.modules 15 -> 36 (42.00 -> 105.00 MW usable)" in note
    assert "electrical.transformer.rated_mva 50 -> 125" in note


def test_fit_on_a_100_mw_grid_is_bound_by_the_grid_not_the_40_mw_plant():
    d = fit_json("--grid-mw", "100")
    r = d["record"]
    assert r["binding_constraint"] == "grid" and r["ups"]["modules"] == 36
    assert r["constraints"]["transformer"]["limit"] == pytest.approx(125.0)
    # the generators follow the connection: 100 / (3 MVA x 0.8) = 41.7 -> 42 + 1
    assert r["generators"]["units"] == 43
    assert d["notes"][0].startswith("plant scaled with the grid connection 40 -> 100 MW")
    # --set site.grid_mw is the same question as --grid-mw
    assert fit_json("--set", "site.grid_mw=100")["count"] == d["count"]


def test_keep_plant_says_loudly_that_the_plant_is_the_small_sites():
    d = fit_json("--grid-mw", "100", "--keep-plant")
    assert d["record"]["binding_constraint"] == "transformer"
    assert d["notes"][0] == ("plant NOT scaled with the grid connection (--keep-plant): "
                             "electrical.ups, electrical.transformer are those of the 40 MW "
                             "site, not of a 100 MW one")
    assert d["notes"][1].startswith("transformer binds at")


def test_a_plant_limit_the_question_sets_is_kept_and_named():
    d = fit_json("--grid-mw", "100", "--set", "electrical.ups.modules=20")
    assert d["record"]["ups"]["modules"] == 20
    assert d["record"]["binding_constraint"] == "ups"
    assert "NOT scaled with the 100 MW grid connection: electrical.ups, as the question sets " \
           "it" in d["notes"]
    assert given_parts(["electrical.ups.module_mw"]) == {"ups"}
    assert given_parts(["electrical.ups.efficiency_preset", "electrical.ups.pumps_on_ups",
                        "electrical.transformer.load_loss_frac"]) == set()
    assert given_parts(["electrical"]) == {"ups", "transformer"}


def test_a_smaller_grid_keeps_the_plant():
    loaded, notes = load_with_grid(None, ["site.grid_mw=30"])
    r = loaded.resolved
    assert r.scenario.electrical.ups.modules == 15 and notes == []


def test_generators_follow_the_grid_unless_a_count_is_given():
    # unset (the default): N+1 on the connection, 18 at 40 MW, 43 at 100 MW
    r = load_with_grid(None, [], ["site.grid_mw=100"])[0].resolved
    assert r.scenario.electrical.generators.units is None
    # a given count must cover the larger connection: refused by name
    with pytest.raises(ConfigError, match=r"electrical\.generators\.units: units = 18 with "
                       r"redundant_units = 1 does not cover the site\.grid_mw = 100 MW grid "
                       r"connection with sets of 3 MVA: at least 43 sets"):
        load_with_grid(None, ["electrical.generators.units=18"], ["site.grid_mw=100"])


def test_the_array_rule_equals_the_scenario_rule():
    # The study path (arrays) and fit/optimize (scenarios) grow the plant alike.
    written = load_resolved(None, ["site.grid_mw=100"])
    grown, _ = follow_grid(written, 40)
    for topology, modules in (("catcher", 15), ("N+1", 8), ("2N", 4), ("4N/3", 8)):
        sets = [f"electrical.ups.topology={topology}", f"electrical.ups.modules={modules}"]
        x = grown_plant(flatten([load_resolved(None, [*sets, "site.grid_mw=100"])]), 40e6)
        want, _ = follow_grid(load_resolved(None, [*sets, "site.grid_mw=100"]), 40)
        assert x["ups_modules"][0] == want.scenario.electrical.ups.modules
    x = grown_plant(flatten([written]), np.array([40e6]))
    assert x["ups_modules"][0] == grown.scenario.electrical.ups.modules
    assert x["transformer_rated_w"][0] == pytest.approx(125e6)


STUDY = """
name: grid follows
base: {base}
zip:
  site.grid_mw: [40, 100]
annual: false
fit: {{system: gb300-nvl72}}
outputs: [binding_constraint, ups.modules, constraints.transformer.limit, generators.units]
"""


def test_a_study_that_varies_the_grid_grows_the_plant(tmp_path):
    from tests.conftest import CONFIGS

    path = tmp_path / "s.yaml"
    path.write_text(STUDY.format(base=CONFIGS / "paris-40mw.yaml"), encoding="utf-8")
    out = tmp_path / "out"
    manifest = run_study(load_study(path), out)
    assert manifest["notes"] == ["site.grid_mw varied: cases above the base's 40 MW grow the "
                                 "plant with it (usable UPS capacity and transformer rating in "
                                 "proportion to the grid connection)"]
    rows = (out / "cases.csv").read_text(encoding="utf-8").splitlines()
    header = rows[0].split(",")
    cases = [dict(zip(header, row.split(","), strict=True)) for row in rows[1:]]
    assert [c["ups.modules"] for c in cases] == ["15", "36"]
    assert [float(c["constraints.transformer.limit"]) for c in cases] == [50.0, 125.0]
    assert [c["generators.units"] for c in cases] == ["18", "43"]
    # the 100 MW case fits what `fit --grid-mw 100` fits
    assert cases[1]["fit.count"] == str(fit_json("--grid-mw", "100")["count"])


def test_a_study_that_sets_a_larger_grid_grows_the_base_plant_and_says_so(tmp_path):
    from tests.conftest import CONFIGS

    path = tmp_path / "s.yaml"
    path.write_text(f"""
name: set grid
base: {CONFIGS / "paris-40mw.yaml"}
set: {{site.grid_mw: 100}}
grid: {{workload.mfu_frac: [0.4]}}
annual: false
outputs: [ups.modules, constraints.transformer.limit]
""", encoding="utf-8")
    manifest = run_study(load_study(path), tmp_path / "out")
    rows = (tmp_path / "out" / "cases.csv").read_text(encoding="utf-8").splitlines()
    header, row = rows[0].split(","), rows[1].split(",")
    case = dict(zip(header, row, strict=True))
    assert case["ups.modules"] == "36" and case["constraints.transformer.limit"] == "125.0"
    assert any(n.startswith("plant scaled with the grid connection 40 -> 100 MW")
               for n in manifest["notes"])
