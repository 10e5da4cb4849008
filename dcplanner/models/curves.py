"""Piecewise-linear curves whose table points differ from one scenario to the next."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray


def interp_rows(x: ArrayLike, xp: ArrayLike, fp: ArrayLike) -> NDArray[np.float64]:
    """Linear interpolation with one table per scenario, like :func:`numpy.interp` per row.

    Parameters
    ----------
    x : array_like, shape (S,) or (S, ...)
        Points to evaluate; scenarios on axis 0, any trailing axes (hours).
    xp : array_like, shape (S, K)
        Increasing table abscissae per scenario (repeated last points are allowed as padding).
    fp : array_like, shape (S, K)
        Table ordinates per scenario.

    Returns
    -------
    ndarray, shape of ``x``
        Interpolated values; outside the table the end values are held, as numpy.interp does.
    """
    x = np.asarray(x, dtype=float)
    xp = np.asarray(xp, dtype=float)
    fp = np.asarray(fp, dtype=float)
    trailing = (1,) * (x.ndim - 1)
    x_lo = xp[:, 0].reshape(-1, *trailing)
    x_hi = xp[:, -1].reshape(-1, *trailing)
    xc = np.clip(x, x_lo, x_hi)
    out = np.broadcast_to(fp[:, 0].reshape(-1, *trailing), xc.shape).copy()
    # Loop over the few table segments, never over scenarios or hours.
    for k in range(xp.shape[1] - 1):
        x0 = xp[:, k].reshape(-1, *trailing)
        x1 = xp[:, k + 1].reshape(-1, *trailing)
        y0 = fp[:, k].reshape(-1, *trailing)
        y1 = fp[:, k + 1].reshape(-1, *trailing)
        width = x1 - x0
        safe_width = np.where(width > 0, width, 1.0)
        inside = (xc >= x0) & (xc <= x1) & (width > 0)
        out = np.where(inside, y0 + (y1 - y0) * (xc - x0) / safe_width, out)
    return out
