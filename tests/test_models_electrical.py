import numpy as np
import pytest

from dcplanner.config import load_resolved
from dcplanner.errors import ConfigError
from dcplanner.models import electrical
from tests.conftest import records

CODES = {name: i for i, name in enumerate(electrical.TOPOLOGIES)}


@pytest.mark.parametrize(
    ("topology", "modules", "usable"),
    [
        ("N", 4, 1.0),
        ("N+1", 2, 0.5),     # 2 x 100 %
        ("N+1", 4, 0.75),    # 4 x 33 %
        ("N+1", 5, 0.8),     # 5 x 25 %
        ("catcher", 15, 14 / 15),
        ("4N/3", 4, 0.75),
        ("3N/2", 3, 2 / 3),
        ("2N", 2, 0.5),
    ],
)
def test_usable_capacity_by_topology(topology, modules, usable):
    # facility.md §2.3 (Schneider WP75 and distributed-redundancy definitions).
    assert electrical.usable_capacity_frac(CODES[topology], modules) == pytest.approx(usable)


def test_only_a_catcher_leaves_its_reserve_idle():
    assert electrical.active_capacity_frac(CODES["catcher"], 4) == pytest.approx(0.75)
    assert electrical.active_capacity_frac(CODES["N+1"], 4) == pytest.approx(1.0)


def test_ups_losses_interpolate_the_loss_between_the_curves_points():
    # 30 MW out of 40 MW active = 75 % load, between (0.5, 0.96) and (1.0, 0.97): losses per
    # rated output 0.5 (1/0.96 - 1) = 0.0208333 and 1/0.97 - 1 = 0.0309278, so 0.0258806 at
    # 75 %: 1.03522 MW, an efficiency of 30 / 31.03522 = 0.966643.
    load, eff, loss = electrical.ups_losses(
        np.array([30e6]), np.array([40e6]), np.array([[0.5, 1.0]]), np.array([[0.96, 0.97]])
    )
    assert load[0] == pytest.approx(0.75)
    assert loss[0] == pytest.approx(40e6 * (0.0208333 + 0.0309278) / 2, rel=1e-5)
    assert eff[0] == pytest.approx(0.966643, abs=1e-6)
    # at a table point the efficiency is the table's
    _, eff, _ = electrical.ups_losses(np.array([20e6]), np.array([40e6]),
                                      np.array([[0.5, 1.0]]), np.array([[0.96, 0.97]]))
    assert eff[0] == pytest.approx(0.96, rel=1e-12)


def test_transformer_loss_is_no_load_plus_square_law():
    # 50 MVA, P0 0.1 %, Pk 0.9 %, at 40 MW: 50e6 * (0.001 + 0.009 * 0.64) = 338 kW.
    assert electrical.transformer_loss_w(40e6, 50e6, 0.001, 0.009) == pytest.approx(338e3)


# -- UPS presets, no-load losses, feeds, generators ------------------------------------------

LEGACY = electrical.UPS_PRESETS["legacy_double_conversion"]
TABLE = np.array([electrical.PRESET_LOAD_FRAC])


def _p0(curve):
    return float(electrical.no_load_loss_frac(TABLE, np.array([curve]))[0])


def test_the_no_load_loss_is_the_first_two_points_extrapolated_to_zero_load():
    # 0.1 (1/0.86 - 1) = 0.016279, 0.25 (1/0.93 - 1) = 0.018817: slope 0.016921 per unit
    # load, so 0.016279 - 0.1 x 0.016921 = 0.014587 of the rating at zero load.
    assert _p0(LEGACY) == pytest.approx(0.014587, abs=2e-6)


def test_a_module_carrying_nothing_still_loses_its_no_load_loss():
    curve = np.array([LEGACY])
    _, eff, loss = electrical.ups_losses(np.array([0.0, 1.5e6]), np.array([30e6, 30e6]),
                                         np.repeat(TABLE, 2, 0), np.repeat(curve, 2, 0))
    assert loss[0] == pytest.approx(0.014587 * 30e6, rel=1e-4) and eff[0] == 0.0
    # 5 % load, half-way to the first point: P0 + (0.016279 - P0) / 2 of the rating
    assert loss[1] == pytest.approx((0.014587 + (0.016279 - 0.014587) / 2) * 30e6, rel=1e-4)


def test_a_catchers_idle_reserve_block_loses_its_no_load_loss():
    # 15 blocks of 3 MW, one idle: 3 MW x 1.4587 % = 43.8 kW
    p0 = electrical.no_load_loss_frac(TABLE, np.array([LEGACY]))
    installed = np.array([45e6])
    active = installed * electrical.active_capacity_frac(CODES["catcher"], 15)
    loss = electrical.reserve_idle_loss_w(installed, active, p0)
    assert loss[0] == pytest.approx(3e6 * 0.014587, rel=1e-4)
    # N+1 leaves nothing idle
    active = installed * electrical.active_capacity_frac(CODES["N+1"], 15)
    assert electrical.reserve_idle_loss_w(installed, active, p0)[0] == 0.0


def test_the_presets_scale_one_loss_shape():
    load = np.asarray(electrical.PRESET_LOAD_FRAC)

    def loss(name):
        return load * (1 / np.asarray(electrical.UPS_PRESETS[name]) - 1)

    # modern: 97 % at full load, the legacy losses times (1/0.97 - 1) / (1/0.965 - 1) = 0.8527
    assert electrical.UPS_PRESETS["double_conversion"][-1] == pytest.approx(0.97)
    np.testing.assert_allclose(loss("double_conversion"), loss("legacy_double_conversion")
                               * 0.85274, rtol=2e-3)
    # eco mode: a third of the double-conversion losses, about 99 % at full load
    np.testing.assert_allclose(loss("eco_mode"), loss("double_conversion") / 3, rtol=3e-3)
    assert electrical.UPS_PRESETS["eco_mode"][-1] == pytest.approx(0.9898, abs=1e-4)


def test_an_ab_feed_doubles_the_plant_and_keeps_one_side_usable():
    ab = electrical.FEEDS.index("A/B")
    # 2(N+1) with 5 modules per side: N/(2N+2) = 4/10 (reference/facility.md §2.3)
    assert electrical.usable_capacity_frac(CODES["N+1"], 5, ab) == pytest.approx(0.4)
    # N per side is classic 2N: half of what is installed
    assert electrical.usable_capacity_frac(CODES["N"], 4, ab) == pytest.approx(0.5)
    assert electrical.systems(ab) == 2.0 and electrical.systems(0) == 1.0


@pytest.mark.parametrize(
    ("topology", "usable_mw", "modules"),
    [("catcher", 42, 15), ("catcher", 105, 36), ("N", 40, 14), ("2N", 42, 28),
     ("4N/3", 40, 20), ("3N/2", 40, 21), ("N+1", 3, 2)],
)
def test_fewest_modules_for_a_usable_capacity(topology, usable_mw, modules):
    # 3 MW modules: catcher 14 + 1 carry 42 MW, 35 + 1 carry 105; 2N: 28 x 3 / 2 = 42;
    # 4N/3: 18 x 3 x 0.75 = 40.5, to a multiple of 4: 20; 3N/2: 20 x 2 -> 21 (multiple of 3)
    got = electrical.modules_for_usable(CODES[topology], 3e6, usable_mw * 1e6)
    assert got == modules


def test_generators_cover_the_grid_connection_at_n_plus_one():
    # 3 MVA at the ISO 8528 0.8 power factor = 2.4 MW: 40 / 2.4 = 16.7 -> 17 + 1 = 18
    assert electrical.generator_units(40e6, 3e6, 0.95, 1, np.nan) == 18
    # a site power factor below 0.8 limits a set to its apparent power: 2.1 MW -> 20 + 1
    assert electrical.generator_units(40e6, 3e6, 0.7, 1, np.nan) == 21
    # a given count is kept
    assert electrical.generator_units(40e6, 3e6, 0.95, 1, 25.0) == 25


# -- the electrical plant in a scenario ------------------------------------------------------


def test_a_preset_and_a_curve_together_are_refused_naming_the_preset():
    with pytest.raises(ConfigError, match=r"electrical\.ups\.efficiency_preset: "
                       r"efficiency_preset = double_conversion and an efficiency_curve are "
                       r"both given: give one"):
        load_resolved(None, ["electrical.ups.efficiency_curve={load_frac: [0.1, 1.0], "
                             "efficiency: [0.97, 0.97]}"])


def test_generators_that_do_not_cover_the_grid_are_refused_naming_the_count():
    with pytest.raises(ConfigError, match=r"electrical\.generators\.units: units = 17 with "
                       r"redundant_units = 1 does not cover the site\.grid_mw = 40 MW grid "
                       r"connection with sets of 3 MVA: at least 18 sets"):
        load_resolved(None, ["electrical.generators.units=17"])
    load_resolved(None, ["electrical.generators.units=18"])


def test_pumps_on_the_ups_load_it_and_carry_its_losses():

    on, off = records([load_resolved(), load_resolved(None, ["electrical.ups.pumps_on_ups=false"])],
                      annual=False)
    e_on, e_off = on["design"]["electrical"], off["design"]["electrical"]
    pumps = on["design"]["cooling"]["pumps_mw"]
    assert e_on["ups_pumps_mw"] == pytest.approx(pumps) and e_off["ups_pumps_mw"] == 0.0
    assert e_on["ups_output_mw"] - e_off["ups_output_mw"] == pytest.approx(pumps, rel=1e-9)
    assert on["constraints"]["ups"]["value"] == pytest.approx(e_on["ups_output_mw"])
    # the facility grows by the UPS loss on the pumps (and the transformer loss on it)
    extra = (e_on["ups_loss_mw"] - e_off["ups_loss_mw"]) \
        + (e_on["transformer_loss_mw"] - e_off["transformer_loss_mw"])
    assert on["facility_peak_mw"] - off["facility_peak_mw"] == pytest.approx(extra, rel=1e-6)
    assert 0 < e_on["ups_loss_mw"] - e_off["ups_loss_mw"] < 0.05 * pumps


def test_the_paris_site_has_eighteen_generators_and_their_heaters_in_misc():

    [r] = records([load_resolved()], annual=False)
    assert r["generators"]["units"] == 18 and r["ups"]["efficiency"] == "double_conversion"
    e = r["design"]["electrical"]
    assert e["generator_heaters_mw"] == pytest.approx(18 * 7.5e-3)
    assert e["misc_mw"] == pytest.approx(0.002 * r["design"]["it_mw"] + 18 * 7.5e-3)
    # the catcher's idle 3 MW block at the modern curve's 1.244 % no-load loss
    assert e["ups_reserve_loss_mw"] == pytest.approx(3 * 0.012442, rel=1e-3)


def test_an_ab_feed_in_the_chain_installs_two_systems_each_able_to_carry_the_load():
    [single, ab] = records([load_resolved(None, ["electrical.ups.topology=N+1",
                                                 "electrical.ups.modules=15"]),
                            load_resolved(None, ["electrical.ups.topology=N+1",
                                                 "electrical.ups.modules=15",
                                                 "electrical.ups.feed=A/B"])], annual=False)
    assert ab["ups"]["installed_mw"] == 2 * single["ups"]["installed_mw"] == 90.0
    assert ab["ups"]["usable_mw"] == single["ups"]["usable_mw"] == 42.0  # one side, N+1
    e_ab, e_single = ab["design"]["electrical"], single["design"]["electrical"]
    # each side at half the load of the single system (to the UPS loss's small share in the
    # air-side heat, and so in the pumps on the UPS)
    assert e_ab["ups_load_frac"] == pytest.approx(e_single["ups_load_frac"] / 2, rel=1e-3)
    assert e_ab["ups_output_mw"] == pytest.approx(e_single["ups_output_mw"], rel=1e-3)
    assert ab["ups"]["feed"] == "A/B" and single["ups"]["feed"] == "single"


def test_an_explicit_curve_is_recorded_as_such():
    [r] = records([load_resolved(None, ["electrical.ups.efficiency_preset=null",
                                        "electrical.ups.efficiency_curve={load_frac: [0.1, 1.0],"
                                        " efficiency: [0.95, 0.95]}"])], annual=False)
    assert r["ups"]["efficiency"] == "curve"
    assert r["design"]["electrical"]["ups_efficiency"] == pytest.approx(0.95)


# -- properties -------------------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=200, deadline=None)
@given(topology=st.sampled_from(electrical.TOPOLOGIES),
       module_mw=st.floats(0.1, 10), usable_mw=st.floats(0.01, 500))
def test_the_fewest_modules_carry_the_load_and_one_step_fewer_does_not(topology, module_mw,
                                                                       usable_mw):
    code = CODES[topology]
    minimum, multiple = electrical.TOPOLOGY_MODULES[topology]
    m = float(electrical.modules_for_usable(code, module_mw * 1e6, usable_mw * 1e6))
    assert m >= minimum and m % multiple == 0
    usable = m * module_mw * electrical.usable_capacity_frac(code, m)
    assert usable >= usable_mw * (1 - 1e-9)
    fewer = m - multiple
    if fewer >= minimum:
        assert fewer * module_mw * electrical.usable_capacity_frac(code, fewer) < usable_mw


@settings(max_examples=100, deadline=None)
@given(preset=st.sampled_from(sorted(electrical.UPS_PRESETS)),
       loads=st.lists(st.floats(0.0, 1.2), min_size=2, max_size=20))
def test_a_presets_loss_never_falls_as_the_load_rises(preset, loads):
    out_w = np.sort(np.asarray(loads)) * 3e6
    n = out_w.size
    _, eff, loss = electrical.ups_losses(out_w, np.full(n, 3e6), np.repeat(TABLE, n, 0),
                                         np.repeat([electrical.UPS_PRESETS[preset]], n, 0))
    assert np.all(np.diff(loss) >= -1e-6) and np.all(loss > 0)
    assert np.all((eff >= 0) & (eff < 1))
