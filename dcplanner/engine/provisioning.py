"""The facility peak under other provisioning bases, beside the chosen one.

The design hour stacks every GPU at its provisioned power and the hottest, most humid hour;
how much of the verdict rests on that choice is what a planner asks first. Each alternative is
the same batch with one input changed, evaluated at the design point:

- ``nameplate``: every system at its supply capacity (rated_w);
- ``peak``: GPUs at TDP (or cap), hosts at their component peak;
- ``capped``: ``peak`` with every GPU capped at :data:`CAP_FRAC` of its TDP;
- ``operating``: the busy draw (``workload.operating_power_frac``);
- ``no_water``: the chosen basis with the adiabatic pads dry at the design hour (a water
  outage, or a ban in a drought).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from dcplanner.engine.design import evaluate
from dcplanner.engine.params import Arrays, code_of

#: GPU power cap of the ``capped`` alternative, as a share of TDP [-]: Meta provisions GB200 at
#: 960 W = 80 % of its 1,200 W TDP (reference/hardware.md §6, 2025).
CAP_FRAC = 0.8
#: The alternatives, in the order they are shown.
ALTERNATIVES = ("nameplate", "peak", "capped", "operating", "no_water")


def alternative(x: Arrays, name: str) -> Arrays:
    """The batch ``x`` provisioned as the alternative ``name`` (see the module)."""
    out = dict(x)
    if name in ("nameplate", "peak", "operating"):
        out["provisioning_basis"] = np.full_like(x["provisioning_basis"],
                                                 code_of("provisioning_basis", name))
    elif name == "capped":
        out["provisioning_basis"] = np.full_like(x["provisioning_basis"],
                                                 code_of("provisioning_basis", "peak"))
        out["gpu_power_cap_w"] = np.fmin(x["gpu_power_cap_w"], CAP_FRAC * x["gpu_tdp_w"])
    elif name == "no_water":
        out["adiabatic_enabled"] = np.zeros_like(x["adiabatic_enabled"])
    else:
        raise ValueError(f"unknown alternative {name!r}; allowed: {', '.join(ALTERNATIVES)}")
    return out


def facility_peak_w(x: Arrays, name: str) -> NDArray:
    """Facility power at the design point [W] of each scenario under alternative ``name``."""
    return evaluate(alternative(x, name))["design_facility_w"]
