"""Layer 1: pure, vectorized physics, one physical domain per module.

No I/O, no pydantic, no click. Scenarios lie on the first axis, hours (where present) on the
last; scalars broadcast. Every empirical coefficient carries its reference in the docstring.
"""
