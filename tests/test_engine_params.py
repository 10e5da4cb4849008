"""Engine inputs declared once: flatten, with_column, choices, unset fields, padding."""

import numpy as np
import pytest

from dcplanner.config import load_resolved
from dcplanner.engine import PARAMS, evaluate, flatten, with_column
from dcplanner.engine.params import BY_KEY, code_of, param_at, rows, text_of
from tests.conftest import CONFIGS


@pytest.fixture(scope="module")
def paris():
    return load_resolved()


def test_flatten_gives_every_declared_input_on_its_axis(paris):
    x = flatten([paris, load_resolved(CONFIGS / "h100-superpod.yaml")])
    assert list(x) == [p.key for p in PARAMS]
    for p in PARAMS:
        # Tables: the UPS curve's 5 points; no heat pump curve is a 2-point placeholder;
        # the chiller curves their coefficients, their ranges their two ends.
        widths = {"chiller_capft": 6, "chiller_eirft": 6, "chiller_eirfplr": 3,
                  "chiller_water_range_c": 2, "chiller_condenser_range_c": 2}
        width = 2 if p.key.startswith("heat_pump_curve") else widths.get(p.key, 5)
        expected = (2, 1) if p.deployment else (2, width) if p.kind == "table" else (2,)
        assert x[p.key].shape == expected, p.key
    assert x["grid_w"][0] == 40e6 and x["gpu_tdp_w"][0, 0] == 1200
    assert x["tflops_fp4"][1, 0] == 0.0  # H100 has no FP4: 0 TFLOPS, not missing


def test_unset_fields_are_nan_and_flags_are_zero_or_one(paris):
    x = flatten([paris])
    assert np.isnan(x["max_racks"][0]) and np.isnan(x["heat_rejection_w"][0])
    assert np.isnan(x["gpu_power_cap_w"][0, 0])
    assert x["heatwave_enabled"][0] == 0.0 and np.isnan(x["heatwave_peak_c"][0])
    assert x["adiabatic_enabled"][0] == 1.0


def test_choices_are_named_outside_the_arrays(paris):
    x = flatten([paris])
    assert x["ups_topology"][0] == code_of("ups_topology", "catcher")
    assert text_of("ups_topology", x["ups_topology"]).tolist() == ["catcher"]
    assert text_of("cooling_plant", x["cooling_plant"]).tolist() == ["dry_cooler"]


def test_padding_deployments_keep_divisions_defined(paris):
    two = load_resolved(None, ["deployments=[{system: gb200-nvl72, count: 10}, "
                               "{system: dgx-b200, count: 4}]"])
    x = flatten([paris, two])
    assert x["count"].shape == (2, 2)
    assert x["count"][0, 1] == 0 and x["gpus_per_system"][0, 1] == 1
    assert x["systems_per_rack"][0, 1] == 1 and x["fabric_radix"][0, 1] == 2
    assert x["system"][0, 1] is None
    assert np.isfinite(evaluate(x)["design_facility_w"]).all()


@pytest.mark.parametrize(
    ("path", "value", "override", "deployment"),
    [
        ("site.grid_mw", 55.0, "site.grid_mw=55", None),
        ("cooling.liquid.supply_c", 30.0, "cooling.liquid.supply_c=30", None),
        ("count", 120.0, "deployments.0.count=120", 0),
        ("accelerator.tdp_w", 1000.0, "catalog.accelerators.gb200.tdp_w=1000", 0),
    ],
)
def test_with_column_equals_the_same_field_loaded(paris, path, value, override, deployment):
    batch = with_column(flatten([paris]), path, [value, value], deployment=deployment)
    loaded = flatten([load_resolved(None, [override])] * 2)
    for key in ("grid_w", "liquid_supply_c", "count", "gpu_tdp_w"):
        np.testing.assert_array_equal(batch[key], loaded[key])
    np.testing.assert_array_equal(evaluate(batch)["design_facility_w"],
                                  evaluate(loaded)["design_facility_w"])


def test_with_column_knows_only_declared_numeric_inputs(paris):
    x = flatten([paris])
    with pytest.raises(KeyError):
        with_column(x, "site.nothing", [1.0])
    with pytest.raises(KeyError):
        with_column(x, "electrical.ups.topology", [1.0])  # a choice, not a number
    assert param_at("site.grid_mw") is BY_KEY["grid_w"]
    assert param_at("accelerator.tdp_w", deployment=True) is BY_KEY["gpu_tdp_w"]


def test_rows_repeats_and_reorders(paris):
    x = flatten([paris])
    three = rows(with_column(x, "site.grid_mw", [1.0, 2.0, 3.0]), [2, 0, 0])
    assert three["grid_w"].tolist() == [3e6, 1e6, 1e6]
