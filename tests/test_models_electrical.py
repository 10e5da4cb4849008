import numpy as np
import pytest

from dcplanner.models import electrical

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


def test_ups_losses_interpolate_the_efficiency_curve():
    # 30 MW out of 40 MW active = 75 % load; between (0.5, 0.96) and (1.0, 0.98): 0.97.
    load, eff, loss = electrical.ups_losses(
        np.array([30e6]), np.array([40e6]), np.array([[0.5, 1.0]]), np.array([[0.96, 0.98]])
    )
    assert load[0] == pytest.approx(0.75)
    assert eff[0] == pytest.approx(0.97)
    assert loss[0] == pytest.approx(30e6 / 0.97 - 30e6)


def test_transformer_loss_is_no_load_plus_square_law():
    # 50 MVA, P0 0.1 %, Pk 0.9 %, at 40 MW: 50e6 * (0.001 + 0.009 * 0.64) = 338 kW.
    assert electrical.transformer_loss_w(40e6, 50e6, 0.001, 0.009) == pytest.approx(338e3)
