"""Command-line interface: parse, call the library, render. No physics here.

One module per command group (scenario, solve, batch, catalog) on the group and shared
options of :mod:`.base`. Exit codes: 0 success; 1 invalid input or domain error (one line per
problem on stderr, no traceback); 2 usage error (click).
"""

from dcplanner.cli import batch, catalog, compare, init, power, reporting, scenario, solve
from dcplanner.cli.base import main

__all__ = ["batch", "catalog", "compare", "init", "main", "power", "reporting", "scenario",
           "solve"]
