"""Compute capacity: peak and sustained FLOPS by precision, memory."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from dcplanner.units import TFLOPS_PER_PFLOPS

#: Precisions the catalog can carry, dense tensor throughput per GPU.
PRECISIONS = ("fp64", "tf32", "bf16", "fp8", "fp4")


def peak_pflops(gpus: ArrayLike, dense_tflops_per_gpu: ArrayLike) -> NDArray:
    """Peak dense throughput [PFLOPS] = GPUs x dense TFLOPS per GPU / 1,000."""
    return np.asarray(gpus, dtype=float) * np.asarray(dense_tflops_per_gpu) / TFLOPS_PER_PFLOPS


def sustained_pflops(
    peak: ArrayLike, mfu_frac: ArrayLike, utilization_frac: ArrayLike
) -> NDArray:
    """Sustained throughput [PFLOPS] = peak x model FLOPs utilization x share of GPUs busy.

    MFU as defined by Chowdhery et al., "PaLM", 2022 (achieved model FLOPs / peak).
    """
    return np.asarray(peak, dtype=float) * np.asarray(mfu_frac) * np.asarray(utilization_frac)
