"""Phased build-out: states accumulate, fills use the fit, bad phases get clear errors."""

import pytest

from dcplanner.config import load, load_resolved
from dcplanner.errors import ConfigError
from dcplanner.solvers.check import check
from dcplanner.solvers.phases import expand, run_phases
from tests.conftest import CONFIGS, records


def phased(*phases, overrides=()):
    """A phased scenario, loaded and checked (its phases applied) as `dcplanner validate`."""
    loaded = load(None, [f"phases={list(phases)!r}", *overrides])
    with loaded.errors():
        check(loaded.resolved)
    return loaded.resolved


def phase(name, start, **changes):
    return {"name": name, "start": start, **changes}


def test_adding_then_retiring_returns_to_the_start():
    r = phased(
        phase("build", "2026-01-01"),
        phase("grow", "2027-01-01", grid_mw=100,
              add=[{"system": "gb300-nvl72", "count": 100, "name": "new"}]),
        phase("shrink", "2028-01-01", grid_mw=40,
              retire=[{"name": "new", "count": 60}, {"name": "new"}]),
    )
    states = expand(r)
    assert [len(s.resolved.deployments) for s in states] == [1, 2, 1]
    first, grown, last = records([s.resolved for s in states])
    assert grown["gpus"] == first["gpus"] + 7200
    first.pop("scenario"), last.pop("scenario")
    assert first == last


def test_partial_retirement_reduces_the_count():
    r = phased(phase("a", "2026-01-01", retire=[{"name": "GB200 NVL72 (phase 1)",
                                                  "count": 50}]))
    assert expand(r)[0].resolved.deployments[0].count == 200


def test_timeline_is_one_batch_equal_to_single_runs():
    r = load_resolved(CONFIGS / "paris-100mw.yaml")
    timeline, _ = run_phases(r)
    states = expand(r)
    for entry, state in zip(timeline["phases"], states, strict=True):
        assert entry["record"] == records([state.resolved])[0]
    assert timeline["phases"][1]["changes"]["add"][0] == {
        "system": "gb300-nvl72", "name": "GB300 NVL72 (extension)", "fill": True,
        "count": states[1].filled}


def test_a_later_grid_cap_below_the_carried_load_is_shown_infeasible():
    r = phased(phase("one", "2026-01-01", grid_mw=50),
               phase("cut", "2027-01-01", grid_mw=30))
    timeline, _ = run_phases(r, annual=False)
    one, cut = (p["record"] for p in timeline["phases"])
    assert one["feasible"] and not cut["feasible"] and cut["violated"] == ["grid"]


def test_fill_with_nothing_left_names_the_phase():
    peak = records([load_resolved()], annual=False)[0]["facility_peak_mw"]
    with pytest.raises(ConfigError, match=r"phases\.0\.add\.0: cannot fill with gb300-nvl72: "
                       rf"the existing deployments already exceed the site: grid {peak:.2f} MW"):
        phased(phase("fill", "2026-01-01", add=[{"system": "gb300-nvl72", "fill": True}]))


@pytest.mark.parametrize(
    ("phases", "message"),
    [
        ([phase("a", "2026-01-01", retire=[{"name": "old"}])],
         "phases.0.retire.0.name: no deployment 'old' to retire; deployed: GB200 NVL72 (phase 1)"),
        ([phase("a", "2026-01-01", retire=[{"name": "GB200 NVL72 (phase 1)", "count": 300}])],
         "phases.0.retire.0.count: cannot retire 300 of 'GB200 NVL72 (phase 1)': 250 deployed"),
        ([phase("a", "2026-01-01", add=[{"system": "gb900", "count": 1}])],
         "phases.0.add.0.system: unknown system 'gb900'; available: dgx-a100"),
        ([phase("a", "2026-01-01", heat_rejection_mw_added=10)],
         "phases.0.heat_rejection_mw_added: the site sets no such limit to add to"),
        ([phase("a", "2026-01-01"), phase("b", "2025-01-01")],
         "phases: start dates must increase from one phase to the next"),
        ([phase("a", "2026-01-01", add=[{"system": "gb300-nvl72", "count": 1, "fill": True}])],
         "phases.0.add.0: give exactly one of count, gpus or fill: true"),
        ([phase("a", "2026-01-01", ups_modules_added=1)],
         "phases.0.electrical.ups: modules = 15 does not fit topology 2N"),
    ],
)
def test_bad_phases_get_clear_errors(phases, message):
    overrides = ["electrical.ups.topology=2N", "electrical.ups.modules=14"] \
        if "2N" in message else []
    with pytest.raises(ConfigError) as error:
        phased(*phases, overrides=overrides)
    assert any(message in line for line in error.value.lines()), error.value.lines()
