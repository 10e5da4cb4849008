"""Oversubscription (dcplanner.models.oversubscription) and its headroom figures."""

import numpy as np
import pytest

from dcplanner.config import load_resolved
from dcplanner.models.electrical import TOPOLOGIES
from dcplanner.models.oversubscription import budget_w, capped_hours, reserve_gain_frac
from dcplanner.solvers.headroom import headroom, hourly_facility_w


def test_a_4n3_reserve_carrying_capped_load_gives_a_third_more():
    assert float(reserve_gain_frac(TOPOLOGIES.index("4N/3"), 4)) == pytest.approx(1 / 3,
                                                                                  rel=1e-12)


@pytest.mark.parametrize(("topology", "modules", "gain"), [
    ("N", 4, 0.0), ("3N/2", 3, 0.5), ("2N", 2, 1.0), ("catcher", 15, 1 / 14),
    ("N+1", 5, 0.25)])
def test_reserve_gain_by_hand(topology, modules, gain):
    assert float(reserve_gain_frac(TOPOLOGIES.index(topology), modules)) == pytest.approx(
        gain, rel=1e-12, abs=1e-12)


def test_budget_at_a_percentile_by_hand():
    assert float(budget_w(np.arange(101.0)[None], 0.99)[0]) == pytest.approx(99.0, rel=1e-12)
    assert float(capped_hours(0.999, 8760)) == pytest.approx(8.76, rel=1e-12)


def test_the_paris_p999_budget():
    r = load_resolved()
    h = headroom(r)
    f = h.figures
    assert f["budget_mw"] < f["peak_mw"] < f["connection_mw"]
    assert f["oversubscribed_gpus"] >= f["firm_gpus"] >= f["gpus"]
    assert f["capped_hours"] <= 8.76
    n = int(f["firm_count"] + f["oversubscribed_extra_gpus"] / 72)
    over = (hourly_facility_w(r, np.array([n + 1])) > 40e6).sum()
    assert over > 8.76  # one more system would be capped longer than the budget
    assert f["ups_reserve_gain_frac"] == pytest.approx(1 / 14, rel=1e-12)  # 15-block catcher
