"""Layer 4: questions answered by calling the engine: capacity fit, phases, chip mix, training."""
