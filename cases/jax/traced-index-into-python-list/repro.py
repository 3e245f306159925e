"""Indexing a Python list with a jitted argument raises TracerIntegerConversionError.

The learning-rate schedule is a plain list; under jit the step number is a
tracer, and list indexing needs a concrete Python int.
"""
import jax
import jax.numpy as jnp

SCHEDULE = [0.1, 0.05, 0.01]


@jax.jit
def sgd_update(w, g, phase):
    return w - SCHEDULE[phase] * g


print(sgd_update(jnp.ones(2), jnp.ones(2), 1))
