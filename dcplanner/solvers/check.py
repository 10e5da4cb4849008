"""The checks a scenario needs beyond its schema: its hourly files and its phases.

Loading a scenario only reads, validates and resolves it (:mod:`dcplanner.config`); reading its
weather and profile files and applying its phases is solver work, done once here for
``dcplanner validate`` (``run`` does the same work as it runs).
"""

from __future__ import annotations

from dcplanner.engine.hourly import scenario_hours
from dcplanner.scenario import ResolvedScenario
from dcplanner.solvers.phases import PhaseState, expand


def check(resolved: ResolvedScenario) -> list[PhaseState]:
    """Read the scenario's weather, profile and intensity files and apply every phase (each
    ``fill`` fitted); returns the phase states (empty without phases).

    Raises
    ------
    ConfigError
        A file that is missing, unreadable or does not fit the weather year, a heatwave day the
        year lacks, or a phase that cannot apply, named by its field path.
    """
    scenario_hours(resolved.scenario)
    return expand(resolved) if resolved.scenario.phases else []
