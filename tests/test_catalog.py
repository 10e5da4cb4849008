"""The shipped catalog: sources, internal consistency and published equipment figures."""

import re

import pytest

from dcplanner.catalog import KINDS, CatalogPatch, builtin
from dcplanner.errors import ConfigError


def numeric_fields(entry):
    data = entry.model_dump(exclude={"sources", "description"})
    return [k for k, v in data.items() if isinstance(v, int | float | dict) and v is not None]


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_number_has_a_source_with_a_date(kind):
    for name, entry in builtin().kind(kind).items():
        for field in numeric_fields(entry):
            source = entry.sources.get(field, "")
            assert source, f"{kind}.{name}.{field} has no source"
            dated = re.search(r"\b20[12]\d\b", source) or source.startswith("derived")
            assert dated, f"{kind}.{name}.{field}: source without a date: {source}"


def test_host_peak_is_rated_minus_gpus_at_tdp_except_where_the_rating_is_a_shelf_capacity():
    cat = builtin()
    for name, system in cat.systems.items():
        gpu = cat.accelerators[system.accelerator]
        peak_w = system.host_peak_w + system.gpus_per_system * gpu.tdp_w
        if name == "gb200-nvl72":  # component sum: 123.6 kW DC / 0.96 shelf conversion
            assert peak_w == pytest.approx(123_600 / 0.96) and peak_w < system.rated_w
        elif name == "gb300-nvl72":  # 137.52 kW DC / 0.96: above the shelves at full TGP ...
            assert peak_w == pytest.approx(137_520 / 0.96, abs=1.0) and peak_w > system.rated_w
            # ... so its GPUs are capped to the shelves' 132 kW: (132,000 - 42,450) / 72
            capped_w = system.host_peak_w + system.gpus_per_system * gpu.power_cap_w
            assert gpu.power_cap_w == (132_000 - 42_450) // 72
            assert system.rated_w - 72 < capped_w <= system.rated_w == 132_000
        else:
            assert peak_w == pytest.approx(system.rated_w), name


def test_a_system_that_would_draw_more_than_its_supply_capacity_is_refused():
    from dcplanner.config import load_resolved
    from dcplanner.engine import run
    from dcplanner.errors import ConfigError

    with pytest.raises(ConfigError, match=r"deployments\.0\.system: gb200-nvl72 draws 135\.95 kW "
                       r"at peak \(72 x 1300 W GPUs \+ 42350 W host\), above its 132\.00 kW "
                       r"supply capacity \(rated_w\)"):
        run([load_resolved(None, ["catalog.accelerators.gb200.tdp_w=1300"])], annual=False)
    # a power cap keeps it within: 72 x 1,250 W + 42.35 kW = 132.35 kW is still over, 1,240 W
    # is not
    run([load_resolved(None, ["catalog.accelerators.gb200.tdp_w=1300",
                              "catalog.accelerators.gb200.power_cap_w=1240"])], annual=False)


@pytest.mark.parametrize(("system", "rated_w"), [("dgx-h100", 10200), ("dgx-b200", 14300)])
def test_dgx_ratings_reproduced_exactly(system, rated_w):
    # validation.md: DGX H100 10.2 kW and DGX B200 14.3 kW, exact.
    assert builtin().systems[system].rated_w == rated_w


def test_gb200_nvl72_rack_in_published_range():
    # validation.md: about 120 kW (NVIDIA) to 132 kW (power-shelf output); 120-135 kW.
    assert 120e3 <= builtin().systems["gb200-nvl72"].rated_w <= 135e3


def test_blackwell_ultra_fp4_is_not_half_of_sparse():
    # hardware.md §8 note 2: GB300 NVL72 1,080 PF dense FP4 / 72 GPUs.
    assert builtin().accelerators["gb300"].tflops["fp4"] * 72 / 1e3 == pytest.approx(1080)


def test_override_merges_and_marks_the_source():
    cat = builtin().merged(CatalogPatch.model_validate(
        {"accelerators": {"gb200": {"tdp_w": 1000, "tflops": {"fp4": 12000}}}}
    ))
    gb200 = cat.accelerators["gb200"]
    assert gb200.tdp_w == 1000 and gb200.tflops["fp4"] == 12000 and gb200.tflops["bf16"] == 2500
    assert gb200.sources["tdp_w"] == "scenario override"
    assert builtin().accelerators["gb200"].tdp_w == 1200  # the shipped catalog is untouched


def test_new_entry_needs_every_field_and_valid_references():
    with pytest.raises(ConfigError) as info:
        builtin().merged(CatalogPatch.model_validate(
            {"accelerators": {"x1": {"tdp_w": 900}},
             "systems": {"gb200-nvl72": {"fabric": "nope"}}}
        ))
    lines = info.value.lines()
    assert "catalog.accelerators.x1.idle_w: required field is missing" in lines
    assert any(line.startswith("catalog.systems.gb200-nvl72.fabric: unknown fabric 'nope'; "
                               "available: eth-800g-sn5610, ib-ndr-qm9700") for line in lines)


def test_find_lists_every_name_when_unknown():
    with pytest.raises(ConfigError, match=r"no such entry; available: a100-sxm, .*gb300-nvl72"):
        builtin().find("gb400")
