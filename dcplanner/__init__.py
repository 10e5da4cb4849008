"""dcplanner: capacity planning for AI data centers.

From Python::

    import dcplanner
    run = dcplanner.load().with_(**{"site.grid_mw": 45}).run()   # see dcplanner.api
    run.to_frame(), run.hourly(year=2025)       # pandas frames (the pandas extra)
    scenario = dcplanner.load_scenario("configs/paris-40mw.yaml")
    result = dcplanner.run([scenario])          # a batch of one
    result["facility_peak_mw"][0], result["binding_constraint"][0]
    result.records()[0]                          # the JSON of `dcplanner run`

The names below are imported on first use, so that ``import dcplanner`` stays fast.
"""

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from typing import Any

try:
    __version__ = version("dcplanner")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"

#: Public names and the module that defines each.
_FACE = {
    "load": "dcplanner.api",
    "Plan": "dcplanner.api",
    "Run": "dcplanner.api",
    "study_frame": "dcplanner.api",
    "to_parquet": "dcplanner.api",
    "read_metadata": "dcplanner.api",
    "load_scenario": "dcplanner.config",
    "run": "dcplanner.engine",
    "Result": "dcplanner.engine",
    "ConfigError": "dcplanner.errors",
    "DcplannerError": "dcplanner.errors",
}

__all__ = ["__version__", *_FACE]


#: Subpackages and modules reachable as attributes (``dcplanner.engine.output_names()``).
_MODULES = ("api", "catalog", "cli", "config", "engine", "errors", "models", "output", "report",
            "scenario", "solvers", "study", "units", "validation", "weather")


def __getattr__(name: str) -> Any:
    if name in _FACE:
        return getattr(import_module(_FACE[name]), name)
    if name in _MODULES:
        return import_module(f"dcplanner.{name}")
    raise AttributeError(f"module 'dcplanner' has no attribute {name!r}")
