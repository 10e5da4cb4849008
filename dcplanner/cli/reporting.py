"""The reporting pack: EU 2024/1364 KPIs, the threshold check and the waste-heat figures."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dcplanner.cli.base import (
    CONFIG,
    GRID_MW,
    SET,
    main,
    output_options,
    reports_errors,
    site_overrides,
    stress_overrides,
    weather_options,
)
from dcplanner.config import Override, load

if TYPE_CHECKING:
    from dcplanner.output import View


@main.command("eed")
@CONFIG
@SET
@GRID_MW
@weather_options
@reports_errors
@output_options("table", "json", "csv")
def eed(config: str | None, overrides: tuple[Override, ...], grid_mw: float | None,
        weather_file: str | None,
        shift_k: float | None, heatwave: bool, heatwave_peak_c: float | None) -> View:
    """Reporting pack of a scenario's simulated year: EU 2024/1364 KPIs and obligations.

    Runs the year as `dcplanner run` does and lists the information and KPIs of Delegated
    Regulation (EU) 2024/1364, Annexes I-II, that the model gives (installed IT power, energy,
    PUE, water, WUE, reused heat, ERF, renewable energy, REF, CUE), each with its definition,
    unit and basis; the items that need metered data; which EU and national (reporting.country)
    obligations apply at the site's size; for a German site the EnEfG thresholds by year; and
    the waste-heat export's yearly cost-benefit. CSV gives one row per item, ready to file. A
    scenario with phases is reported in its last phase.

    \b
    Examples:
      dcplanner eed
      dcplanner eed configs/paris-40mw-district-heat.yaml --format csv -o eed.csv
      dcplanner eed --set reporting.country=DE --set reporting.renewable_frac=1
    """
    from dcplanner.engine import run as run_scenarios
    from dcplanner.engine.reporting import eed_pack
    from dcplanner.output.reporting import pack_view
    from dcplanner.solvers.phases import run_phases

    loaded = load(config, overrides + site_overrides(grid_mw) + stress_overrides(
        weather_file, shift_k, heatwave, heatwave_peak_c))
    resolved = loaded.resolved
    with loaded.errors():
        if resolved.scenario.phases:
            _, result = run_phases(resolved, annual=True)
        else:
            result = run_scenarios([resolved])
    return pack_view(eed_pack(result.records()[-1]))
