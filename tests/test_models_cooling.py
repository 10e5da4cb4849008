import numpy as np
import pytest

from dcplanner.models import cooling


@pytest.mark.parametrize(("air_c", "share"), [(15.0, 1.0), (22.0, 1.0), (27.0, 0.5), (32.0, 0.0),
                                              (40.0, 0.0)])
def test_free_cooling_share_of_a_w32_loop(air_c, share):
    # W32 supply 32 °C, return 42 °C, approach 10 K: full free cooling up to 22 °C ambient
    # (facility.md §3.5), none above 32 °C.
    assert cooling.free_cooling_frac(air_c, 32.0, 42.0, 10.0) == pytest.approx(share)


def test_crah_fan_power_matches_the_facility_reference_example():
    # 1 MW of air-cooled heat, 12 K, 486 Pa, 0.7: ~48 kW (facility.md §3.6).
    assert cooling.air_flow_power_w(1e6, 12.0, 486.0, 0.7) == pytest.approx(47.97e3, rel=1e-3)


def test_pump_power_by_hand():
    # 1 MW at 10 K: 1e6 / (995.6 * 4178 * 10) = 0.02404 m3/s; x 250 kPa / 0.7 = 8.59 kW.
    assert cooling.water_flow_power_w(1e6, 10.0, 250e3, 0.7) == pytest.approx(8586.0, rel=1e-3)


def test_carnot_cop_calibration_point_and_cap():
    # 6.67 °C water, 35 °C air + 10 K approach: 0.405 * 279.82 / 38.33 = 2.96 (ASHRAE 90.1).
    assert cooling.carnot_cop(6.67, 45.0, 0.405, 7.5) == pytest.approx(2.957, abs=0.01)
    assert cooling.carnot_cop(35.0, 30.0, 0.405, 7.5) == pytest.approx(7.5)


def test_adiabatic_precooling_stops_at_the_target():
    # 42 °C, wet bulb 24 °C, effectiveness 0.8: could reach 27.6 °C.
    assert cooling.adiabatic_air_temp_c(42.0, 24.0, 0.8, 25.0) == pytest.approx(27.6)
    assert cooling.adiabatic_air_temp_c(42.0, 24.0, 0.8, 30.0) == pytest.approx(30.0)
    assert cooling.adiabatic_air_temp_c(20.0, 14.0, 0.8, 25.0) == pytest.approx(20.0)
    assert cooling.adiabatic_air_temp_c(42.0, 24.0, 0.0, 25.0) == pytest.approx(42.0)


def test_evaporated_water_by_hand():
    # 1 MW through coils at 10 K rise, air pre-cooled by 10 K: evaporates 1e6 / 2.454e6 kg/s.
    assert cooling.evaporated_water_kg_per_s(1e6, 40.0, 30.0, 10.0) == pytest.approx(0.4075,
                                                                                      rel=1e-3)


PLANT = dict(
    liquid_supply_c=35.0, liquid_return_c=45.0, liquid_pump_pa=250e3,
    liquid_pump_efficiency=0.7, air_water_supply_c=18.0, air_water_return_c=24.0,
    air_pump_pa=250e3, air_pump_efficiency=0.7, air_delta_k=12.0, air_fan_pa=486.0,
    air_fan_efficiency=0.7, approach_k=10.0, coil_air_delta_k=10.0, dry_cooler_fan_pa=150.0,
    dry_cooler_fan_efficiency=0.5, adiabatic_enabled=1.0, adiabatic_effectiveness=0.8,
    adiabatic_switch_on_c=21.0, min_fan_speed_frac=0.3, carnot_frac=0.405, max_cop=7.5,
    chip_pump_pa=0.0, cdu_approach_k=5.0, liquid_glycol_frac=0.0, chip_glycol_frac=0.0,
    glycol_approach_k=1.5, adiabatic_frost_lockout_c=4.0, adiabatic_cycles=5.0,
    dry_cooler_unit_w=1e6, dry_cooler_redundant_units=0,
)


def test_plant_balances_heat_and_power():
    plant = cooling.dry_cooler_plant(10e6, 2e6, 42.0, 24.0, **PLANT)
    # Heat rejected = IT heat + pump and CRAH fan work + chiller work.
    expected = 12e6 + plant["pump_w"] + plant["air_fan_w"] + plant["chiller_w"]
    assert plant["heat_rejected_w"] == pytest.approx(expected)
    parts = (plant["pump_w"] + plant["air_fan_w"] + plant["dry_cooler_fan_w"]
             + plant["chiller_w"])
    assert plant["cooling_w"] == pytest.approx(parts)




def test_fan_speed_by_hand():
    # 80 % of the design heat, water 45 °C, air 5 °C against 27.4 °C at the design hour:
    # the air can warm by 40 K instead of 17.6 K, so 0.8 x 17.6 / 40 = 0.352 of the airflow.
    assert cooling.fan_speed_frac(0.8e6, 1e6, 45.0, 5.0, 45.0, 27.4, 1.0, 0.3) == \
        pytest.approx(0.352)
    assert cooling.fan_speed_frac(0.1e6, 1e6, 45.0, 5.0, 45.0, 27.4, 1.0, 0.3) == 0.3  # floor
    assert cooling.fan_speed_frac(1.2e6, 1e6, 45.0, 30.0, 45.0, 27.4, 1.0, 0.3) == 1.0  # ceiling
    # half the heat through a chiller: that half at the condenser's airflow (the load)
    assert cooling.fan_speed_frac(0.8e6, 1e6, 45.0, 5.0, 45.0, 27.4, 0.5, 0.3) == \
        pytest.approx(0.5 * 0.352 + 0.5 * 0.8)
    # no jump where the chiller starts
    assert cooling.fan_speed_frac(0.8e6, 1e6, 45.0, 5.0, 45.0, 27.4, 0.9999, 0.3) == \
        pytest.approx(0.352, abs=1e-4)
    # no installed heat (an air-cooled hall has no liquid bank): the floor, times no fans
    assert cooling.fan_speed_frac(0.0, 0.0, 45.0, 5.0, 45.0, 27.4, 1.0, 0.3) == 0.3


def test_controlled_fans_at_the_design_hour_are_the_design_fans_and_less_in_winter():
    design = cooling.dry_cooler_plant(10e6, 2e6, 42.0, 24.0, **PLANT)
    installed = {f"{loop}_{key}": design[f"{loop}_{key}"] for loop in ("liquid", "air")
                 for key in ("heat_rejected_w", "coil_air_c")}
    again = cooling.dry_cooler_plant(10e6, 2e6, 42.0, 24.0, installed=installed, **PLANT)
    # The design hour: both banks at the load they were sized on, so the design fan power.
    assert again["dry_cooler_fan_w"] == pytest.approx(design["dry_cooler_fan_w"], rel=1e-12)
    winter = cooling.dry_cooler_plant(8e6, 1.6e6, 5.0, 3.0, installed=installed, **PLANT)
    fixed = cooling.dry_cooler_plant(8e6, 1.6e6, 5.0, 3.0, **PLANT)
    assert winter["dry_cooler_fan_w"] < 0.2 * fixed["dry_cooler_fan_w"]


def test_pads_wet_only_from_the_switch_on_dry_bulb():
    warm = cooling.dry_cooler_plant(10e6, 2e6, 24.0, 16.0, **PLANT)
    assert warm["water_kg_per_s"] > 0
    below = cooling.dry_cooler_plant(10e6, 2e6, 24.0, 16.0, **{**PLANT,
                                                              "adiabatic_switch_on_c": 25.0})
    assert below["water_kg_per_s"] == 0
    assert below["air_coil_air_c"] == 24.0  # outdoor air, dry


def test_chip_side_pumps_by_hand():
    # 10 MW at a 10 K range through 200 kPa at 0.7: V = 1e7 / (995.6 x 4178 x 10) m³/s,
    # P = V dp / eta; the facility pumps then move the heat plus the CDU pumps' work.
    v = 1e7 / (995.6 * 4178.0 * 10.0)
    chip_w = v * 200e3 / 0.7
    facility_w = (1e7 + chip_w) / (995.6 * 4178.0 * 10.0) * 250e3 / 0.7
    plant = cooling.dry_cooler_plant(10e6, 2e6, 42.0, 24.0, **{**PLANT, "chip_pump_pa": 200e3})
    flows = cooling.loop_pumping(10e6, 2e6, **{k: v for k, v in {**PLANT, "chip_pump_pa": 200e3}
                                               .items() if k in LOOP_KEYS})
    assert flows["chip_pump_w"] == pytest.approx(chip_w, rel=1e-12)
    assert flows["liquid_pump_w"] == pytest.approx(chip_w + facility_w, rel=1e-12)
    assert plant["pump_w"] == pytest.approx(flows["liquid_pump_w"] + flows["air_pump_w"],
                                            rel=1e-12)


LOOP_KEYS = ("liquid_supply_c", "liquid_return_c", "liquid_pump_pa", "liquid_pump_efficiency",
             "chip_pump_pa", "cdu_approach_k", "liquid_glycol_frac", "chip_glycol_frac",
             "glycol_approach_k", "air_water_supply_c", "air_water_return_c", "air_pump_pa",
             "air_pump_efficiency", "air_delta_k", "air_fan_pa", "air_fan_efficiency")


def test_glycol_costs_pump_power_and_approach():
    from dcplanner.models.cooling.coolant import pumping_factor

    water = cooling.dry_cooler_plant(10e6, 0.0, 30.0, 20.0, **PLANT)
    glycol = cooling.dry_cooler_plant(10e6, 0.0, 30.0, 20.0,
                                      **{**PLANT, "liquid_glycol_frac": 0.3})
    # Only the facility pumps see the glycol (chip pumps are off here), at the loop's 40 °C.
    assert glycol["pump_w"] - water["pump_w"] == pytest.approx(
        water["pump_w"] * (pumping_factor(0.3, 40.0) - 1.0), rel=1e-9)
    # 1.5 K more approach: the coil air must be 1.5 K colder (the pads work harder), or the
    # chiller takes more.
    assert glycol["liquid_coil_air_c"] == pytest.approx(water["liquid_coil_air_c"] - 1.5)
    assert glycol["water_kg_per_s"] > water["water_kg_per_s"]


def test_redundant_units_share_the_air():
    design = cooling.dry_cooler_plant(10e6, 2e6, 42.0, 24.0, **PLANT)
    installed = {f"{loop}_{key}": design[f"{loop}_{key}"] for loop in ("liquid", "air")
                 for key in ("heat_rejected_w", "coil_air_c")}
    n_plus_1 = {**PLANT, "dry_cooler_redundant_units": 1}
    # At the design load all N + 1 units run at N / (N + 1) of the speed: (N / (N + 1))^2 of
    # the power, bank by bank (N = ceil(design heat / 1 MW)).
    hour = cooling.dry_cooler_plant(10e6, 2e6, 42.0, 24.0, installed=installed, **n_plus_1)
    expected = 0.0
    for loop in ("liquid", "air"):
        n = np.ceil(design[f"{loop}_heat_rejected_w"] / 1e6)
        share = n / (n + 1)
        full = cooling.air_flow_power_w(design[f"{loop}_heat_rejected_w"], 10.0, 150.0, 0.5)
        expected += full * share**2
    assert hour["dry_cooler_fan_w"] == pytest.approx(expected, rel=1e-12)
    # The design hour itself is sized with the spare out of service: unchanged.
    assert cooling.dry_cooler_plant(10e6, 2e6, 42.0, 24.0, **n_plus_1)["dry_cooler_fan_w"] \
        == design["dry_cooler_fan_w"]
    # At the minimum speed the extra unit costs power: N + 1 fans at the floor.
    cold = dict(installed=installed)
    n_only = cooling.dry_cooler_plant(1e6, 0.2e6, -5.0, -6.0, **cold, **PLANT)
    spare = cooling.dry_cooler_plant(1e6, 0.2e6, -5.0, -6.0, **cold, **n_plus_1)
    assert spare["dry_cooler_fan_w"] > n_only["dry_cooler_fan_w"]


def test_duty_share():
    assert cooling.plants.duty_share_frac(10e6, 1e6, 1) == pytest.approx(10 / 11)
    assert cooling.plants.duty_share_frac(0.0, 1e6, 1) == pytest.approx(0.5)  # one unit
    assert cooling.plants.duty_share_frac(10e6, 1e6, 0) == 1.0


def test_frost_lockout_and_bleed_off():
    # A switch-on below freezing still leaves the pads dry under the frost lockout.
    cold = {**PLANT, "adiabatic_switch_on_c": -10.0, "approach_k": 30.0}
    assert cooling.dry_cooler_plant(10e6, 2e6, 3.0, 1.0, **cold)["water_kg_per_s"] == 0
    assert cooling.dry_cooler_plant(10e6, 2e6, 3.0, 1.0, **{
        **cold, "adiabatic_frost_lockout_c": 2.0})["water_kg_per_s"] > 0
    # Make-up is evaporation x cycles / (cycles - 1): 5 / 4 at 5 cycles, 3 / 2 at 3.
    five = cooling.dry_cooler_plant(10e6, 2e6, 42.0, 24.0, **PLANT)["water_kg_per_s"]
    three = cooling.dry_cooler_plant(10e6, 2e6, 42.0, 24.0,
                                     **{**PLANT, "adiabatic_cycles": 3.0})["water_kg_per_s"]
    assert three / five == pytest.approx(1.5 / 1.25, rel=1e-12)


def test_indirect_economizer_by_hand():
    econ = {**PLANT, "air_economizer": 1, "air_economizer_effectiveness": 0.75,
            "air_supply_c": 24.0, "air_economizer_fan_pa": 250.0}
    # 28 °C outside, hall return 36 °C: 0.75 x 8 / 12 = 0.5 of the air side's heat leaves
    # through the exchanger; the coils get the other half.
    plain = cooling.dry_cooler_plant(10e6, 2e6, 28.0, 20.0, **PLANT)
    hour = cooling.dry_cooler_plant(10e6, 2e6, 28.0, 20.0, **econ)
    crah_w = cooling.air_flow_power_w(2e6, 12.0, 486.0, 0.7)
    scavenger_w = cooling.air_flow_power_w(2e6, 12.0, 250.0, 0.7)
    assert hour["air_fan_w"] == pytest.approx(crah_w + scavenger_w, rel=1e-12)
    air_pump_w = cooling.water_flow_power_w(0.5 * (2e6 + crah_w), 6.0, 250e3, 0.7)
    assert hour["pump_w"] - plain["pump_w"] == pytest.approx(
        air_pump_w - cooling.water_flow_power_w(2e6 + crah_w, 6.0, 250e3, 0.7), rel=1e-9)
    assert hour["air_free_frac"] == pytest.approx(0.5 + 0.5 * plain["air_free_frac"])
    assert hour["chiller_w"] < plain["chiller_w"]
    # Cold air takes it all; air above the hall's return takes nothing, and its fans stop.
    cold = cooling.dry_cooler_plant(10e6, 2e6, 5.0, 3.0, **econ)
    assert cold["air_free_frac"] == 1.0
    hot = cooling.dry_cooler_plant(10e6, 2e6, 42.0, 24.0, **econ)
    design = cooling.dry_cooler_plant(10e6, 2e6, 42.0, 24.0, **PLANT)
    assert hot["cooling_w"] == pytest.approx(design["cooling_w"], rel=1e-12)


def test_controlled_fans_never_need_air_leaving_warmer_than_the_water():
    # A bank sized at 37 °C air for 42 °C water (a 5 K difference, below the 10 K design air
    # rise) cooling water alone at 15 °C: the air may warm by at most 42 - 15 = 27 K, so
    # 0.8 of the design heat needs at least 0.8 x 10 / 27 of the design airflow.
    speed = cooling.fan_speed_frac(0.8e6, 1e6, 42.0, 15.0, 42.0, 37.0, 1.0, 0.05,
                                   design_rise_k=10.0)
    assert speed == pytest.approx(0.8 * 10.0 / 27.0)
    # a bank whose design difference is above the rise keeps its own effectiveness
    assert cooling.fan_speed_frac(0.8e6, 1e6, 45.0, 5.0, 45.0, 27.4, 1.0, 0.3,
                                  design_rise_k=10.0) == pytest.approx(0.352)
