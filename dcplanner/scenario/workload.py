"""Workload section: deployments, how they are used and provisioned, the IT beyond them."""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field, model_validator

from dcplanner.models.it_power import PROVISIONING_BASES
from dcplanner.validation import MIN_EFFICIENCY, Rule, StrictModel

ProvisioningBasis = Literal[PROVISIONING_BASES]
#: How the busy share of the GPUs varies over the year (see Profile.kind).
PROFILE_KINDS = ("training", "inference", "file")
ProfileKind = Literal[PROFILE_KINDS]


class Profile(StrictModel):
    """How the busy share of GPUs varies hour by hour over the year."""

    kind: ProfileKind = Field(
        "training",
        description="training: flat at utilization_frac; inference: a daily and weekly shape "
        "whose busiest hour is utilization_frac; file: hourly values from a CSV file",
    )
    trough_frac: float = Field(
        0.5, ge=0, le=1,
        description="Inference: night low as a share of the day's peak [-]; assumption (LLM "
        "serving load has a daily and weekly cycle, SageServe, arXiv 2502.14617, 2025)",
    )
    peak_hour: int = Field(
        14, ge=0, le=23, description="Inference: hour of the daily peak, local time [0-23]; "
        "assumption (European afternoon overlapping the US morning)",
    )
    weekend_frac: float = Field(
        0.7, ge=0, le=1,
        description="Inference: Saturday and Sunday load as a share of weekdays [-]; assumption",
    )
    file: str | None = Field(
        None, description="kind file: CSV with one utilization_frac (0-1) per hour of the "
        "weather year, optionally under a header line; relative to the scenario file",
    )

    @model_validator(mode="before")
    @classmethod
    def _kind_shorthand(cls, data: object) -> object:
        return {"kind": data} if isinstance(data, str) else data

    rules = (Rule(("kind", "file"), lambda k, f: (k == "file") == isinstance(f, str),
                  lambda k, f: "give file exactly when kind is file"),)


class Deployment(StrictModel):
    """Systems of one catalog type, given as a count of systems or of GPUs."""

    system: str = Field(description="System catalog name, e.g. gb200-nvl72")
    count: int | None = Field(None, ge=0, description="Number of systems [-]")
    gpus: int | None = Field(
        None, ge=0, description="Number of GPUs [-], instead of count: rounded up to whole "
        "systems (a note says so)"
    )
    fabric: str | None = Field(None, description="Compute fabric; default: the system's")
    name: str = Field("", description="Label in reports; default the system's name (and "
                      "dropped when an override changes the system)")

    rules = (Rule(("count", "gpus"), lambda c, g: np.isnan(c) != np.isnan(g),
                  lambda c, g: "give exactly one of count (systems) or gpus"),)


#: Precisions a training run can use (the catalog's dense tensor precisions).
Precision = Literal["fp64", "tf32", "bf16", "fp8", "fp4"]
#: MFU of a dense model's training run by precision, where it differs from workload.mfu_frac.
#: FP8: Llama 3.1 405B on 2,304 H100, 38.87 % of the FP8 peak (NVIDIA DGX Cloud benchmarking
#: recipes, llama3.1 README_405b, NeMo 24.09, 2024; NVIDIA counts attention FLOPs, which 6 N D
#: leaves out, so this is an upper end).
DENSE_MFU_BY_PRECISION = {"fp8": 0.389}
#: MFU of a mixture-of-experts run by precision. FP8: the DeepSeek-V3 architecture (671B, 37B
#: active) on 1,024 H100, 338 model TFLOP/s per GPU = 17.1 % of the 1,979 TFLOPS FP8 peak
#: (NVIDIA Megatron-Bridge performance summary, 25.09 container, 2025): NVIDIA's run, not
#: DeepSeek's. Other published FP8 MoE runs: Grok-1 314B (8 experts) on 2,048 H100, 25.3 %
#: (DGX Cloud benchmarking, grok1 README_314b); Qwen3-235B-A22B on 256 H100, 12.2 %
#: (Megatron-Bridge 26.02): MoE MFU depends on the expert layout; set yours.
MOE_MFU_BY_PRECISION = {"fp8": 0.171}


class Training(StrictModel):
    """How a training run (``dcplanner train``) spends its wall time, and its MFU by precision."""

    interruption_rate_per_gpu_hour: float = Field(
        1.97e-5, ge=0, le=0.01,
        description="Unexpected job interruptions per GPU-hour [1/h]; Llama 3 405B: 419 in a "
        "54-day snapshot on 16,384 H100 = 1.97e-5, one every 3.09 h (Llama Team, 'The Llama 3 "
        "Herd of Models', arXiv 2407.21783, 2024, §3.3.4; grid-power-rules.md §2.16)",
    )
    checkpoint_write_s: float = Field(
        0.59, ge=0, le=86_400,
        description="Time the job is blocked writing a checkpoint [s]; 0.59 s: an asynchronous "
        "save of a 405B model on 8,960 GPUs (ByteCheckpoint, Wan et al., NSDI 2025, Table 8); "
        "a synchronous save to shared storage blocks about 200 s (same paper, GPT 175B on "
        "4,096 GPUs to HDFS)",
    )
    checkpoint_interval_s: float | None = Field(
        None, gt=0, le=10 * 86_400,
        description="Compute between checkpoints [s]; unset: the Young/Daly optimum "
        "sqrt(2 x write time / interruption rate of the run)",
    )
    restart_s: float = Field(
        600.0, ge=0, le=86_400,
        description="Time from an interruption to training again, detection, rescheduling and "
        "checkpoint load [s]; 10 min, the middle of 'u0 = 5-20 mins' on Meta's research "
        "clusters (Kokolis et al., 'Revisiting Reliability in Large-Scale Machine Learning "
        "Research Clusters', HPCA 2025); failover 'often more than 10 minutes' at 10,000 GPUs "
        "(ByteRobust, SOSP 2025)",
    )
    checkpoint_gpu_w: float = Field(
        100.0, ge=0, le=5_000,
        description="GPU power while the job writes a checkpoint [W]; 'about 100 W' per GPU "
        "(Morrison et al., 'Holistically Evaluating the Environmental Impact of Creating "
        "Language Models', ICLR 2025, arXiv 2503.05804)",
    )
    mfu_frac_by_precision: dict[Precision, float] = Field(
        default_factory=lambda: dict(DENSE_MFU_BY_PRECISION),
        description="MFU of a dense model's run by precision [-]; a precision not listed uses "
        "workload.mfu_frac. Default fp8 0.389: Llama 3.1 405B on 2,304 H100 (NVIDIA DGX Cloud "
        "benchmarking, NeMo 24.09)",
    )
    moe_mfu_frac_by_precision: dict[Precision, float] = Field(
        default_factory=lambda: dict(MOE_MFU_BY_PRECISION),
        description="MFU of a mixture-of-experts run (fewer active than total parameters) by "
        "precision [-]; a precision not listed uses mfu_frac_by_precision. Default fp8 0.171: "
        "the DeepSeek-V3 architecture on 1,024 H100 (NVIDIA Megatron-Bridge, 25.09)",
    )

    rules = (
        Rule(("checkpoint_interval_s", "checkpoint_write_s"),
             lambda i, w: np.isnan(i) | (i >= w),
             lambda i, w: f"checkpoint_interval_s = {i:g} is shorter than checkpoint_write_s "
             f"= {w:g}: the job would do nothing but write checkpoints",
             at="checkpoint_interval_s"),
        Rule(("mfu_frac_by_precision", "moe_mfu_frac_by_precision"),
             lambda d, m: all(MIN_EFFICIENCY <= v <= 1 for v in (*d.values(), *m.values())),
             lambda d, m: f"each MFU must lie in [{MIN_EFFICIENCY}, 1]"),
    )


class Workload(StrictModel):
    """How the systems are used and how they are provisioned."""

    operating_power_frac: float = Field(
        0.8, ge=MIN_EFFICIENCY, le=1,
        description="Busy draw as a share of peak, GPUs and hosts [-]; Meta provisions GB200 at "
        "960 W = 80 % of TDP; measured H100 training 0.76-0.82 of rating (hardware.md §6)",
    )
    utilization_frac: float = Field(
        1.0, ge=0, le=1,
        description="Share of GPUs busy [-]; training runs ~1; with the inference profile, the "
        "busiest hour's share",
    )
    mfu_frac: float = Field(
        0.40, ge=MIN_EFFICIENCY, le=1,
        description="Model FLOPs utilization [-]; LLaMA-1 65B 47.6 %, PaLM 45.7 % "
        "(reference/validation.md); 0.40 leaves margin for larger clusters",
    )
    provisioning_basis: ProvisioningBasis = Field(
        "peak",
        description="Power the plant is sized for: peak (GPUs at TDP or cap, host at its "
        "component peak), operating (busy draw, Meta-style) or nameplate (every system at its "
        "supply capacity, rated_w)",
    )
    profile: Profile = Field(default_factory=Profile,
                             description="Hourly shape of the load in the annual simulation")
    training: Training = Field(default_factory=Training,
                               description="Interruptions, checkpoints and MFU of training runs")


class Network(StrictModel):
    """IT beyond the systems and their compute fabric."""

    frontend_storage_w_per_gpu: float = Field(
        67.0, ge=0,
        description="Frontend/storage network and storage servers per GPU [W]; derived: storage "
        "~12 kW per 256 GPUs (Kedios estimate, hardware.md §5) = 47 W + storage fabric 12 "
        "QM9700 x 1.72 kW per 1,024 GPUs (DGX SuperPOD, §4) = 20 W",
    )
    management_w_per_rack: float = Field(
        98.0, ge=0,
        description="Out-of-band management per rack [W]; one SN2201 at 98 W typical (§4)",
    )
