"""Power section: the sub-hourly swings of a training job, smoothing and storage
(``dcplanner power``). Interruptions, checkpoints and restarts are workload.training's."""

from __future__ import annotations

import numpy as np
from pydantic import Field, model_validator

from dcplanner.units import HOURS_PER_YEAR, S_PER_H
from dcplanner.validation import Rule, StrictModel

#: Hours of a weather year the trace may sit in (0-based, a leap year's last hour included).
MAX_HOUR = 8783


class Swing(StrictModel):
    """The compute and communication phases of each training iteration."""

    period_s: float = Field(
        2.0, gt=0, le=3600,
        description="Iteration period [s]; assumption (large-model steps last seconds; "
        "Choukse et al., 'Power Stabilization for AI Training Datacenters', arXiv 2508.14318, "
        "2025, show iteration-rate swings of production jobs)")
    duty_frac: float = Field(
        0.7, gt=0, le=1,
        description="Share of each iteration in the compute phase [-]; 1 = no communication "
        "phase; assumption")
    compute_tgp_frac: float | None = Field(
        None, gt=0, le=1,
        description="GPU draw in the compute phase as a share of TGP (TDP or power cap) [-]; "
        "unset: the draw that keeps the iteration's mean at the hourly model's busy draw "
        "(workload.operating_power_frac), between the communication draw and TGP")
    communication_tgp_frac: float = Field(
        0.4, ge=0, le=1,
        description="GPU draw in the communication phase as a share of TGP [-]; assumption "
        "(the issue's check: a square wave between 100 % and 40 % of TGP)")
    checkpoints: bool = Field(
        True, description="Dip to workload.training.checkpoint_gpu_w during each blocking "
        "checkpoint write (workload.training.checkpoint_write_s, interval or Young/Daly)")
    restart_ramp_s: float = Field(
        0.0, ge=0, le=3600,
        description="Ramp of the job's power back after a restart [s]; 0: a step, every "
        "rank starting together (the steepest case); assumption")
    failures: bool = Field(
        True, description="Random interruptions at workload.training."
        "interruption_rate_per_gpu_hour; GPUs idle for restart_s, then step back to compute")


class Smoothing(StrictModel):
    """A GPU power-smoothing profile as NVML exposes it on Blackwell (NVIDIA NVML API reference,
    Power Smoothing Information, R590, 2026: floor in % of TGP, ramp rates in W/s)."""

    floor_tgp_frac: float = Field(
        0.0, ge=0, le=1, description="Power floor as a share of TGP [-] (NVML: percent "
        "floor, 0-100 %)")
    ramp_up_w_per_s: float | None = Field(
        None, gt=0, description="Largest rise of a GPU's power [W/s]; unset: no limit")
    ramp_down_w_per_s: float | None = Field(
        None, gt=0, description="Largest fall of a GPU's power [W/s]; unset: no limit")


class RackStorage(StrictModel):
    """Energy storage in the racks' power shelves (GB300 NVL72; NVIDIA technical blog 2025,
    grid-power-rules.md §2.12): the rack draws a trailing mean of its load."""

    window_s: float = Field(
        0.0, ge=0, le=3600,
        description="Averaging window of the rack's draw [s]; 0: no rack storage; the energy "
        "per rack it needs is reported")
    efficiency_frac: float = Field(
        0.95, gt=0, le=1, description="Round-trip efficiency [-]; assumption (capacitor and "
        "battery shelves)")


class Battery(StrictModel):
    """A site battery (BESS) sized to keep the grid side within the limits given."""

    max_ramp_mw_per_s: float | None = Field(
        None, gt=0, description="Largest grid-side ramp [MW/s]; unset: no limit")
    max_swing_mw: float | None = Field(
        None, ge=0, description="Largest grid-side peak-to-peak swing [MW]; unset: no limit")
    efficiency_frac: float = Field(
        0.82, gt=0, le=1, description="Round-trip efficiency [-]; 82 %, the measured "
        "average of the US utility-scale battery fleet in 2019 (EIA, Power Plant Operations "
        "Report, 'Today in Energy', February 2021)")


class Curtailment(StrictModel):
    """A flexible connection (``dcplanner power --headroom``): the site sheds load in its own
    peak hours so that the same connection hosts more GPUs."""

    year_frac: float = Field(
        0.005, ge=0, le=1,
        description="Curtailment budget as a share of the year's hours [-]; 0.5 %, the middle "
        "case of Norris et al., 'Rethinking Load Growth', Nicholas Institute, Duke University, "
        "Feb 2025 (0.25 / 0.5 / 1 %; 0.5 % is 43.8 h)")
    hours_per_year: float | None = Field(
        None, ge=0, description="Curtailment budget in hours per year [h]; instead of "
        "year_frac (setting both is an error)")
    energy_frac: float | None = Field(
        None, ge=0, le=1, description="Largest share of the year's energy curtailed [-]; "
        "unset: no limit")
    max_event_h: float | None = Field(
        None, gt=0, description="Longest curtailment event [h] (consecutive hours over the "
        "connection); unset: no limit (Duke's events average about 2 h)")

    @model_validator(mode="before")
    @classmethod
    def _one_budget(cls, data: object) -> object:
        # year_frac has a default, so only a mapping that writes both is ambiguous.
        if isinstance(data, dict) and data.get("hours_per_year") is not None \
                and "year_frac" in data:
            raise ValueError("give year_frac or hours_per_year, not both (hours_per_year "
                             "would replace year_frac)")
        return data

    rules = (
        Rule(("hours_per_year",), lambda h: ~(np.asarray(h) > HOURS_PER_YEAR),
             lambda h: f"hours_per_year = {h:g} is more than the year's "
             f"{HOURS_PER_YEAR:,.0f} hours", at="hours_per_year"),
    )


class Oversubscription(StrictModel):
    """Provisioning below the peak with per-GPU capping (``dcplanner power --headroom``)."""

    percentile_frac: float = Field(
        0.999, ge=0.5, le=1,
        description="Percentile of the site's hourly power the connection is provisioned at "
        "[-]; the GPUs are capped in the hours above it; 0.999 (p99.9, 8.8 h a year) is an "
        "assumption (Fan et al., ISCA 2007: fleets 7-16 % below their summed peak)")


class Power(StrictModel):
    """The sub-hourly study of ``dcplanner power``: one trace of the training job at an hour's
    weather, through the facility chain, with and without smoothing and storage."""

    hour: int | None = Field(
        None, ge=0, le=MAX_HOUR,
        description="Weather of the trace: an hour of the weather year, 0 to "
        f"{MAX_HOUR}; unset: the design hour (site.design_ambient_c, design_dew_point_c)")
    step_s: float = Field(0.1, gt=0, le=60, description="Time step [s]")
    duration_s: float = Field(3600.0, gt=0, le=366 * 86_400,
                              description="Length of the trace [s]")
    seed: int = Field(0, ge=0, description="Seed of the random interruptions")
    cooling_time_constant_s: float = Field(
        300.0, ge=0, le=S_PER_H,
        description="Window over which the cooling plant follows the heat [s], at most an hour "
        "(the trace is computed in one-hour chunks, each taken to repeat; a shorter trace is "
        "its own window): loops and "
        "their water buffer the swings (thermal mass); UPS and distribution losses follow "
        "instantly; assumption")
    swing: Swing = Field(default_factory=Swing)
    smoothing: Smoothing | None = Field(None, description="GPU power smoothing; unset: off")
    rack_storage: RackStorage = Field(default_factory=RackStorage)
    battery: Battery = Field(default_factory=Battery)
    curtailment: Curtailment = Field(default_factory=Curtailment)
    oversubscription: Oversubscription = Field(default_factory=Oversubscription)

    rules = (
        Rule(("swing.period_s", "step_s"), lambda p, s: p >= s,
             lambda p, s: f"period_s = {p:g} is shorter than power.step_s = {s:g}: the "
             "phases would fall between steps", at="swing.period_s"),
        Rule(("duration_s", "step_s"), lambda d, s: d >= 2 * s,
             lambda d, s: f"duration_s = {d:g} holds fewer than two steps of {s:g} s",
             at="duration_s"),
    )
