"""Layer 4: questions answered by calling the engine: capacity fit, phases, chip mix, training."""

from dcplanner.models.compute import PRECISIONS

#: What a chip mix may maximize: peak dense PFLOPS per precision, sustained BF16, or GPUs.
OBJECTIVES = (*PRECISIONS, "sustained_bf16", "gpus")
