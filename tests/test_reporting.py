"""The reporting pack: KPI items with definitions and units, obligations, EnEfG by year."""

import pytest

from dcplanner.config import load_resolved
from dcplanner.engine import run
from dcplanner.engine.reporting import METERED, eed_pack, enefg, obligations
from tests.conftest import CONFIGS


@pytest.fixture(scope="module")
def paris():
    return run([load_resolved()]).records()[0]


@pytest.fixture(scope="module")
def district():
    return run([load_resolved(CONFIGS / "paris-40mw-district-heat.yaml")]).records()[0]


def _items(record: dict) -> dict:
    return {i["id"]: i for i in eed_pack(record)["items"]}


def test_items_carry_definition_unit_and_basis(paris):
    items = _items(paris)
    units = {"installed_it_power_kw": "kW", "total_energy_kwh": "kWh", "it_energy_kwh": "kWh",
             "pue": "-", "total_water_input_m3": "m3", "wue_l_per_kwh": "L/kWh",
             "waste_heat_reused_kwh": "kWh", "erf": "-", "renewable_energy_kwh": "kWh",
             "ref": "-", "cue_kg_per_kwh": "kgCO2e/kWh", "waste_heat_available_kwh": "kWh"}
    for key, unit in units.items():
        assert items[key]["unit"] == unit, key
        assert items[key]["definition"] and items[key]["basis"], key


def test_items_are_the_kpi_definitions(district):
    items, a = _items(district), district["annual"]
    e_dc, e_it = items["total_energy_kwh"]["value"], items["it_energy_kwh"]["value"]
    assert e_dc == pytest.approx(a["facility_mwh"] * 1e3, rel=1e-12)
    assert items["pue"]["value"] == pytest.approx(e_dc / e_it, rel=1e-12)
    assert items["erf"]["value"] == pytest.approx(
        items["waste_heat_reused_kwh"]["value"] / e_dc, rel=1e-12)
    assert items["wue_l_per_kwh"]["value"] == pytest.approx(
        items["total_water_input_m3"]["value"] * 1e3 / e_it, rel=1e-12)
    assert items["cue_kg_per_kwh"]["value"] == pytest.approx(
        items["operational_carbon_kg"]["value"] / e_it, rel=1e-12)
    assert items["ref"]["value"] == pytest.approx(
        items["renewable_energy_kwh"]["value"] / e_dc, abs=1e-15)
    # Heat pump inside the boundary: heat leaves at the network's supply temperature.
    assert items["waste_heat_temperature_c"]["value"] == 65.0


def test_paris_reports_no_reuse_and_lists_metered_items(paris):
    pack = eed_pack(paris)
    items = {i["id"]: i for i in pack["items"]}
    assert items["erf"]["value"] == 0.0 and items["waste_heat_temperature_c"]["value"] is None
    assert [m["id"] for m in pack["needs_metered_data"]] == [m[0] for m in METERED]
    assert pack["enefg"] == []  # a French site


def _record(it_mw: float, grid_mw: float, country: str = "FR") -> dict:
    return {"it_design_mw": it_mw, "grid_mw": grid_mw, "reporting": {"country": country}}


@pytest.mark.parametrize(("it_mw", "grid_mw", "expected"), [
    (0.4, 0.9, [False, False, False, False]),
    (0.5, 0.9, [True, False, True, False]),   # 500 kW: reporting; waste heat needs > 1 MW
    (0.6, 1.0, [True, False, True, False]),
    (0.6, 1.2, [True, True, True, True]),
])
def test_obligations_apply_at_500_kw_and_above_1_mw(it_mw, grid_mw, expected):
    assert [o["applies"] for o in obligations(_record(it_mw, grid_mw))] == expected


def test_other_eu_and_german_sites_get_their_rules():
    assert len(obligations(_record(36, 40, "other-EU"))) == 2
    german = obligations(_record(36, 40, "DE"))
    assert len(german) == 3 and german[-1]["rule"].startswith("EnEfG")


def _de(year: int, month: int, pue: float = 1.15, erf: float = 0.12, ref: float = 0.6) -> dict:
    return {"reporting": {"commissioning_year": year, "commissioning_month": month},
            "annual": {"pue": pue, "erf": erf, "ref": ref}}


def test_enefg_new_site_thresholds_by_year():
    rows = {r["year"]: r for r in enefg(_de(2026, 7))}
    assert rows[2025]["pue_max"] is None and rows[2025]["erf_min"] is None
    assert rows[2026]["pue_max"] == 1.2 and rows[2026]["erf_min"] == 0.10
    assert rows[2026]["renewable_min_frac"] == 0.5 and rows[2027]["renewable_min_frac"] == 1.0
    assert rows[2026]["pue_ok"] and rows[2026]["erf_ok"] and rows[2026]["ref_ok"]
    assert rows[2027]["ref_ok"] is False
    assert {r["year"]: r["erf_min"] for r in enefg(_de(2027, 7))}[2027] == 0.15
    assert {r["year"]: r["erf_min"] for r in enefg(_de(2028, 9))}[2028] == 0.20
    assert {r["year"]: r["erf_ok"] for r in enefg(_de(2028, 9))}[2028] is False


def test_enefg_existing_site_pue_steps():
    rows = {r["year"]: r for r in enefg(_de(2020, 1, pue=1.4))}
    assert rows[2026]["pue_max"] is None and rows[2027]["pue_max"] == 1.5
    assert rows[2030]["pue_max"] == 1.3 and rows[2030]["pue_ok"] is False
    assert all(r["erf_min"] is None for r in rows.values())
