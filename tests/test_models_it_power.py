import numpy as np
import pytest

from dcplanner.models import it_power


def test_component_power_is_linear_between_idle_and_peak():
    # 200 W idle, 1,200 W peak at 30 % load: 200 + 1,000 * 0.3 = 500 W.
    assert it_power.component_power_w(200.0, 1200.0, 0.3) == pytest.approx(500.0)
    np.testing.assert_allclose(
        it_power.component_power_w([0.0, 100.0], [700.0, 700.0], [1.0, 0.0]), [700.0, 100.0]
    )


def test_power_cap_lowers_peak_and_nan_means_uncapped():
    np.testing.assert_allclose(
        it_power.accelerator_peak_w([1200.0, 1200.0, 700.0], [1000.0, np.nan, 900.0]),
        [1000.0, 1200.0, 700.0],
    )


def test_busy_power_is_a_share_of_peak_never_below_idle():
    # Meta's GB200 provisioning: 80 % of 1,200 W = 960 W.
    assert it_power.busy_power_w(1200.0, 200.0, 0.8) == pytest.approx(960.0)
    assert it_power.busy_power_w(1200.0, 200.0, 0.1) == pytest.approx(200.0)
