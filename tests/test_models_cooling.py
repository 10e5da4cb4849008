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


def test_plant_balances_heat_and_power():
    plant = cooling.dry_cooler_plant(
        10e6, 2e6, 42.0, 24.0,
        liquid_supply_c=35.0, liquid_return_c=45.0, liquid_pump_pa=250e3,
        liquid_pump_efficiency=0.7, air_water_supply_c=18.0, air_water_return_c=24.0,
        air_pump_pa=250e3, air_pump_efficiency=0.7, air_delta_k=12.0, air_fan_pa=486.0,
        air_fan_efficiency=0.7, approach_k=10.0, coil_air_delta_k=10.0, dry_cooler_fan_pa=150.0,
        dry_cooler_fan_efficiency=0.5, adiabatic_enabled=1.0, adiabatic_effectiveness=0.8,
        adiabatic_switch_on_c=21.0, min_fan_speed_frac=0.3, carnot_frac=0.405,
        max_cop=7.5,
    )
    # Heat rejected = IT heat + pump and CRAH fan work + chiller work.
    expected = 12e6 + plant["pump_w"] + plant["air_fan_w"] + plant["chiller_w"]
    assert plant["heat_rejected_w"] == pytest.approx(expected)
    parts = (plant["pump_w"] + plant["air_fan_w"] + plant["dry_cooler_fan_w"]
             + plant["chiller_w"])
    assert plant["cooling_w"] == pytest.approx(parts)


PLANT = dict(
    liquid_supply_c=35.0, liquid_return_c=45.0, liquid_pump_pa=250e3,
    liquid_pump_efficiency=0.7, air_water_supply_c=18.0, air_water_return_c=24.0,
    air_pump_pa=250e3, air_pump_efficiency=0.7, air_delta_k=12.0, air_fan_pa=486.0,
    air_fan_efficiency=0.7, approach_k=10.0, coil_air_delta_k=10.0, dry_cooler_fan_pa=150.0,
    dry_cooler_fan_efficiency=0.5, adiabatic_enabled=1.0, adiabatic_effectiveness=0.8,
    adiabatic_switch_on_c=21.0, min_fan_speed_frac=0.3, carnot_frac=0.405, max_cop=7.5,
)


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
