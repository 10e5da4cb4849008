"""Design-point engine: published figures, energy balance, invariants, batch == single."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dcplanner.config import load_resolved
from dcplanner.engine import evaluate, flatten
from dcplanner.engine.chain import facility_chain
from dcplanner.errors import ConfigError
from dcplanner.solvers.phases import expand
from tests.conftest import CONFIGS, records, scenario_from


def single(data, **changes):
    return records([scenario_from(data, **changes)])[0]


def test_paris_default_has_18000_gpus_and_plausible_figures(paris_data):
    r = single(paris_data)
    assert r["gpus"] == 18000 and r["racks"] == 250
    assert r["compute"]["peak_pflops"]["bf16"] == pytest.approx(18000 * 2500 / 1e3)
    assert r["compute"]["sustained_pflops"]["bf16"] == pytest.approx(45000 * 0.4)
    assert r["compute"]["hbm_tb"] == pytest.approx(18000 * 186 / 1e3)
    # GPUs at TDP: 18,000 x 1.2 kW; hosts: 250 x 42.35 kW (component sum at the wall).
    assert r["design"]["parts_mw"]["gpus"] == pytest.approx(21.6)
    assert r["design"]["parts_mw"]["hosts"] == pytest.approx(10.5875)
    assert 1.0 < r["pue_design"] < 1.4


def test_gb200_superpod_scalable_unit_within_10_percent(paris_data):
    # validation.md: 8 NVL72 racks (576 GPUs) with fabric and management = 1.2 MW, within 10 %.
    r = single(paris_data, deployments__0__count=8)
    assert r["it_design_mw"] == pytest.approx(1.2, rel=0.10)


def test_h100_server_level_power_per_gpu_matches_epoch_rule_of_thumb():
    # validation.md: 700 W x 1.82 = 1.27 kW per H100 at server level, within 10 %.
    r = records([load_resolved(CONFIGS / "h100-superpod.yaml")])[0]
    per_gpu_kw = r["deployments"][0]["system_design_kw"] / 8
    assert per_gpu_kw == pytest.approx(1.27, rel=0.10)
    assert r["deployments"][0]["system_design_kw"] == pytest.approx(10.2)  # DGX H100 rating


def test_h100_superpod_fabric_is_32_leaf_plus_16_spine():
    r = records([load_resolved(CONFIGS / "h100-superpod.yaml", ["deployments.0.count=127"])])[0]
    dep = r["deployments"][0]
    assert (dep["fabric_tiers"], dep["fabric_switches"]) == (2, 48)


def test_measured_h100_training_node_operating_share_of_rating():
    # validation.md: a training node peaks at 8.4 kW of 10.2 kW; operating in 0.75-0.90 of rated.
    r = records([load_resolved(CONFIGS / "h100-superpod.yaml")])[0]
    dep = r["deployments"][0]
    assert 0.75 <= dep["system_operating_kw"] / dep["system_design_kw"] <= 0.90


def test_facility_power_balances_each_part(paris_data):
    d = single(paris_data)["design"]
    e, c = d["electrical"], d["cooling"]
    total = (d["it_mw"] + e["distribution_loss_mw"] + e["ups_loss_mw"] + e["transformer_loss_mw"]
             + e["misc_mw"] + c["cooling_mw"])
    assert d["facility_mw"] == pytest.approx(total, rel=1e-12)
    assert sum(d["parts_mw"].values()) == pytest.approx(d["it_mw"], rel=1e-12)


def test_binding_constraint_and_feasibility(paris_data):
    r = single(paris_data, site__grid_mw=60)
    assert r["feasible"] is True and r["violated"] == []
    r = single(paris_data, site__grid_mw=30)
    assert r["feasible"] is False and r["binding_constraint"] == "grid"
    assert r["constraints"]["grid"]["headroom"] == pytest.approx(30 - r["facility_peak_mw"])
    r = single(paris_data, site__grid_mw=60, site__max_racks=200)
    assert r["violated"] == ["racks"] and r["binding_constraint"] == "racks"


def test_operating_basis_provisions_less_than_peak(paris_data):
    peak = single(paris_data)
    operating = single(paris_data, workload__provisioning_basis="operating")
    assert operating["it_design_mw"] < peak["it_design_mw"]
    # Meta-style: GPUs provisioned at 80 % of TDP.
    assert operating["design"]["parts_mw"]["gpus"] == pytest.approx(0.8 * 21.6)


def test_batch_equals_single_runs():
    resolved = [load_resolved(p) for p in sorted(CONFIGS.glob("*.yaml"))]
    resolved += [s.resolved for s in expand(load_resolved(CONFIGS / "paris-100mw.yaml"))]
    assert len({len(r.deployments) for r in resolved}) > 1  # padding is exercised
    assert records(resolved) == [records([r])[0] for r in resolved]


# Property tests run the batch engine on many variants at once.
def _batch(**columns):
    """Evaluate copies of the built-in Paris scenario with array columns replaced."""
    x = flatten([load_resolved()])
    n = len(next(iter(columns.values())))
    xs = {k: np.repeat(v, n, axis=0) for k, v in x.items()}
    for key, values in columns.items():
        xs[key][...] = np.asarray(values).reshape((n,) + (1,) * (xs[key].ndim - 1))
    return evaluate(xs)


@settings(max_examples=25, deadline=None)
@given(
    counts=st.lists(st.integers(1, 2000), min_size=2, max_size=8),
    tdp=st.floats(300, 2000),
    ambient=st.floats(-10, 48),
)
def test_facility_at_least_it_and_pue_at_least_one(counts, tdp, ambient):
    out = _batch(count=counts, gpu_tdp_w=[tdp] * len(counts),
                 design_dry_bulb_c=[ambient] * len(counts),
                 design_dew_point_c=[min(ambient, 13.7)] * len(counts))
    for basis in ("design", "operating"):
        assert np.all(out[f"{basis}_facility_w"] >= out[f"{basis}_it_w"])
        assert np.all(out[f"{basis}_pue"] >= 1.0)


@settings(max_examples=25, deadline=None)
@given(
    field=st.sampled_from(["count", "gpu_tdp_w", "design_dry_bulb_c"]),
    start=st.floats(0.1, 0.9),
)
def test_power_never_falls_when_gpus_tdp_or_ambient_rise(field, start):
    ranges = {"count": (1, 600), "gpu_tdp_w": (400, 2000), "design_dry_bulb_c": (14, 48)}
    lo, hi = ranges[field]
    values = np.linspace(lo + start * (hi - lo) / 2, hi, 12)
    if field == "count":
        values = np.round(values)
    out = _batch(**{field: values})
    assert np.all(np.diff(out["design_facility_w"]) >= -1e-6)
    assert np.all(np.diff(out["design_it_w"]) >= -1e-6)


def test_facility_chain_broadcasts_over_hours_and_agrees_with_the_design_point():
    # The same IT load at the design ambient in every "hour" gives the design-point facility
    # power; a hotter hour never gives less.
    x = flatten([load_resolved()])
    out = evaluate(x)
    it_w = np.repeat(out["design_it_w"][:, None], 3, axis=1)
    liquid_w = np.repeat(out["design_liquid_heat_w"][:, None], 3, axis=1)
    dry = np.array([[42.0, 42.0, 44.0]])
    wet = np.full((1, 3), out["design_wet_bulb_c"][0])
    hourly = facility_chain(x, it_w, liquid_w, dry, wet)
    assert hourly["facility_w"].shape == (1, 3)
    np.testing.assert_allclose(hourly["facility_w"][0, :2], out["design_facility_w"][0],
                               rtol=1e-12)
    assert hourly["facility_w"][0, 2] >= hourly["facility_w"][0, 0]


def test_the_facility_peak_under_each_provisioning_basis(paris_data):
    r = single(paris_data)
    p = r["provisioning"]
    # nameplate: every rack at its 132 kW shelf capacity, as a plant sized on nameplate
    nameplate = single(paris_data, workload__provisioning_basis="nameplate")
    assert p["nameplate_mw"] == pytest.approx(nameplate["facility_peak_mw"], rel=1e-12)
    assert p["peak_mw"] == pytest.approx(r["facility_peak_mw"], rel=1e-12)  # the chosen basis
    operating = single(paris_data, workload__provisioning_basis="operating")
    assert p["operating_mw"] == pytest.approx(operating["facility_peak_mw"], rel=1e-12)
    capped = single(paris_data, catalog={"accelerators": {"gb200": {"power_cap_w": 960}}})
    assert capped["design"]["parts_mw"]["gpus"] == pytest.approx(18_000 * 960 / 1e6)
    assert p["capped_mw"] == pytest.approx(capped["facility_peak_mw"], rel=1e-12)
    dry = single(paris_data, cooling__adiabatic__enabled=False)
    assert p["no_water_mw"] == pytest.approx(dry["facility_peak_mw"], rel=1e-12)
    assert p["operating_mw"] < p["capped_mw"] < p["peak_mw"] < p["nameplate_mw"] \
        < p["no_water_mw"]


def test_a_plant_sized_on_nameplate_puts_every_system_at_its_supply_capacity(paris_data):
    r = single(paris_data, workload__provisioning_basis="nameplate")
    assert r["deployments"][0]["system_design_kw"] == pytest.approx(132.0)
    assert r["facility_peak_mw"] == pytest.approx(r["provisioning"]["nameplate_mw"])


def test_a_liquid_loop_given_on_the_chip_side_is_cooled_the_cdu_approach_colder(paris_data):
    facility = single(paris_data)
    chip = single(paris_data, cooling__liquid__side="chip")
    assert facility["liquid_loop"] == {"facility_supply_c": 35.0, "facility_return_c": 45.0,
                                       "chip_supply_c": 40.0, "chip_return_c": 50.0}
    assert chip["liquid_loop"]["facility_supply_c"] == 30.0
    assert chip["liquid_loop"]["chip_supply_c"] == 35.0
    # colder facility water: less free cooling, more chiller at the design hour
    assert chip["design"]["cooling"]["liquid_free_cooling_frac"] < \
        facility["design"]["cooling"]["liquid_free_cooling_frac"]
    assert chip["facility_peak_mw"] > facility["facility_peak_mw"] + 1.0
    # with no approach the two readings are the same plant
    same = single(paris_data, cooling__liquid__side="chip", cooling__liquid__cdu_approach_k=0)
    assert same["facility_peak_mw"] == pytest.approx(facility["facility_peak_mw"], rel=1e-12)
    # the facility reading is the facility water itself, whatever the approach
    wide = single(paris_data, cooling__liquid__cdu_approach_k=8)
    assert wide["facility_peak_mw"] == pytest.approx(facility["facility_peak_mw"], rel=1e-12)


def test_a_chip_side_loop_whose_facility_water_would_freeze_is_refused():
    with pytest.raises(ConfigError, match=r"cooling\.liquid: a chip-side supply of 3 °C with a "
                       r"5 K CDU approach needs facility water at -2 °C"):
        load_resolved(None, ["cooling.liquid.side=chip", "cooling.liquid.supply_c=3",
                             "cooling.liquid.return_c=13"])


def test_an_air_side_economizer_lowers_the_annual_pue_not_the_design_hour(paris_data):
    base = single(paris_data)
    econ = single(paris_data, cooling__air__economizer="indirect")
    # the design hour (42 °C) is above the hall's 36 °C return: no economizer then
    assert econ["facility_peak_mw"] == pytest.approx(base["facility_peak_mw"], rel=1e-12)
    assert econ["annual"]["pue"] < base["annual"]["pue"]
    hours = econ["annual"]["cooling_hours"]["air"]
    assert hours["free"] > base["annual"]["cooling_hours"]["air"]["free"]
