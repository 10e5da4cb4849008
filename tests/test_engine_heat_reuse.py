"""Heat reuse in the annual engine: KPI definitions, boundaries, and the year's heat balance."""

import numpy as np
import pytest

from dcplanner.config import load_resolved
from dcplanner.engine import run
from dcplanner.engine.heat_reuse import cost_benefit, heat_kpis
from dcplanner.engine.params import code_of
from tests.conftest import CONFIGS, records, scenario_from

DISTRICT = CONFIGS / "paris-40mw-district-heat.yaml"


def _x(owner: str | None, renewable: float = 0.0) -> dict:
    supply = np.nan if owner is None else 65.0
    return {"heat_supply_c": np.array([supply]), "renewable_frac": np.array([renewable]),
            "heat_owner": np.array([np.nan if owner is None else code_of("heat_owner", owner)]),
            "liquid_supply_c": np.array([35.0]), "liquid_return_c": np.array([45.0]),
            "liquid_side": np.array([0.0]),
            "cdu_approach_k": np.array([3.0]), "heat_pump_model": np.array([0.0]),
            "heat_pump_carnot_frac": np.array([0.46]), "heat_pump_max_cop": np.array([5.0]),
            "heat_pump_curve_lift_k": np.array([[0.0, 1.0]]),
            "heat_pump_curve_cop": np.array([[1.0, 1.0]])}


OUT = {"it_mwh": np.array([100.0]), "facility_mwh": np.array([120.0]),
       "heat_delivered_mwh": np.array([30.0]), "heat_recovered_mwh": np.array([24.0]),
       "heat_pump_mwh": np.array([6.0]), "carbon_tco2e": np.array([2.4])}


def test_kpi_definitions_hand_computed():
    inside = heat_kpis(OUT, _x("data_centre", renewable=0.25))
    # ERF = reused / facility: 30 MWh delivered (heat pump inside) / 120 MWh.
    assert inside["erf"][0] == pytest.approx(0.25, rel=1e-12)
    # CUE = CO2e / IT energy: 2.4 t / 100 MWh = 0.024 kgCO2e/kWh.
    assert inside["cue_kg_per_kwh"][0] == pytest.approx(0.024, rel=1e-12)
    # REF = renewable / facility: the contracted 25 %.
    assert inside["ref"][0] == pytest.approx(0.25, rel=1e-12)
    assert inside["renewable_mwh"][0] == pytest.approx(30.0, rel=1e-12)
    # PUE without the heat pump: (120 - 6) / 100.
    assert inside["pue_without_heat_pump"][0] == pytest.approx(1.14, rel=1e-12)
    outside = heat_kpis(OUT, _x("network"))
    # The network's heat pump: the reused energy is the loop heat handed over, 24 / 120.
    assert outside["erf"][0] == pytest.approx(0.2, rel=1e-12)
    assert outside["pue_without_heat_pump"][0] == pytest.approx(1.2, rel=1e-12)


def test_no_network_gives_erf_zero_and_no_cop():
    k = heat_kpis(OUT | {"heat_delivered_mwh": np.zeros(1), "heat_recovered_mwh": np.zeros(1)},
                  _x(None))
    assert k["erf"][0] == 0.0 and np.isnan(k["heat_cop"][0])


@pytest.fixture(scope="module")
def district():
    return run([load_resolved(DISTRICT)]).records()[0]


def test_builtin_paris_has_erf_zero_and_shows_the_heat_available(paris_data):
    r = records([scenario_from(paris_data)])[0]
    a, h = r["annual"], r["annual"]["heat_reuse"]
    assert a["erf"] == 0.0 and h["network"] is False and h["delivered_mwh"] == 0.0
    # The racks' liquid heat over the year: 21.8875 MW (operating) x 8,760 h.
    assert h["available_mwh"] == pytest.approx(21.8875 * 8760, rel=1e-9)
    assert h["source_c"] == 45.0
    assert h["cost_benefit"]["net_benefit_eur_per_year"] is None
    # WUE = water / IT energy [L/kWh]; CUE = CO2e / IT energy [kg/kWh].
    assert a["wue_l_per_kwh"] == pytest.approx(a["water_m3"] * 1e3 / (a["it_mwh"] * 1e3))
    assert a["cue_kg_per_kwh"] == pytest.approx(
        r["carbon"]["operational_tco2e"] * 1e3 / (a["it_mwh"] * 1e3), rel=1e-12)


def test_district_year_heat_balance(district):
    a, h = district["annual"], district["annual"]["heat_reuse"]
    assert h["delivered_mwh"] <= h["demand_mwh"] * (1 + 1e-12)
    assert h["recovered_mwh"] <= h["available_mwh"]
    assert h["delivered_mwh"] == pytest.approx(h["recovered_mwh"] + h["heat_pump_mwh"],
                                               rel=1e-12)
    assert h["heat_pump_mwh"] == pytest.approx(h["delivered_mwh"] / h["cop"], rel=1e-12)
    # Inside the boundary: the heat pump's electricity is in the facility energy.
    assert a["facility_mwh"] == pytest.approx(
        a["it_mwh"] * h["pue_without_heat_pump"] + h["heat_pump_mwh"], rel=1e-12)
    assert a["erf"] == pytest.approx(h["delivered_mwh"] / a["facility_mwh"], rel=1e-12)


def test_district_with_network_owner_keeps_pue_and_counts_the_loop_heat(district):
    owned = run([load_resolved(DISTRICT, [("heat_reuse.owner=network", "--set")])]).records()[0]
    a, h = owned["annual"], owned["annual"]["heat_reuse"]
    assert a["pue"] == pytest.approx(district["annual"]["heat_reuse"]["pue_without_heat_pump"],
                                     rel=1e-12)
    assert a["erf"] == pytest.approx(h["recovered_mwh"] / a["facility_mwh"], rel=1e-12)


def test_no_demand_gives_erf_zero():
    r = run([load_resolved(DISTRICT, [("heat_reuse.demand.annual_mwh=0", "--set")])]).records()[0]
    assert r["annual"]["erf"] == 0.0
    assert r["annual"]["heat_reuse"]["delivered_mwh"] == 0.0


def test_cost_benefit_is_revenue_minus_its_costs(district):
    c = district["annual"]["heat_reuse"]["cost_benefit"]
    h = district["annual"]["heat_reuse"]
    assert c["revenue_eur_per_year"] == pytest.approx(h["delivered_mwh"] * 40.0, rel=1e-12)
    assert c["electricity_eur_per_year"] == pytest.approx(
        h["heat_pump_mwh"] * district["economics"]["energy_price_eur_per_mwh"], rel=1e-12)
    # Capex: EUR 500,000 per MW of the peak heat delivered, plus the EUR 5 M connection.
    assert c["capex_eur"] == pytest.approx(h["delivered_peak_mw"] * 5e5 + 5e6, rel=1e-12)
    assert c["net_benefit_eur_per_year"] == pytest.approx(
        c["revenue_eur_per_year"] - c["electricity_eur_per_year"]
        - c["annualized_capex_eur_per_year"] - c["maintenance_eur_per_year"], rel=1e-12)


def test_capacity_limits_the_heat_sold():
    r = run([load_resolved(DISTRICT, [("heat_reuse.heat_pump.capacity_mw=5", "--set")])])
    h = r.records()[0]["annual"]["heat_reuse"]
    assert h["delivered_peak_mw"] <= 5.0 * (1 + 1e-12)
    assert h["cost_benefit"]["capacity_mw"] == 5.0


def test_demand_file_drives_the_hours(tmp_path):
    path = tmp_path / "demand.csv"
    path.write_text("demand_mw\n" + "2.5\n" * 8760, encoding="utf-8")
    r = run([load_resolved(DISTRICT, [(f"heat_reuse.demand={{kind: file, file: {path}}}",
                                       "--set")])]).records()[0]
    # 2.5 MW every hour, far below the heat available: all of it is sold.
    assert r["annual"]["heat_reuse"]["delivered_mwh"] == pytest.approx(2.5 * 8760, rel=1e-12)


def test_cost_benefit_is_null_without_network():
    x = {"heat_supply_c": np.array([np.nan]), "heat_pump_capacity_w": np.array([np.nan]),
         "heat_pump_eur_per_w": np.array([np.nan]), "heat_connection_eur": np.array([np.nan]),
         "discount_rate_frac": np.array([0.08]), "heat_lifetime_years": np.array([np.nan]),
         "heat_maintenance_frac_per_year": np.array([np.nan]),
         "energy_eur_per_mwh": np.array([87.0]), "network_tariff_eur_per_mwh": np.zeros(1),
         "excise_eur_per_mwh": np.array([12.0]), "heat_price_eur_per_mwh": np.array([np.nan])}
    annual = {"heat_delivered_peak_w": np.zeros(1), "hours": np.array([8760.0]),
              "heat_pump_mwh": np.zeros(1), "heat_delivered_mwh": np.zeros(1)}
    assert all(np.isnan(v).all() for v in cost_benefit(x, annual).values())


def test_curve_model_gives_its_cop():
    r = run([load_resolved(DISTRICT, [(
        "heat_reuse.heat_pump={model: curve, lift_k: [10, 30], cop: [6, 4]}", "--set")])])
    # Lift 65 - 45 = 20 K: halfway, COP 5.
    assert r.records()[0]["annual"]["heat_reuse"]["cop"] == pytest.approx(5.0, rel=1e-12)


def test_a_batch_mixing_network_and_none_equals_single_runs(paris_data):
    both = [scenario_from(paris_data), load_resolved(DISTRICT), scenario_from(paris_data)]
    assert records(both) == [records([r])[0] for r in both]
