"""Chillers: the Carnot fraction and the EnergyPlus Chiller:Electric:EIR curves, against
hand-computed references, and the choice of model in the plants and the engine."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dcplanner.config import load_resolved
from dcplanner.errors import ConfigError
from dcplanner.models.cooling import chiller as ch
from dcplanner.scenario.cooling import Chiller, WaterCooledChiller
from tests.conftest import CONFIGS, records
from tests.test_models_cooling import PLANT as COOLING_PLANT

AIR = ch.CURVE_SETS["ashrae_90_1_air_cooled"]
DOE2 = ch.CURVE_SETS["doe2_centrifugal"]
CAPFT_REF = 1.00017577434  # the ASHRAE air-cooled CAPFT at 6.67 °C / 35 °C, by hand below


def eir_args(curves: dict, rated_cop: float, **kw) -> dict:
    keys = ("capft", "eirft", "eirfplr", "water_range_c", "condenser_range_c")
    return {**{k: np.asarray(curves[k]) for k in keys}, "rated_cop": rated_cop,
            "min_part_load_frac": 0.1, "min_unloading_frac": 0.2, **kw}


@pytest.mark.parametrize("curves", [AIR, DOE2])
def test_the_published_curves_are_one_at_their_reference_point(curves):
    x, y = curves["reference_c"]
    assert ch.biquadratic(curves["capft"], x, y) == pytest.approx(1.0, abs=4e-3)
    assert ch.biquadratic(curves["eirft"], x, y) == pytest.approx(1.0, abs=1e-3)
    assert ch.quadratic(curves["eirfplr"], 1.0) == pytest.approx(1.0, abs=1e-3)


def test_ashrae_air_cooled_curves_by_hand():
    # CAPFT(6.67, 35) = 1.0433825 + 0.0407073 x 6.67 + 0.0004506 x 44.4889 - 0.0041514 x 35
    #   - 0.0000886 x 1225 - 0.0003467 x 233.45 = 1.000176
    assert ch.biquadratic(AIR["capft"], 6.67, 35.0) == pytest.approx(CAPFT_REF, abs=1e-11)
    # EIRFT(10, 12.7) = 0.5961915 - 0.099496 + 0.07888 + 0.00572262 + 0.078628875
    #   - 0.0968121 = 0.563114895 (reference/physics-review.md §2.4: COP x 1.78)
    assert ch.biquadratic(AIR["eirft"], 10.0, 12.7) == pytest.approx(0.563114895, abs=1e-9)
    # EIRFPLR(0.5) = 0.141 + 0.655 x 0.5 + 0.203 x 0.25 = 0.51925
    assert ch.quadratic(AIR["eirfplr"], 0.5) == pytest.approx(0.51925, abs=1e-12)


def test_eir_at_the_rated_point_is_one_over_the_rated_cop():
    out = ch.eir_chiller(1e6, 6.67, 35.0, rated_capacity_w=1e6 / CAPFT_REF,
                         **eir_args(AIR, 2.96))
    # EIR = EIRFT(ref) EIRFPLR(1) / COP = 0.99992 x 0.999 / 2.96
    assert out["part_load_frac"] == pytest.approx(1.0, abs=1e-12)
    assert out["cop"] == pytest.approx(2.96 / (0.99992007732 * 0.999), rel=1e-9)
    assert out["cop"] == pytest.approx(2.96, rel=2e-3)
    assert out["chiller_w"] == pytest.approx(1e6 / out["cop"], rel=1e-12)


def test_a_worked_low_lift_point_matches_the_physics_review():
    # 10 °C water, 12.7 °C air at full load: COP = 2.96 / (0.563114895 x 0.999) = 5.2618,
    # the "1.78 x 2.96 = 5.3" of reference/physics-review.md §2.4
    rated_w = ch.eir_rated_capacity_w(2e6, 10.0, 12.7, capft=AIR["capft"],
                                      water_range_c=AIR["water_range_c"],
                                      condenser_range_c=AIR["condenser_range_c"])
    # CAPFT(10, 12.7) = 1.0433825 + 0.407073 + 0.04506 - 0.05272278 - 0.01429029 - 0.0440309
    #   = 1.38447153: the bank sized to carry 2 MW there
    assert rated_w == pytest.approx(2e6 / 1.38447153, rel=1e-8)
    out = ch.eir_chiller(2e6, 10.0, 12.7, rated_capacity_w=rated_w, **eir_args(AIR, 2.96))
    assert out["cop"] == pytest.approx(2.96 / (0.563114895 * 0.999), rel=1e-9)
    assert out["cop"] == pytest.approx(5.2618, abs=1e-4)


def test_part_load_false_loading_and_cycling_by_hand():
    args = eir_args(AIR, 2.96)
    e = 0.99992007732  # EIRFT at the rated point
    at = {plr: ch.eir_chiller(plr * 1e6, 6.67, 35.0, rated_capacity_w=1e6 / CAPFT_REF,
                              **args)["cop"] for plr in (0.5, 0.15, 0.05, 0.0, 2.0)}
    # PLR 0.5: COP = 2.96 x 0.5 / (EIRFT x 0.51925)
    assert at[0.5] == pytest.approx(2.96 * 0.5 / (e * 0.51925), rel=1e-9)
    # PLR 0.15, below the 0.2 unloading limit: EIRFPLR(0.2) = 0.141 + 0.131 + 0.00812 = 0.28012
    # over PLR 0.15 (false loading)
    assert at[0.15] == pytest.approx(2.96 * 0.15 / (e * 0.28012), rel=1e-9)
    # PLR 0.05, below the 0.1 minimum: cycling, power = that at PLR 0.1 x 0.05 / 0.1
    assert at[0.05] == pytest.approx(2.96 * 0.1 / (e * 0.28012), rel=1e-9)
    # no load: no energy, and the full-load COP (as the Carnot model gives one at any load)
    assert at[0.0] == pytest.approx(2.96 / (e * 0.999), rel=1e-9)
    # twice the available capacity: priced at full-load efficiency
    assert at[2.0] == pytest.approx(2.96 / (e * 0.999), rel=1e-9)


def test_a_staged_bank_runs_the_units_it_needs_at_an_equal_share():
    args = eir_args(AIR, 2.96)
    e = 0.99992007732  # EIRFT at the rated point
    rated_w = 4e6 / CAPFT_REF  # four 1 MW units at the rated point

    def cop(load_w, units):
        return ch.eir_chiller(load_w, 6.67, 35.0, rated_capacity_w=rated_w, units=units,
                              **args)["cop"]

    # 1.2 MW of 4 MW: bank PLR 0.3, ceil(1.2) = 2 units on, each at PLR 0.6;
    # EIRFPLR(0.6) = 0.141 + 0.393 + 0.07308 = 0.60708
    assert cop(1.2e6, 4) == pytest.approx(2.96 * 0.6 / (e * 0.60708), rel=1e-9)
    # one unit is the bank as one machine: PLR 0.3, EIRFPLR(0.3) = 0.141 + 0.1965 + 0.01827
    assert cop(1.2e6, 1) == pytest.approx(2.96 * 0.3 / (e * 0.35577), rel=1e-9)
    # 2 MW: exactly two units at full load; overload: all four
    assert cop(2e6, 4) == pytest.approx(2.96 / (e * 0.999), rel=1e-9)
    assert cop(6e6, 4) == pytest.approx(cop(6e6, 1), rel=1e-12)
    # at a tenth of the bank's capacity one unit runs at 0.4 instead of the bank cycling at 0.1
    assert cop(0.4e6, 4) == pytest.approx(cop(1.6e6, 1), rel=1e-12)
    assert cop(0.4e6, 4) > 2 * cop(0.4e6, 1)


def test_curve_inputs_are_clamped_to_the_valid_range_as_energyplus_does():
    args = eir_args(AIR, 2.96)
    warm = ch.eir_chiller(1e6, [18.0, 35.0], [5.0, 60.0], rated_capacity_w=1e6, **args)
    edge = ch.eir_chiller(1e6, [10.0, 10.0], [12.7, 51.67], rated_capacity_w=1e6, **args)
    np.testing.assert_allclose(warm["cop"], edge["cop"], rtol=1e-12)


def test_the_eir_model_is_vectorized_over_scenarios_and_hours():
    # two scenarios with their own curve sets and ratings, three hours each
    curves = {k: np.array([AIR[k], DOE2[k]]) for k in
              ("capft", "eirft", "eirfplr", "water_range_c", "condenser_range_c")}
    cop = np.array([2.96, 6.28])[:, None]
    load = np.array([[1e6, 5e5, 2e5], [3e6, 1e6, 0.0]])
    supply = np.array([7.0, 8.0])[:, None]
    cond = np.array([[35.0, 25.0, 15.0], [30.0, 27.0, 24.0]])
    rated = np.array([1.2e6, 3.5e6])[:, None]
    out = ch.eir_chiller(load, supply, cond, rated_capacity_w=rated, rated_cop=cop,
                         min_part_load_frac=0.1, min_unloading_frac=0.2, **curves)
    assert out["cop"].shape == (2, 3)
    for i, one in enumerate((AIR, DOE2)):
        for h in range(3):
            ref = ch.eir_chiller(load[i, h], supply[i, 0], cond[i, h],
                                 rated_capacity_w=rated[i, 0], **eir_args(one, cop[i, 0]))
            assert out["cop"][i, h] == pytest.approx(float(ref["cop"]), rel=1e-12)


@settings(max_examples=60, deadline=None)
@given(st.floats(5.0, 10.0), st.floats(12.7, 51.0), st.floats(0.1, 0.6),
       st.floats(0.0, 1.5))
def test_full_load_cop_falls_with_the_condenser_and_power_is_never_negative(x, y, dy, plr):
    args = eir_args(AIR, 2.96)
    cool, hot = (ch.eir_chiller(1e6, x, t, rated_capacity_w=1e6 / ch.biquadratic(
        AIR["capft"], x, t), **args)["cop"] for t in (y, y + dy))
    assert hot < cool
    part = ch.eir_chiller(plr * 1e6, x, y, rated_capacity_w=1e6, **args)
    assert part["chiller_w"] >= 0.0 and part["cop"] > 0.0


def test_the_model_choice_runs_each_scenario_on_its_own():
    eir = {f"chiller_{k}": np.array([AIR[k]] * 2) for k in
           ("capft", "eirft", "eirfplr", "water_range_c", "condenser_range_c")}
    eir.update(chiller_rated_cop=2.96, chiller_min_part_load_frac=0.1,
               chiller_min_unloading_frac=0.2, chiller_units=1.0)
    common = dict(carnot_condenser_c=37.4, entering_condenser_c=27.4, carnot_frac=0.405,
                  max_cop=5.26)
    load = np.array([1e6, 1e6])
    mixed = ch.chiller(load, 18.0, chiller_model=np.array([0.0, 1.0]), **common, **eir)
    carnot = ch.chiller(load, 18.0, chiller_model=np.array([0.0, 0.0]), **common, **eir)
    only_eir = ch.chiller(load, 18.0, chiller_model=np.array([1.0, 1.0]), **common, **eir)
    assert mixed["chiller_w"][0] == pytest.approx(carnot["chiller_w"][0], rel=1e-12)
    assert mixed["chiller_w"][1] == pytest.approx(only_eir["chiller_w"][1], rel=1e-12)
    # Carnot: min(0.405 x 291.15 / 19.4, 5.26) = min(6.078, 5.26); EIR: water clamped to 10 °C
    assert float(carnot["cop"]) == pytest.approx(5.26)
    assert mixed["cop"][0] == pytest.approx(5.26)
    assert only_eir["cop"][1] == pytest.approx(
        2.96 / (ch.biquadratic(AIR["eirft"], 10.0, 27.4) * 0.999), rel=1e-9)
    # the design hour sizes the bank on its load: full load there
    assert only_eir["rated_w"][1] == pytest.approx(1e6 / ch.biquadratic(AIR["capft"], 10.0,
                                                                        27.4))


def test_the_carnot_cap_is_the_best_cop_of_the_ashrae_air_cooled_curves():
    # the default's derivation: rated COP over the smallest EIRFT in the valid range (10 °C
    # water, 12.7 °C air), and EIRFPLR(1) ~ 1
    best = Chiller().rated_cop / ch.biquadratic_min(AIR["eirft"], AIR["water_range_c"],
                                                    AIR["condenser_range_c"])
    assert Chiller().max_cop == pytest.approx(best, abs=0.005)
    # within the curves' range the capped Carnot model is at most 16 % above them (with the
    # former cap, 7.5, it was 47 % above, and 43 % at 10 °C / 12.7 °C)
    x, y = np.meshgrid(np.linspace(5, 10, 11), np.linspace(12.7, 51.67, 40))
    ashrae = 2.96 / ch.biquadratic(AIR["eirft"], x, y)
    carnot = ch.carnot_cop(x, y + 10.0, 0.405, Chiller().max_cop)
    assert np.max(carnot / ashrae) < 1.17
    assert np.max(ch.carnot_cop(x, y + 10.0, 0.405, 7.5) / ashrae) > 1.4


def test_biquadratic_minimum_is_exact_against_a_dense_grid():
    rng = np.random.default_rng(0)
    for _ in range(200):
        k = rng.normal(size=6)
        xb, yb = np.sort(rng.uniform(-5, 5, 2)), np.sort(rng.uniform(-5, 5, 2))
        x, y = np.meshgrid(np.linspace(*xb, 301), np.linspace(*yb, 301))
        grid = ch.biquadratic(k, x, y).min()
        exact = ch.biquadratic_min(k, xb, yb)
        assert exact <= grid + 1e-12
        assert exact == pytest.approx(grid, abs=1e-3 * (1 + abs(grid)))


def test_water_cooled_defaults_name_the_doe2_centrifugal_set():
    w = WaterCooledChiller()
    assert (w.model, w.curves, w.rated_cop) == ("carnot", "doe2_centrifugal", 6.28)


BAD_CAPFT = ("cooling.chiller.curves={capft: [0.1, 0, 0, -0.01, 0, 0], "
             "eirft: [1, 0, 0, 0, 0, 0], eirfplr: [0.1, 0.9, 0], water_range_c: [5, 10], "
             "condenser_range_c: [12, 40]}")


def test_a_curve_negative_in_its_valid_range_is_refused_naming_the_field():
    # CAPFT = 0.1 - 0.01 y is negative from y = 10 °C: the whole range 12-40 °C
    with pytest.raises(ConfigError, match=r"cooling\.chiller\.curves\.capft: capft must stay "
                       r"positive over its valid range \(minimum -0\.3 within"):
        load_resolved(None, [BAD_CAPFT, "cooling.chiller.model=eir"])
    with pytest.raises(ConfigError, match=r"cooling\.chiller\.curves\.water_range_c"):
        load_resolved(None, [BAD_CAPFT.replace("capft: [0.1,", "capft: [1,")
                             .replace("[5, 10]", "[10, 5]")])
    with pytest.raises(ConfigError, match=r"cooling\.chiller\.curves: eirfplr must stay "
                       r"positive over the part-load ratios it is used at \(0\.2 to 1"):
        load_resolved(None, [BAD_CAPFT.replace("capft: [0.1,", "capft: [1,")
                             .replace("[0.1, 0.9, 0]", "[-0.5, 1.5, 0]")])
    with pytest.raises(ConfigError, match=r"cooling\.chiller\.curves"):
        load_resolved(None, ["cooling.chiller.curves=no_such_set"])
    with pytest.raises(ConfigError, match=r"cooling\.chiller\.min_part_load_frac"):
        load_resolved(None, ["cooling.chiller.min_part_load_frac=0"])


def test_coefficients_given_equal_the_named_set():
    given_ = ("cooling.chiller.curves={"
              + ", ".join(f"{k}: {list(AIR[k])}" for k in
                          ("capft", "eirft", "eirfplr", "water_range_c", "condenser_range_c"))
              + "}")
    named = records([load_resolved(None, ["cooling.chiller.model=eir"])], annual=False)[0]
    coefficients = records([load_resolved(None, ["cooling.chiller.model=eir", given_])],
                           annual=False)[0]
    assert coefficients["facility_peak_mw"] == named["facility_peak_mw"]


@pytest.mark.parametrize("config", [None, "paris-40mw-cooling-tower.yaml"])
def test_the_eir_model_prices_the_design_hour_at_full_load_and_runs_the_year(config):
    path = None if config is None else CONFIGS / config
    carnot, eir = records([load_resolved(path, []),
                           load_resolved(path, ["cooling.chiller.model=eir"])])
    assert eir["annual"]["chiller_mwh"] > 0
    assert eir["annual"]["chiller_mwh"] != carnot["annual"]["chiller_mwh"]
    # the banks are sized on the design hour: the air-side bank runs at full load there,
    # with its leaving water (18 °C) clamped to the curves' 10 °C
    r = load_resolved(path, [])
    chiller = r.scenario.cooling.chiller
    curves = ch.CURVE_SETS[chiller.curves]
    # (and so does the liquid one; in the tower plant it is free-cooled there, no load: the
    # full-load COP is shown, no energy spent)
    cooling = eir["design"]["cooling"]
    for loop in ("liquid", "air"):
        sink_c = cooling[f"{loop}_coil_air_c"] if config is None else cooling["tower_water_c"]
        expected = chiller.rated_cop / (ch.biquadratic(curves["eirft"], 10.0, np.clip(
            sink_c, *curves["condenser_range_c"])) * ch.quadratic(curves["eirfplr"], 1.0))
        assert cooling[f"{loop}_chiller_cop"] == pytest.approx(expected, rel=1e-9)
    if config is not None:
        assert cooling["liquid_free_cooling_frac"] == 1.0


def test_a_staged_bank_saves_energy_in_the_year_and_not_at_the_design_hour():
    one, six = records([load_resolved(None, ["cooling.chiller.model=eir"]),
                        load_resolved(None, ["cooling.chiller.model=eir",
                                             "cooling.chiller.units=6"])])
    # the design hour runs every unit at full load either way
    assert six["facility_peak_mw"] == pytest.approx(one["facility_peak_mw"], rel=1e-12)
    # part-load hours: fewer units on, nearer full load, less cycling
    assert six["annual"]["chiller_mwh"] < one["annual"]["chiller_mwh"]


# the plant of tests/test_models_cooling.py, with this module's default cap
PLANT = {**COOLING_PLANT, "max_cop": 5.26}
EIR_INPUTS = dict(
    chiller_model=1.0, chiller_rated_cop=2.96, chiller_min_part_load_frac=0.1,
    chiller_min_unloading_frac=0.2, chiller_units=1.0,
    **{f"chiller_{k}": np.asarray(AIR[k]) for k in
       ("capft", "eirft", "eirfplr", "water_range_c", "condenser_range_c")},
)


def test_the_dry_cooler_plant_sizes_its_eir_banks_on_the_design_hour_and_controls_them():
    from dcplanner.models.cooling.plants import INSTALLED_KEYS, dry_cooler_plant

    design = dry_cooler_plant(10e6, 2e6, 42.0, 24.0, **PLANT, **EIR_INPUTS)
    installed = {key: design[key] for key in INSTALLED_KEYS}
    # at the design hour each bank is at full load: COP = 2.96 / (EIRFT EIRFPLR(1)) at 10 °C
    # water (18 and 35 °C clamped) and the coil air
    coil_c = design["air_coil_air_c"]
    full = 2.96 / (ch.biquadratic(AIR["eirft"], 10.0, coil_c) * 0.999)
    assert design["air_cop"] == pytest.approx(full, rel=1e-12)
    # no free cooling on the air side at 42 °C: the bank takes the loop's heat Q, rejected with
    # its work, Q (1 + 1 / COP); sized so that Cap_ref CAPFT(10 °C, coil air) = Q
    assert design["air_free_frac"] == 0.0
    load_w = design["air_heat_rejected_w"] / (1.0 + 1.0 / design["air_cop"])
    assert design["air_chiller_rated_w"] * ch.biquadratic(AIR["capft"], 10.0, coil_c) == \
        pytest.approx(load_w, rel=1e-12)
    again = dry_cooler_plant(10e6, 2e6, 42.0, 24.0, installed=installed, **PLANT, **EIR_INPUTS)
    assert again["chiller_w"] == pytest.approx(design["chiller_w"], rel=1e-12)
    # vectorized: two scenarios (the second at half the load) by three hours equal one by one
    dry = np.array([[42.0, 30.0, 24.0]])
    wet = np.array([[24.0, 20.0, 17.0]])
    load = np.array([[10e6], [5e6]]) * np.ones((1, 3))
    both = {k: np.array([v, v])[:, None] for k, v in installed.items()}
    grid = dry_cooler_plant(load, load / 5, dry, wet, installed=both, **PLANT, **EIR_INPUTS)
    for i in range(2):
        for h in range(3):
            one = dry_cooler_plant(load[i, h], load[i, h] / 5, dry[0, h], wet[0, h],
                                   installed=installed, **PLANT, **EIR_INPUTS)
            assert grid["chiller_w"][i, h] == pytest.approx(float(one["chiller_w"]), rel=1e-12)
            assert grid["air_cop"][i, h] == pytest.approx(float(one["air_cop"]), rel=1e-12)
    # a cooler hour at the same load: part load on the air-side bank, a better COP
    assert grid["air_cop"][0, 1] > grid["air_cop"][0, 0]


@settings(max_examples=60, deadline=None)
@given(st.floats(0.0, 40.0), st.floats(0.0, 60.0), st.floats(1e3, 1e8))
def test_a_bank_sized_on_an_hour_runs_at_full_load_in_it(water_c, air_c, load_w):
    curves = {k: AIR[k] for k in ("capft", "water_range_c", "condenser_range_c")}
    rated_w = ch.eir_rated_capacity_w(load_w, water_c, air_c, **curves)
    out = ch.eir_chiller(load_w, water_c, air_c, rated_capacity_w=rated_w,
                         **eir_args(AIR, 2.96))
    assert out["part_load_frac"] == pytest.approx(1.0, rel=1e-12)
