"""dcplanner: capacity planning for AI data centers.

From Python::

    import dcplanner
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
    "load": "dcplanner.config",
    "load_scenario": "dcplanner.config",
    "run": "dcplanner.engine",
    "Result": "dcplanner.engine",
    "ConfigError": "dcplanner.errors",
    "DcplannerError": "dcplanner.errors",
}

__all__ = ["__version__", *_FACE]


#: Subpackages and modules reachable as attributes (``dcplanner.engine.output_names()``).
_MODULES = ("catalog", "cli", "config", "engine", "errors", "models", "output", "report",
            "scenario", "solvers", "study", "units", "validation", "weather")


def __getattr__(name: str) -> Any:
    if name in _FACE:
        return getattr(import_module(_FACE[name]), name)
    if name in _MODULES:
        return import_module(f"dcplanner.{name}")
    raise AttributeError(f"module 'dcplanner' has no attribute {name!r}")
