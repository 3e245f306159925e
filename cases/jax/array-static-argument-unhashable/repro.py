"""A JAX array used as a static argument of a jitted function.

`n` must be static because it sets an output shape. Computing it with
jax.numpy gives a (scalar) jax.Array, which is not hashable, so jit refuses it.
"""
from functools import partial

import jax
import jax.numpy as jnp


@partial(jax.jit, static_argnames="n")
def symmetric_range(n):
    return jnp.arange(-n, n)


data = jnp.array([3.0, -1.0, 4.0, 1.0, -5.0])
n = jnp.sum(data > 0)  # a 0-d jax.Array, not a Python int
print(symmetric_range(n=n))
