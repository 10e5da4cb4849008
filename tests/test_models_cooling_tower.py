"""The cooling-tower plant against hand-computed references, and its place in the engine."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dcplanner.config import load_resolved
from dcplanner.engine import run
from dcplanner.models.cooling import cooling_tower as ct
from dcplanner.models.cooling.plants import cooling_tower_plant
from tests.conftest import CONFIGS

LOOPS = dict(liquid_supply_c=35.0, liquid_return_c=45.0, liquid_pump_pa=250e3,
             liquid_pump_efficiency=0.7, air_water_supply_c=18.0, air_water_return_c=24.0,
             air_pump_pa=250e3, air_pump_efficiency=0.7, air_delta_k=12.0, air_fan_pa=486.0,
             air_fan_efficiency=0.7, chip_pump_pa=0.0, cdu_approach_k=5.0,
             liquid_glycol_frac=0.0, chip_glycol_frac=0.0, glycol_approach_k=1.5)
TOWER = dict(tower_approach_k=3.9, tower_range_k=5.6, tower_min_water_c=4.0,
             tower_fan_w_per_w=0.0105, tower_evaporated_frac=1.0, tower_cycles=3.0,
             tower_drift_frac=8e-5, economizer_approach_k=2.0, condenser_pump_pa=210e3,
             condenser_pump_efficiency=0.7, carnot_frac=0.63, max_cop=11.8)
RHO, CP, HFG = 995.6, 4178.0, 2.4298e6  # water near 30 °C, as dcplanner.units


def test_tower_water_follows_the_wet_bulb_down_to_its_minimum():
    assert ct.tower_water_c(20.0, 3.9, 4.0) == pytest.approx(23.9)
    np.testing.assert_allclose(ct.tower_water_c([-5.0, 0.1, 10.0], 3.9, 4.0), [4.0, 4.0, 13.9])


def test_makeup_water_by_hand():
    q, rng = 1e6, 5.6
    evaporated = q / HFG  # 0.4116 kg/s per MW, all latent
    drift = 8e-5 * q / (CP * rng)
    blowdown = evaporated / (3 - 1) - drift
    assert ct.makeup_water_kg_per_s(q, rng, 1.0, 3.0, 8e-5) == pytest.approx(
        evaporated + drift + blowdown, rel=1e-12)
    # Drift above what the cycles need: no blowdown.
    assert ct.makeup_water_kg_per_s(q, rng, 1.0, 3.0, 0.01) == pytest.approx(
        evaporated + 0.01 * q / (CP * rng), rel=1e-12)


def test_plant_at_the_paris_design_hour_by_hand():
    # 10 MW to the 35/45 °C liquid loop, 2 MW to room air, 23.7 °C wet bulb.
    p = cooling_tower_plant(10e6, 2e6, 42.0, 23.7, **LOOPS, **TOWER)
    liquid_pump = 10e6 / (RHO * CP * 10) * 250e3 / 0.7
    air_fan = 2e6 / (1.2 * 1006 * 12) * 486 / 0.7
    air_pump = (2e6 + air_fan) / (RHO * CP * 6) * 250e3 / 0.7
    tower_c = 23.7 + 3.9  # 27.6 °C: above the loop's 35 - 2 K, so the liquid loop is free
    assert p["tower_water_c"] == pytest.approx(tower_c)
    assert p["liquid_free_frac"] == 1.0
    # Air loop: 18/24 °C water, tower water + 2 K = 29.6 °C > 24 °C: all on chillers.
    assert p["air_free_frac"] == 0.0
    lift = tower_c + 5.6 - 18.0
    cop = min(0.63 * (18.0 + 273.15) / lift, 11.8)
    assert p["air_cop"] == pytest.approx(cop)
    chiller = (2e6 + air_fan + air_pump) / cop
    assert p["chiller_w"] == pytest.approx(chiller, rel=1e-12)
    rejected = 10e6 + liquid_pump + 2e6 + air_fan + air_pump + chiller
    condenser_pump = rejected / (RHO * CP * 5.6) * 210e3 / 0.7
    assert p["condenser_pump_w"] == pytest.approx(condenser_pump, rel=1e-12)
    assert p["heat_rejected_w"] == pytest.approx(rejected + condenser_pump, rel=1e-12)
    assert p["tower_fan_w"] == pytest.approx(0.0105 * (rejected + condenser_pump), rel=1e-12)
    assert p["pump_w"] == pytest.approx(liquid_pump + air_pump + condenser_pump, rel=1e-12)
    assert p["cooling_w"] == pytest.approx(
        p["pump_w"] + air_fan + p["tower_fan_w"] + chiller, rel=1e-12)
    assert p["fan_w"] == pytest.approx(air_fan + p["tower_fan_w"], rel=1e-12)


def test_partial_economizer_share_by_hand():
    # Air loop 18/24 °C; wet bulb 10 °C: tower water 13.9 °C, + 2 K = 15.9 °C leaving the
    # exchanger: it covers (24 - 15.9) / (24 - 18) = 1.35 -> all; at 14 °C wet bulb:
    # 19.9 °C, (24 - 19.9) / 6 = 0.683.
    p = cooling_tower_plant(0.0, 2e6, 20.0, np.array([10.0, 14.0]), **LOOPS, **TOWER)
    np.testing.assert_allclose(p["air_free_frac"], [1.0, (24 - 19.9) / 6], rtol=1e-12)


@settings(max_examples=30, deadline=None)
@given(wet_bulb=st.floats(-10, 30), heat=st.floats(0, 50e6))
def test_more_wet_bulb_never_less_power_and_water_grows_with_heat(wet_bulb, heat):
    cold = cooling_tower_plant(heat, 0.2 * heat, 30.0, wet_bulb, **LOOPS, **TOWER)
    warm = cooling_tower_plant(heat, 0.2 * heat, 30.0, wet_bulb + 2.0, **LOOPS, **TOWER)
    assert warm["cooling_w"] >= cold["cooling_w"] - 1e-6
    more = cooling_tower_plant(heat + 1e6, 0.2 * heat, 30.0, wet_bulb, **LOOPS, **TOWER)
    assert more["water_kg_per_s"] > cold["water_kg_per_s"]


@pytest.fixture(scope="module")
def towers_and_dry_coolers():
    resolved = [load_resolved(CONFIGS / "paris-40mw-cooling-tower.yaml"),
                load_resolved(CONFIGS / "paris-40mw.yaml")]
    return resolved, run(resolved)


def test_the_shipped_tower_config_runs_with_its_own_outputs(towers_and_dry_coolers):
    _, result = towers_and_dry_coolers
    tower, dry = result.records()
    assert tower["cooling_plant"] == "cooling_tower" and dry["cooling_plant"] == "dry_cooler"
    assert "tower_fans_mw" in tower["design"]["cooling"]
    assert "dry_cooler_fans_mw" not in tower["design"]["cooling"]
    assert "adiabatic_water_m3_per_h" in dry["design"]["cooling"]
    # Evaporating the heat costs far more water than pads that run only in the warm hours.
    assert tower["annual"]["water_m3"] > 10 * dry["annual"]["water_m3"]


def test_a_batch_mixing_plants_equals_each_plant_alone(towers_and_dry_coolers):
    resolved, mixed = towers_and_dry_coolers
    for i, r in enumerate(resolved):
        assert run([r]).records()[0] == mixed.records()[i]


def test_every_plant_returns_the_common_keys():
    from dcplanner.engine import flatten
    from dcplanner.models.cooling import COMMON_KEYS, PLANTS, plant_arguments
    x = flatten([load_resolved(CONFIGS / "paris-40mw-cooling-tower.yaml")])
    for name, plant in PLANTS.items():
        out = plant(10e6, 2e6, 30.0, 20.0, **{k: x[k] for k in plant_arguments(name)})
        assert set(COMMON_KEYS) <= set(out), (name, set(COMMON_KEYS) - set(out))
