"""Money and carbon sections: capital and running costs, grid intensity, embodied carbon."""

from __future__ import annotations

from typing import Any

import numpy as np
from pydantic import Field

from dcplanner.validation import Rule, StrictModel

#: Named grid carbon intensities [gCO2e/kWh] and their sources (reference/facility.md §6).
GRID_INTENSITY_PRESETS = {
    "fr-production-2024": (21.7, "RTE Bilan électrique 2024, direct production emissions "
                                 "[F-S57]"),
    "fr-lifecycle-2021": (55.0, "ADEME life-cycle consumption mix 2021 [F-S63]"),
    "fr-lifecycle-2022": (73.0, "ADEME life-cycle consumption mix 2022 [F-S63]"),
    "us-average": (345.0, "US grid 0.34-0.35 kgCO2/kWh, midpoint [F-S20]"),
}

#: Facility capex split by category (Cushman & Wakefield 2025 US build costs [F-S65]).
DEFAULT_CAPEX_SPLIT = {"critical_capacity": 0.53, "shell": 0.21, "site": 0.10,
                       "fit_out": 0.10, "back_of_house": 0.04, "office": 0.02}


def _shares_ok(split: dict[str, float]) -> bool:
    return abs(sum(split.values()) - 1.0) <= 1e-6 and all(v >= 0 for v in split.values())


def _intensity_ok(g: Any) -> Any:
    """A known preset, or gCO2e/kWh >= 0; broadcasts over an array of numbers."""
    return g in GRID_INTENSITY_PRESETS if isinstance(g, str) else np.greater_equal(g, 0)


class Economics(StrictModel):
    """Capital and running costs, in euros."""

    eur_per_usd: float = Field(
        0.923, gt=0, description="Exchange rate for USD catalog prices [EUR/USD]; derived from "
        "the paired figures $9.1 M = €8.4 M per MW, Europe 2023 [F-S67]",
    )
    facility_eur_per_mw_it: float = Field(
        8.4e6, ge=0, description="Facility build cost per MW of design IT load [EUR/MW]; "
        "Europe 2023 average €8.4 M/MW critical load, excl. IT [F-S67]",
    )
    ai_premium_frac: float = Field(
        0.085, ge=0, le=2, description="Extra facility cost of AI / liquid-cooled builds [-]; "
        "7-10 % (US), midpoint [F-S66]",
    )
    capex_split: dict[str, float] = Field(
        default_factory=lambda: dict(DEFAULT_CAPEX_SPLIT),
        description="Facility capex by category, shares summing to 1; default Cushman & "
        "Wakefield 2025: critical capacity (electrical and mechanical) 53 %, shell 21 %, site "
        "10 %, fit-out 10 %, back of house 4 %, office 2 % [F-S65]",
    )
    network_frac_of_it: float = Field(
        0.10, ge=0, le=2, description="Scale-out fabric and frontend network as a share of "
        "system prices [-]; assumption",
    )
    storage_frac_of_capex: float = Field(
        0.0125, ge=0, lt=1, description="Storage as a share of capex [-]; 1-1.5 % of AI "
        "data-center capex, Bernstein 2025 (hardware.md §5 [S54])",
    )
    facility_lifetime_years: float = Field(20.0, gt=0, le=100,
                                           description="Facility depreciation [years]; "
                                           "assumption")
    it_lifetime_years: float = Field(5.0, gt=0, le=30,
                                     description="IT depreciation [years]; assumption")
    discount_rate_frac: float = Field(0.08, ge=0, le=1,
                                      description="Cost of capital [-/year]; assumption")
    energy_eur_per_mwh: float = Field(
        87.0, ge=0, description="Electricity price [EUR/MWh]; French consumers above 150 "
        "GWh/yr, H1 2024, excl. VAT (SDES [F-S58]); may already hold network costs and taxes "
        "(facility.md §9 note 7)",
    )
    network_tariff_eur_per_mwh: float = Field(
        0.0, ge=0, description="Grid network tariff on top of the price [EUR/MWh]; TURPE 7 "
        "HTB per-MWh figure not retrieved [F-S62], so 0",
    )
    excise_eur_per_mwh: float = Field(
        12.0, ge=0, description="Electricity excise [EUR/MWh]; data-center reduced rate above "
        "1 GWh/yr, CIBS L.312-64/70 [F-S61]",
    )
    maintenance_frac_per_year: float = Field(
        0.02, ge=0, le=1, description="Facility maintenance per year as a share of facility "
        "capex [-]; assumption",
    )
    staff_fte: float = Field(40.0, ge=0, description="Site staff [FTE]; assumption")
    staff_eur_per_fte_year: float = Field(90_000.0, ge=0,
                                          description="Loaded cost per FTE [EUR/year]; "
                                          "assumption")

    rules = (Rule(("capex_split",), lambda split: _shares_ok(split), lambda split:
                  f"capex_split shares must be >= 0 and sum to 1 (they sum to "
                  f"{sum(split.values()):g})"),)


class Carbon(StrictModel):
    """Grid carbon intensity and embodied carbon."""

    grid_intensity: float | str = Field(
        "fr-production-2024",
        description="gCO2e per kWh, or a preset: " + ", ".join(
            f"{k} ({v:g}: {src})" for k, (v, src) in GRID_INTENSITY_PRESETS.items()),
    )
    intensity_file: str | None = Field(
        None, description="Hourly intensities [gCO2e/kWh], one per hour of the weather year "
        "(CSV, optional header); replaces grid_intensity; relative to the scenario file",
    )
    embodied_tco2e_per_system: dict[str, float] = Field(
        default_factory=dict, description="Embodied carbon per system by catalog name "
        "[tCO2e], spread over the IT lifetime; none by default (no sourced figure)",
    )

    rules = (
        Rule(("grid_intensity",), lambda g: _intensity_ok(g), lambda g:
             f"grid_intensity '{g}' is not a preset; give gCO2e/kWh or one of: "
             f"{', '.join(GRID_INTENSITY_PRESETS)}" if isinstance(g, str)
             else "grid_intensity must be >= 0 gCO2e/kWh"),
        Rule(("embodied_tco2e_per_system",), lambda e: all(v >= 0 for v in e.values()),
             lambda e: "embodied_tco2e_per_system values must be >= 0"),
    )

    @property
    def grid_g_per_kwh(self) -> float:
        """The constant intensity [gCO2e/kWh] (the preset's value for a name)."""
        if isinstance(self.grid_intensity, str):
            return GRID_INTENSITY_PRESETS[self.grid_intensity][0]
        return float(self.grid_intensity)
