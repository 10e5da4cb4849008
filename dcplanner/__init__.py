"""dcplanner: capacity planning for AI data centers.

From Python::

    import dcplanner
    scenario = dcplanner.load_scenario("configs/paris-40mw.yaml")
    result = dcplanner.run([scenario])          # a batch of one
    result["facility_peak_mw"][0], result["binding_constraint"][0]
    result.records()[0]                          # the JSON of `dcplanner run`
"""

from importlib.metadata import PackageNotFoundError, version

from dcplanner.config import load_scenario
from dcplanner.engine import run
from dcplanner.errors import ConfigError, DcplannerError

try:
    __version__ = version("dcplanner")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"

__all__ = ["ConfigError", "DcplannerError", "__version__", "load_scenario", "run"]
