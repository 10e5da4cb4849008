"""Layer 3: the engine, the only place that knows parameter and output names.

Scenarios are flattened to parameter arrays (scenarios on axis 0), evaluated at the design
point and through every hour of a weather year by the pure models, priced, and turned into
results.
"""

from dcplanner.engine.design import evaluate
from dcplanner.engine.params import Arrays, flatten
from dcplanner.engine.run import run, run_detailed

__all__ = ["Arrays", "evaluate", "flatten", "run", "run_detailed"]
