"""Reading scenario files and overrides: every bad input is one line naming file and field."""

import json

import pytest
import yaml

from dcplanner.config import apply_override, load_resolved, parse_override
from dcplanner.errors import ConfigError


def write(tmp_path, data, name="s.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def problems(path, overrides=()):
    with pytest.raises(ConfigError) as info:
        load_resolved(path, overrides)
    return info.value.lines()


def test_builtin_scenario_loads():
    assert load_resolved().scenario.site.grid_mw == 40


def test_all_problems_reported_at_once_with_dotted_paths(tmp_path, paris_data):
    paris_data["site"]["grid_mw"] = -5
    paris_data["electrical"]["distribution_efficiency"] = 1.2
    paris_data["deployments"][0]["count"] = -1
    paris_data["cooling"]["liquid"]["supply_c"] = 50  # above its return (45)
    paris_data["workload"]["mfu_frac"] = float("nan")
    paris_data["site"]["gird_mw"] = 40
    path = write(tmp_path, paris_data)
    lines = problems(path)
    assert f"{path}: site.grid_mw: Input should be greater than or equal to 0.001" in lines
    assert f"{path}: electrical.distribution_efficiency: Input should be less than or equal to 1" \
        in lines
    assert f"{path}: deployments.0.count: Input should be greater than or equal to 0" in lines
    assert f"{path}: cooling.liquid: supply_c (50) must be below return_c (45)" in lines
    assert any(line.startswith(f"{path}: workload.mfu_frac: must be a finite number")
               for line in lines)
    assert any(line.startswith(f"{path}: site.gird_mw: unknown field; allowed fields: grid_mw,")
               for line in lines)
    assert len(lines) == 6


def test_unknown_system_lists_the_available_ones(tmp_path, paris_data):
    paris_data["deployments"][0]["system"] = "gb400-nvl144"
    path = write(tmp_path, paris_data)
    [line] = problems(path)
    assert line.startswith(f"{path}: deployments.0.system: unknown system 'gb400-nvl144'; "
                           "available: dgx-a100, ")


def test_gpu_count_is_rounded_up_to_whole_systems(tmp_path, paris_data):
    paris_data["deployments"][0] = {"system": "gb200-nvl72", "gpus": 18001}
    resolved = load_resolved(write(tmp_path, paris_data))
    [dep] = resolved.deployments
    # 18,001 / 72 = 250.01: 251 racks of 72, 18,072 GPUs.
    assert (dep.count, dep.gpus, dep.label) == (251, 18072, "gb200-nvl72")
    assert resolved.notes == ("deployments.0.gpus: 18,001 GPUs rounded up to 251 gb200-nvl72 "
                              "systems (18,072 GPUs, 72 each)",)


def test_whole_systems_of_gpus_need_no_note(tmp_path, paris_data):
    paris_data["deployments"][0] = {"system": "dgx-h200", "gpus": 18000}
    resolved = load_resolved(write(tmp_path, paris_data))
    assert (resolved.deployments[0].count, resolved.notes) == (2250, ())


def test_the_label_follows_a_changed_system():
    # The built-in deployment is named 'GB200 NVL72 (phase 1)': a new system drops the name.
    [dep] = load_resolved(None, ["deployments.0.system=dgx-h200"]).deployments
    assert (dep.label, dep.count, dep.gpus) == ("dgx-h200", 250, 2000)
    [kept] = load_resolved(None, ["deployments.0.system=gb200-nvl72"]).deployments
    assert kept.label == "GB200 NVL72 (phase 1)"  # the same system: the name stays
    [named] = load_resolved(None, ["deployments.0.system=dgx-h200",
                                   "deployments.0.name=H200 hall"]).deployments
    assert named.label == "H200 hall"


def test_gpus_of_another_system_by_override():
    resolved = load_resolved(None, ["deployments.0.system=dgx-h200", "deployments.0.count=null",
                                    "deployments.0.gpus=18000"])
    [dep] = resolved.deployments
    assert (dep.label, dep.count, dep.gpus) == ("dgx-h200", 2250, 18000)


def test_count_and_gpus_are_exclusive(tmp_path, paris_data):
    paris_data["deployments"][0]["gpus"] = 18000
    [line] = problems(write(tmp_path, paris_data))
    assert line.endswith("deployments.0: give exactly one of count (systems) or gpus")


def test_ups_modules_must_fit_topology(tmp_path, paris_data):
    paris_data["electrical"]["ups"].update(topology="2N", modules=15)
    [line] = problems(write(tmp_path, paris_data))
    assert line.endswith("electrical.ups: modules = 15 does not fit topology 2N: at least 2, "
                         "a multiple of 2")


def test_missing_file_and_bad_yaml(tmp_path):
    assert problems(tmp_path / "nope.yaml") == [f"{tmp_path / 'nope.yaml'}: file not found"]
    bad = tmp_path / "bad.yaml"
    bad.write_text("site:\n  grid_mw: [40\n", encoding="utf-8")
    [line] = problems(bad)
    assert line.startswith(f"{bad}: invalid YAML at line ")
    wrong = tmp_path / "s.ini"
    wrong.write_text("x", encoding="utf-8")
    assert problems(wrong) == [f"{wrong}: unknown file type '.ini'; allowed: .yaml, .yml, "
                               ".toml, .json"]


def test_toml_and_json_read_like_yaml(tmp_path, paris_data):
    (tmp_path / "s.json").write_text(json.dumps(paris_data), encoding="utf-8")
    toml_lines = ['name = "toml"', "[site]", "grid_mw = 40", "design_ambient_c = 42.0",
                  "design_dew_point_c = 13.7", "[electrical.ups]", 'topology = "catcher"',
                  "module_mw = 3.0", "modules = 15", "[[deployments]]",
                  'system = "gb200-nvl72"', "count = 250"]
    (tmp_path / "s.toml").write_text("\n".join(toml_lines), encoding="utf-8")
    from_json = load_resolved(tmp_path / "s.json").scenario
    from_toml = load_resolved(tmp_path / "s.toml").scenario
    assert from_json == load_resolved().scenario
    assert from_toml.deployments[0].count == 250 and from_toml.site.grid_mw == 40


def test_overrides_are_typed_and_attributed(paris_data):
    assert parse_override("deployments.0.count=300") == ("deployments.0.count", 300)
    assert parse_override("cooling.adiabatic.enabled=false") == ("cooling.adiabatic.enabled", False)
    data = {"a": [{"b": 1}]}
    apply_override(data, "a.0.b", 2)
    apply_override(data, "c.d", "x")
    assert data == {"a": [{"b": 2}], "c": {"d": "x"}}
    assert load_resolved(None, ["deployments.0.count=300"]).deployments[0].count == 300
    lines = problems(None, ["site.grid_mw=abc"])
    assert lines == ["override site.grid_mw=abc: site.grid_mw: Input should be a valid "
                     "number, unable to parse string as a number"]


def test_override_errors(paris_data):
    assert problems(None, ["deployments.3.count=1"]) == [
        "override deployments.3.count=1: deployments.3: no list item '3'; indices 0 to 0"]
    assert problems(None, ["nonsense"]) == [
        "override nonsense: expected dotted.path=value, e.g. deployments.0.count=300"]
    # A value where the path goes on below it is refused, not replaced by a mapping.
    assert problems(None, ["cooling.liquid.supply_c.x=1"]) == [
        "override cooling.liquid.supply_c.x=1: cooling.liquid.supply_c: is a value (35), "
        "not a section: nothing lies below it"]
    # The caller may name the override (the CLI gives the option).
    assert problems(None, [("nonsense", "--set nonsense")]) == [
        "--set nonsense: expected dotted.path=value, e.g. deployments.0.count=300"]


def test_catalog_override_in_a_scenario(tmp_path, paris_data):
    paris_data["catalog"] = {"accelerators": {"gb200": {"tdp_w": 1000, "tdp": 3}}}
    [line] = problems(write(tmp_path, paris_data))
    assert "catalog.accelerators.gb200.tdp: unknown field; allowed fields: description, tdp_w" \
        in line
    resolved = load_resolved(None, ["catalog.accelerators.gb200.power_cap_w=1000"])
    assert resolved.deployments[0].accelerator.power_cap_w == 1000


def test_a_scenario_must_deploy_something():
    # A rule above the overridden field is blamed on the override, not on the file.
    assert problems(None, ["deployments.0.count=0"]) == [
        "override deployments.0.count=0: deployments: every deployment is empty; give at least "
        "one a count or gpus above 0"]


def test_one_field_of_a_loop_can_be_set_alone():
    # the air side's chilled-water loop is not in the built-in file: its other fields default
    r = load_resolved(None, ["cooling.air.water.pump_head_kpa=450"])
    water = r.scenario.cooling.air.water
    assert (water.supply_c, water.return_c, water.pump_head_kpa) == (18.0, 24.0, 450.0)
    with pytest.raises(ConfigError, match=r"cooling\.air\.water: supply_c \(30\) must be below "
                       r"return_c \(24\)"):
        load_resolved(None, ["cooling.air.water.supply_c=30"])


def test_a_pad_switch_on_above_the_design_ambient_is_refused():
    with pytest.raises(ConfigError, match=r"cooling\.adiabatic\.switch_on_c: switch_on_c = 45 "
                       r"°C is above the design ambient site\.design_ambient_c = 42 °C"):
        load_resolved(None, ["cooling.adiabatic.switch_on_c=45"])
    load_resolved(None, ["cooling.adiabatic.switch_on_c=45", "cooling.adiabatic.enabled=false"])


def test_a_chip_side_loop_needs_facility_water_above_its_freezing_point():
    chip = ["cooling.liquid.side=chip", "cooling.liquid.supply_c=3"]
    with pytest.raises(ConfigError, match=r"cooling\.liquid: a chip-side supply of 3 °C with a 5 "
                       r"K CDU approach needs facility water at -2 °C, at or below the 0 °C "
                       r"freezing point of the facility loop \(glycol_frac 0\)"):
        load_resolved(None, chip)
    # 30 % propylene glycol freezes at -12.8 °C: the same loop is then well formed.
    load_resolved(None, [*chip, "cooling.liquid.glycol_frac=0.3"])


@pytest.mark.parametrize("override, allowed", [
    ("cooling.liquid.glycol_frac=0.7", "less than or equal to 0.6"),
    ("cooling.liquid.chip_glycol_frac=-0.1", "greater than or equal to 0"),
    ("cooling.dry_cooler.redundant_units=-1", "greater than or equal to 0"),
    ("cooling.dry_cooler.unit_mw=0", "greater than 0"),
    ("cooling.adiabatic.cycles_of_concentration=1", "greater than 1"),
])
def test_new_plant_fields_are_range_checked(override, allowed):
    field = override.split("=")[0]
    with pytest.raises(ConfigError, match=rf"{field}: Input should be {allowed}"):
        load_resolved(None, [override])


def test_a_chillers_unloading_ratio_below_its_cycling_ratio_is_refused():
    with pytest.raises(ConfigError, match=r"cooling\.chiller\.min_unloading_frac: "
                       r"min_unloading_frac \(0\.05\) is below min_part_load_frac \(0\.1\)"):
        load_resolved(None, ["cooling.chiller.min_unloading_frac=0.05"])
    load_resolved(None, ["cooling.chiller.min_unloading_frac=0.1"])
