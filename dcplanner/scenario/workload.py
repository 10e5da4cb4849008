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
        None, ge=0, description="Number of GPUs [-], a whole number of systems"
    )
    fabric: str | None = Field(None, description="Compute fabric; default: the system's")
    name: str = Field("", description="Label in reports")

    rules = (Rule(("count", "gpus"), lambda c, g: np.isnan(c) != np.isnan(g),
                  lambda c, g: "give exactly one of count (systems) or gpus"),)


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
        description="Power the plant is sized for: peak (GPUs at TDP or cap, host at peak; equals "
        "the rated system maximum at catalog values) or operating (busy draw, Meta-style)",
    )
    profile: Profile = Field(default_factory=Profile,
                             description="Hourly shape of the load in the annual simulation")


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
