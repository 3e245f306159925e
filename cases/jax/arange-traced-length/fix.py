"""Fix: mark `n` as a static argument, so it is a plain Python int while tracing.

Each distinct n compiles once; the array shapes are then known.
"""
from functools import partial

import jax
import jax.numpy as jnp


@partial(jax.jit, static_argnames="n")
def discounted_return(rewards, n, gamma):
    steps = jnp.arange(n)
    return jnp.sum(rewards[:n] * gamma**steps)


out = discounted_return(jnp.array([1.0, 1.0, 1.0, 1.0]), n=3, gamma=0.5)
print(out)
assert jnp.allclose(out, 1.75), out
