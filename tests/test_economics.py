"""Economics and carbon of a scenario, by hand from the record's own inputs."""

import numpy as np
import pytest

from dcplanner.config import load_resolved
from dcplanner.engine import evaluate, flatten
from dcplanner.engine.annual import simulate
from dcplanner.engine.hourly import hourly_inputs
from dcplanner.errors import ConfigError
from dcplanner.models.economics import capital_recovery_factor
from tests.conftest import records


@pytest.fixture(scope="module")
def paris():
    return records([load_resolved()])[0]


def test_capex_opex_and_tco_by_hand(paris):
    e = paris["economics"]
    facility = paris["it_design_mw"] * 8.4e6 * 1.085
    it = 250 * 3.4e6 * 0.923
    network = 0.10 * it
    storage = 0.0125 * (facility + it + network)
    cap = e["capex_eur"]
    assert cap["facility"] == pytest.approx(facility)
    assert cap["it_hardware"] == pytest.approx(it)
    assert cap["total"] == pytest.approx(facility + it + network + storage)
    assert sum(cap["facility_by_category"].values()) == pytest.approx(facility)
    annualized = (facility * capital_recovery_factor(0.08, 20)
                  + (it + network + storage) * capital_recovery_factor(0.08, 5))
    assert e["annualized_capex_eur"] == pytest.approx(annualized)
    energy = paris["annual"]["facility_mwh"] * (87 + 0 + 12)
    assert e["opex_eur"]["energy"] == pytest.approx(energy)
    opex = energy + 0.02 * facility + 40 * 90_000
    assert e["tco_eur_per_year"] == pytest.approx(annualized + opex)
    assert e["cost_per_gpu_hour_eur"] == pytest.approx((annualized + opex) / (18_000 * 8760))
    assert e["energy_share_of_tco_frac"] == pytest.approx(energy / (annualized + opex))
    pflop_days = 45_000 * 0.40 * 1.0 * 365
    assert e["cost_per_sustained_pflop_day_eur"] == pytest.approx((annualized + opex)
                                                                  / pflop_days)


def test_carbon_presets_and_numbers(paris):
    mwh = paris["annual"]["facility_mwh"]
    assert paris["carbon"]["operational_tco2e"] == pytest.approx(mwh * 21.7 / 1000)
    for preset, grams in (("fr-lifecycle-2022", 73.0), (40.0, 40.0)):
        [r] = records([load_resolved(None, [f"carbon.grid_intensity={preset}"])])
        assert r["carbon"]["operational_tco2e"] == pytest.approx(mwh * grams / 1000)


def test_hourly_intensity_file_weights_each_hour(tmp_path):
    grams = np.where(np.arange(8760) % 24 < 12, 10.0, 50.0)
    (tmp_path / "g.csv").write_text("g_per_kwh\n" + "\n".join(f"{g:g}" for g in grams),
                                    encoding="utf-8")
    r = load_resolved(None, [f"carbon.intensity_file={tmp_path / 'g.csv'}"])
    x = flatten([r])
    year = simulate(hourly_inputs([r]), x, evaluate(x), keep_hourly=[0])
    expected = (year.hourly[0]["facility_w"] * grams).sum() / 1e3 / 1e6
    assert year.values["carbon_tco2e"][0] == pytest.approx(expected)


def test_embodied_carbon_over_the_it_lifetime():
    [r] = records([load_resolved(None, ["carbon.embodied_tco2e_per_system={gb200-nvl72: 100}"])])
    assert r["carbon"]["embodied_tco2e"] == pytest.approx(250 * 100 / 5)


def test_a_system_without_a_price_is_reported_not_guessed():
    [r] = records([load_resolved(None, ["deployments.0.system=dgx-b300",
                                        "deployments.0.count=10"])])
    e = r["economics"]
    assert e["missing_prices"] == ["dgx-b300"]
    assert e["capex_eur"]["it_hardware"] is None and e["tco_eur_per_year"] is None
    [priced] = records([load_resolved(None, ["deployments.0.system=dgx-b300",
                                         "deployments.0.count=10",
                                         "catalog.systems.dgx-b300.price_usd=400000"])])
    assert priced["economics"]["capex_eur"]["it_hardware"] == pytest.approx(10 * 400_000 * 0.923)


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("economics.capex_split={shell: 0.5}", "capex_split shares must be >= 0 and sum to 1"),
        ("carbon.grid_intensity=mars", "grid_intensity 'mars' is not a preset"),
        ("carbon.embodied_tco2e_per_system={gb900: 1}", "carbon.embodied_tco2e_per_system.gb900: "
         "unknown system 'gb900'"),
        ("economics.discount_rate_frac=2", "economics.discount_rate_frac: Input should be less "
         "than or equal to 1"),
    ],
)
def test_bad_economics_inputs(override, message):
    with pytest.raises(ConfigError) as error:
        load_resolved(None, [override])
    assert any(message in line for line in error.value.lines()), error.value.lines()
