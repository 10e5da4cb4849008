"""Compute capacity: peak and sustained FLOPS by precision, memory."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from dcplanner.units import TFLOPS_PER_PFLOPS, WH_PER_MWH

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


#: Training FLOPs per parameter per token: 2 forward + 4 backward (Kaplan et al., "Scaling
#: Laws for Neural Language Models", 2020, §2.1; Hoffmann et al., "Chinchilla", 2022).
FLOPS_PER_PARAM_TOKEN = 6.0


def training_flops(active_params: ArrayLike, tokens: ArrayLike) -> NDArray:
    """Training compute [FLOP] ``C = 6 N D`` for N (active) parameters and D tokens."""
    return FLOPS_PER_PARAM_TOKEN * np.asarray(active_params, float) * np.asarray(tokens, float)


def training_seconds(flops: ArrayLike, peak_flops_per_s: ArrayLike, mfu_frac: ArrayLike) -> NDArray:
    """Wall-clock time [s] of a run of ``flops`` on hardware of ``peak_flops_per_s`` (dense, all
    GPUs of the run) at a model FLOPs utilization: ``t = C / (peak x MFU)``."""
    return np.asarray(flops, float) / (np.asarray(peak_flops_per_s, float)
                                       * np.asarray(mfu_frac, float))


def mfu_from_throughput(
    params: ArrayLike, tokens_per_s: ArrayLike, peak_flops_per_s: ArrayLike
) -> NDArray:
    """Model FLOPs utilization [-] from a measured token throughput:
    ``MFU = 6 N (tokens/s) / peak`` (Chowdhery et al., "PaLM", 2022, appendix B)."""
    return (FLOPS_PER_PARAM_TOKEN * np.asarray(params, float) * np.asarray(tokens_per_s, float)
            / np.asarray(peak_flops_per_s, float))


def accounted_energy_mwh(gpu_hours: ArrayLike, power_w: ArrayLike, pue: ArrayLike) -> NDArray:
    """Energy of a run as model cards account it [MWh]: GPU-hours x power per GPU x PUE
    (Touvron et al., "LLaMA", 2023, §6.2 and Table 15)."""
    return (np.asarray(gpu_hours, float) * np.asarray(power_w, float) * np.asarray(pue, float)
            / WH_PER_MWH)
