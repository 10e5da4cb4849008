"""Economics and carbon of a scenario, by hand from the record's own inputs."""

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from dcplanner.cli import main
from dcplanner.config import load_resolved
from dcplanner.engine import evaluate, flatten
from dcplanner.engine.annual import simulate
from dcplanner.engine.economics import CAPEX_ITEMS, OPEX_ITEMS, costs
from dcplanner.engine.hourly import hourly_inputs
from dcplanner.engine.outputs import TCO_LABELS
from dcplanner.engine.params import with_column
from dcplanner.errors import ConfigError
from dcplanner.models.economics import capital_recovery_factor
from tests.conftest import records


@pytest.fixture(scope="module")
def paris():
    return records([load_resolved()])[0]


def _fabric_eur(d):
    """The compute fabric of a deployment at the QM9700 catalog prices, and the frontend."""
    fabric = (d["fabric_switches"] * 35_000 + d["fabric_optical_ends"] * 375
              + d["fabric_optical_ends"] / 2 * 100) * 0.923
    return fabric, 0.42 * fabric


def _goodput_by_hand(gpus):
    rate = 1.97e-5 * gpus                      # interruptions per hour of the whole job
    write, restart = 0.59 / 3600, 600 / 3600   # h
    interval = (2 * write / rate) ** 0.5       # Young/Daly optimum
    wall = (1 + write / interval) / (1 - rate * (restart + (interval + write) / 2))
    return 1 / wall


def test_capex_opex_and_tco_by_hand(paris):
    e = paris["economics"]
    [d] = paris["deployments"]
    assert (d["fabric_switches"], d["fabric_optical_ends"]) == (1408, 108_000)
    facility = paris["it_design_mw"] * 10.7e6 * 1.085
    it = 250 * 3.4e6 * 0.923
    fabric, frontend = _fabric_eur(d)
    network = fabric + frontend
    storage = 0.0125 * (facility + it + network)
    spares = 0.02 * (it + network)
    connection = 40 * 0.3e6
    cap = e["capex_eur"]
    assert cap["facility"] == pytest.approx(facility)
    assert cap["it_hardware"] == pytest.approx(it)
    assert cap["network"] == pytest.approx(network)
    assert cap["network_by_part"]["fabric_switches"] == pytest.approx(1408 * 35_000 * 0.923)
    assert cap["network_by_part"]["frontend"] == pytest.approx(frontend)
    assert cap["spares"] == pytest.approx(spares)
    assert cap["grid_connection"] == pytest.approx(connection)
    assert cap["total"] == pytest.approx(facility + it + network + storage + spares
                                         + connection)
    assert sum(cap["facility_by_category"].values()) == pytest.approx(facility)
    annualized = ((facility + connection) * capital_recovery_factor(0.08, 20)
                  + (it + network + storage + spares) * capital_recovery_factor(0.08, 5))
    assert e["annualized_capex_eur"] == pytest.approx(annualized)
    mwh = paris["annual"]["facility_mwh"]
    opex = e["opex_eur"]
    # Electricity: energy 70, TURPE energy part 4 and excise 12 EUR/MWh, each once (not on
    # top of an all-in band), plus the fixed part 15 EUR/kW/yr on the 40 MW connection.
    assert opex["energy"] == pytest.approx(mwh * 70)
    assert opex["grid_tariff"] == pytest.approx(mwh * 4 + 40_000 * 15)
    assert opex["excise"] == pytest.approx(mwh * 12)
    assert e["energy_price_eur_per_mwh"] == pytest.approx(86.0)
    assert opex["it_support"] == pytest.approx(0.04 * (it + network))
    assert opex["insurance"] == pytest.approx(0.003 * (facility + it + network + storage
                                                       + spares))
    assert opex["local_taxes"] == pytest.approx(0.007 * facility)
    total_opex = (mwh * 86 + 40_000 * 15 + 0.02 * facility + 0.04 * (it + network)
                  + 0.003 * (facility + it + network + storage + spares) + 0.007 * facility
                  + 40 * 90_000)
    assert opex["total"] == pytest.approx(total_opex)
    tco = annualized + total_opex
    assert e["tco_eur_per_year"] == pytest.approx(tco)
    assert e["cost_per_gpu_hour_eur"] == pytest.approx(tco / (18_000 * 8760))
    assert e["cost_per_sold_gpu_hour_eur"] == pytest.approx(tco / (18_000 * 8760 * 0.85))
    goodput = _goodput_by_hand(18_000)
    assert goodput == pytest.approx(0.930, abs=5e-4)
    assert e["goodput_frac"] == pytest.approx(goodput)
    assert e["cost_per_delivered_gpu_hour_eur"] == pytest.approx(
        tco / (18_000 * 8760 * 0.85 * goodput))
    market = 10.5 * 0.923
    assert e["market_eur_per_gpu_hour"] == pytest.approx(market)
    assert e["margin_eur_per_gpu_hour"] == pytest.approx(market - tco / (18_000 * 8760 * 0.85))
    electricity = mwh * 86 + 40_000 * 15
    assert e["energy_share_of_tco_frac"] == pytest.approx(electricity / tco)
    pflop_days = 45_000 * 0.40 * 1.0 * 365
    assert e["cost_per_sustained_pflop_day_eur"] == pytest.approx(tco / pflop_days)


def test_every_cost_item_is_in_the_breakdown_and_adds_up(paris):
    e = paris["economics"]
    items = e["tco_by_item_eur"]
    assert tuple(items) == CAPEX_ITEMS + OPEX_ITEMS
    assert all(v > 0 for v in items.values()), items
    assert sum(items.values()) == pytest.approx(e["tco_eur_per_year"], rel=1e-12)
    assert set(OPEX_ITEMS) <= set(e["opex_eur"]) and set(CAPEX_ITEMS) <= set(e["capex_eur"])
    assert sum(e["opex_eur"][k] for k in OPEX_ITEMS) == pytest.approx(e["opex_eur"]["total"])
    assert sum(e["capex_eur"]["network_by_part"].values()) == pytest.approx(
        e["capex_eur"]["network"])


@pytest.fixture(scope="module")
def paris_batch():
    r = load_resolved()
    x = flatten([r])
    design = evaluate(x)
    return x, design, simulate(hourly_inputs([r]), x, design).values


_PRICES = {
    "economics.energy_eur_per_mwh": st.floats(5, 1000),
    "economics.network_tariff_eur_per_mwh": st.floats(0, 200),
    "economics.network_tariff_eur_per_kw_year": st.floats(0, 200),
    "economics.excise_eur_per_mwh": st.floats(0, 200),
    "economics.facility_eur_per_mw_it": st.floats(0, 3e7),
    "economics.frontend_network_frac_of_fabric": st.floats(0, 5),
    "economics.spares_frac_of_it": st.floats(0, 1),
    "economics.grid_connection_eur_per_mw": st.floats(0, 2e7),
    "economics.it_support_frac_per_year": st.floats(0, 1),
    "economics.insurance_frac_per_year": st.floats(0, 0.1),
    "economics.local_tax_frac_per_year": st.floats(0, 0.1),
    "economics.discount_rate_frac": st.floats(0, 1),
    "economics.it_lifetime_years": st.floats(0.5, 30),
    "economics.sold_frac": st.floats(0.01, 1),
}


@settings(max_examples=40, deadline=None)
@given(values=st.fixed_dictionaries(_PRICES))
def test_tco_is_the_sum_of_its_parts(paris_batch, values):
    x, design, annual = paris_batch
    for path, value in values.items():
        x = with_column(x, path, [value])
    money = costs(x, design, annual)
    parts = [money[f"tco_{item}_eur"] for item in CAPEX_ITEMS + OPEX_ITEMS]
    np.testing.assert_allclose(sum(parts), money["tco_eur"], rtol=1e-12)
    assert all(np.all(p >= 0) for p in parts)
    np.testing.assert_allclose(money["capex_eur"], sum(money[f"{i}_eur"] for i in CAPEX_ITEMS),
                               rtol=1e-12)
    # Fewer hours sold or lost to goodput never make a GPU-hour cheaper.
    assert np.all(money["cost_per_delivered_gpu_hour_eur"]
                  >= money["cost_per_sold_gpu_hour_eur"] * (1 - 1e-12))
    assert np.all(money["cost_per_sold_gpu_hour_eur"]
                  >= money["cost_per_gpu_hour_eur"] * (1 - 1e-12))


def test_goodput_job_size_and_no_job():
    [whole] = records([load_resolved(None, ["economics.goodput_job_gpus=1024"])])
    assert whole["economics"]["goodput_frac"] == pytest.approx(_goodput_by_hand(1024))
    [rental] = records([load_resolved(None, ["economics.goodput_job_gpus=0"])])
    e = rental["economics"]
    assert e["goodput_frac"] == 1.0
    assert e["cost_per_delivered_gpu_hour_eur"] == pytest.approx(e["cost_per_sold_gpu_hour_eur"])


def test_a_gpu_without_a_market_price_has_no_margin():
    [r] = records([load_resolved(None, ["deployments.0.system=gb300-nvl72"])])
    e = r["economics"]
    assert e["market_eur_per_gpu_hour"] is None and e["margin_eur_per_gpu_hour"] is None
    assert e["tco_eur_per_year"] is not None


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
        # A price in the wrong unit: per kWh given where per MWh is asked, per MW for per kW.
        ("economics.energy_eur_per_mwh=0.07", "economics.energy_eur_per_mwh: 0.07 is outside "
         "5-1000 EUR/MWh (a price per kWh? 0.07 EUR/kWh = 70 EUR/MWh)"),
        ("economics.excise_eur_per_mwh=0.012", "economics.excise_eur_per_mwh: 0.012 is outside "
         "0 or 0.5-200 EUR/MWh (a price per kWh?"),
        ("economics.network_tariff_eur_per_mwh=0.004", "economics.network_tariff_eur_per_mwh: "
         "0.004 is outside 0 or 0.1-200 EUR/MWh"),
        ("economics.energy_eur_per_mwh=70000", "economics.energy_eur_per_mwh: 70000 is outside "
         "5-1000 EUR/MWh"),
        ("economics.network_tariff_eur_per_kw_year=15000", "economics.network_tariff_eur_per_kw_"
         "year: Input should be less than or equal to 200"),
        ("catalog.accelerators.gb200.market_usd_per_gpu_hour=1050", "catalog.accelerators.gb200."
         "market_usd_per_gpu_hour: Input should be less than or equal to 100"),
        ("economics.sold_frac=85", "economics.sold_frac: Input should be less than or equal to 1"),
    ],
)
def test_bad_economics_inputs(override, message):
    with pytest.raises(ConfigError) as error:
        load_resolved(None, [override])
    assert any(message in line for line in error.value.lines()), error.value.lines()


def test_a_fabric_without_prices_is_reported_not_guessed():
    [r] = records([load_resolved(None, [
        "catalog.fabrics.bare={radix: 64, port_gbps: 400, switch_w: 1720, "
        "host_transceiver_w_per_port: 8.5}", "deployments.0.fabric=bare"])])
    e = r["economics"]
    assert e["missing_prices"] == ["bare"]
    assert e["capex_eur"]["network"] is None and e["tco_eur_per_year"] is None
    assert e["capex_eur"]["it_hardware"] == pytest.approx(250 * 3.4e6 * 0.923)


def test_run_shows_every_tco_item_and_the_margin():
    result = CliRunner().invoke(main, ["run"])
    assert result.exit_code == 0, result.output
    table = result.output.split("TCO by item (capex annualized over its lifetime)\n", 1)[1]
    rows = [line.split()[0] for line in table.splitlines()[1:]]
    firsts = [label.split()[0] for label in TCO_LABELS.values()] + ["total"]
    assert rows == firsts
    assert "  total             €1.37 bn  €361.30 M  100.0 %" in table
    assert ("Market price             €9.69 per GPU-hour (catalog, on demand): margin €7.00 per "
            "sold GPU-hour\n                           (72.2 % of the price)") in result.output
    assert "grid connection\n                           €12.00 M" in result.output  # 100 columns
