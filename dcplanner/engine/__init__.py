"""Layer 3: the engine, the only place that knows parameter and output names.

Scenarios are flattened to parameter arrays (scenarios on axis 0) from the declarations of
:mod:`.params`, evaluated at the design point and through every hour of a weather year by the
pure models, priced, and returned as a :class:`~.outputs.Result` whose records and columns
come from the declarations of :mod:`.outputs`.
"""

from dcplanner.engine.design import evaluate
from dcplanner.engine.outputs import OUTPUTS, Output, Result, output_names
from dcplanner.engine.params import PARAMS, Arrays, Param, flatten, with_column
from dcplanner.engine.run import evaluate_batch, run

__all__ = ["OUTPUTS", "PARAMS", "Arrays", "Output", "Param", "Result", "evaluate",
           "evaluate_batch", "flatten", "output_names", "run", "with_column"]
