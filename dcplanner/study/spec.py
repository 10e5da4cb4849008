"""The study file: a base scenario, what to vary (grid, zip, sample) and what to keep.

Validated like scenarios (unknown keys rejected, one line per problem with its dotted path).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from dcplanner.documents import parse_text, read_document
from dcplanner.errors import ConfigError, Problem
from dcplanner.solvers.training import RUN_COLUMNS
from dcplanner.validation import MIN_EFFICIENCY, StrictModel, validate


class _Bounded(StrictModel):
    """A distribution on [low, high]."""

    low: float
    high: float

    @model_validator(mode="after")
    def _ordered(self) -> _Bounded:
        if not self.low < self.high:
            raise ValueError(f"low ({self.low:g}) must be below high ({self.high:g})")
        return self


class Uniform(_Bounded):
    """Uniform on [low, high]."""

    dist: Literal["uniform"]


class Normal(StrictModel):
    """Normal with a mean and standard deviation."""

    dist: Literal["normal"]
    mean: float
    sd: float = Field(gt=0)


class TruncNormal(_Bounded):
    """Normal cut to [low, high]."""

    dist: Literal["truncnormal"]
    mean: float
    sd: float = Field(gt=0)


class Triangular(StrictModel):
    """Triangular on [low, high] with its peak at mode."""

    dist: Literal["triangular"]
    low: float
    mode: float
    high: float

    @model_validator(mode="after")
    def _ordered(self) -> Triangular:
        if not (self.low <= self.mode <= self.high and self.low < self.high):
            raise ValueError(f"need low <= mode <= high and low < high (got {self.low:g}, "
                             f"{self.mode:g}, {self.high:g})")
        return self


class LogNormal(StrictModel):
    """Lognormal: ``median x exp(sigma Z)``."""

    dist: Literal["lognormal"]
    median: float = Field(gt=0)
    sigma: float = Field(gt=0)


class Choice(StrictModel):
    """One of several values (a system name, a topology, a whole mapping), optionally weighted."""

    dist: Literal["choice"]
    values: list[Any] = Field(min_length=1)
    weights: list[float] | None = None

    @model_validator(mode="after")
    def _weights(self) -> Choice:
        w = self.weights
        if w is not None and (len(w) != len(self.values) or any(v < 0 for v in w)
                              or sum(w) <= 0):
            raise ValueError("weights: one non-negative weight per value, not all zero")
        return self


Distribution = Annotated[Uniform | Normal | TruncNormal | Triangular | LogNormal | Choice,
                         Field(discriminator="dist")]
SampleMethod = Literal["random", "lhs", "sobol", "halton"]


class Sample(StrictModel):
    """Sampled parameters. ``sobol`` runs Saltelli's design: n base points give
    n x (parameters + 2) cases, from which first and total Sobol indices are computed."""

    method: SampleMethod
    n: int = Field(ge=1, le=10_000_000, description="Samples (base points for sobol)")
    seed: int = Field(0, ge=0)
    parameters: dict[str, Distribution] = Field(min_length=1)

    @model_validator(mode="after")
    def _sobol_power_of_two(self) -> Sample:
        if self.method == "sobol" and self.n & (self.n - 1):
            low = 2 ** int(math.log2(self.n))
            raise ValueError(f"n = {self.n}: Sobol designs need a power of 2 (e.g. {low} or "
                             f"{2 * low})")
        return self


class FitOutput(StrictModel):
    """Also fit a system into each case's site (outputs ``fit.count`` and ``fit.gpus``)."""

    system: str | None = Field(None, description="Catalog system; unset = each case's first "
                               "deployment's system")
    keep_existing: bool = False
    policy: Literal["design", "percentile", "curtailment"] = Field(
        "design", description="Provisioning policy, as fit --policy "
        "(dcplanner.solvers.provision): design, or the hourly year within each case's "
        "power.oversubscription or power.curtailment budget (an annual run per candidate "
        "count: slower)")
    ups_reserve: bool = Field(False, description="The UPS reserve carries load, capped on a "
                              "failure, as fit --ups-reserve")


class TrainOutput(StrictModel):
    """Also plan a training run on each case's site (outputs ``train.*``, see
    :data:`TRAIN_UNITS`), with each case's goodput and MFU (``workload.training``)."""

    params: float = Field(ge=1, le=1e16, description="Model parameters [-]")
    tokens: float = Field(ge=1, le=1e16, description="Training tokens [-]")
    active_params: float | None = Field(None, ge=1, le=1e16,
                                        description="Active parameters (mixture of experts)")
    precision: Literal["fp64", "tf32", "bf16", "fp8", "fp4"] = "bf16"
    mfu_frac: float | None = Field(None, ge=MIN_EFFICIENCY, le=1,
                                   description="MFU; unset = each case's for the precision")


#: The scalar figures of the sub-hourly power study (:class:`dcplanner.solvers.power.PowerStudy`,
#: ``dcplanner power``), with their units: a study's ``power:`` block adds them as
#: ``power.<name>`` columns.
POWER_FIGURES = {
    "raw_peak_mw": "MW", "raw_max_ramp_mw_per_s": "MW/s", "raw_swing_mw": "MW",
    "raw_dominant_hz": "Hz", "grid_peak_mw": "MW", "grid_max_ramp_mw_per_s": "MW/s",
    "grid_swing_mw": "MW", "grid_dominant_hz": "Hz", "floor_mwh_per_year": "MWh/yr",
    "floor_eur_per_year": "EUR/yr", "held_mwh_per_year": "MWh/yr", "rack_power_mw": "MW",
    "rack_energy_mwh": "MWh", "rack_energy_kwh_per_rack": "kWh/rack",
    "rack_cycles_per_day": "1/d", "battery_power_mw": "MW", "battery_energy_mwh": "MWh",
    "battery_cycles_per_day": "1/d", "mean_it_mw": "MW", "grid_mwh": "MWh",
}


class PowerOutput(StrictModel):
    """Also run the sub-hourly power study (``dcplanner power``) of each case's scenario
    (outputs ``power.<figure>``, see :data:`POWER_FIGURES`)."""

    outputs: list[str] | None = Field(None, min_length=1, description="Figures to keep; "
                                      "unset = every figure")

    @field_validator("outputs")
    @classmethod
    def _known(cls, outputs: list[str] | None) -> list[str] | None:
        for k, name in enumerate(outputs or ()):
            if name not in POWER_FIGURES:
                from difflib import get_close_matches

                close = get_close_matches(name.removeprefix("power."), POWER_FIGURES, n=3)
                hint = f"; close: {', '.join(close)}" if close else \
                    f"; one of {', '.join(POWER_FIGURES)}"
                raise ValueError(f"'{name}' (item {k}) is not a power figure{hint}")
        if outputs and len(set(outputs)) < len(outputs):
            raise ValueError("a figure is listed twice")
        return outputs

    @property
    def columns(self) -> list[str]:
        """The ``power.*`` columns it adds, in the order asked (else the figures' order)."""
        return [f"power.{k}" for k in (self.outputs or POWER_FIGURES)]


def _not_finite(value: Any, where: str) -> str:
    """The dotted place of the first NaN or infinity in a value (lists and mappings searched),
    or ''."""
    if isinstance(value, float) and not math.isfinite(value):
        return where
    items = (value.items() if isinstance(value, dict)
             else enumerate(value) if isinstance(value, list) else ())
    for key, item in items:
        found = _not_finite(item, f"{where}.{key}")
        if found:
            return found
    return ""


#: Columns a fit adds to each case (see StudySpec.fit).
FIT_KINDS = {"fit.system": "text", "fit.count": "int", "fit.gpus": "int"}
FIT_UNITS = {"fit.system": "", "fit.count": "systems", "fit.gpus": "GPUs"}
FIT_COLUMNS = tuple(FIT_KINDS)
#: Columns a training run adds to each case (see StudySpec.train), with their units; empty
#: where the run never finishes or no deployed chip has the precision.
TRAIN_UNITS = {f"train.{key}": unit for key, unit in RUN_COLUMNS.items()}
#: Columns a power study may add to each case (see StudySpec.power), with their units.
POWER_UNITS = {f"power.{key}": unit for key, unit in POWER_FIGURES.items()}


def column_units(outputs: list[str], columns: list[str]) -> dict[str, str]:
    """The unit of each output column of a study's rows (the declared output's, or a fit or
    train column's), for the files and frames that carry them."""
    from dcplanner.engine.outputs import find

    return {**{key: find(key)[0].unit for key in outputs},
            **{k: u for k, u in {**FIT_UNITS, **TRAIN_UNITS, **POWER_UNITS}.items()
                if k in columns}}

#: Outputs kept when a study names none (dotted keys of a run's record).
DEFAULT_OUTPUTS = (
    "facility_peak_mw", "feasible", "binding_constraint", "gpus", "it_design_mw", "pue_design",
    "annual.facility_mwh", "annual.pue", "annual.facility_peak_mw", "annual.water_m3",
    "economics.tco_eur_per_year", "economics.cost_per_gpu_hour_eur", "carbon.total_tco2e",
)


class StudySpec(StrictModel):
    """What a study file holds."""

    name: str = Field(min_length=1)
    description: str = ""
    base: str | dict | None = Field(
        None, description="Base scenario: a file (relative to the study file), an inline "
        "mapping, or unset for the built-in Paris scenario",
    )
    set: dict[str, Any] = Field(default_factory=dict,
                                description="Fixed overrides of the base, by dotted path")
    grid: dict[str, list[Any]] = Field(default_factory=dict,
                                       description="Every combination of these values")
    zip: dict[str, list[Any]] = Field(default_factory=dict,
                                      description="Paired lists of equal length")
    sample: Sample | None = None
    outputs: list[str] = Field(default_factory=lambda: list(DEFAULT_OUTPUTS), min_length=1)
    annual: bool = Field(True, description="Run the annual simulation of every case")
    fit: FitOutput | None = None
    train: TrainOutput | None = None
    power: PowerOutput | None = None
    chunk_size: int = Field(1000, ge=1, le=1_000_000, description="Cases per chunk")

    @model_validator(mode="after")
    def _blocks(self) -> StudySpec:
        if self.train and not self.annual:
            raise ValueError("train needs the annual simulation (its energy and PUE): drop "
                             "annual: false")
        if self.train and self.train.active_params and \
                self.train.active_params > self.train.params:
            raise ValueError("train.active_params exceeds train.params")
        lengths = {len(v) for v in self.zip.values()}
        if len(lengths) > 1:
            raise ValueError(f"zip: lists must have the same length (got {sorted(lengths)})")
        for name, block in (("grid", self.grid), ("zip", self.zip)):
            for path, values in block.items():
                if not values:
                    raise ValueError(f"{name}.{path}: give at least one value")
        for name, block in (("set", self.set), ("grid", self.grid), ("zip", self.zip)):
            for path, value in block.items():
                where = _not_finite(value, f"{name}.{path}")
                if where:
                    raise ValueError(f"{where}: must be a finite number (NaN and infinity "
                                     "are not allowed)")
        sampled = set(self.sample.parameters) if self.sample else set()
        seen: dict[str, str] = {}
        for name, paths in (("set", self.set), ("grid", self.grid), ("zip", self.zip),
                            ("sample", sampled)):
            for path in paths:
                if path in seen:
                    raise ValueError(f"{path} is in both {seen[path]} and {name}")
                seen[path] = name
        for path in self.set:
            # Varied values are applied after the fixed ones: a varied section would replace
            # a fixed field inside it.
            for varied in self.varied:
                if path.startswith(varied + "."):
                    raise ValueError(f"set.{path} lies inside the varied section {varied} "
                                     f"({seen[varied]}), whose values would replace it: put "
                                     "the field in each of the section's values")
        return self

    @property
    def varied(self) -> list[str]:
        """The varied parameter paths, in column order: grid, zip, sample."""
        sampled = list(self.sample.parameters) if self.sample else []
        return [*self.grid, *self.zip, *sampled]

    @property
    def kept(self) -> list[str]:
        """The numeric outputs kept per case, with the fit's, the training run's and the
        power study's."""
        return [*self.outputs, *(FIT_COLUMNS[1:] if self.fit else ()),
                *(TRAIN_UNITS if self.train else ()), *self.power_columns]

    @property
    def power_columns(self) -> list[str]:
        """The ``power.*`` columns of the power study (none without a ``power:`` block)."""
        return self.power.columns if self.power else []

    @property
    def columns(self) -> list[str]:
        """CSV columns of the cases: case, varied inputs, outputs, the fit, error."""
        return ["case", *self.varied, *self.outputs, *(FIT_COLUMNS if self.fit else ()),
                *(TRAIN_UNITS if self.train else ()), *self.power_columns,
                "error"]


def read_study(path: str | Path) -> tuple[StudySpec, str]:
    """The validated study in a file, and the text it was read from (for its hash)."""
    path = Path(path)
    data = read_document(path)
    spec = validate(StudySpec, data, (), str(path))
    return spec, path.read_text(encoding="utf-8")


def parse_study(text: str, suffix: str, source: str) -> StudySpec:
    """A study from text (for tests and inline use)."""
    data = parse_text(text, suffix, source)
    if not isinstance(data, dict):
        raise ConfigError([Problem(source, "", "the file must hold a mapping of fields")])
    return validate(StudySpec, data, (), source)
