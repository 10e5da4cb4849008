import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from dcplanner.models.curves import interp_rows


@given(st.lists(st.floats(-1, 3), min_size=1, max_size=20), st.integers(0, 2**31 - 1))
def test_interp_rows_matches_numpy_interp_per_row(points, seed):
    rng = np.random.default_rng(seed)
    xp = np.sort(rng.uniform(0, 2, size=(3, 5)), axis=1) + np.arange(5) * 1e-3
    fp = rng.uniform(0, 1, size=(3, 5))
    x = np.tile(np.array(points), (3, 1))
    got = interp_rows(x, xp, fp)
    for row in range(3):
        np.testing.assert_allclose(got[row], np.interp(x[row], xp[row], fp[row]), atol=1e-12)


def test_padding_by_repeating_the_last_point_changes_nothing():
    xp = np.array([[0.1, 0.5, 1.0, 1.0]])
    fp = np.array([[0.8, 0.9, 0.95, 0.95]])
    np.testing.assert_allclose(interp_rows(np.array([0.75, 1.5]), xp, fp),
                               np.interp([0.75, 1.5], xp[0, :3], fp[0, :3]))
