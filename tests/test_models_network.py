"""Fat-tree sizing against NVIDIA DGX SuperPOD reference architectures (hardware.md §4)."""

import numpy as np
import pytest

from dcplanner.models import network


@pytest.mark.parametrize(
    ("endpoints", "tiers", "switches"),
    [
        (1016, 2, 48),    # DGX H100 SuperPOD 4 SU: 32 leaf + 16 spine (validation.md)
        (512, 2, 24),     # DGX B200 2 SU: 16 leaf + 8 spine
        (1024, 2, 48),    # DGX B200 4 SU: 32 leaf + 16 spine
        (4096, 3, 320),   # DGX B200 16 SU: 128 leaf + 128 spine + 64 core
        (64, 1, 1),       # fits one switch
        (2048, 2, 96),    # the largest 2-tier tree of 64-port switches: 64 leaf + 32 spine
        (2049, 3, 65 + 65 + 33),
        (0, 0, 0),
    ],
)
def test_fat_tree_matches_reference_architectures(endpoints, tiers, switches):
    assert network.fat_tree_tiers(endpoints, 64) == tiers
    assert network.fat_tree_switches(endpoints, 64) == switches


def test_two_tier_tree_has_two_twin_port_modules_per_gpu():
    # 4 optical 400G ends per GPU = about 2 twin-port 800G transceivers (validation.md).
    assert network.fat_tree_optical_ends(1016, 64) / 1016 / 2 == pytest.approx(2.0)


def test_fabric_power_adds_host_optics_to_switches_with_their_optics():
    # 48 QM9700 at 1.72 kW max + 1,016 host ports at 8.5 W = 82,560 + 8,636 W.
    assert network.fabric_power_w(1016, 64, 1720.0, 8.5) == pytest.approx(91196.0)
    # ~81 W of switch power per GPU, as derived in hardware.md §4.
    assert pytest.approx(81.3, abs=0.1) == 48 * 1720.0 / 1016


def test_vectorized_over_scenarios():
    out = network.fat_tree_switches(np.array([[1016, 0], [4096, 64]]), np.array([[64, 64]] * 2))
    np.testing.assert_array_equal(out, [[48, 0], [320, 1]])


def test_beyond_the_deepest_tree_is_not_a_silent_cap():
    from dcplanner.models.network import MAX_TIERS, fat_tree_capacity

    capacity = fat_tree_capacity(64)
    assert capacity == 2 * 32**MAX_TIERS
    tiers = network.fat_tree_tiers([capacity, capacity + 1], 64)
    assert tiers[0] == MAX_TIERS and np.isnan(tiers[1])
