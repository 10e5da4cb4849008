"""Site section: grid connection, design weather, physical limits; and the weather year."""

from __future__ import annotations

import numpy as np
from pydantic import Field, model_validator

from dcplanner.validation import MAX_SITE_MW, MIN_SITE_MW, Rule, StrictModel


class Site(StrictModel):
    """Grid connection, design weather and physical limits."""

    grid_mw: float = Field(ge=MIN_SITE_MW, le=MAX_SITE_MW,
                           description="Grid connection capacity [MW]")
    design_ambient_c: float = Field(
        ge=-50, le=60,
        description="Outdoor dry bulb the plant is sized for [°C]; 42.0 = Brétigny-sur-Orge "
        "record of 25 Jul 2019 (reference/paris-climate.md §3)",
    )
    design_dew_point_c: float = Field(
        ge=-60, le=40,
        description="Outdoor dew point at the design hour [°C]; sets the wet bulb for the "
        "adiabatic stage",
    )
    altitude_m: float = Field(
        78.0, ge=-500, le=5000,
        description="Site elevation above sea level [m]; sets the barometric pressure (ASHRAE "
        "standard atmosphere) of the design hour's wet bulb, and of every hour of a weather "
        "year without station pressure (the built-in year; an EPW file's hours use its own). "
        "78 m = the Brétigny-sur-Orge station of the design weather (Météo-France 91103001, "
        "paris-climate.md §6); Bruyères-le-Châtel spans 48-168 m (IGN, via fr.wikipedia, "
        "2025), which moves the design wet bulb by 0.08 K",
    )
    max_racks: int | None = Field(None, gt=0, description="Racks the white space holds [-]")
    max_rack_power_kw: float | None = Field(
        None, gt=0, description="Highest rack power the floor and busways accept [kW]"
    )
    misc_load_frac: float = Field(
        0.002, ge=0, le=1,
        description="Lighting, offices, security and the network operations centre as a share "
        "of IT load [-]; 0.2 %: the top of the 0-0.2 % lighting share of large data centres "
        "(Lei & Masanet 2022, reference/facility.md §2.2 [S21]). The standby generators' "
        "block heaters, the largest ancillary load (physics-review.md §2.4), are counted "
        "apart (electrical.generators.block_heater_kw): together about 0.6 % of IT for the "
        "Paris site, the ~0.5 % physics-review.md §2.4 finds defensible",
    )

    rules = (Rule(("design_dew_point_c", "design_ambient_c"), lambda d, a: np.less_equal(d, a),
                  lambda d, a: f"design_dew_point_c ({d:g}) must not exceed design_ambient_c "
                  f"({a:g})"),)


class Heatwave(StrictModel):
    """A multi-day heatwave injected into the weather year (see dcplanner.weather.stress)."""

    enabled: bool = Field(True, description="Set false to keep the settings but skip the event")
    peak_c: float = Field(
        42.0, ge=-30, le=60,
        description="Hottest hour of the peak day [°C]; default 42.0 °C, Brétigny-sur-Orge on "
        "25 Jul 2019 (paris-climate.md §3)",
    )
    month: int = Field(7, ge=1, le=12, description="Month of the peak day [1-12]")
    day: int = Field(25, ge=1, le=31, description="Day of the month of the peak day [1-31]")
    days: int = Field(
        5, ge=1, le=31,
        description="Length of the event [days]; default 5, the span of the July 2019 heatwave "
        "in Paris (22-26 July; assumption on the exact length)",
    )


class Weather(StrictModel):
    """The hourly weather year of the annual simulation, and heat stress on it."""

    file: str | None = Field(
        None, description="EPW weather file (relative to the scenario file); unset = the "
        "built-in Paris-area year from Brétigny-sur-Orge 1991-2020 normals",
    )
    shift_k: float = Field(
        0.0, ge=-15, le=15,
        description="Uniform shift of dry bulb and dew point [K]; +1.0 brings the built-in "
        "year to the 2015-2024 hot-day counts (README, Built-in weather year)",
    )
    heatwave: Heatwave | None = Field(None, description="Inject a heatwave; unset = none")

    @model_validator(mode="before")
    @classmethod
    def _file_shorthand(cls, data: object) -> object:
        return {"file": data} if isinstance(data, str) else data
