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


#: The lowest non-zero accise rate on electricity [EUR/MWh] (CIBS L.312-64 reduced rates run
#: from 0.5 to 12 EUR/MWh, BOFiP BOI-RES-EAT-000191, 8 Jan 2025): a positive rate below it is a
#: price per kWh.
MIN_EXCISE_EUR_PER_MWH = 0.5
#: A positive network energy charge below this [EUR/MWh] is read as a price per kWh.
MIN_TARIFF_EUR_PER_MWH = 0.1


def _mwh_price(field: str, low: float, high: float, zero: bool = False) -> Rule:
    """A price per MWh within [low, high] (or 0 when ``zero``): a price per kWh (1,000 times
    smaller) or per GWh falls outside and is named in a one-line error."""
    def check(v: Any) -> Any:
        ok = np.greater_equal(v, low) & np.less_equal(v, high)
        return ok | np.equal(v, 0) if zero else ok

    def message(v: float) -> str:
        hint = " (a price per kWh? 0.07 EUR/kWh = 70 EUR/MWh)" if 0 < v < low else ""
        allowed = f"0 or {low:g}-{high:g}" if zero else f"{low:g}-{high:g}"
        return f"{v:g} is outside {allowed} EUR/MWh{hint}"

    return Rule((field,), check, message, at=field)


class Economics(StrictModel):
    """Capital and running costs, in euros.

    Every item of the TCO is one field here (or a catalog price): capex of the facility, the
    IT systems, the compute fabric (priced from its sizing), the frontend and storage
    networks, storage, spares and the grid connection; opex of the electricity (energy,
    network tariff and excise, each once), maintenance, IT support, insurance, local taxes and
    staff. The cost per GPU-hour is given per installed, sold and delivered (goodput) hour.
    """

    eur_per_usd: float = Field(
        0.923, gt=0, description="Exchange rate for USD catalog prices [EUR/USD]; derived from "
        "the paired figures $9.1 M = €8.4 M per MW, Europe 2023 [F-S67]",
    )
    facility_eur_per_mw_it: float = Field(
        10.7e6, ge=0, description="Facility build cost per MW of design IT load, excl. IT "
        "[EUR/MW]; Turner & Townsend Data Centre Construction Cost Index 2025-2026: Frankfurt "
        "$11.6/W (the nearest listed market; Paris is not listed; London $12.0/W) x 0.923 "
        "EUR/USD = €10.7 M/MW [F-S66], 2025. Range: €8.4 M/MW (Europe 2023 average [F-S67]) to "
        "about €17.5 M/MW (Bernstein 2025: $2.5 M of physical infrastructure per 132 kW GB200 "
        "rack = $19 M/MW, hardware.md [S54])",
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
    frontend_network_frac_of_fabric: float = Field(
        0.42, ge=0, le=5, description="Frontend (in-band), storage and management networks as "
        "a share of the compute-fabric capex [-]; derived from the link counts of the DGX H100 "
        "SuperPOD 4-SU bill of materials: 548 storage InfiniBand + 304 in-band links against "
        "2,042 compute links = 0.42 (hardware.md §4 [S21], 2023; the 333 out-of-band copper "
        "links left out). The compute fabric itself is priced from its sizing: switches, "
        "optical ends and links at the fabric's catalog prices",
    )
    storage_frac_of_capex: float = Field(
        0.0125, ge=0, lt=1, description="Storage as a share of capex [-]; 1-1.5 % of AI "
        "data-center capex, Bernstein 2025 (hardware.md §5 [S54])",
    )
    spares_frac_of_it: float = Field(
        0.02, ge=0, le=1, description="Spare systems, trays, optics and parts as a share of IT "
        "and network capex [-]; assumption (no sourced figure), range 1-5 %",
    )
    grid_connection_eur_per_mw: float = Field(
        0.3e6, ge=0, le=20e6, description="RTE connection cost per MW of grid connection "
        "(site.grid_mw) [EUR/MW]: the consumer's own connection works (ouvrages propres) and, "
        "in a mutualisation zone, the quote-part (CRE délibération 2024-200, grid-power-rules.md "
        "§2.11); assumption (no published quote-part for the south-east Île-de-France zone, "
        "no RTE connection cost retrieved), range €0.1-1 M/MW",
    )
    facility_lifetime_years: float = Field(20.0, gt=0, le=100,
                                           description="Facility depreciation [years]; "
                                           "assumption")
    it_lifetime_years: float = Field(5.0, gt=0, le=30,
                                     description="IT depreciation [years]; assumption")
    discount_rate_frac: float = Field(0.08, ge=0, le=1,
                                      description="Cost of capital [-/year]; assumption")
    energy_eur_per_mwh: float = Field(
        70.0, description="Electricity supply (energy only, no network, no taxes) [EUR/MWh]; "
        "about 70 €/MWh, the EDF long-term nuclear contract (CAPN) and post-ARENH reference "
        "level, 2025 (physics-review.md §5, bfmtv.com, lemagit.fr); range 50-100: wholesale "
        "50-55 €/MWh Dec 2025 [F-S60], forward Y+1 traded in 2024 77 €/MWh [F-S57]. Not the "
        "SDES 87 €/MWh band (>150 GWh/yr, H1 2024 [F-S58]), which already holds the network "
        "and taxes (facility.md §9 note 7): adding them to it counted them twice",
    )
    network_tariff_eur_per_mwh: float = Field(
        4.0, description="TURPE 7 HTB energy part of the network tariff [EUR/MWh]; planner "
        "estimate: TURPE 7 HTB in force 1 Aug 2025 (CRE délibération 2025-77, 13 Mar 2025), "
        "+9.6 % on HTB on 1 Feb 2025 (CRE délibération 2025-09) [F-S62], but no HTB grid "
        "figure retrieved; range 0.5-10 (0: none)",
    )
    network_tariff_eur_per_kw_year: float = Field(
        15.0, ge=0, le=200, description="TURPE 7 HTB fixed part on the subscribed power "
        "(site.grid_mw) [EUR/kW/year]; planner estimate, as for the energy part (CRE "
        "délibération 2025-77 [F-S62], no HTB grid figure retrieved); range 5-30. Above 200 is "
        "a price per MW",
    )
    excise_eur_per_mwh: float = Field(
        12.0, description="Accise sur l'électricité [EUR/MWh]; data-centre reduced rate on "
        "consumption above 1 GWh/yr, CIBS L.312-64/L.312-70, against a normal rate of 20.90 "
        "€/MWh (Assemblée nationale, PLF 2026 amendment CF466, Oct 2025 [F-S61]); range 12-21",
    )
    maintenance_frac_per_year: float = Field(
        0.02, ge=0, le=1, description="Facility maintenance per year as a share of facility "
        "capex [-]; assumption",
    )
    it_support_frac_per_year: float = Field(
        0.04, ge=0, le=1, description="IT support and maintenance contracts per year as a share "
        "of IT and network capex [-]; ~3-5 %/yr of IT capex (physics-review.md §5), midpoint",
    )
    insurance_frac_per_year: float = Field(
        0.003, ge=0, le=0.1, description="Property and equipment insurance per year as a share "
        "of the insured capex (facility, IT, network, storage, spares) [-]; commercial property "
        "rates run $0.20-0.50 per $100 of insured value a year (thagency.com, 'How to "
        "calculate property insurance rate per $100', 2025; US small-business policies, a "
        "large site negotiates its own): 0.3 %, range 0.1-0.6 %",
    )
    local_tax_frac_per_year: float = Field(
        0.007, ge=0, le=0.1, description="Local taxes (taxe foncière and CFE) per year as a "
        "share of facility capex [-]; derived: an industrial site's rental value is 8 % of its "
        "cost price (CGI art. 1499, method comptable), less a 33.33 % abatement (CGI ann. II "
        "art. 310 J bis, BOFiP BOI-IF-TFB-20-10-50-40) and halved since 2021 = 2.67 % of the "
        "taxable building cost, times about 56 % of combined rates (taxe foncière ~38 % plus "
        "CFE ~26 % on a further 30 % abatement; assumption, the communal rates of Bruyères-le-"
        "Châtel not retrieved) = 1.5 % of the building, shell, site, fit-out, back of house and "
        "office, 47 % of the facility capex (Cushman & Wakefield split [F-S65]): 0.7 %; range "
        "0.3-1.5 %",
    )
    staff_fte: float = Field(40.0, ge=0, description="Site staff [FTE]; assumption")
    staff_eur_per_fte_year: float = Field(90_000.0, ge=0,
                                          description="Loaded cost per FTE [EUR/year]; "
                                          "assumption")
    sold_frac: float = Field(
        0.85, gt=0, le=1, description="Share of installed GPU-hours sold (or given to a job) "
        "[-]; neoclouds run at 85-95 % with multi-year backlogs, operational reality 75-90 % "
        "(Disintermediate, 'Cluster utilisation', 2026); best-in-class 85 %+ (Pulse GPU-cloud "
        "KPIs, 2026); range 0.75-0.95. The energy still follows workload.utilization_frac",
    )
    goodput_job_gpus: int | None = Field(
        None, ge=0, description="GPUs of the synchronous training job whose goodput (lost to "
        "interruptions, restarts and checkpoints, workload.training, Young/Daly optimum) sets "
        "the delivered GPU-hours [-]; unset: one job on every GPU of the site (the worst "
        "case); 0: no synchronous job (inference, bare rental), no goodput loss",
    )

    rules = (Rule(("capex_split",), lambda split: _shares_ok(split), lambda split:
                  f"capex_split shares must be >= 0 and sum to 1 (they sum to "
                  f"{sum(split.values()):g})"),
             _mwh_price("energy_eur_per_mwh", 5.0, 1000.0),
             _mwh_price("network_tariff_eur_per_mwh", MIN_TARIFF_EUR_PER_MWH, 200.0,
                        zero=True),
             _mwh_price("excise_eur_per_mwh", MIN_EXCISE_EUR_PER_MWH, 200.0, zero=True))


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
