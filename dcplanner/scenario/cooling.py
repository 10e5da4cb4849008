"""Cooling section: water loops, air side, dry coolers, adiabatic stage, chillers."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from dcplanner.validation import StrictModel

#: Cooling plants a scenario can choose (``cooling.plant``).
PLANT_NAMES = ("dry_cooler",)


class WaterLoop(StrictModel):
    """A water loop's temperatures and pumping."""

    supply_c: float = Field(ge=0, le=70, description="Supply temperature [°C]")
    return_c: float = Field(ge=0, le=80, description="Return temperature [°C]")
    pump_head_kpa: float = Field(
        250, gt=0, le=2000,
        description="Total pump head, facility pumps and CDU together [kPa]; assumption "
        "(no sourced value, reference/facility.md §3.6)",
    )
    pump_efficiency: float = Field(
        0.7, gt=0, le=1, description="Pump total efficiency [-]; EnergyPlus example 0.7 (§3.6)"
    )

    @model_validator(mode="after")
    def _supply_below_return(self) -> WaterLoop:
        if self.supply_c >= self.return_c:
            raise ValueError(f"supply_c ({self.supply_c:g}) must be below return_c "
                             f"({self.return_c:g})")
        return self


class AirSide(StrictModel):
    """CRAH / fan walls for the heat that reaches room air, on a chilled-water loop."""

    water: WaterLoop = Field(
        default_factory=lambda: WaterLoop(supply_c=18.0, return_c=24.0),
        description="Chilled-water loop of the CRAH coils; default 18/24 °C, assumption "
        "suiting ASHRAE A1 recommended inlet 18-27 °C (reference/facility.md §3.1)",
    )
    delta_k: float = Field(
        12.0, gt=0, le=40, description="Room-air temperature rise across IT [K] (§3.6 example)"
    )
    fan_pressure_pa: float = Field(
        486.0, gt=0, le=5000, description="CRAH fan pressure [Pa]; EnergyPlus CRAC example"
    )
    fan_efficiency: float = Field(
        0.7, gt=0, le=1, description="CRAH fan total efficiency [-]; EnergyPlus CRAC example"
    )


class DryCooler(StrictModel):
    """Dry coolers (and air-cooled chiller condensers) rejecting heat to outdoor air."""

    approach_k: float = Field(
        10.0, ge=0, le=30,
        description="Leaving water minus entering air [K]; median ~10 K over 6,730 models "
        "(Energies 16(9) 3661, 2023; reference/facility.md §3.5)",
    )
    coil_air_delta_k: float = Field(
        10.0, gt=0, le=40, description="Air temperature rise across the coils [K]; assumption"
    )
    fan_pressure_pa: float = Field(
        150.0, gt=0, le=2000, description="Coil fan pressure [Pa]; assumption"
    )
    fan_efficiency: float = Field(
        0.5, gt=0, le=1, description="Coil fan total efficiency [-]; assumption"
    )


class Adiabatic(StrictModel):
    """Evaporative pre-cooling of the dry coolers' inlet air."""

    enabled: bool = True
    effectiveness: float = Field(
        0.8, ge=0, le=1,
        description="Saturation effectiveness, share of the wet-bulb depression removed [-]; "
        "assumption (typical pads 0.7-0.9)",
    )


class Chiller(StrictModel):
    """Trim chillers for the heat the dry coolers cannot reject."""

    model: Literal["carnot"] = Field("carnot", description="COP model: Carnot fraction")
    carnot_efficiency_frac: float = Field(
        0.405, gt=0, le=1,
        description="Fraction of Carnot COP [-]; gives COP 2.96 (ASHRAE 90.1 path A air-cooled "
        "minimum, 10.1 EER) at the AHRI point 6.67 °C water / 35 °C air with a 10 K approach",
    )
    max_cop: float = Field(
        7.5, gt=0, le=50,
        description="Cap on COP at small lift [-]; best EnergyPlus dataset water-cooled chiller "
        "7.47 (reference/facility.md §3.4)",
    )


class Cooling(StrictModel):
    """Cooling plant."""

    plant: Literal[PLANT_NAMES] = Field(
        "dry_cooler", description="Plant design: dry_cooler (dry coolers with an adiabatic "
        "stage and trim chillers)",
    )
    liquid: WaterLoop = Field(
        default_factory=lambda: WaterLoop(supply_c=32.0, return_c=42.0),
        description="Facility liquid loop (direct-to-chip); default ASHRAE W32 with a 10 K range",
    )
    air: AirSide = Field(default_factory=AirSide)
    dry_cooler: DryCooler = Field(default_factory=DryCooler)
    adiabatic: Adiabatic = Field(default_factory=Adiabatic)
    chiller: Chiller = Field(default_factory=Chiller)
    heat_rejection_mw: float | None = Field(
        None, gt=0, description="Installed heat rejection at the design ambient [MW]; "
        "unset = not a constraint",
    )
