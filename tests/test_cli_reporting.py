"""dcplanner eed and the heat-reuse inputs on the command line: output, formats, bad input."""

import csv
import io
import json

import pytest

from tests.conftest import CONFIGS

DISTRICT = str(CONFIGS / "paris-40mw-district-heat.yaml")


def test_run_shows_erf_ref_cue_beside_pue_and_wue(cli):
    result = cli("run")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    water = next(k for k, line in enumerate(lines) if line.lstrip().startswith("Water"))
    assert lines[water + 1:water + 3] == [
        "  ERF, REF, CUE                 ERF 0.000 (no district network; 191,734 MWh available "
        "at 45 °C), REF",
        "                                0.000, CUE 0.0245 kgCO2e/kWh IT"]  # 100 columns


def test_run_district_shows_the_heat_pump(cli):
    result = cli("run", DISTRICT)
    assert result.exit_code == 0, result.output
    assert ("ERF 0.197 (60,000 MWh reused of 191,734 MWh at 45 °C; heat pump COP\n"
            "                                5.00, 12,000 MWh in the facility energy, PUE 1.128 "
            "without it), REF\n                                0.000, CUE 0.0255 kgCO2e/kWh IT"
            ) in result.output
    owned = cli("run", DISTRICT, "--set", "heat_reuse.owner=network")
    # 48,000 MWh of loop heat over 292,142 MWh of facility energy (no heat pump in it).
    assert ("ERF 0.164 (48,000 MWh reused of 191,734 MWh at 45 °C; heat pump COP\n"
            "                                5.00, 12,000 MWh outside the data centre), REF "
            "0.000, CUE 0.0245\n                                kgCO2e/kWh IT") in owned.output


def test_eed_table_headline_and_sections(cli):
    result = cli("eed")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:2] == ["Paris 40 MW, Bruyères-le-Châtel (phase 1): Commission Delegated "
                         "Regulation (EU) 2024/1364, Annexes", "  I-II"]  # 100 columns
    for heading in ("Information and KPIs the model gives",
                    "Needs metered or operator data (not given by the model)",
                    "Obligations at the site's size", "Waste heat (cost-benefit analysis input)"):
        assert heading in lines
    k = lines.index("  Heat                 no district network; 191,734 MWh a year available at "
                    "45 °C (set heat_reuse to")
    assert lines[k + 1] == "                       model an export)"


def test_eed_json_and_csv_carry_units(cli, tmp_path):
    data = json.loads(cli("eed", DISTRICT, "--format", "json").output)
    assert {i["id"]: i["unit"] for i in data["items"]}["cue_kg_per_kwh"] == "kgCO2e/kWh"
    out = tmp_path / "eed.csv"
    result = cli("eed", DISTRICT, "--format", "csv", "-o", str(out))
    assert result.exit_code == 0 and f"wrote {out}" in result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert list(rows[0]) == ["section", "id", "item", "value", "unit", "basis", "definition"]
    erf = next(r for r in rows if r["id"] == "erf")
    assert erf["unit"] == "-" and float(erf["value"]) == pytest.approx(0.1973, abs=1e-4)
    assert {r["section"] for r in rows} == {"kpi", "needs_metered_data", "obligation"}


def test_eed_german_site_lists_enefg_years(cli):
    result = cli("eed", DISTRICT, "--set", "reporting.country=DE")
    assert result.exit_code == 0, result.output
    assert "  2027  1.50 ok        -    1.00 MISSED" in result.output.splitlines()


@pytest.mark.parametrize(("override", "message"), [
    ("heat_reuse.supply_c=40",
     "heat_reuse.supply_c: supply_c = 40 °C is not above the loop's facility-water return "
     "45 °C (cooling.liquid.return_c): a heat pump lifts heat to a warmer supply; raise "
     "supply_c or lower the return"),
    ("heat_reuse.heat_price_eur_per_mwh=0.04",
     "heat_reuse.heat_price_eur_per_mwh: 0.04 EUR/MWh is below 1: the value looks like "
     "EUR/kWh; give EUR per MWh (x1000)"),
    ("heat_reuse.heat_pump.eur_per_mw=500",
     "heat_reuse.heat_pump.eur_per_mw: 500 EUR/MW is below 10,000: the value looks like "
     "EUR/kW; give EUR per MW of heat (x1000)"),
    ("heat_reuse.heat_pump={model: curve, lift_k: [10, 20], cop: [8, 17.5]}",
     "heat_reuse.heat_pump.cop: COP 17.5 at a lift of 20 K is above the Carnot COP 16.91 at a "
     "65 °C supply: no heat pump can reach it"),
])
def test_bad_heat_input_is_one_line_naming_the_field(cli, override, message):
    result = cli("run", DISTRICT, "--set", override)
    assert result.exit_code == 1
    assert result.output == f"error: --set {override}: {message}\n"


def test_bad_heat_input_in_a_file_names_the_file(cli, tmp_path):
    text = (CONFIGS / "paris-40mw-district-heat.yaml").read_text(encoding="utf-8")
    path = tmp_path / "bad.yaml"
    path.write_text(text.replace("supply_c: 65 ", "supply_c: 30 "), encoding="utf-8")
    result = cli("eed", str(path))
    assert result.exit_code == 1
    assert result.output.startswith(f"error: {path}: heat_reuse.supply_c: supply_c = 30 °C")
    assert result.output.count("\n") == 1


@pytest.mark.parametrize(("lines", "message"), [
    (["1"] * 10, "10 hourly values, but the weather year has 8,760 hours"),
    (["1"] * 8759 + ["-2"], "line 8760: heat demand [MW] -2 out of range; allowed 0 to 100000"),
])
def test_bad_demand_file_is_one_line_naming_the_field(cli, tmp_path, lines, message):
    demand = tmp_path / "demand.csv"
    demand.write_text("\n".join(lines) + "\n", encoding="utf-8")
    override = f"heat_reuse.demand={{kind: file, file: {demand}}}"
    result = cli("run", DISTRICT, "--set", override)
    assert result.exit_code == 1
    field = "heat_reuse.demand.file"
    assert result.output == f"error: --set {override}: {field}: {demand}: {message}\n"


def test_demand_needs_its_annual_figure(cli):
    override = "heat_reuse.demand={kind: degree_hours}"
    result = cli("run", DISTRICT, "--set", override)
    assert result.exit_code == 1
    assert result.output == (f"error: --set {override}: heat_reuse.demand.annual_mwh: kind "
                             "degree_hours needs annual_mwh (the network's demand over the year, "
                             "MWh)\n")
