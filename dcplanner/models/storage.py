"""Smoothing a swinging load: GPU power smoothing, rack energy storage and a site battery.

Pure and vectorized: scenarios on the first axis, time on the last (S, T); no loop over steps.

- GPU power smoothing as NVML exposes it on Blackwell (``nvmlPowerSmoothing``: a floor as a
  percentage of TGP, ramp-up and ramp-down rates in W/s; NVIDIA NVML API reference, Power
  Smoothing Information, R590, 2026): the ramp-down limit and the floor burn energy (the GPU
  draws more than the job needs), the ramp-up limit holds the GPU below what the job asks.
- Storage (rack energy storage in the power shelves, a site battery): the grid side follows a
  trailing moving mean of the load, which limits its ramp to ``swing / window``, then is held
  within a band of the allowed peak-to-peak swing; the storage supplies the difference.

References
----------
NVIDIA technical blog (2025): GB300 NVL72 power shelves with energy storage "reduce peak grid
demand by up to 30 %" (grid-power-rules.md §2.12).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray


def _col(a: ArrayLike) -> NDArray:
    a = np.asarray(a, dtype=float)
    return a.reshape(-1, 1) if a.ndim <= 1 else a


def ramp_limited(w: NDArray, step_s: float, up_w_per_s: ArrayLike, down_w_per_s: ArrayLike
                 ) -> NDArray:
    """A power that rises at most ``up`` and falls at most ``down`` W/s [W], shape of ``w``.

    The ramp-up limit is the largest signal below ``w`` rising no faster than ``up``:
    ``min over s <= t of (w(s) + up (t - s))``; the ramp-down limit then the smallest signal
    above it falling no faster than ``down``: ``max over s <= t of (y(s) - down (t - s))``.
    Both are running extrema (``np.minimum.accumulate``), exact and loop-free; the second keeps
    the first's rises, so both limits hold. An infinite rate is no limit.

    Parameters
    ----------
    w : ndarray, shape (S, T)
        Power asked for [W].
    step_s : float
        Time step [s].
    up_w_per_s, down_w_per_s : array_like, shape (S,)
        Ramp-up and ramp-down rates [W/s], above 0.
    """
    t = np.arange(w.shape[-1]) * step_s
    up, dn = _col(up_w_per_s), _col(down_w_per_s)
    if not (np.isfinite(up).any() or np.isfinite(dn).any()):
        return w
    up_t = np.where(np.isfinite(up), up, 0.0) * t
    y = np.where(np.isfinite(up), np.minimum.accumulate(w - up_t, axis=-1) + up_t, w)
    dn_t = np.where(np.isfinite(dn), dn, 0.0) * t
    return np.where(np.isfinite(dn), np.maximum.accumulate(y + dn_t, axis=-1) - dn_t, y)


def smoothed_gpu_w(w: NDArray, step_s: float, tgp_w: ArrayLike, floor_tgp_frac: ArrayLike,
                   up_w_per_s: ArrayLike, down_w_per_s: ArrayLike) -> NDArray:
    """Per-GPU power under a power-smoothing profile [W]: ramp limits, then the floor.

    Parameters
    ----------
    w : ndarray, shape (S, T)
        Per-GPU power the job asks for [W].
    step_s : float
        Time step [s].
    tgp_w : array_like, shape (S,)
        Total graphics power the floor is a share of [W].
    floor_tgp_frac : array_like, shape (S,)
        Floor as a share of TGP [-], in [0, 1].
    up_w_per_s, down_w_per_s : array_like, shape (S,)
        Ramp rates [W/s].
    """
    y = ramp_limited(w, step_s, up_w_per_s, down_w_per_s)
    return np.maximum(y, _col(floor_tgp_frac) * _col(tgp_w))


def trailing_mean(w: NDArray, window_steps: ArrayLike) -> NDArray:
    """Trailing moving mean over ``window_steps`` steps (one per scenario), shape of ``w``.

    The trace is taken to repeat (an hour of a steady job): the first steps average over the
    end of the trace, so a periodic load averaged over whole periods is flat from the start.
    Its ramp per step is at most ``(max - min) / window_steps``.
    """
    s, t = w.shape
    n = np.clip(np.asarray(window_steps, dtype=np.int64).reshape(-1), 1, t)
    n = np.broadcast_to(n, (s,))
    out = np.array(w, dtype=float, copy=True)  # one step: the load itself, exactly
    for k in np.unique(n[n > 1]):  # one pass per distinct window, not per step
        sel = n == k
        part = w[sel]
        c = np.cumsum(np.concatenate([part[:, t - k:], part], axis=-1), axis=-1)
        out[sel] = (c[:, k:] - c[:, :t]) / k  # the k steps ending at each step
    return out


def grid_side_w(load_w: NDArray, step_s: float, max_ramp_w_per_s: ArrayLike,
                max_swing_w: ArrayLike) -> NDArray:
    """Grid-side power with storage keeping the ramp and the swing within limits [W].

    A trailing mean over ``window = (max - min of the load) / max ramp`` (at least one step)
    limits the ramp; clipping it to ``[peak - max swing, peak]`` limits the peak-to-peak
    swing and keeps the ramp limit (a clip never steepens). NaN limits are no limit.

    Parameters
    ----------
    load_w : ndarray, shape (S, T)
        Load behind the storage [W].
    step_s : float
        Time step [s].
    max_ramp_w_per_s : array_like, shape (S,)
        Largest grid-side ramp [W/s].
    max_swing_w : array_like, shape (S,)
        Largest grid-side peak-to-peak swing [W].
    """
    ramp = np.asarray(max_ramp_w_per_s, dtype=float).reshape(-1)
    pp = load_w.max(axis=-1) - load_w.min(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        steps = np.where(np.isfinite(ramp) & (ramp > 0), np.ceil(pp / (ramp * step_s) - 1e-9), 1)
    g = trailing_mean(load_w, np.maximum(steps, 1))
    swing = _col(max_swing_w)
    hi = g.max(axis=-1, keepdims=True)
    return np.where(np.isnan(swing), g, np.clip(g, hi - np.nan_to_num(swing), hi))


def state_of_charge_j(storage_w: NDArray, step_s: float, efficiency_frac: ArrayLike) -> NDArray:
    """Energy taken from the storage since the start [J], shape (S, T) (negative: stored).

    ``storage_w`` > 0 discharges to the load; the round-trip efficiency is split evenly
    between charge and discharge (``sqrt`` each way).
    """
    one_way = np.sqrt(_col(efficiency_frac))
    drawn = np.where(storage_w > 0, storage_w / one_way, storage_w * one_way)
    return np.cumsum(drawn, axis=-1) * step_s


def storage_sizing(storage_w: NDArray, step_s: float, efficiency_frac: ArrayLike) -> dict:
    """Power [W], energy [J] and full cycles of a storage supplying ``storage_w`` (S, T).

    Energy is the range of the state of charge; cycles are the energy discharged over the
    energy capacity (0 without storage).
    """
    if not storage_w.any():  # no storage at work: nothing to size
        zero = np.zeros(storage_w.shape[0])
        return {"power_w": zero, "energy_j": zero.copy(), "cycles": zero.copy()}
    soc = state_of_charge_j(storage_w, step_s, efficiency_frac)
    energy_j = np.maximum(soc.max(axis=-1), 0) - np.minimum(soc.min(axis=-1), 0)
    discharged_j = np.clip(storage_w, 0, None).sum(axis=-1) * step_s
    with np.errstate(divide="ignore", invalid="ignore"):
        cycles = np.where(energy_j > 0, discharged_j / energy_j, 0.0)
    return {"power_w": np.abs(storage_w).max(axis=-1), "energy_j": energy_j, "cycles": cycles}


def swing_metrics(w: NDArray, step_s: float) -> dict:
    """Peak [W], largest ramp [W/s], peak-to-peak swing [W] and the dominant frequency of the
    swing [Hz] (the largest non-zero bin of the spectrum; 0 for a flat trace)."""
    ramp = np.abs(np.diff(w, axis=-1)).max(axis=-1) / step_s if w.shape[-1] > 1 \
        else np.zeros(w.shape[0])
    spectrum = np.abs(np.fft.rfft(w - w.mean(axis=-1, keepdims=True), axis=-1))
    freq = np.fft.rfftfreq(w.shape[-1], step_s)
    flat = spectrum[:, 1:].max(axis=-1) <= 1e-9 * np.maximum(np.abs(w).max(axis=-1), 1)
    dominant = np.where(flat, 0.0, freq[1 + np.argmax(spectrum[:, 1:], axis=-1)]) \
        if freq.size > 1 else np.zeros(w.shape[0])
    return {"peak_w": w.max(axis=-1), "max_ramp_w_per_s": ramp,
            "swing_w": w.max(axis=-1) - w.min(axis=-1), "dominant_hz": dominant}
